/** Node only: the PIN pepper comes from IKD_PIN_PEPPER, or in development is generated once into the data dir. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { randomSecret } from './secrets.js';
import { ensurePrivateDir } from '../data-dir.js';

export async function loadPinPepper(config: Config): Promise<string> {
  if (config.pinPepper) return config.pinPepper;
  if (config.env === 'production') throw new Error('IKD_PIN_PEPPER: is required when NODE_ENV=production');
  const path = join(config.dataDir, 'pin-pepper');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await ensurePrivateDir(config.dataDir);
  const pepper = randomSecret(32);
  // wx: if another process created it first, fail and read theirs instead of overwriting.
  try {
    await writeFile(path, pepper + '\n', { mode: 0o600, flag: 'wx' });
    return pepper;
  } catch {
    return (await readFile(path, 'utf8')).trim();
  }
}
