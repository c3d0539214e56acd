/**
 * Creates an operator against the configured database (DATABASE_URL, or PGlite in IKD_DATA_DIR) and prints the
 * password once, the TOTP otpauth URI and a terminal QR to scan with an authenticator app.
 *
 *   npm run operator:create -- --username budi --name "Budi Santoso" --role operator --office 7310
 *
 * With PGlite (no DATABASE_URL) stop the service first: an embedded database has one process at a time.
 */
import { parseArgs } from 'node:util';
import { loadPinPepper } from '../src/crypto/pepper-file.js';
import { createPinHasher } from '../src/crypto/pin.js';
import { createSecretBox } from '../src/crypto/secret-box.js';
import QRCode from 'qrcode';
import { openDatabase } from '../src/bootstrap.js';
import { applyMigrations } from '../src/db/migrate.js';
import { configOrExit, fail } from './lib/cli.js';
import { systemClock } from '../src/deps.js';
import { createOperator, OPERATOR_ROLES, type OperatorRole } from '../src/domain/operators/operators.js';
import { isAppError } from '../src/errors.js';

const USAGE = 'usage: npm run operator:create -- --username <u> --name "<name>" --role operator|supervisor|admin --office <region code>';


async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'operator' },
      office: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { username, name, role, office } = values;
  if (!username || !name || !office) fail(USAGE);
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/i.test(username)) fail('--username: 3–64 characters: letters, digits, dot, dash, underscore');
  if (!OPERATOR_ROLES.includes(role as OperatorRole)) fail(`--role must be one of ${OPERATOR_ROLES.join(', ')}`);
  if (!/^\d{2}(\d{2}(\d{2})?)?$/.test(office)) fail('--office: a region code of 2, 4 or 6 digits (e.g. 7310 for Pangkep)');

  const config = configOrExit();
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    const pepper = await loadPinPepper(config);
    const created = await createOperator(
      { db: database.db, clock: systemClock, passwords: createPinHasher(pepper), secrets: createSecretBox(pepper) },
      { username, name, role: role as OperatorRole, officeCode: office },
    );
    const qr = await QRCode.toString(created.otpauthUri, { type: 'terminal', small: true });
    process.stdout.write(
      [
        `Operator created: ${created.operator.username} (${created.operator.role}, office ${created.operator.officeCode}, id ${created.operator.id})`,
        `Password (shown once, give it to the operator in person): ${created.password}`,
        `TOTP secret: ${created.totpSecret}`,
        `otpauth URI: ${created.otpauthUri}`,
        'Scan with an authenticator app:',
        qr,
      ].join('\n') + '\n',
    );
  } catch (error) {
    if (isAppError(error) && error.code === 'conflict') fail(`The username "${username.toLowerCase()}" is taken.`);
    throw error;
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(`operator:create failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
