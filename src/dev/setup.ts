/** Development mode only: seeds demo data once and writes <dataDir>/dev-credentials.json (API.md "Development mode"). */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { appMeta } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { seedDemoResidents, seedRegistry } from '../registry/seeded.js';
import { createOperator, type NewOperator } from '../domain/operators/operators.js';
import { createVerifier } from '../domain/verifiers/verifiers.js';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS } from '../crypto/token-codec.js';
import { seedDemoInstitutions, type DemoInstitutionKey } from './demo-institutions.js';
import { isAppError } from '../errors.js';
import { ensurePrivateDir } from '../data-dir.js';

export interface DevCredentials {
  baseUrl: string;
  operator?: { username: string; password: string; totpSecret: string };
  admin?: { username: string; password: string; totpSecret: string };
  verifier?: { name: string; apiKey: string };
  /** The demo user institutions (data balikan): their keys, for /counter and PUT /v1/partner/residents/…/data-balikan/…. */
  institutions?: DemoInstitutionKey[];
  residents: { nik: string; name: string; birthDate: string; eligible: boolean; reason?: string }[];
}

const SEEDED_KEY = 'dev_seeded';

export async function prepareDevelopmentData(deps: Deps): Promise<DevCredentials> {
  const { db, config, logger } = deps;
  const path = join(config.dataDir, 'dev-credentials.json');
  const [already] = await db.select().from(appMeta).where(eq(appMeta.key, SEEDED_KEY));
  if (already) {
    logger.info('development data already seeded', { credentialsFile: path });
    return JSON.parse(await readFile(path, 'utf8')) as DevCredentials;
  }
  const started = performance.now();
  const { inserted } = await seedRegistry(db, { count: config.seedCount });
  const residents = await seedDemoResidents(db);
  const operator = await createDevOperator(deps, { username: 'operator.demo', name: 'Operator Demo Pangkep', role: 'operator', officeCode: '7310' });
  const admin = await createDevOperator(deps, { username: 'admin.demo', name: 'Admin Demo', role: 'admin', officeCode: '73' });
  const verifierName = 'Loket Demo BPJS Kesehatan Pangkep';
  // Every document, so a KK or a certificate QR can be tried at /counter too.
  const { apiKey } = await createVerifier(deps, {
    name: verifierName,
    allowedElements: KTP_ELEMENTS,
    allowedDocuments: TOKEN_DOCUMENTS,
    actor: { actorType: 'system', actorId: 'dev-seed' },
  });
  const { institutions, records } = await seedDemoInstitutions(deps, { residents, keys: 'rotate' });
  const creds: DevCredentials = { baseUrl: config.publicBaseUrl, operator, admin, verifier: { name: verifierName, apiKey }, institutions, residents };
  await ensurePrivateDir(config.dataDir);
  await writeFile(path, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  // Only the fact is stored; the secrets live in the file (mode 600), never in the log or the database.
  await db.insert(appMeta).values({ key: SEEDED_KEY, value: { seededAt: new Date().toISOString() } }).onConflictDoNothing();
  logger.info('development data seeded', {
    registryResidents: inserted,
    demoResidents: residents.length,
    demoInstitutions: institutions.length,
    dataBalikanRecords: records,
    credentialsFile: path,
    ms: Math.round(performance.now() - started),
  });
  return creds;
}

/** A demo operator for dev-credentials.json; if a half-finished earlier seed left the name taken, a suffixed one. */
async function createDevOperator(deps: Deps, input: Omit<NewOperator, 'password'>): Promise<{ username: string; password: string; totpSecret: string }> {
  try {
    const created = await createOperator(deps, input);
    return { username: created.operator.username, password: created.password, totpSecret: created.totpSecret };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'conflict') throw error;
    return createDevOperator(deps, { ...input, username: `${input.username}.${Math.random().toString(36).slice(2, 6)}` });
  }
}
