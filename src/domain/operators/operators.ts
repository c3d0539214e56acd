/** Dukcapil operators: creating them, password + TOTP login with lockout, and their console sessions. */
import { and, eq, gt, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { dummyPasswordHash, generatePassword, MIN_PASSWORD_LENGTH } from '../../crypto/password.js';
import { newId, randomSecret, sha256Hex } from '../../crypto/secrets.js';
import { isSealed } from '../../crypto/secret-box.js';
import { matchTotp, newTotpSecret, totpUri } from '../../crypto/totp.js';
import { operatorLoginLocks, operators, operatorSessions } from '../../db/schema/index.js';
import { queryRows, type DbOrTx, type Tx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntry } from '../audit/audit.js';
import { enforceRateLimits } from '../limits/rate-limit.js';

export const OPERATOR_ROLES = ['courier', 'operator', 'supervisor', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Who is calling, as routes see it after requireOperator. */
export interface OperatorPrincipal {
  id: string;
  name: string;
  role: OperatorRole;
  officeCode: string;
  /** The console session the request came with (logout ends it). */
  sessionId: string;
}

export const MAX_LOGIN_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** Per IP and per username, before any password is checked: argon2 time is what they protect. */
export const LOGIN_RATE_LIMITS = {
  perIp: { limit: 20, windowSeconds: 60 },
  perUsername: { limit: 10, windowSeconds: 60 },
} as const;

const ROLE_RANK: Record<OperatorRole, number> = { courier: 0, operator: 1, supervisor: 2, admin: 3 };

/**
 * A role may do what any lower role may: admin ⊇ supervisor ⊇ operator ⊇ courier. No roles listed = operator and up:
 * a courier (ANTAR DOMPET delivery) only reaches the routes that name it.
 */
export function roleAllows(role: OperatorRole, allowed: readonly OperatorRole[]): boolean {
  if (allowed.length === 0) return ROLE_RANK[role] >= ROLE_RANK.operator;
  return ROLE_RANK[role] >= Math.min(...allowed.map((r) => ROLE_RANK[r]));
}

export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

export interface AuditActor {
  actorType: AuditEntry['actorType'];
  actorId: string;
}

/** Operators created from the command line or the development seed. */
export const SYSTEM_ACTOR: AuditActor = { actorType: 'system', actorId: 'cli' };

export interface NewOperator {
  username: string;
  name: string;
  role: OperatorRole;
  officeCode: string;
  /** Omitted: a random one is generated and returned once. */
  password?: string;
}

export interface CreatedOperator {
  operator: { id: string; username: string; name: string; role: OperatorRole; officeCode: string };
  /** The password now valid: the given one, or the generated one (shown once, never stored in clear). */
  password: string;
  passwordGenerated: boolean;
  totpSecret: string;
  otpauthUri: string;
}

/** Creates an operator with a fresh TOTP secret; 409 conflict when the username is taken. Audited. */
export async function createOperator(
  deps: Pick<Deps, 'db' | 'clock' | 'passwords' | 'secrets'>,
  input: NewOperator,
  actor: AuditActor = SYSTEM_ACTOR,
): Promise<CreatedOperator> {
  const username = normalizeUsername(input.username);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('invalid_request', {
      errors: [{ path: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  const password = input.password ?? generatePassword();
  const passwordHash = await deps.passwords.hash(password);
  const totpSecret = newTotpSecret();
  const now = deps.clock.now();
  const id = newId('op');
  const sealedTotpSecret = await deps.secrets.seal(totpSecret, id);
  await deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(operators)
      .values({ id, username, name: input.name, role: input.role, officeCode: input.officeCode, passwordHash, totpSecret: sealedTotpSecret, createdAt: now })
      .onConflictDoNothing({ target: operators.username })
      .returning({ id: operators.id });
    if (inserted.length === 0) throw new AppError('conflict', { detail: 'The username is taken.' });
    await appendAudit(
      tx,
      {
        ...actor,
        action: 'operator.created',
        targetType: 'operator',
        targetId: id,
        details: { username, role: input.role, officeCode: input.officeCode },
      },
      now,
    );
  });
  return {
    operator: { id, username, name: input.name, role: input.role, officeCode: input.officeCode },
    password,
    passwordGenerated: input.password === undefined,
    totpSecret,
    otpauthUri: totpUri(username, totpSecret),
  };
}

export interface OperatorLoginInput {
  username: string;
  password: string;
  otp: string;
  ip: string;
}

export interface OperatorLogin {
  token: string;
  expiresAt: Date;
  operator: Omit<OperatorPrincipal, 'sessionId'>;
}

// Unknown usernames are checked against this secret, so they cost a TOTP computation like real ones. Made at first
// use, not at import: workerd refuses random values in a module's global scope.
let dummyTotpSecret: string | undefined;
const dummyTotp = (): string => (dummyTotpSecret ??= newTotpSecret());

const invalidCredentials = () => new AppError('invalid_credentials');

interface LockKey {
  usernameHash: string;
  address: string;
}

/**
 * Password + TOTP login. Failures are counted per (username, client address), for known and unknown names
 * alike, so a stranger elsewhere cannot lock an operator out and a 423 tells nobody a username exists. A try
 * slot is claimed (one statement) before anything is judged, so parallel guesses each spend one of the five;
 * only a judged failure writes the 15-minute lock, so concurrent tries never lock out a correct one. The TOTP
 * step is claimed by one conditional UPDATE, so a code logs in once. Any wrong part is the same 401.
 */
export async function loginOperator(deps: Pick<Deps, 'db' | 'clock' | 'passwords' | 'secrets'>, input: OperatorLoginInput): Promise<OperatorLogin> {
  const { db } = deps;
  const now = deps.clock.now();
  const username = normalizeUsername(input.username);
  // Hashed: a username field sometimes holds a mistyped password.
  const lockKey: LockKey = { usernameHash: sha256Hex(username), address: input.ip };
  await enforceRateLimits(
    db,
    [
      { key: `oplogin:ip:${input.ip}`, ...LOGIN_RATE_LIMITS.perIp },
      { key: `oplogin:user:${lockKey.usernameHash}`, ...LOGIN_RATE_LIMITS.perUsername },
    ],
    now,
  );

  if (!(await claimLoginSlot(db, lockKey, now))) {
    const retryAfter = await lockRetryAfter(db, lockKey, now);
    const [known] = await db.select({ id: operators.id }).from(operators).where(eq(operators.username, username));
    await db.transaction((tx) => auditLoginFailure(tx, known?.id ?? null, 'locked', input.ip, now));
    throw new AppError('operator_locked', { retryAfter });
  }

  const [operator] = await db
    .select({
      id: operators.id,
      name: operators.name,
      role: operators.role,
      officeCode: operators.officeCode,
      passwordHash: operators.passwordHash,
      totpSecret: operators.totpSecret,
      status: operators.status,
    })
    .from(operators)
    .where(eq(operators.username, username));
  const claimed = operator?.status === 'active' ? operator : null;

  // Unknown and disabled operators do the same work: an argon2 verification and a TOTP computation.
  const passwordOk = await deps.passwords.verify(claimed?.passwordHash ?? (await dummyPasswordHash(deps.passwords)), input.password);
  // A row from before sealing (the Node start seals them all; a Worker may meet one first) is sealed at this login.
  const legacyTotp = claimed ? !isSealed(claimed.totpSecret) : false;
  const totpSecret = !claimed ? dummyTotp() : legacyTotp ? claimed.totpSecret : await deps.secrets.open(claimed.totpSecret, claimed.id);
  const step = await matchTotp(totpSecret, input.otp, now);
  const reason = !claimed ? (operator ? 'disabled' : 'unknown_user') : !passwordOk ? 'wrong_password' : step === null ? 'wrong_otp' : 'otp_reused';

  if (claimed && passwordOk && step !== null) {
    const login = await db.transaction(async (tx) => {
      // The one statement that decides: this code's step is newer than the last accepted one.
      const [accepted] = await tx
        .update(operators)
        .set({ lastTotpStep: step, ...(legacyTotp ? { totpSecret: await deps.secrets.seal(totpSecret, claimed.id) } : {}) })
        .where(and(eq(operators.id, claimed.id), eq(operators.status, 'active'), lt(operators.lastTotpStep, step)))
        .returning({ id: operators.id });
      if (!accepted) return null;
      const token = randomSecret();
      const sessionId = newId('ops');
      const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS);
      await tx.insert(operatorSessions).values({
        id: sessionId,
        tokenHash: sha256Hex(token),
        operatorId: claimed.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
      });
      await appendAudit(
        tx,
        { actorType: 'operator', actorId: claimed.id, action: 'operator.login', targetType: 'operator_session', targetId: sessionId, details: { ip: input.ip } },
        now,
      );
      return { token, expiresAt };
    });
    if (login) {
      await clearLoginFailures(db, lockKey);
      const { passwordHash: _p, totpSecret: _t, status: _s, ...principal } = claimed;
      return { ...login, operator: principal };
    }
  }

  await db.transaction(async (tx) => {
    // Lock row first, audit last: every transaction takes its rows before the audit lock (no deadlock).
    const lockedUntil = await lockIfExhausted(tx, lockKey, now);
    await auditLoginFailure(tx, operator?.id ?? null, reason, input.ip, now);
    if (lockedUntil) await auditLock(tx, operator?.id ?? 'unknown', lockedUntil, now);
  });
  throw invalidCredentials();
}

/**
 * One try slot for (username, address), or false when it is locked or five tries are already spent. An expired
 * lock, or a count untouched for 15 minutes (a crash between claim and judgement), starts again at one.
 */
async function claimLoginSlot(db: DbOrTx, key: LockKey, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const staleIso = new Date(now.getTime() - LOCK_MS).toISOString();
  const t = operatorLoginLocks;
  const rows = await queryRows<{ failures: number }>(
    db,
    sql`insert into ${t} (username_hash, address, failures, last_attempt_at) values (${key.usernameHash}, ${key.address}, 1, ${nowIso}::timestamptz)
        on conflict (username_hash, address) do update set
          failures = case when ${t.lockedUntil} is not null or ${t.lastAttemptAt} <= ${staleIso}::timestamptz then 1 else ${t.failures} + 1 end,
          locked_until = null,
          last_attempt_at = ${nowIso}::timestamptz
        where (${t.lockedUntil} is null or ${t.lockedUntil} <= ${nowIso}::timestamptz)
          and (${t.failures} < ${MAX_LOGIN_FAILURES} or ${t.lastAttemptAt} <= ${staleIso}::timestamptz)
        returning failures`,
  );
  return rows.length > 0;
}

/** Seconds until (username, address) may try again: the lock's end, or the 15 minutes of a full count. */
async function lockRetryAfter(db: DbOrTx, key: LockKey, now: Date): Promise<number> {
  const [row] = await db
    .select({ lockedUntil: operatorLoginLocks.lockedUntil, lastAttemptAt: operatorLoginLocks.lastAttemptAt })
    .from(operatorLoginLocks)
    .where(and(eq(operatorLoginLocks.usernameHash, key.usernameHash), eq(operatorLoginLocks.address, key.address)));
  const until = row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : new Date((row?.lastAttemptAt ?? now).getTime() + LOCK_MS);
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/** Sets the 15-minute lock when five tries are spent and none is set; returns the new lock's end, if this call set it. */
async function lockIfExhausted(tx: Tx, key: LockKey, now: Date): Promise<Date | null> {
  const lockedUntil = new Date(now.getTime() + LOCK_MS);
  const [locked] = await tx
    .update(operatorLoginLocks)
    .set({ lockedUntil, failures: 0 })
    .where(
      and(
        eq(operatorLoginLocks.usernameHash, key.usernameHash),
        eq(operatorLoginLocks.address, key.address),
        sql`${operatorLoginLocks.failures} >= ${MAX_LOGIN_FAILURES}`,
        or(isNull(operatorLoginLocks.lockedUntil), lte(operatorLoginLocks.lockedUntil, now)),
      ),
    )
    .returning({ lockedUntil: operatorLoginLocks.lockedUntil });
  return locked ? lockedUntil : null;
}

/** A success from this address: its count starts again (failures must be consecutive). */
async function clearLoginFailures(db: DbOrTx, key: LockKey): Promise<void> {
  await db
    .update(operatorLoginLocks)
    .set({ failures: 0, lockedUntil: null })
    .where(and(eq(operatorLoginLocks.usernameHash, key.usernameHash), eq(operatorLoginLocks.address, key.address)));
}

const auditLoginFailure = (tx: Tx, operatorId: string | null, reason: string, ip: string, now: Date) =>
  appendAudit(
    tx,
    {
      actorType: operatorId ? 'operator' : 'system',
      actorId: operatorId ?? 'anonymous',
      action: 'operator.login_failed',
      targetType: 'operator',
      // The attempted name is not recorded: it may be a password typed into the wrong field.
      targetId: operatorId ?? 'unknown',
      details: { reason, ip },
    },
    now,
  );

const auditLock = (tx: Tx, operatorId: string, until: Date, now: Date) =>
  appendAudit(
    tx,
    { actorType: 'system', actorId: 'login', action: 'operator.locked', targetType: 'operator', targetId: operatorId, details: { until: until.toISOString() } },
    now,
  );

/**
 * The operator behind a session token, or null when the token is unknown, revoked, idle for 30 minutes, past its
 * 12 hours, or its operator is disabled. Using a session refreshes its idle timer (the same statement).
 */
export async function authenticateOperatorSession(deps: Pick<Deps, 'db' | 'clock' | 'passwords'>, token: string): Promise<OperatorPrincipal | null> {
  if (token.length === 0 || token.length > 256) return null;
  const now = deps.clock.now();
  const [row] = await deps.db
    .update(operatorSessions)
    .set({ lastSeenAt: now })
    .from(operators)
    .where(
      and(
        eq(operatorSessions.tokenHash, sha256Hex(token)),
        isNull(operatorSessions.revokedAt),
        gt(operatorSessions.expiresAt, now),
        gt(operatorSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        eq(operators.id, operatorSessions.operatorId),
        eq(operators.status, 'active'),
      ),
    )
    .returning({
      sessionId: operatorSessions.id,
      id: operators.id,
      name: operators.name,
      role: operators.role,
      officeCode: operators.officeCode,
    });
  return row ?? null;
}

/** Ends the caller's session (idempotent); audited. */
export async function logoutOperator(deps: Pick<Deps, 'db' | 'clock' | 'passwords'>, principal: OperatorPrincipal): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const revoked = await tx
      .update(operatorSessions)
      .set({ revokedAt: now })
      .where(and(eq(operatorSessions.id, principal.sessionId), isNull(operatorSessions.revokedAt)))
      .returning({ id: operatorSessions.id });
    if (revoked.length === 0) return;
    await appendAudit(
      tx,
      { actorType: 'operator', actorId: principal.id, action: 'operator.logout', targetType: 'operator_session', targetId: principal.sessionId },
      now,
    );
  });
}

/** Seals every TOTP secret still stored in clear (rows from before sealing); run at each Node start, idempotent. */
export async function sealPlainTotpSecrets(deps: Pick<Deps, 'db' | 'secrets'>): Promise<number> {
  const rows = await deps.db.select({ id: operators.id, totpSecret: operators.totpSecret }).from(operators);
  let sealed = 0;
  for (const row of rows) {
    if (isSealed(row.totpSecret)) continue;
    const value = await deps.secrets.seal(row.totpSecret, row.id);
    // Conditional on the clear value: a concurrent login that sealed it first wins.
    const updated = await deps.db
      .update(operators)
      .set({ totpSecret: value })
      .where(and(eq(operators.id, row.id), eq(operators.totpSecret, row.totpSecret)))
      .returning({ id: operators.id });
    sealed += updated.length;
  }
  return sealed;
}
