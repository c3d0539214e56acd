import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { accounts, activations, devices } from '../../src/db/schema/index.js';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession } from '../helpers/operator.js';
import { devMailboxTransport } from '../../src/email/transports.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import {
  activationMail,
  activationRows,
  approve,
  lookupAs,
  newDeviceKey,
  postActivation,
  postRegistration,
  registrationBody,
  registerResident,
  registrationRow,
  seedResident,
  type TestResident,
} from '../helpers/enrolment.js';

let ctx: TestContext;
let token: string;

beforeAll(async () => {
  ctx = await createTestContext();
});
beforeEach(async () => {
  token = (await createOperatorSession(ctx)).token;
});
afterAll(async () => {
  await ctx.close();
});

const PIN = '258013';
const problem = async (res: Response) => (await res.json()) as { code: string; requestId: string } & Record<string, unknown>;
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Registered and approved: the activation e-mail is in the outbox. */
async function approved(resident?: TestResident) {
  const reg = await registerResident(ctx, resident);
  await approve(ctx, token, reg.registrationId);
  return { ...reg, mail: await activationMail(ctx, reg.email) };
}

describe('the activation e-mail', () => {
  it('holds the link on PUBLIC_BASE_URL and the code as one group of 6 digits, in text and HTML', async () => {
    const { mail, registrationId } = await approved();
    expect(mail.link).toBe(`https://ikd.test/activate?t=${mail.token}`);
    expect(mail.text.match(/\b\d{6}\b/g)).toEqual([mail.code]);
    expect(mail.html).toContain(mail.code);
    expect(mail.html).toContain('href="https://ikd.test/activate?t=');
    const [row] = await activationRows(ctx, registrationId);
    expect(row!.tokenHash).toBe(sha256Hex(mail.token));
    // ≥128 bits: 32 random bytes, base64url.
    expect(Buffer.from(mail.token, 'base64url').length).toBe(32);
  });

  it('is written in the language the resident registered in', async () => {
    const reg = await registerResident(ctx);
    await approve(ctx, token, reg.registrationId);
    const id = await activationMail(ctx, reg.email);
    expect(id.subject).toMatch(/Aktivasi/);
    const resident = await seedResident(ctx);
    const device = await newDeviceKey();
    const res = await postRegistration(ctx, registrationBody(resident, device, { email: 'english@example.id' }), { 'Accept-Language': 'en-GB,en;q=0.8' });
    const { registrationId } = (await res.json()) as { registrationId: string };
    expect((await lookupAs(ctx, token, registrationId, device)).status).toBe(200);
    await approve(ctx, token, registrationId);
    expect((await activationMail(ctx, 'english@example.id')).subject).toMatch(/Activate/);
  });
});

describe('GET /activate', () => {
  it('shows the form without consuming anything, with no-referrer and no-store', async () => {
    const { mail, registrationId } = await approved();
    for (let i = 0; i < 3; i++) {
      const res = await ctx.app.request(`/activate?t=${mail.token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/activate"/);
      expect(html).toContain(`value="${mail.token}"`);
      expect(html).toContain('name="code"');
      expect(html).toContain('name="newPin"');
      expect(html).toContain('name="newPinAgain"');
    }
    const [row] = await activationRows(ctx, registrationId);
    expect(row).toMatchObject({ failedAttempts: 0, consumedAt: null, voidedAt: null });
    expect((await postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN })).status).toBe(200);
  });

  it('escapes whatever the link carries', async () => {
    const res = await ctx.app.request(`/activate?t=${encodeURIComponent('"><script>alert(1)</script>')}`);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('explains an incomplete link', async () => {
    const res = await ctx.app.request('/activate');
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('activates through the plain HTML form too (POST /activate)', async () => {
    const { mail, resident } = await approved();
    const form = (fields: Record<string, string>) =>
      ctx.app.request('/activate', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const mismatch = await form({ t: mail.token, code: mail.code, newPin: PIN, newPinAgain: '258014' });
    expect(mismatch.status).toBe(400);
    const wrong = await form({ t: mail.token, code: otherCode(mail.code), newPin: PIN, newPinAgain: PIN });
    expect(wrong.status).toBe(401);
    const ok = await form({ t: mail.token, code: mail.code, newPin: PIN, newPinAgain: PIN });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/sudah aktif/);
    const [account] = await ctx.deps.db.select().from(accounts).where(eq(accounts.nik, resident.nik));
    expect(account!.status).toBe('active');
  });
});

describe('POST /v1/activations', () => {
  it('activates once; the link is spent afterwards', async () => {
    const { mail, registrationId } = await approved();
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'active' });
    expect((await registrationRow(ctx, registrationId)).status).toBe('active');
    const [row] = await activationRows(ctx, registrationId);
    expect(row!.consumedAt).not.toBeNull();
    const again = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: '730196' });
    expect(again.status).toBe(401);
    expect((await problem(again)).code).toBe('activation_invalid');
  });

  it('answers a wrong code and an unknown token with one identical body', async () => {
    const { mail } = await approved();
    const wrong = await postActivation(ctx, { token: mail.token, code: otherCode(mail.code), newPin: PIN });
    const unknown = await postActivation(ctx, { token: 'A'.repeat(43), code: mail.code, newPin: PIN });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const { requestId: _a, ...a } = await problem(wrong);
    const { requestId: _b, ...b } = await problem(unknown);
    expect(a).toEqual(b);
    expect(a.code).toBe('activation_invalid');
  });

  it.each([
    ['repeated', '111111'],
    ['ascending', '123456'],
    ['descending', '987654'],
    ['birth date DDMMYY', '170590'],
    ['birth date YYMMDD', '900517'],
    ['too short', '12345'],
    ['letters', '12a456'],
  ])('refuses a weak PIN (%s) without spending an attempt', async (_what, newPin) => {
    const { mail, registrationId } = await approved(await seedResident(ctx, { birthDate: '1990-05-17' }));
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin });
    expect(res.status).toBe(400);
    expect((await problem(res)).code).toBe('weak_pin');
    const [row] = await activationRows(ctx, registrationId);
    expect(row).toMatchObject({ failedAttempts: 0, consumedAt: null });
  });

  it('refuses the activation code itself as the PIN', async () => {
    const { mail } = await approved();
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: mail.code });
    expect(res.status).toBe(400);
    expect((await problem(res)).code).toBe('weak_pin');
    expect((await postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN })).status).toBe(200);
  });

  it('judges at most 5 of 50 parallel wrong codes, then the activation is void (429)', async () => {
    const { mail, registrationId } = await approved();
    const wrong = otherCode(mail.code);
    const results = await Promise.all(Array.from({ length: 50 }, () => postActivation(ctx, { token: mail.token, code: wrong, newPin: PIN })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    const [row] = await activationRows(ctx, registrationId);
    expect(row!.failedAttempts).toBe(5);
    const right = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN });
    expect(right.status).toBe(429);
    expect((await problem(right)).code).toBe('too_many_attempts');
    expect((await registrationRow(ctx, registrationId)).status).toBe('awaiting_activation');
  });

  it('lets exactly one of many parallel correct submissions through', async () => {
    const { mail, resident } = await approved();
    const results = await Promise.all(Array.from({ length: 8 }, () => postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const rows = await ctx.deps.db.select().from(accounts).where(eq(accounts.nik, resident.nik));
    expect(rows).toHaveLength(1);
    expect(await ctx.deps.db.select().from(devices).where(eq(devices.accountId, rows[0]!.id))).toHaveLength(1);
  });

  it('counts the fifth wrong code as the last one: a right code after four wrong ones still works', async () => {
    const { mail, registrationId } = await approved();
    for (let i = 0; i < 4; i++) expect((await postActivation(ctx, { token: mail.token, code: otherCode(mail.code), newPin: PIN })).status).toBe(401);
    expect((await postActivation(ctx, { token: mail.token, code: mail.code, newPin: PIN })).status).toBe(200);
    expect((await activationRows(ctx, registrationId))[0]!.failedAttempts).toBe(4);
  });

  it('expires after 24 hours (410 activation_expired)', async () => {
    const early = await approved();
    const late = await approved();
    ctx.clock.advance(24 * 3600_000 - 1000);
    expect((await postActivation(ctx, { token: early.mail.token, code: early.mail.code, newPin: PIN })).status).toBe(200);
    ctx.clock.advance(1000);
    const res = await postActivation(ctx, { token: late.mail.token, code: late.mail.code, newPin: PIN });
    expect(res.status).toBe(410);
    expect((await problem(res)).code).toBe('activation_expired');
    const [row] = await ctx.deps.db.select().from(activations).where(eq(activations.registrationId, late.registrationId));
    expect(row!.failedAttempts).toBe(0);
  });

  it('refuses a malformed body', async () => {
    expect((await postActivation(ctx, { token: 'x' })).status).toBe(400);
    expect((await postActivation(ctx, '{')).status).toBe(400);
  });
});

describe('secrets stay out of the log', () => {
  it('never logs the link token, the code or the PIN', async () => {
    const canaryPin = '470258';
    const { mail } = await approved();
    await ctx.app.request(`/activate?t=${mail.token}`);
    await postActivation(ctx, { token: mail.token, code: otherCode(mail.code), newPin: canaryPin });
    const res = await postActivation(ctx, { token: mail.token, code: mail.code, newPin: canaryPin });
    expect(res.status).toBe(200);
    await createOutboxWorker(ctx.deps, devMailboxTransport(ctx.deps.logger)).deliverDue();
    const log = ctx.logLines.join('\n');
    expect(ctx.logLines.length).toBeGreaterThan(10);
    expect(log).toContain('e-mail arrived in the dev mailbox');
    for (const secret of [mail.token, mail.code, canaryPin, sha256Hex(mail.token)]) expect(log).not.toContain(secret);
  });
});
