/**
 * DESIGN.md security 8: the whole KTP flow — login, QR, verify, history, PIN change, logout — run with canary
 * secrets, then every log line searched for them: no PIN, token, API key, access token or device signature.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { signChallenge } from '../helpers/enrolment.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import { asResident, createActiveResident, loginChallenge, postLogin, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

it('writes no secret of the KTP flow to any log line', async () => {
  const secrets: string[] = [];
  const keep = (...values: string[]) => {
    secrets.push(...values);
    return values[0]!;
  };
  const pin = keep('740318');
  const wrongPin = keep('951627');
  const newPin = keep('862049');
  const resident = await createActiveResident(ctx, { pin, login: false });

  expect((await postLogin(ctx, resident, wrongPin)).status).toBe(401);
  const challenge = await loginChallenge(ctx, resident.ip);
  const signature = keep(await signChallenge(resident.device, 'login', challenge.challengeId, challenge.nonce));
  keep(challenge.nonce);
  const login = await ctx.app.request(
    '/v1/auth/login',
    jsonRequest('POST', { nik: resident.nik, challengeId: challenge.challengeId, signature, pin }, { 'cf-connecting-ip': resident.ip }),
  );
  expect(login.status).toBe(200);
  resident.accessToken = keep(((await login.json()) as { accessToken: string }).accessToken);

  expect((await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin: wrongPin })).status).toBe(401);
  const qrRes = await asResident(ctx, resident, 'POST', '/v1/me/ktp/qr', { pin, format: 'png' });
  expect(qrRes.status).toBe(201);
  const token = keep(((await qrRes.json()) as { token: string }).token);
  keep(token.slice(0, 24), token.slice(-24));

  const admin = await createOperatorSession(ctx, 'admin');
  keep(admin.token, admin.credentials.password);
  const created = await ctx.app.request(
    '/v1/admin/verifiers',
    jsonRequest('POST', { name: 'Loket Kanari', allowedElements: ['nik', 'name', 'photo'] }, operatorAuth(admin.token)),
  );
  expect(created.status).toBe(201);
  const apiKey = keep(((await created.json()) as { apiKey: string }).apiKey);

  expect((await postVerify(ctx, apiKey, { token, counter: 'Loket 1' })).status).toBe(200);
  expect((await postVerify(ctx, apiKey, { token })).status).toBe(409);
  expect((await postVerify(ctx, apiKey, { token: `${token}X` })).status).toBe(400);
  expect((await postVerify(ctx, `${apiKey}x`, { token })).status).toBe(401);
  expect((await asResident(ctx, resident, 'GET', '/v1/me/access-history')).status).toBe(200);
  expect((await asResident(ctx, resident, 'PUT', '/v1/me/pin', { currentPin: pin, newPin })).status).toBe(204);
  expect((await asResident(ctx, resident, 'POST', '/v1/auth/logout')).status).toBe(204);

  // The flow was logged (so the search below means something) …
  expect(ctx.logLines.length).toBeGreaterThan(15);
  expect(ctx.logLines.some((l) => l.includes('ktp token redeemed'))).toBe(true);
  // … and none of its secrets were, in any line, at any depth.
  for (const secret of secrets) {
    const leaks = ctx.logLines.filter((line) => line.includes(secret) || line.includes(JSON.stringify(secret).slice(1, -1)));
    expect(leaks, `secret ${secret.slice(0, 4)}… leaked`).toEqual([]);
  }
});
