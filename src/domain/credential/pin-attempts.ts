/**
 * Judging a resident's PIN under the lock (DESIGN.md security 3): the failure counter advances in one conditional
 * UPDATE before the PIN is judged, so parallel guesses cannot get more than 5 judged; 5 consecutive wrong PINs (at
 * login, QR issuance, PIN change or deletion alike) lock the account for 15 min, doubling with every later lock.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { accounts } from '../../db/schema/index.js';
import { preparedStatement } from '../../db/prepared.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError, type ErrorCode } from '../../errors.js';
import type { PinHasher } from '../../crypto/pin.js';

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
}

/** An attempt slot: the account's PIN hash and its counters after the attempt was counted. */
export type PinAttemptSlot = {
  pin_hash: string;
  pin_failures: number;
  lock_count: number;
};

/**
 * The SQL condition under which an attempt slot is granted, for statements that take one (with `moment` the request's
 * time): active, not locked now, fewer than five attempts counted. Shared, so QR issuance's own statement grants the
 * slot on exactly the terms judgePin does.
 */
export const attemptSlotCondition = (moment: SQL) =>
  // self_locked: the holder's own Kunci is lifted by device + PIN (POST /v1/auth/unlock), so its PIN is judged too.
  sql`status in ('active', 'self_locked') and (locked_until is null or locked_until <= ${moment}) and pin_failures < ${MAX_PIN_FAILURES}`;

/**
 * Returns when the PIN is right; throws the caller's wrong-PIN error, 423 account_locked (Retry-After) or
 * 403 account_suspended. The attempt is counted first, in one statement that also refuses a locked account.
 */
export async function judgePin(deps: Pick<Deps, 'db' | 'clock' | 'pins'>, check: PinCheck): Promise<void> {
  const takeAttempt = preparedStatement<PinAttemptSlot>(deps.db, 'pin_attempt', () => {
    const moment = sql`${sql.placeholder('now')}::timestamptz`;
    return sql`update ${accounts} set pin_failures = pin_failures + 1, updated_at = ${moment}
               where id = ${sql.placeholder('accountId')} and ${attemptSlotCondition(moment)}
               returning pin_hash, pin_failures, lock_count`;
  });
  const now = deps.clock.now();
  // Raw SQL takes timestamps as ISO text: drizzle turns off postgres.js's Date serializer.
  const [slot] = await takeAttempt({ accountId: check.accountId, now: now.toISOString() });
  await judgeAttempt(deps, check, slot, now);
}

/**
 * The second half of judgePin, for a caller that took the attempt itself (`slot`: what its statement returned, none
 * when no slot was granted). Returns when the PIN is right; otherwise throws as judgePin does.
 */
export async function judgeAttempt(
  deps: Pick<Deps, 'db' | 'pins'>,
  check: PinCheck,
  slot: PinAttemptSlot | undefined,
  now: Date,
): Promise<void> {
  const { db, pins } = deps;
  if (!slot) return refuse(deps, check, now);
  if (await pins.verify(slot.pin_hash, check.pin)) {
    if (check.resetOnSuccess !== false) await resetPinFailures(deps, check.accountId);
    return;
  }
  if (Number(slot.pin_failures) >= MAX_PIN_FAILURES) {
    // The fifth wrong PIN in a row: lock, and start the next five from zero when the lock ends.
    const at = now.toISOString();
    await queryRows(
      db,
      sql`update ${accounts}
          set locked_until = ${new Date(now.getTime() + lockDurationMs(Number(slot.lock_count))).toISOString()}::timestamptz,
              lock_count = lock_count + 1, pin_failures = 0, updated_at = ${at}::timestamptz
          where id = ${check.accountId} and pin_failures >= ${MAX_PIN_FAILURES}
          returning id`,
    );
  }
  // Only a device-signed login reaches here with login_failed, so the holder (not a stranger) learns how many
  // tries are left; unknown NIK and wrong device keep the one bare 401 (login.ts). The fifth wrong one locks: 0.
  const attemptsRemaining = Math.max(0, MAX_PIN_FAILURES - Number(slot.pin_failures));
  throw new AppError(check.wrongPin, check.wrongPin === 'login_failed' ? { extensions: { attemptsRemaining } } : {});
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
