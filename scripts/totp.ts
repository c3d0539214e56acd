/**
 * `npm run totp -- [operator|admin|<base32 secret>]`: prints the current TOTP code, for trying the console in
 * development without an authenticator app. Default: the demo operator of <IKD_DATA_DIR>/dev-credentials.json.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configOrExit } from './lib/cli.js';
import { TOTP_PERIOD_SECONDS, totpCode } from '../src/crypto/totp.js';

const arg = process.argv[2] ?? 'operator';
let secret = arg;
if (arg === 'operator' || arg === 'admin') {
  const config = configOrExit();
  const path = join(config.dataDir, 'dev-credentials.json');
  const creds = JSON.parse(await readFile(path, 'utf8').catch(() => {
    console.error(`no ${path}: start the service once (npm start) to create it`);
    process.exit(1);
  })) as Record<string, { username: string; totpSecret: string }>;
  secret = creds[arg]!.totpSecret;
  console.error(`${arg} ${creds[arg]!.username}:`);
}
if (!/^[A-Z2-7]+=*$/.test(secret)) {
  console.error('usage: npm run totp -- [operator|admin|<base32 secret>]');
  process.exit(2);
}
const now = new Date();
const left = TOTP_PERIOD_SECONDS - (Math.floor(now.getTime() / 1000) % TOTP_PERIOD_SECONDS);
try {
  console.log(await totpCode(secret, now));
} catch (error) {
  console.error(`not a usable TOTP secret: ${(error as Error).message}`);
  process.exit(2);
}
console.error(`(valid for ${left} more seconds; each code is accepted once)`);
