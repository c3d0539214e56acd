/**
 * Operator sessions for tests: an operator is created through the domain and logged in through the real
 * POST /v1/operator/login, with the TOTP code of the test clock's current time.
 */
import { createHash } from 'node:crypto';
import { createOperator, type OperatorRole } from '../../src/domain/operators/operators.js';
import { totpCode } from '../../src/crypto/totp.js';
import { jsonRequest, type TestContext } from './context.js';

export interface TestOperator {
  id: string;
  username: string;
  password: string;
  totpSecret: string;
  name: string;
  role: OperatorRole;
  officeCode: string;
}

export interface OperatorSession {
  token: string;
  operator: { id: string; name: string; role: OperatorRole; officeCode: string };
  /** The credentials, for tests that log in again. */
  credentials: TestOperator;
}

let counter = 0;

/** A fresh operator (unique username) straight through the domain; nothing logged in yet. */
export async function createTestOperator(
  ctx: TestContext,
  role: OperatorRole = 'operator',
  options: { officeCode?: string; name?: string; username?: string } = {},
): Promise<TestOperator> {
  counter += 1;
  const username = options.username ?? `${role}.${counter}.${Math.random().toString(36).slice(2, 8)}`;
  const password = `pw-${Math.random().toString(36).slice(2)}-${counter}-long`;
  const created = await createOperator(ctx.deps, {
    username,
    name: options.name ?? `Test ${role} ${counter}`,
    role,
    officeCode: options.officeCode ?? '7310',
    password,
  });
  return {
    id: created.operator.id,
    username: created.operator.username,
    password,
    totpSecret: created.totpSecret,
    name: created.operator.name,
    role,
    officeCode: created.operator.officeCode,
  };
}

/** The TOTP code an authenticator would show at the test clock's time (offsetSteps moves by 30 s steps). */
export const currentOtp = (ctx: TestContext, totpSecret: string, offsetSteps = 0): Promise<string> =>
  totpCode(totpSecret, new Date(ctx.clock.now().getTime() + offsetSteps * 30_000));

/**
 * One client IP per username (failures and locks count per username and address), spread over 10.0.0.0/8 so
 * the per-IP login limit of one test never trips another's logins.
 */
export function testIpFor(username: string): string {
  const h = createHash('sha256').update(username.trim().toLowerCase()).digest();
  return `10.${h[0]}.${h[1]}.${h[2]}`;
}

/** POST /v1/operator/login as the given operator; returns the raw Response. */
export async function operatorLogin(
  ctx: TestContext,
  op: Pick<TestOperator, 'username' | 'password' | 'totpSecret'>,
  options: { otp?: string; ip?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const otp = options.otp ?? (await currentOtp(ctx, op.totpSecret));
  return ctx.app.request(
    '/v1/operator/login',
    jsonRequest('POST', { username: op.username, password: op.password, otp }, { 'cf-connecting-ip': options.ip ?? testIpFor(op.username), ...options.headers }),
  );
}

/** Creates an operator of `role` and logs in through the real route: `{ token, operator }`. */
export async function createOperatorSession(
  ctx: TestContext,
  role: OperatorRole = 'operator',
  options: { officeCode?: string; name?: string } = {},
): Promise<OperatorSession> {
  const credentials = await createTestOperator(ctx, role, options);
  const res = await operatorLogin(ctx, credentials);
  if (res.status !== 200) throw new Error(`operator login failed in test helper: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; operator: OperatorSession['operator'] };
  return { token: body.token, operator: body.operator, credentials };
}

/** Authorization header for an operator session token. */
export const operatorAuth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
