/**
 * Data balikan: a user institution (a verifier granted the kind) writes back what it holds about a holder — a
 * membership number, a class, a tax number — and the holder reads it in the app. An institution writes only about a
 * holder who presented an IKD QR to it; each write or deletion is in the holder's access history (data_written).
 */
import { assertHolderAllows } from './data-users.js';
import { and, asc, eq, sql } from 'drizzle-orm';
import { districtOfAccount } from '../holder-district.js';
import { accessLog, accounts, dataBalikan, verifiers } from '../../db/schema/index.js';
import type { DbOrTx, Tx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { VerifierCredential } from '../credential/redemption.js';
import type { ResidentPrincipal } from '../credential/login.js';

/** A kind is a snake_case name the admin grants (`bpjs_kesehatan`, `npwp`); the same rule for grants and paths. */
export const DATA_BALIKAN_KIND = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
export const DATA_BALIKAN_KIND_MAX = 40;
export const DATA_BALIKAN_LIMITS = { minFields: 1, maxFields: 20, labelMax: 60, valueMax: 200 } as const;

export const isDataBalikanKind = (kind: string): boolean => kind.length <= DATA_BALIKAN_KIND_MAX && DATA_BALIKAN_KIND.test(kind);

export interface DataBalikanField {
  label: string;
  value: string;
}

export interface DataBalikanItem {
  source: { id: string; name: string };
  kind: string;
  /** label → value, in the order the institution sent them. */
  fields: Record<string, string>;
  updatedAt: string;
}

interface Institution {
  id: string;
  name: string;
  dataBalikanKinds: string[];
}

/** The active verifier holding this key and the kinds it may write; 401 verifier_unauthorized otherwise. */
async function authenticateInstitution(db: DbOrTx, credential: VerifierCredential): Promise<Institution> {
  const [row] = await db
    .select({ id: verifiers.id, name: verifiers.name, dataBalikanKinds: verifiers.dataBalikanKinds })
    .from(verifiers)
    .where(and(eq(verifiers.apiKeyHash, credential.apiKeyHash), eq(verifiers.status, 'active')));
  if (!row) throw new AppError('verifier_unauthorized');
  return row;
}

function assertKindGranted(institution: Institution, kind: string): void {
  if (!institution.dataBalikanKinds.includes(kind)) throw new AppError('kind_not_allowed');
}

/**
 * THE check of the holder–institution relationship on the write path: the live account of this NIK, only if it has
 * a `verified` access-log row of this institution (it presented an IKD QR here). Anything else — no such NIK, no
 * live account, never presented — is the same 404 resident_not_found, so an institution learns nothing about NIKs it
 * was not shown. The account row is locked FOR SHARE so a concurrent account deletion cannot leave data behind.
 * (A holder's block of this institution belongs here too: 403 holder_refused.)
 */
export async function holderForDataBalikan(tx: Tx, input: { verifierId: string; nik: string }, options: { write: boolean }): Promise<{ accountId: string }> {
  const [holder] = await tx
    .select({ accountId: accounts.id })
    .from(accounts)
    .where(
      and(
        eq(accounts.nik, input.nik),
        sql`${accounts.status} <> 'deleted'`,
        sql`exists (select 1 from ${accessLog} l where l.account_id = ${accounts.id} and l.verifier_id = ${input.verifierId} and l.outcome = 'verified')`,
      ),
    )
    .for('share');
  if (!holder) throw new AppError('resident_not_found');
  // A holder who blocked this institution (PUT /v1/me/data-users/{id}) refuses its writes too. Checked after the
  // presentation, so an institution learns nothing about NIKs it was never shown; its DELETE stays allowed (it only
  // removes what it wrote).
  if (options.write) await assertHolderAllows(tx, { nik: input.nik, verifierId: input.verifierId });
  return holder;
}

async function logDataWritten(tx: Tx, entry: { accountId: string; verifierId: string; kind: string; action: 'written' | 'deleted'; now: Date }): Promise<void> {
  await tx.insert(accessLog).values({
    at: entry.now,
    accountId: entry.accountId,
    verifierId: entry.verifierId,
    outcome: 'data_written',
    elements: [],
    dataKind: entry.kind,
    dataAction: entry.action,
    holderDistrict: districtOfAccount(entry.accountId),
  });
}

/** PUT /v1/partner/residents/{nik}/data-balikan/{kind}: an idempotent upsert of this institution's record of that kind. */
export async function writeDataBalikan(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  input: { verifier: VerifierCredential; nik: string; kind: string; fields: DataBalikanField[] },
): Promise<{ kind: string; updatedAt: string }> {
  const now = deps.clock.now();
  const institution = await authenticateInstitution(deps.db, input.verifier);
  assertKindGranted(institution, input.kind);
  await deps.db.transaction(async (tx) => {
    const { accountId } = await holderForDataBalikan(tx, { verifierId: institution.id, nik: input.nik }, { write: true });
    await tx
      .insert(dataBalikan)
      .values({ nik: input.nik, verifierId: institution.id, kind: input.kind, fields: input.fields, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [dataBalikan.nik, dataBalikan.verifierId, dataBalikan.kind], set: { fields: input.fields, updatedAt: now } });
    await logDataWritten(tx, { accountId, verifierId: institution.id, kind: input.kind, action: 'written', now });
  });
  deps.logger.info('data balikan written', { verifierId: institution.id, kind: input.kind, fields: input.fields.length });
  return { kind: input.kind, updatedAt: now.toISOString() };
}

/** DELETE of the same path: removes this institution's record of that kind (nobody else's). 204 also when none was there. */
export async function deleteDataBalikan(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  input: { verifier: VerifierCredential; nik: string; kind: string },
): Promise<void> {
  const now = deps.clock.now();
  const institution = await authenticateInstitution(deps.db, input.verifier);
  assertKindGranted(institution, input.kind);
  const deleted = await deps.db.transaction(async (tx) => {
    const { accountId } = await holderForDataBalikan(tx, { verifierId: institution.id, nik: input.nik }, { write: false });
    const rows = await tx
      .delete(dataBalikan)
      .where(and(eq(dataBalikan.nik, input.nik), eq(dataBalikan.verifierId, institution.id), eq(dataBalikan.kind, input.kind)))
      .returning({ kind: dataBalikan.kind });
    // Nothing removed, nothing happened to the holder's data: no history row.
    if (rows.length > 0) await logDataWritten(tx, { accountId, verifierId: institution.id, kind: input.kind, action: 'deleted', now });
    return rows.length > 0;
  });
  deps.logger.info('data balikan deleted', { verifierId: institution.id, kind: input.kind, deleted });
}

/** GET /v1/me/data-balikan: every institution's records about this holder's NIK, by institution then kind. */
export async function listHolderDataBalikan(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal): Promise<{ items: DataBalikanItem[] }> {
  const rows = await deps.db
    .select({
      verifierId: verifiers.id,
      verifierName: verifiers.name,
      kind: dataBalikan.kind,
      fields: dataBalikan.fields,
      updatedAt: dataBalikan.updatedAt,
    })
    .from(dataBalikan)
    .innerJoin(verifiers, eq(verifiers.id, dataBalikan.verifierId))
    .where(eq(dataBalikan.nik, resident.nik))
    .orderBy(asc(verifiers.name), asc(verifiers.id), asc(dataBalikan.kind));
  return {
    items: rows.map((r) => ({
      source: { id: r.verifierId, name: r.verifierName },
      kind: r.kind,
      fields: fieldsObject(r.fields),
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

/** [{label, value}] → { label: value }; fromEntries defines properties, so a label like "__proto__" stays plain data. */
const fieldsObject = (fields: DataBalikanField[]): Record<string, string> => Object.fromEntries(fields.map((f) => [f.label, f.value]));

/** Account deletion: the holder's data balikan goes with it (API.md "Deletion deletes"). */
export async function eraseHolderDataBalikan(tx: Tx, nik: string): Promise<number> {
  const rows = await tx.delete(dataBalikan).where(eq(dataBalikan.nik, nik)).returning({ kind: dataBalikan.kind });
  return rows.length;
}

/** Seed only: an institution's record written directly, as if it predated the holder's IKD (no presentation needed). */
export async function seedDataBalikanRecord(
  db: DbOrTx,
  input: { nik: string; verifierId: string; kind: string; fields: DataBalikanField[]; at: Date },
): Promise<void> {
  await db
    .insert(dataBalikan)
    .values({ nik: input.nik, verifierId: input.verifierId, kind: input.kind, fields: input.fields, createdAt: input.at, updatedAt: input.at })
    .onConflictDoNothing();
}
