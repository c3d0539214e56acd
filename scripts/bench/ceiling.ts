/**
 * The bench's ceilings: bare handlers, outside the app (no middleware, no router, no validation, no logging), that do
 * only the primitives of a hot path, so `npm run bench` can compare each real route with what its work costs at least.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { KeyRing } from '../../src/crypto/keyring.js';
import { renderQrSvg } from '../../src/crypto/qr.js';
import { sha256Hex } from '../../src/crypto/secrets.js';
import { decodeKtpToken, encodeKtpToken, KTP_ELEMENTS } from '../../src/crypto/token-codec.js';
import { EXPIRY_TOLERANCE_MS } from '../../src/domain/credential/redemption.js';

/**
 * The redemption statement of src/domain/credential/redemption.ts, as text for postgres.js (same CTEs, same predicates):
 * authenticate the verifier, mark the token used if it may be, write the access-log row — one round trip.
 */
export const REDEEM_SQL = `with v as (
    select id, name, allowed_elements from verifiers where api_key_hash = $1 and status = 'active'
  ), r as (
    update ktp_tokens t set used_at = $2::timestamptz, used_by = v.id
    from v, accounts a
    where t.id = $3 and t.used_at is null and t.revoked_at is null and t.expires_at > $4::timestamptz
      and a.id = t.account_id and a.status = 'active' and (a.locked_until is null or a.locked_until <= $2::timestamptz)
    returning t.id, t.account_id, a.nik, array(select e from unnest(t.elements) e where e = any(v.allowed_elements)) as disclosed
  ), logged as (
    insert into access_log (at, token_id, account_id, verifier_id, outcome, elements, counter)
    select $2::timestamptz, r.id, r.account_id, v.id, 'verified', r.disclosed, $5 from r, v
  )
  select v.id as verifier_id, v.name as verifier_name, r.account_id, r.nik, r.disclosed from v left join r on true`;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** POST /redeem: base45 decode, AES-GCM open, Ed25519 verify (native), the one statement. POST /issue: seal, sign, SVG. */
export function ceilingFetch(keys: KeyRing, client: postgres.Sql) {
  return async function ceiling(request: Request): Promise<Response> {
    if (request.url.endsWith('/redeem')) {
      const apiKey = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      const body = (await request.json()) as { token?: unknown; counter?: string };
      const decoded = decodeKtpToken(keys, body.token);
      if (!decoded.ok) return json(400, { code: 'token_invalid' });
      const now = new Date();
      const [row] = await client.unsafe(
        REDEEM_SQL,
        [sha256Hex(apiKey), now.toISOString(), decoded.tokenId, new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString(), body.counter ?? null],
        { prepare: true },
      );
      if (!row) return json(401, { code: 'verifier_unauthorized' });
      if (!row.account_id) return json(409, { code: 'token_not_redeemable' });
      return json(200, { verifiedAt: now.toISOString(), resident: { nik: row.nik } });
    }
    if (request.url.endsWith('/issue')) {
      await request.json();
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 90) * 1000);
      const { token } = encodeKtpToken(keys, { tokenId: randomBytes(12), elements: KTP_ELEMENTS, expiresAt });
      return json(201, { token, expiresAt: expiresAt.toISOString(), ttlSeconds: 90, svg: renderQrSvg(token) });
    }
    return json(404, { code: 'not_found' });
  };
}
