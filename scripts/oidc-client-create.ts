/**
 * Registers an OpenID Connect client (Masuk dengan IKD) against the configured database (DATABASE_URL, or PGlite in
 * IKD_DATA_DIR) and prints its client_id and, unless it authenticates with private_key_jwt, its secret once (only its
 * SHA-256 is stored). Audited as a system action.
 *
 *   npm run oidc-client:create -- --name "Layanan Samsat Online" --redirect-uri https://samsat.example.go.id/callback \
 *     [--redirect-uri …] [--scopes openid,profile,nik] [--jwks-uri https://samsat.example.go.id/jwks.json]
 *
 * With PGlite (no DATABASE_URL) stop the service first: an embedded database has one process at a time.
 */
import { parseArgs } from 'node:util';
import { OIDC_SCOPES } from '../src/domain/oidc/claims.js';
import { createOidcClient } from '../src/domain/oidc/clients.js';
import { configOrExit, fail, failOnAppError, withDatabase } from './lib/cli.js';

const USAGE = `usage: npm run oidc-client:create -- --name "<service name>" --redirect-uri <https URL> [--redirect-uri <…>] [--scopes <comma-separated, of: ${OIDC_SCOPES.join(',')}; default openid,profile>] [--jwks-uri <https URL: private_key_jwt instead of a secret>]`;

async function main() {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      scopes: { type: 'string' },
      'jwks-uri': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const name = values.name?.trim();
  const redirectUris = values['redirect-uri'] ?? [];
  if (!name || name.length > 200 || redirectUris.length === 0) fail(USAGE);
  const scopes = (values.scopes ?? 'openid,profile').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = scopes.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || !scopes.includes('openid')) fail(`--scopes: ${unknown.length ? `unknown ${unknown.join(', ')}` : 'must include openid'}; allowed: ${OIDC_SCOPES.join(', ')}`);

  const config = configOrExit();
  const created = await withDatabase(config, ({ db, clock, logger }) =>
    createOidcClient({ db, clock, logger, config }, { name, redirectUris, allowedScopes: scopes, jwksUri: values['jwks-uri'], actor: { actorType: 'system', actorId: 'cli' } }),
  ).catch((error: unknown) => failOnAppError(error, 'oidc-client:create'));
  const lines = [
    `OpenID Connect client created: ${name}; scopes ${scopes.join(' ')}; redirect URIs ${redirectUris.join(' ')}`,
    `Discovery: ${config.publicBaseUrl}/.well-known/openid-configuration`,
    `client_id: ${created.clientId}`,
  ];
  if (created.clientSecret) lines.push('client_secret (shown once; send it with client_secret_basic):', created.clientSecret);
  else lines.push(`No secret: the client authenticates with private_key_jwt, keys from ${values['jwks-uri']}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error) => {
  process.stderr.write(`oidc-client:create failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
