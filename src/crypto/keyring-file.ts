/** Node only: loads the key ring from IKD_KEYS, or from <dataDir>/keys.json, generating it once in development. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { generateKeyRing, KeyRing, rotateKeyRing, storedKeyRingSchema, type StoredKeyRing } from './keyring.js';
import { ensurePrivateDir } from '../data-dir.js';

export const keyRingPath = (dataDir: string) => join(dataDir, 'keys.json');

async function readRingFile(path: string): Promise<StoredKeyRing | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return storedKeyRingSchema.parse(JSON.parse(text));
}

async function writeRingFile(path: string, ring: StoredKeyRing): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(ring, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, path);
}

export async function loadKeyRing(config: Config): Promise<{ ring: KeyRing; source: 'env' | 'file' | 'generated' }> {
  if (config.keysJson !== undefined) {
    const parsed = storedKeyRingSchema.safeParse(config.keysJson);
    if (!parsed.success) {
      throw new Error(`IKD_KEYS: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'ring'} ${i.message}`).join('; ')}`);
    }
    return { ring: new KeyRing(parsed.data), source: 'env' };
  }
  if (config.env === 'production') throw new Error('IKD_KEYS: is required when NODE_ENV=production');
  await ensurePrivateDir(config.dataDir);
  const path = keyRingPath(config.dataDir);
  const existing = await readRingFile(path);
  if (existing) return { ring: new KeyRing(existing), source: 'file' };
  const ring = generateKeyRing();
  await writeRingFile(path, ring);
  return { ring: new KeyRing(ring), source: 'generated' };
}

/** Rotates the file-based ring (development / single host). With IKD_KEYS, print the new ring instead. */
export async function rotateKeyRingFile(dataDir: string): Promise<StoredKeyRing> {
  await ensurePrivateDir(dataDir);
  const path = keyRingPath(dataDir);
  const existing = (await readRingFile(path)) ?? generateKeyRing();
  const next = rotateKeyRing(existing);
  await writeRingFile(path, next);
  return next;
}
