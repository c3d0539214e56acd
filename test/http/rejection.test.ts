/**
 * Rejected registrations (issue #16 point 7): an operator's rejection needs a reason, e-mails it to the registrant
 * in the decision's transaction and shows it on the status poll; a registry refusal stays the one uniform 422 and
 * its reason is never told; the pages explain both possible causes and mark the console's reason as required.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, outbox, registrations } from '../../src/db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession } from '../helpers/operator.js';
import {
  counterApproval,
  decide,
  newDeviceKey,
  postRegistration,
  registerResident,
  registrationBody,
  registrationRow,
  seedResident,
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

const reject = (registrationId: string, reason?: string) =>
  decide(ctx, token, registrationId, { ...counterApproval, decision: 'reject', faceMatch: 'no_match', ...(reason === undefined ? {} : { reason }) });

const statusOf = async (registrationId: string) => {
  const res = await ctx.app.request(`/v1/registrations/${registrationId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; rejectionReason?: string };
};

const mailsTo = (to: string) => ctx.deps.db.select().from(outbox).where(eq(outbox.to, to)).orderBy(desc(outbox.seq));

describe('an operator rejection', () => {
  it('needs a reason: missing or blank is 400 invalid_request on the reason field, and nothing changes', async () => {
    const reg = await registerResident(ctx);
    for (const reason of [undefined, '', '   \n ']) {
      const res = await reject(reg.registrationId, reason);
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe('invalid_request');
      expect(problem.errors.map((e) => e.path)).toContain('reason');
    }
    expect((await registrationRow(ctx, reg.registrationId)).status).toBe('pending_verification');
    expect(await mailsTo(reg.email)).toHaveLength(0);
    expect(await statusOf(reg.registrationId)).toEqual({ status: 'pending_verification' });
  });

  it("e-mails the registrant the operator's reason (text and HTML, escaped) and shows it on the status poll", async () => {
    const reg = await registerResident(ctx);
    const reason = 'Foto swafoto <buram>, wajah tidak dapat dicocokkan';
    const res = await reject(reg.registrationId, `  ${reason}  `);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'rejected' });

    const mails = await mailsTo(reg.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.template).toBe('registration_rejected');
    expect(mail.status).toBe('pending');
    expect(mail.text).toContain(reason);
    expect(mail.text).toContain(reg.resident.name);
    expect(mail.html).toContain('Foto swafoto &lt;buram&gt;, wajah tidak dapat dicocokkan');
    expect(mail.html).not.toContain('<buram>');
    expect(mail.html).toContain('lang="id"');

    expect(await statusOf(reg.registrationId)).toEqual({ status: 'rejected', rejectionReason: reason });
    const [audit] = await ctx.deps.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'registration.reject'), eq(auditLog.targetId, reg.registrationId)));
    expect(audit?.details).toMatchObject({ reason });
  });

  it('writes the e-mail in the language the resident registered in', async () => {
    const resident = await seedResident(ctx);
    const device = await newDeviceKey();
    const body = registrationBody(resident, device, { email: 'english.reject@example.id' });
    const created = await postRegistration(ctx, body, { 'Accept-Language': 'en-GB,en;q=0.8' });
    expect(created.status).toBe(201);
    const { registrationId } = (await created.json()) as { registrationId: string };
    expect((await reject(registrationId, 'The KTP-el shown was damaged')).status).toBe(200);
    const [mail] = await mailsTo(body.email);
    expect(mail?.template).toBe('registration_rejected');
    expect(mail?.html).toContain('lang="en"');
    expect(mail?.text).toContain('The KTP-el shown was damaged');
  });

  it('decides once: a second rejection is 409 and sends no second e-mail', async () => {
    const reg = await registerResident(ctx);
    expect((await reject(reg.registrationId, 'data tidak cocok')).status).toBe(200);
    const again = await reject(reg.registrationId, 'lagi');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { code: string }).code).toBe('registration_not_pending');
    expect(await mailsTo(reg.email)).toHaveLength(1);
    expect((await statusOf(reg.registrationId)).rejectionReason).toBe('data tidak cocok');
  });

  it('an approval has no rejection reason on the status poll', async () => {
    const reg = await registerResident(ctx);
    expect((await decide(ctx, token, reg.registrationId, { ...counterApproval, reason: 'catatan' })).status).toBe(200);
    expect(await statusOf(reg.registrationId)).toEqual({ status: 'awaiting_activation' });
  });
});

describe('a registry refusal', () => {
  it('stays the one uniform 422, and its stored reason never reaches the status poll', async () => {
    const young = await seedResident(ctx, { birthDate: '2012-01-05', maritalStatus: 'BELUM KAWIN' });
    const device = await newDeviceKey();
    const mismatch = await postRegistration(ctx, registrationBody(young, device, { name: 'NAMA LAIN' }));
    const underage = await postRegistration(ctx, registrationBody(young, device));
    const problems = [(await mismatch.json()) as Record<string, unknown>, (await underage.json()) as Record<string, unknown>];
    expect([mismatch.status, underage.status]).toEqual([422, 422]);
    for (const p of problems) {
      expect(p.code).toBe('registration_rejected');
      delete p.requestId;
    }
    expect(problems[0]).toEqual(problems[1]);

    const rows = await ctx.deps.db.select().from(registrations).where(eq(registrations.nik, young.nik));
    expect(rows.map((r) => r.rejectionReason).sort()).toEqual(['registry:data_mismatch', 'registry:under_17_unmarried']);
    for (const row of rows) expect(await statusOf(row.id)).toEqual({ status: 'rejected' });
  });
});

describe('the pages', () => {
  const clientMessages = (html: string) =>
    JSON.parse(/<script type="application\/json" id="ikd-messages">([^<]*)<\/script>/.exec(html)![1]!) as Record<string, string>;

  it('/app carries the honest refusal text (both causes, the Dukcapil office) and the reason line, in id and en', async () => {
    for (const lang of ['id', 'en']) {
      const html = await (await ctx.app.request(`/app?lang=${lang}`)).text();
      const messages = clientMessages(html);
      expect(messages['reg.rejected']).toMatch(/KTP-el/);
      expect(messages['reg.rejected']).toMatch(/17/);
      expect(messages['reg.rejected']).toMatch(/Dukcapil/);
      expect(messages['regqr.reason']).toContain('{reason}');
      expect(html).toContain('id="regqr-reason"');
    }
    const id = clientMessages(await (await ctx.app.request('/app?lang=id')).text());
    const en = clientMessages(await (await ctx.app.request('/app?lang=en')).text());
    expect(id['reg.rejected']).not.toBe(en['reg.rejected']);
  });

  it('/operator marks the reason as required to reject (visible marker, aria-required toggled by the console)', async () => {
    const html = await (await ctx.app.request('/operator?lang=id')).text();
    const field = /<div class="field" id="op-reason-field">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(field).toContain('class="required-marker"');
    expect(field).toContain('wajib bila menolak');
    expect(field).not.toContain('opsional');
    expect(field).toMatch(/<textarea[^>]*id="op-reason"[^>]*aria-required="false"/);
    const js = await (await ctx.app.request('/assets/operator.js')).text();
    expect(js).toContain("setAttribute('aria-required', rejecting ? 'true' : 'false')");
  });
});
