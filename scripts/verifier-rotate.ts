/**
 * Gives a verifier a new API key and prints it once; the old key is refused from the next request on. Audited as a
 * system action. With PGlite (no DATABASE_URL) stop the service first.
 *
 *   npm run verifier:rotate -- --id vrf_…
 */
import { parseArgs } from 'node:util';
import { rotateVerifierKey } from '../src/domain/verifiers/verifiers.js';
import { configOrExit, fail, failOnAppError, withDatabase } from './lib/cli.js';

const USAGE = 'usage: npm run verifier:rotate -- --id <verifier id>';

async function main() {
  const { values } = parseArgs({ options: { id: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const id = values.id?.trim();
  if (!id) fail(USAGE);
  const config = configOrExit();
  const rotated = await withDatabase(config, (deps) => rotateVerifierKey(deps, { id, actor: { actorType: 'system', actorId: 'cli' } })).catch((e) =>
    failOnAppError(e, `verifier ${id}`),
  );
  process.stdout.write(
    [`Verifier ${id}: new API key (shown once; the old key is refused from now on):`, rotated.apiKey].join('\n') + '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`verifier:rotate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
