/**
 * Resident PIN login bound to the device key, and the resident sessions it opens.
 *
 * Access tokens are opaque random strings (256 bits) stored as SHA-256 in resident_sessions, not JWTs: every
 * request must learn anyway whether the session was revoked (logout, suspension, deletion, device replacement)
 * and whether the account is still active, which is one indexed lookup either way — so a JWT's offline check would
 * buy nothing, while an opaque token is revoked the instant its row is, and leaks no claims if it is logged.
 */
import { sql, type SQL } from 'drizzle-orm';
import { generateKeyPairSync } from 'node:crypto';
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { preparedStatement } from '../../db/prepared.js';
import { accounts, devices, residentSessions } from '../../db/schema/index.js';
import { verifyDeviceSignature } from '../../crypto/device.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { consumeChallenge } from '../enrolment/challenges.js';
import { decoyPinHash, judgePin, spendPinCheckTime } from './pin-attempts.js';
import { enforceRateLimits } from '../limits/rate-limit.js';

export const ACCESS_TOKEN_TTL_MS = 15 * 60_000;
/** Per client IP, before anything is looked up: argon2 time and challenge rows are what it protects. */
export const LOGIN_RATE_LIMIT = { limit: 30, windowSeconds: 60 } as const;

/** Who is calling, as routes see it after requireResident. */
export interface ResidentPrincipal {
  accountId: string;
  sessionId: string;
  deviceId: string;
  nik: string;
}

// Unknown NIKs still consume the challenge and verify a signature, against a key nobody holds.
const NOBODYS_DEVICE_KEY = (generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as { x: string }).x;

export interface LoginInput {
  nik: string;
  challengeId: string;
  signature: string;
  pin: string;
  ip: string;
}

/**
 * POST /v1/auth/login. Order matters: the device signature is checked before any PIN is judged (nobody without
 * the phone can try PINs or lock a stranger out), and every failure before the PIN costs an argon2 verify too,
 * so unknown NIK, wrong device and wrong PIN look alike: one 401 login_failed, comparable time.
 */
export async function loginResident(deps: Deps, input: LoginInput): Promise<{ accessToken: string; expiresAt: string }> {
  const { db, clock, pins } = deps;
  const now = clock.now();
  void decoyPinHash(pins); // ready before it is needed, so the first unknown NIK is not slower than the rest
  await enforceRateLimits(db, [{ key: `login:ip:${input.ip}`, ...LOGIN_RATE_LIMIT }], now);

  // A suspended account's device was revoked with it; its signature still earns the holder a clear 403.
  const [holder] = await queryRows<{ account_id: string; status: string; device_id: string; public_key: string }>(
    db,
    sql`select a.id as account_id, a.status, d.id as device_id, d.public_key
        from ${accounts} a join ${devices} d on d.account_id = a.id
        where a.nik = ${input.nik} and a.status <> 'deleted' and (d.status = 'active' or a.status = 'suspended')
        order by (d.status = 'active') desc, d.created_at desc
        limit 1`,
  );
  const challenge = await consumeChallenge(db, { challengeId: input.challengeId, purpose: 'login', now });
  const signedInput = { purpose: 'login', challengeId: input.challengeId, nonce: challenge?.nonce ?? '', signature: input.signature };
  const signed = challenge !== null && verifyDeviceSignature(holder?.public_key ?? NOBODYS_DEVICE_KEY, signedInput);
  if (!holder || !signed) {
    if (holder && challenge && (await signedByReplacedDevice(deps, holder.account_id, signedInput))) throw new AppError('device_replaced');
    await spendPinCheckTime(pins, input.pin);
    throw new AppError('login_failed');
  }
  if (holder.status === 'suspended') throw new AppError('account_suspended');
  // The device signed: the holder learns it is their own Kunci, lifted with POST /v1/auth/unlock.
  if (holder.status === 'self_locked') throw new AppError('account_self_locked');

  await judgePin(deps, { accountId: holder.account_id, pin: input.pin, wrongPin: 'login_failed' });

  const accessToken = randomSecret(32);
  const expiresAt = new Date(now.getTime() + ACCESS_TOKEN_TTL_MS);
  await db.insert(residentSessions).values({
    id: newId('rss'),
    tokenHash: sha256Hex(accessToken),
    accountId: holder.account_id,
    deviceId: holder.device_id,
    createdAt: now,
    expiresAt,
  });
  deps.logger.info('resident logged in', { accountId: holder.account_id });
  return { accessToken, expiresAt: expiresAt.toISOString() };
}

/**
 * Whether a login's signature, wrong for the account's active device, is that of a device the account had before a
 * device replacement (revoked while another device is the account's active one). Only the old phone itself can produce it,
 * so telling it "this device was replaced" reveals nothing to anyone else: unknown NIKs and strangers' keys still get
 * the uniform 401 login_failed. Only asked when this login consumed the challenge, so a replayed signature gets nothing.
 */
async function signedByReplacedDevice(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  signed: { purpose: string; challengeId: string; nonce: string; signature: string },
): Promise<boolean> {
  const replaced = await queryRows<{ public_key: string }>(
    deps.db,
    sql`select old.public_key from ${devices} old
        where old.account_id = ${accountId} and old.status = 'revoked'
          and exists (select 1 from ${devices} d where d.account_id = old.account_id and d.status = 'active' and d.id <> old.id)
        order by old.created_at desc limit 5`,
  );
  return replaced.some((d) => verifyDeviceSignature(d.public_key, signed));
}

/**
 * The live resident session of an access token hash, as a FROM clause (`s` the session, `a` its account, `d` its
 * device): unexpired at `moment`, not revoked, the account active, the device not revoked. One definition for
 * requireResident and for QR issuance, which checks the session inside its own statement.
 */
export const liveResidentSession = (tokenHash: SQL, moment: SQL) =>
  sql`${residentSessions} s
      join ${accounts} a on a.id = s.account_id
      join ${devices} d on d.id = s.device_id
      where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > ${moment}
        and a.status = 'active' and d.status = 'active'`;

/** The live session of an access token: unexpired, not revoked, its account active and its device not revoked. */
export async function authenticateResidentSession(deps: Pick<Deps, 'db' | 'clock'>, accessToken: string): Promise<ResidentPrincipal | null> {
  const find = preparedStatement<{ session_id: string; account_id: string; device_id: string; nik: string }>(
    deps.db,
    'resident_session_by_token',
    () =>
      sql`select s.id as session_id, s.account_id, s.device_id, a.nik
          from ${liveResidentSession(sql`${sql.placeholder('tokenHash')}`, sql`${sql.placeholder('now')}::timestamptz`)}`,
  );
  const [row] = await find({ tokenHash: sha256Hex(accessToken), now: deps.clock.now().toISOString() });
  return row ? { sessionId: row.session_id, accountId: row.account_id, deviceId: row.device_id, nik: row.nik } : null;
}

/** POST /v1/auth/logout: the session ends now. */
export async function logoutResident(deps: Pick<Deps, 'db' | 'clock'>, principal: ResidentPrincipal): Promise<void> {
  await queryRows(
    deps.db,
    sql`update ${residentSessions} set revoked_at = ${deps.clock.now().toISOString()}::timestamptz
        where id = ${principal.sessionId} and revoked_at is null returning id`,
  );
}
