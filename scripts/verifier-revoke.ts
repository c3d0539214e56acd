/**
 * Revokes a verifier (a counter): its API key answers 401 verifier_unauthorized from the next request on. Audited as a
 * system action. With PGlite (no DATABASE_URL) stop the service first.
 *
 *   npm run verifier:revoke -- --id vrf_…
 */
import { parseArgs } from 'node:util';
import { revokeVerifier } from '../src/domain/verifiers/verifiers.js';
import { configOrExit, fail, failOnAppError, withDatabase } from './lib/cli.js';

const USAGE = 'usage: npm run verifier:revoke -- --id <verifier id>';

async function main() {
  const { values } = parseArgs({ options: { id: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const id = values.id?.trim();
  if (!id) fail(USAGE);
  const config = configOrExit();
  await withDatabase(config, (deps) => revokeVerifier(deps, { id, actor: { actorType: 'system', actorId: 'cli' } })).catch((e) =>
    failOnAppError(e, `verifier ${id}`),
  );
  process.stdout.write(`Verifier ${id} revoked: its API key is refused from now on.\n`);
}

main().catch((error) => {
  process.stderr.write(`verifier:revoke failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
