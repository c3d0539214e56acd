/**
 * Reliability: the mail provider fails for a minute (503s, dropped connections, and answers lost after it delivered)
 * → approvals still succeed, and afterwards every activation e-mail has arrived exactly once (the fake Resend counts
 * by Idempotency-Key). Time moves on the TestClock; the worker's delivery round is called directly.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { resendTransport } from '../../src/email/transports.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { approve, registerResident } from '../helpers/enrolment.js';
import { createOperatorSession } from '../helpers/operator.js';
import { startFakeResend, type FakeResend } from './fake-resend.js';

let ctx: TestContext;
let fake: FakeResend;

beforeAll(async () => {
  ctx = await createTestContext();
  fake = await startFakeResend();
});

afterAll(async () => {
  await fake?.close();
  await ctx?.close();
});

describe('mail provider outage', () => {
  it('delivers every activation e-mail exactly once after a minute of failures', async () => {
    // random 0: the shortest backoff of each attempt (2.5 s, 5 s, 10 s, 20 s, 40 s …), so the minute sees five attempts.
    const worker = createOutboxWorker(ctx.deps, resendTransport({ apiKey: 're_test_key', baseUrl: fake.baseUrl, from: 'IKD <no-reply@ikd.test>', timeoutMs: 2000 }), {
      random: () => 0,
    });
    const operator = await createOperatorSession(ctx);

    // The provider is down while operators approve: the requests do not notice.
    fake.mode = 'down';
    const emails: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reg = await registerResident(ctx);
      await approve(ctx, operator.token, reg.registrationId);
      emails.push(reg.email);
    }

    // One minute of trouble in 5-second steps: refused for 20 s, then dropped connections, then answers lost after delivery.
    for (let elapsed = 0; elapsed < 60_000; elapsed += 5_000) {
      fake.mode = elapsed < 20_000 ? 'down' : elapsed < 40_000 ? 'reset' : 'lose_response';
      await worker.deliverDue();
      ctx.clock.advance(5_000);
    }
    expect(fake.attempts).toBeGreaterThan(emails.length);
    // The provider did deliver some of them (answers lost): their retries must not deliver them again.
    expect(fake.deliveries.length).toBeGreaterThan(0);
    // Some deliveries happened during 'lose_response', but the worker could not know: those rows are still pending.
    const pendingAfterOutage = await ctx.deps.db.select().from(outbox).where(eq(outbox.status, 'pending'));
    expect(pendingAfterOutage.length).toBeGreaterThan(0);

    // The provider is back: the retries (same Idempotency-Key each time) finish the job, in backoff time.
    fake.mode = 'up';
    for (let step = 0; step < 60; step++) {
      await worker.deliverDue();
      const pending = await ctx.deps.db.select({ id: outbox.id }).from(outbox).where(eq(outbox.status, 'pending'));
      if (pending.length === 0) break;
      ctx.clock.advance(30_000);
    }

    const rows = await ctx.deps.db.select().from(outbox);
    expect(rows.filter((r) => r.template === 'activation').length).toBe(emails.length);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    for (const email of emails) expect(fake.deliveredTo(email)).toHaveLength(1);
    // Nothing else arrived, and no key was delivered twice.
    expect(new Set(fake.deliveries.map((d) => d.idempotencyKey)).size).toBe(fake.deliveries.length);
    expect(fake.deliveries.length).toBe(rows.length);
  });
});
