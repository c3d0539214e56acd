/**
 * Bench and soak fixtures written straight through the schema (fast, no HTTP): registry residents, active accounts
 * with device keys and live sessions, a verifier, pre-issued KTP tokens and signed login challenges.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { encodeKtpToken, type KtpElement, type TokenDocument } from '../../src/crypto/token-codec.js';
import type { KeyRing } from '../../src/crypto/keyring.js';
import { newId, randomSecret, sha256Hex } from '../../src/crypto/secrets.js';
import { accounts, challenges, devices, ktpTokens, oidcAuthorizations, registrations, residentSessions, verificationRequests } from '../../src/db/schema/index.js';
import { queryRows, type Db } from '../../src/db/types.js';
import type { Deps } from '../../src/deps.js';
import { createVerifier } from '../../src/domain/verifiers/verifiers.js';
import { seedRegistry } from '../../src/registry/seeded.js';

export const BENCH_PIN = '480731';

export interface BenchAccount {
  accountId: string;
  deviceId: string;
  nik: string;
  privateKey: KeyObject;
  /** A live session's access token (Authorization: Bearer). */
  accessToken: string;
}

const chunks = <T>(rows: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

/** Registry residents who may get an IKD (alive, single record, KTP-el recorded, 17+) and have no account yet. */
export async function eligibleNiks(db: Db, limit: number, asOf: Date): Promise<string[]> {
  const day = asOf.toISOString().slice(0, 10);
  const rows = await queryRows<{ nik: string }>(
    db,
    sql`select r.nik from registry_residents r
        where not r.deceased and r.record_status = 'single' and r.ktp_el_recorded
          and r.birth_date::date <= (${day}::date - interval '18 years')
          and not exists (select 1 from accounts a where a.nik = r.nik)
          and not exists (select 1 from registrations g where g.nik = r.nik)
        order by r.nik limit ${limit}`,
  );
  return rows.map((r) => r.nik);
}

/** Synthetic registry residents until at least `eligible` of them are free for new accounts or registrations. */
export async function seedBenchRegistry(db: Db, eligible: number, now: Date): Promise<void> {
  let count = Math.max(1000, Math.ceil(eligible * 1.6));
  for (let round = 0; round < 6; round++) {
    await seedRegistry(db, { count });
    if ((await eligibleNiks(db, eligible, now)).length >= eligible) return;
    count *= 2;
  }
  throw new Error(`the synthetic registry did not yield ${eligible} eligible residents`);
}

/** `count` active accounts as activation leaves them (one device each), with sessions valid for `sessionMs`. */
export async function seedAccounts(deps: Pick<Deps, 'db' | 'pins'>, count: number, now: Date, sessionMs = 3 * 3600_000): Promise<BenchAccount[]> {
  const niks = await eligibleNiks(deps.db, count, now);
  if (niks.length < count) throw new Error(`only ${niks.length} eligible registry residents for ${count} accounts`);
  // One argon2id hash for everyone: the hash format and cost are what matter here, not distinct salts.
  const pinHash = await deps.pins.hash(BENCH_PIN);
  const made = niks.map((nik) => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const devicePublicKey = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
    return { nik, privateKey, devicePublicKey, accountId: newId('acc'), deviceId: newId('dev'), registrationId: newId('reg'), accessToken: randomSecret(32) };
  });
  for (const batch of chunks(made, 500)) {
    await deps.db.transaction(async (tx) => {
      await tx.insert(registrations).values(
        batch.map((a) => ({
          id: a.registrationId,
          nik: a.nik,
          name: `BENCH ${a.nik}`,
          birthDate: '1990-01-01',
          email: `bench.${a.nik}@example.id`,
          phone: '+6281234567890',
          devicePublicKey: a.devicePublicKey,
          kind: 'new' as const,
          status: 'active' as const,
          lang: 'id' as const,
          accountId: a.accountId,
          channel: 'counter' as const,
          decidedAt: now,
          createdAt: now,
          expiresAt: new Date(now.getTime() + 24 * 3600_000),
        })),
      );
      await tx.insert(accounts).values(
        batch.map((a) => ({ id: a.accountId, nik: a.nik, email: `bench.${a.nik}@example.id`, phone: '+6281234567890', status: 'active' as const, pinHash, activatedAt: now, createdAt: now, updatedAt: now })),
      );
      await tx.insert(devices).values(
        batch.map((a) => ({ id: a.deviceId, accountId: a.accountId, publicKey: a.devicePublicKey, registrationId: a.registrationId, status: 'active' as const, createdAt: now })),
      );
      await tx.insert(residentSessions).values(
        batch.map((a) => ({
          id: newId('rss'),
          tokenHash: sha256Hex(a.accessToken),
          accountId: a.accountId,
          deviceId: a.deviceId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + sessionMs),
        })),
      );
    });
  }
  return made.map((a) => ({ accountId: a.accountId, deviceId: a.deviceId, nik: a.nik, privateKey: a.privateKey, accessToken: a.accessToken }));
}

export async function seedVerifier(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  name: string,
  allowedElements: readonly KtpElement[],
  allowedDocuments?: readonly TokenDocument[],
) {
  return createVerifier(deps, { name, allowedElements, ...(allowedDocuments ? { allowedDocuments } : {}), actor: { actorType: 'system', actorId: 'bench' } });
}

/**
 * `count` live KTP tokens, as issuance stores them (the same codec and row), spread over `holders`. Several live
 * tokens per account are fine here: only issuance through the API revokes the earlier ones.
 */
export async function mintKtpTokens(
  deps: Pick<Deps, 'db' | 'keys'>,
  holders: readonly BenchAccount[],
  count: number,
  options: { elements: readonly KtpElement[]; now: Date; ttlSeconds: number; document?: TokenDocument },
): Promise<string[]> {
  const document = options.document ?? 'ktp';
  const expiresAt = new Date((Math.floor(options.now.getTime() / 1000) + options.ttlSeconds) * 1000);
  const tokens: string[] = [];
  const rows: (typeof ktpTokens.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const tokenId = randomBytes(12);
    const { token, kid } = encodeKtpToken(deps.keys, { tokenId, elements: options.elements, expiresAt, document });
    tokens.push(token);
    rows.push({
      id: tokenId.toString('hex'),
      accountId: holders[i % holders.length]!.accountId,
      kid,
      elements: [...options.elements],
      document,
      issuedAt: options.now,
      expiresAt,
    });
  }
  for (const batch of chunks(rows, 2000)) await deps.db.insert(ktpTokens).values(batch);
  return tokens;
}

export interface SignedLogin {
  nik: string;
  challengeId: string;
  signature: string;
}

/** `count` login challenges (120 s, as POST /v1/challenges makes them), each signed by its account's device key. */
export async function mintLoginChallenges(db: Db, holders: readonly BenchAccount[], count: number, now: Date): Promise<SignedLogin[]> {
  const rows: (typeof challenges.$inferInsert)[] = [];
  const logins: SignedLogin[] = [];
  for (let i = 0; i < count; i++) {
    const holder = holders[i % holders.length]!;
    const id = newId('chl');
    const nonce = randomSecret(24);
    rows.push({ id, nonce, purpose: 'login', createdAt: now, expiresAt: new Date(now.getTime() + 120_000) });
    const signature = sign(null, Buffer.from(`ikd-v1|login|${id}|${nonce}`, 'utf8'), holder.privateKey).toString('base64url');
    logins.push({ nik: holder.nik, challengeId: id, signature });
  }
  for (const batch of chunks(rows, 2000)) await db.insert(challenges).values(batch);
  return logins;
}

/** A fresh simulated client address per index (for per-IP limits behind the bench server's address mapping). */
export const simulatedClientIp = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

export const BENCH_REDIRECT_URI = 'https://rp.bench.example/callback';

export interface ApprovedCode {
  code: string;
  codeVerifier: string;
}

/**
 * `count` authorization requests of `clientId` as the holder's approval and the status poll leave them (approved,
 * bound to a bench account, a code issued: stored as its SHA-256, with the S256 challenge of its own verifier), so
 * POST /oidc/token can redeem each once. The code lives `codeTtlMs` (the domain's 60 s, or longer when a slice runs
 * longer than that).
 */
export async function mintApprovedCodes(
  db: Db,
  holders: readonly BenchAccount[],
  clientId: string,
  count: number,
  options: { now: Date; codeTtlMs: number },
): Promise<ApprovedCode[]> {
  const now = options.now;
  const out: ApprovedCode[] = [];
  const rows: (typeof oidcAuthorizations.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const code = randomSecret(32);
    const codeVerifier = randomSecret(32);
    out.push({ code, codeVerifier });
    rows.push({
      id: randomSecret(16),
      clientId,
      redirectUri: BENCH_REDIRECT_URI,
      scopes: ['openid'],
      state: null,
      nonce: randomSecret(12),
      codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      browserHash: sha256Hex(randomSecret(16)),
      status: 'approved',
      accountId: holders[i % holders.length]!.accountId,
      decidedAt: now,
      codeHash: sha256Hex(code),
      codeExpiresAt: new Date(now.getTime() + options.codeTtlMs),
      createdAt: now,
      expiresAt: new Date(now.getTime() + 5 * 60_000),
    });
  }
  for (const batch of chunks(rows, 2000)) await db.insert(oidcAuthorizations).values(batch);
  return out;
}

/**
 * `count` counter verification requests of `verifierId` as the holder's approval leaves them (approved, bound to a
 * bench account, `elements` shared), each for the counter to collect once. They live `ttlMs`.
 */
export async function mintApprovedRequests(
  db: Db,
  holders: readonly BenchAccount[],
  verifierId: string,
  count: number,
  options: { now: Date; ttlMs: number; elements: readonly KtpElement[] },
): Promise<string[]> {
  const now = options.now;
  const ids: string[] = [];
  const rows: (typeof verificationRequests.$inferInsert)[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomSecret(16);
    ids.push(id);
    rows.push({
      id,
      verifierId,
      elements: [...options.elements],
      document: null,
      counter: 'bench',
      status: 'approved',
      accountId: holders[i % holders.length]!.accountId,
      sharedElements: [...options.elements],
      decidedAt: now,
      createdAt: now,
      expiresAt: new Date(now.getTime() + options.ttlMs),
    });
  }
  for (const batch of chunks(rows, 2000)) await db.insert(verificationRequests).values(batch);
  return ids;
}
