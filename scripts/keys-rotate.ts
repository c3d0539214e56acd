/**
 * `npm run keys:rotate`: a new current key; the previous one stays so live tokens (90 s) still verify.
 * With IKD_KEYS (production) it prints the rotated ring to store as the new secret; otherwise it rewrites
 * <IKD_DATA_DIR>/keys.json. Restart (or redeploy) the service afterwards.
 */
import { configOrExit } from './lib/cli.js';
import { rotateKeyRingFile } from '../src/crypto/keyring-file.js';
import { rotateKeyRing, storedKeyRingSchema } from '../src/crypto/keyring.js';

const config = configOrExit();
if (config.keysJson !== undefined) {
  const rotated = rotateKeyRing(storedKeyRingSchema.parse(config.keysJson));
  process.stderr.write(`new current kid ${rotated.current}; store this JSON as IKD_KEYS:\n`);
  process.stdout.write(JSON.stringify(rotated) + '\n');
} else {
  const rotated = rotateKeyRingFile(config.dataDir);
  const ring = await rotated;
  console.log(`rotated ${config.dataDir}/keys.json: current ${ring.current}, kept ${ring.keys.slice(1).map((k) => k.kid).join(', ') || 'none'}`);
}
