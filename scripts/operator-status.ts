/**
 * Disables an operator (its console sessions end, its login fails like a wrong password) or enables it again.
 * Audited as a system action. With PGlite (no DATABASE_URL) stop the service first.
 *
 *   npm run operator:disable -- --username siti.rahma
 *   npm run operator:enable -- --username siti.rahma
 */
import { parseArgs } from 'node:util';
import { disableOperator, enableOperator, operatorIdByUsername } from '../src/domain/operators/operator-status.js';
import { SYSTEM_ACTOR } from '../src/domain/operators/operators.js';
import { configOrExit, fail, failOnAppError, withDatabase } from './lib/cli.js';

async function main() {
  const { values, positionals } = parseArgs({
    options: { username: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const action = positionals[0];
  if (action !== 'disable' && action !== 'enable') fail('usage: tsx scripts/operator-status.ts disable|enable --username <username>');
  const usage = `usage: npm run operator:${action} -- --username <username>`;
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const username = values.username?.trim().toLowerCase();
  if (!username) fail(usage);
  const config = configOrExit();
  await withDatabase(config, async (deps) => {
    const id = await operatorIdByUsername(deps, username);
    return action === 'disable' ? disableOperator(deps, { id, actor: SYSTEM_ACTOR }) : enableOperator(deps, { id, actor: SYSTEM_ACTOR });
  }).catch((e) => failOnAppError(e, `operator ${username}`));
  process.stdout.write(
    action === 'disable' ? `Operator ${username} disabled; its sessions have ended.\n` : `Operator ${username} enabled; it may log in again.\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`operator:status failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
