import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../../src/db/schema/index.js';
import { enqueueEmail } from '../../src/email/outbox.js';
import { devMailboxTransport, resendTransport, type MailTransport } from '../../src/email/transports.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

/** A stand-in for Resend at the HTTP boundary: fails the first `failures` requests, then accepts, honouring Idempotency-Key. */
async function fakeResend(failures: number) {
  const requests: { headers: IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const accepted = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      if (req.method !== 'POST' || req.url !== '/emails') {
        res.writeHead(404).end();
      } else if (requests.length <= failures) {
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"statusCode":500,"name":"internal_server_error","message":"try again"}');
      } else {
        const key = String(req.headers['idempotency-key']);
        if (!accepted.has(key)) accepted.set(key, `re_${accepted.size + 1}`);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: accepted.get(key) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let seq = 0;
async function enqueueTestMail(to = `warga${++seq}@example.id`) {
  const now = ctx.clock.now();
  const { id } = await enqueueEmail(ctx.deps.db, { to, template: 'account_activated', lang: 'id', data: { name: 'BUDI', at: now, zone: 'WIB' }, now });
  return { id, to };
}

const row = async (id: string) => (await ctx.deps.db.select().from(outbox).where(eq(outbox.id, id)))[0]!;
/** Marks everything else sent, so each test's worker sees only its own messages. */
const settleOthers = (keep: string[]) =>
  ctx.deps.db.update(outbox).set({ status: 'sent' }).where(sql`${outbox.status} = 'pending' and ${outbox.id} <> all(${`{${keep.join(',')}}`}::text[])`);

describe('delivery through Resend', () => {
  it('retries a failing provider with backoff and the same Idempotency-Key until it accepts exactly once', async () => {
    const provider = await fakeResend(3);
    try {
      const { id, to } = await enqueueTestMail();
      await settleOthers([id]);
      const transport = resendTransport({ apiKey: 're_test_key', baseUrl: provider.baseUrl, from: 'IKD <no-reply@ikd.test>' });
      const worker = createOutboxWorker(ctx.deps, transport, { random: () => 0.5 });

      const delays: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect(await worker.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
        const r = await row(id);
        expect(r).toMatchObject({ status: 'pending', attempts: attempt, leaseUntil: null, lastError: 'provider answered HTTP 500' });
        delays.push(r.nextAttemptAt.getTime() - ctx.clock.now().getTime());
        // Not due yet: nothing is sent before the backoff is over.
        expect(await worker.deliverDue()).toMatchObject({ claimed: 0 });
        ctx.clock.advance(delays.at(-1)!);
      }
      expect(delays).toEqual([3750, 7500, 15000]);
      expect(await worker.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
      expect(await worker.deliverDue()).toMatchObject({ claimed: 0 });

      expect(provider.requests).toHaveLength(4);
      expect(provider.accepted.size).toBe(1);
      const { idempotencyKey } = await row(id);
      for (const request of provider.requests) {
        expect(request.headers['idempotency-key']).toBe(idempotencyKey);
        expect(request.headers.authorization).toBe('Bearer re_test_key');
        // Sent by the resend SDK (its own User-Agent), not a hand-written fetch.
        expect(request.headers['user-agent']).toMatch(/^resend-node:\d/);
        expect(request.body).toMatchObject({ from: 'IKD <no-reply@ikd.test>', to: [to] });
        expect(String(request.body.subject)).toContain('IKD');
        expect(String(request.body.text)).toContain('BUDI');
        expect(String(request.body.html)).toContain('<html');
      }
      expect(await row(id)).toMatchObject({ status: 'sent', attempts: 4, providerMessageId: 're_1', lastError: null, leaseUntil: null });
    } finally {
      await provider.close();
    }
  });

  it('retries after a network error, and records no content in the error', async () => {
    const provider = await fakeResend(0);
    const baseUrl = provider.baseUrl;
    await provider.close(); // nothing listens there any more
    const { id } = await enqueueTestMail();
    await settleOthers([id]);
    const worker = createOutboxWorker(ctx.deps, resendTransport({ apiKey: 're_secret_key', baseUrl, from: 'x <x@ikd.test>' }));
    expect(await worker.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
    const r = await row(id);
    expect(r.status).toBe('pending');
    expect(r.lastError).toMatch(/^network error/);
    expect(ctx.logLines.join('\n')).not.toContain('re_secret_key');
  });

  it('maps a provider error without a status (the SDK error object) to a retry that names it', async () => {
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(422, { 'Content-Type': 'application/json' }).end('{"name":"validation_error","message":"bad from"}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { id } = await enqueueTestMail();
      await settleOthers([id]);
      const worker = createOutboxWorker(ctx.deps, resendTransport({ apiKey: 'k', baseUrl: `http://127.0.0.1:${port}/`, from: 'x <x@ikd.test>' }));
      expect(await worker.deliverDue()).toMatchObject({ claimed: 1, retried: 1 });
      expect(await row(id)).toMatchObject({ status: 'pending', lastError: 'provider refused (validation_error)' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gives up after the last attempt', async () => {
    const provider = await fakeResend(1000);
    try {
      const { id } = await enqueueTestMail();
      await settleOthers([id]);
      const worker = createOutboxWorker(ctx.deps, resendTransport({ apiKey: 'k', baseUrl: provider.baseUrl, from: 'x <x@ikd.test>' }), { maxAttempts: 3 });
      for (let i = 0; i < 3; i++) {
        await worker.deliverDue();
        ctx.clock.advance(3600_000);
      }
      expect(await row(id)).toMatchObject({ status: 'failed', attempts: 3 });
      expect(await worker.deliverDue()).toMatchObject({ claimed: 0 });
      expect(provider.requests).toHaveLength(3);
    } finally {
      await provider.close();
    }
  });
});

describe('the outbox worker', () => {
  const counting = () => {
    const sent: string[] = [];
    const transport: MailTransport = {
      name: 'dev_mailbox',
      send: async (m) => {
        sent.push(m.id);
        return {};
      },
    };
    return { sent, transport };
  };

  it('leaves a message alone while another worker holds its lease, and takes it over when the lease runs out', async () => {
    const { id } = await enqueueTestMail();
    await settleOthers([id]);
    // A worker claimed it (attempt 1) and crashed before finishing.
    await ctx.deps.db.update(outbox).set({ attempts: 1, leaseUntil: new Date(ctx.clock.now().getTime() + 60_000) }).where(eq(outbox.id, id));
    const { sent, transport } = counting();
    const worker = createOutboxWorker(ctx.deps, transport);
    expect(await worker.deliverDue()).toMatchObject({ claimed: 0 });
    ctx.clock.advance(60_000);
    expect(await worker.deliverDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(sent).toEqual([id]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('delivers each message once when several workers run at the same time (SKIP LOCKED)', async () => {
    const ids = [];
    for (let i = 0; i < 25; i++) ids.push((await enqueueTestMail()).id);
    await settleOthers(ids);
    const { sent, transport } = counting();
    const workers = [0, 1, 2].map(() => createOutboxWorker(ctx.deps, transport, { batchSize: 4 }));
    for (let round = 0; round < 10; round++) await Promise.all(workers.map((w) => w.deliverDue()));
    expect(sent.sort()).toEqual([...ids].sort());
  });

  it('writes nothing when the transaction that enqueued rolls back', async () => {
    const to = 'rollback@example.id';
    await ctx.deps.db
      .transaction(async (tx) => {
        const now = ctx.clock.now();
        await enqueueEmail(tx, { to, template: 'pin_changed', lang: 'en', data: { name: 'X', at: now, zone: 'WIB' }, now });
        throw new Error('the change failed');
      })
      .catch(() => {});
    expect(await ctx.deps.db.select().from(outbox).where(eq(outbox.to, to))).toHaveLength(0);
  });

  it('runs on its own when started, and stops cleanly', async () => {
    const { id } = await enqueueTestMail();
    await settleOthers([id]);
    const { sent, transport } = counting();
    const worker = createOutboxWorker(ctx.deps, transport);
    worker.start(20);
    await vi.waitFor(() => expect(sent).toEqual([id]), { timeout: 5000, interval: 10 });
    await worker.stop();
    expect(await row(id)).toMatchObject({ status: 'sent' });
  });
});

describe('the dev mailbox', () => {
  it('logs only that a message arrived (id, template), never its content', async () => {
    const { id } = await enqueueTestMail('mailbox-log@example.id');
    await settleOthers([id]);
    const before = ctx.logLines.length;
    await createOutboxWorker(ctx.deps, devMailboxTransport(ctx.deps.logger)).deliverDue();
    const lines = ctx.logLines.slice(before).join('\n');
    expect(lines).toContain(id);
    expect(lines).toContain('account_activated');
    expect(lines).not.toContain('mailbox-log@example.id');
    expect(lines).not.toContain('BUDI');
    expect(await row(id)).toMatchObject({ status: 'sent' });
  });

  it('serves every message newest first as JSON and as a page with clickable links', async () => {
    const now = ctx.clock.now();
    await enqueueEmail(ctx.deps.db, {
      to: 'first@example.id',
      template: 'activation',
      lang: 'id',
      data: { name: 'A <b>', link: 'https://ikd.test/activate?t=abc', code: '135790', expiresAt: now, zone: 'WIB' },
      now,
    });
    await enqueueEmail(ctx.deps.db, { to: 'second@example.id', template: 'pin_changed', lang: 'en', data: { name: 'B', at: now, zone: 'WIB' }, now });
    const res = await ctx.app.request('/dev/mailbox.json');
    expect(res.status).toBe(200);
    const items = (await res.json()) as Record<string, string>[];
    expect(items[0]!.to).toBe('second@example.id');
    expect(items[1]!.to).toBe('first@example.id');
    expect(Object.keys(items[0]!).sort()).toEqual(['createdAt', 'html', 'id', 'subject', 'text', 'to']);
    expect(items[1]!.text).toContain('135790');

    const page = await ctx.app.request('/dev/mailbox');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<a [^>]*href="https:\/\/ikd\.test\/activate\?t=abc"/);
    expect(html).not.toContain('A <b>');
  });

  it('does not exist outside development mode', async () => {
    const prod = await createTestContext({ config: { RESEND_API_KEY: 're_live_key' } });
    try {
      expect(prod.deps.config.devMode).toBe(false);
      for (const path of ['/dev/mailbox', '/dev/mailbox.json']) {
        const res = await prod.app.request(path);
        expect(res.status).toBe(404);
      }
    } finally {
      await prod.close();
    }
  });
});
