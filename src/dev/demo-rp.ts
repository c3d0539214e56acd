/**
 * Development only: the demo relying party "Layanan Samsat Online (demo)" at /dev/rp, an OpenID Connect client of this
 * very service built on openid-client (panva) as any public service would. Its client row is made on first use with a
 * fixed id; its secret is derived from the key ring (an Ed25519 signature, deterministic), so nothing is stored for it
 * and a rotated ring just re-derives it.
 */
import { sql } from 'drizzle-orm';
import { randomSecret, sha256Hex } from '../crypto/secrets.js';
import { oidcClients, verifiers } from '../db/schema/index.js';
import type { Deps } from '../deps.js';

export const DEMO_RP_CLIENT_ID = 'oidc_dev_demo_samsat';
export const DEMO_RP_NAME = 'Layanan Samsat Online (demo)';
export const DEMO_RP_SCOPES = ['openid', 'profile', 'nik', 'address', 'email', 'phone'];
export const demoRpRedirectUri = (publicBaseUrl: string) => `${publicBaseUrl}/dev/rp/callback`;

export function demoRpSecret(deps: Pick<Deps, 'keys'>): string {
  return Buffer.from(deps.keys.sign(new TextEncoder().encode('ikd-v1|dev-demo-rp-secret')).signature).toString('base64url');
}

/** Makes (or refreshes the secret and redirect URI of) the demo client; idempotent, safe under parallel first requests. */
export async function ensureDemoRp(deps: Pick<Deps, 'db' | 'clock' | 'keys' | 'config'>): Promise<{ clientId: string; clientSecret: string; redirectUri: string }> {
  const now = deps.clock.now();
  const clientSecret = demoRpSecret(deps);
  const redirectUri = demoRpRedirectUri(deps.config.publicBaseUrl);
  const verifierId = `vrf_${DEMO_RP_CLIENT_ID}`;
  await deps.db
    .insert(verifiers)
    .values({ id: verifierId, name: DEMO_RP_NAME, apiKeyHash: sha256Hex(`oidc-client-no-api-key|${randomSecret(32)}`), allowedElements: [], allowedDocuments: [], status: 'active', createdBy: 'dev', createdAt: now })
    .onConflictDoNothing();
  await deps.db
    .insert(oidcClients)
    .values({
      id: DEMO_RP_CLIENT_ID,
      name: DEMO_RP_NAME,
      verifierId,
      secretHash: sha256Hex(clientSecret),
      redirectUris: [redirectUri],
      allowedScopes: DEMO_RP_SCOPES,
      pairwiseSalt: randomSecret(32),
      status: 'active',
      createdBy: 'dev',
      createdAt: now,
    })
    .onConflictDoUpdate({ target: oidcClients.id, set: { secretHash: sha256Hex(clientSecret), redirectUris: sql`array[${redirectUri}]::text[]` } });
  return { clientId: DEMO_RP_CLIENT_ID, clientSecret, redirectUri };
}
