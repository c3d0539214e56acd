/**
 * Judging a resident's PIN under the lock (DESIGN.md security 3): the failure counter advances in one conditional
 * UPDATE before the PIN is judged, so parallel guesses cannot get more than 5 judged; 5 consecutive wrong PINs (at
 * login, QR issuance, PIN change or deletion alike) lock the account for 15 min, doubling with every later lock.
 */
import { eq, sql } from 'drizzle-orm';
import { accounts, rateLimits } from '../db/schema/index.js';
import { preparedStatement } from '../db/prepared.js';
import { queryRows } from '../db/types.js';
import type { Deps } from '../deps.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { PinHasher } from '../crypto/pin.js';
import { rateLimitWindow, type RateLimitRule } from './rate-limit.js';

export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 15 * 60_000;
// 15 min · 2^10 ≈ 10 days: past that, doubling only overflows; an operator unlock resets the count.
const MAX_DOUBLINGS = 10;

/** The lock that follows `previousLocks` earlier ones: 15, 30, 60 … minutes. */
export const lockDurationMs = (previousLocks: number): number => PIN_LOCK_MS * 2 ** Math.min(previousLocks, MAX_DOUBLINGS);

export interface PinCheck {
  accountId: string;
  pin: string;
  /** What a wrong PIN answers: `login_failed` at login (one body for everything), `pin_invalid` elsewhere. */
  wrongPin: Extract<ErrorCode, 'login_failed' | 'pin_invalid'>;
  /** false when the caller resets the counter itself, in the statement that acts on the success (QR issuance). */
  resetOnSuccess?: boolean;
  /**
   * A rate limit counted in the same statement that takes the attempt (one database round trip instead of two, for
   * the QR hot path): over the limit → 429 rate_limited and no attempt is taken, as if it had been checked first.
   */
  rateLimit?: RateLimitRule;
}

/**
 * Returns when the PIN is right; throws the caller's wrong-PIN error, 423 account_locked (Retry-After) or
 * 403 account_suspended. The attempt is counted first, in one statement that also refuses a locked account.
 */
export async function judgePin(deps: Pick<Deps, 'db' | 'clock' | 'pins'>, check: PinCheck): Promise<void> {
  const { db, clock, pins } = deps;
  const now = clock.now();
  const at = now.toISOString(); // raw SQL takes timestamps as ISO text: drizzle turns off postgres.js's Date serializer
  const takeAttempt = preparedStatement<{ pin_hash: string; pin_failures: number; lock_count: number }>(db, 'pin_attempt', () => {
    const moment = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`update ${accounts} set pin_failures = pin_failures + 1, updated_at = ${moment}
               where id = ${sql.placeholder('accountId')} and status = 'active'
                 and (locked_until is null or locked_until <= ${moment}) and pin_failures < ${MAX_PIN_FAILURES}
               returning pin_hash, pin_failures, lock_count`;
  });
  const [slot] = check.rateLimit
    ? await takeAttemptWithinLimit(deps, check.accountId, check.rateLimit, now)
    : await takeAttempt({ accountId: check.accountId, now: at });
  if (!slot) return refuse(deps, check, now);
  if (await pins.verify(slot.pin_hash, check.pin)) {
    if (check.resetOnSuccess !== false) await resetPinFailures(deps, check.accountId);
    return;
  }
  if (Number(slot.pin_failures) >= MAX_PIN_FAILURES) {
    // The fifth wrong PIN in a row: lock, and start the next five from zero when the lock ends.
    await queryRows(
      db,
      sql`update ${accounts}
          set locked_until = ${new Date(now.getTime() + lockDurationMs(Number(slot.lock_count))).toISOString()}::timestamptz,
              lock_count = lock_count + 1, pin_failures = 0, updated_at = ${at}::timestamptz
          where id = ${check.accountId} and pin_failures >= ${MAX_PIN_FAILURES}
          returning id`,
    );
  }
  throw new AppError(check.wrongPin);
}

/** The rate-limit hit and the attempt slot in one statement: the slot is only taken within the limit. */
async function takeAttemptWithinLimit(
  deps: Pick<Deps, 'db'>,
  accountId: string,
  rule: RateLimitRule,
  now: Date,
): Promise<{ pin_hash: string; pin_failures: number; lock_count: number }[]> {
  const statement = preparedStatement<{ hits: number; pin_hash: string | null; pin_failures: number; lock_count: number }>(
    deps.db,
    'pin_attempt_rate_limited',
    () => {
      const moment = sql`${sql.placeholder('now')}::timestamptz`;
      return sql`with hit as (
                   insert into ${rateLimits} (key, window_start, count)
                   values (${sql.placeholder('key')}, ${sql.placeholder('windowStart')}::timestamptz, 1)
                   on conflict (key, window_start) do update set count = ${rateLimits.count} + 1
                   returning count
                 ), slot as (
                   update ${accounts} set pin_failures = pin_failures + 1, updated_at = ${moment}
                   where id = ${sql.placeholder('accountId')} and status = 'active'
                     and (locked_until is null or locked_until <= ${moment}) and pin_failures < ${MAX_PIN_FAILURES}
                     and (select count from hit) <= ${sql.placeholder('limit')}::int
                   returning pin_hash, pin_failures, lock_count
                 )
                 select hit.count as hits, slot.pin_hash, slot.pin_failures, slot.lock_count from hit left join slot on true`;
    },
  );
  const { windowStart, retryAfter } = rateLimitWindow(rule, now);
  const [row] = await statement({ key: rule.key, windowStart: windowStart.toISOString(), accountId, now: now.toISOString(), limit: rule.limit });
  if (Number(row?.hits ?? 1) > rule.limit) throw new AppError('rate_limited', { retryAfter });
  return row?.pin_hash ? [{ pin_hash: row.pin_hash, pin_failures: row.pin_failures, lock_count: row.lock_count }] : [];
}

export async function resetPinFailures(deps: Pick<Deps, 'db'>, accountId: string): Promise<void> {
  await deps.db.update(accounts).set({ pinFailures: 0 }).where(eq(accounts.id, accountId));
}

/** Why no attempt slot was granted: suspended, deleted, locked, or five attempts being judged right now. */
async function refuse(deps: Pick<Deps, 'db'>, check: PinCheck, now: Date): Promise<never> {
  const [account] = await deps.db
    .select({ status: accounts.status, lockedUntil: accounts.lockedUntil, lockCount: accounts.lockCount })
    .from(accounts)
    .where(eq(accounts.id, check.accountId));
  if (!account || account.status === 'deleted') throw new AppError(check.wrongPin);
  if (account.status === 'suspended') throw new AppError('account_suspended');
  const retryMs =
    account.lockedUntil && account.lockedUntil > now
      ? account.lockedUntil.getTime() - now.getTime()
      : lockDurationMs(account.lockCount); // the fifth attempt is being judged: its lock is the likely outcome
  throw new AppError('account_locked', { retryAfter: Math.ceil(retryMs / 1000) });
}

const dummyHashes = new WeakMap<PinHasher, Promise<string>>();

/** The dummy hash, made once per hasher; call early so even the first unknown NIK costs no extra hash. */
export function decoyPinHash(pins: PinHasher): Promise<string> {
  let hash = dummyHashes.get(pins);
  if (!hash) dummyHashes.set(pins, (hash = pins.hash('no-account-has-this-pin')));
  return hash;
}

/** An argon2 verify against a dummy hash: unknown identities cost what known ones cost (no timing oracle). */
export async function spendPinCheckTime(pins: PinHasher, pin: string): Promise<void> {
  await pins.verify(await decoyPinHash(pins), pin);
}
