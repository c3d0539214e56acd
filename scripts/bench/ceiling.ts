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
import { PgDialect } from 'drizzle-orm/pg-core';
import { Placeholder } from 'drizzle-orm';
import { EXPIRY_TOLERANCE_MS, noticeIds, redeemStatement } from '../../src/domain/credential/redemption.js';

/**
 * The redemption statement of src/domain/credential/redemption.ts, rendered from the same builder (so the two never
 * drift): authenticate the verifier, mark the token used if it may be, write the access-log row and the holder's
 * per-scan notice draft — one round trip. Placeholders become $n in the order the builder lists them.
 */
const redeemQuery = new PgDialect().sqlToQuery(redeemStatement());
export const REDEEM_SQL = redeemQuery.sql;
const REDEEM_PARAMS = redeemQuery.params.map((p) => {
  if (!(p instanceof Placeholder)) throw new Error('the redemption statement has a literal parameter; the ceiling expects placeholders only');
  return p.name;
});

/**
 * The least a document QR needs from the registry: the holder's KK with its members, in one statement (the holder's
 * row finds the card; the card lists its members in family order).
 */
export const FAMILY_CARD_SQL = `select c.kk, c.head_nik, c.issued_on, m.nik, m.name, m.family_relationship, m.sex, m.birth_place, m.birth_date,
    m.education, m.occupation
  from registry_residents self
  join registry_family_cards c on c.kk = self.kk
  join registry_residents m on m.kk = c.kk
  where self.nik = $1
  order by m.family_order`;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * POST /redeem: base45 decode, AES-GCM open, Ed25519 verify (native), the one statement. POST /redeem-document: the
 * same, then the KK in one registry read. POST /issue: seal, sign, SVG. POST /issue-document: the KK read, then seal,
 * sign, SVG.
 */
export function ceilingFetch(keys: KeyRing, client: postgres.Sql) {
  return async function ceiling(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/redeem' || path === '/redeem-document') {
      const apiKey = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
      const body = (await request.json()) as { token?: unknown; counter?: string };
      const decoded = decodeKtpToken(keys, body.token);
      if (!decoded.ok) return json(400, { code: 'token_invalid' });
      const now = new Date();
      const values: Record<string, unknown> = {
        apiKeyHash: sha256Hex(apiKey),
        tokenId: decoded.tokenId,
        now: now.toISOString(),
        notBefore: new Date(now.getTime() - EXPIRY_TOLERANCE_MS).toISOString(),
        counter: body.counter ?? null,
        ...noticeIds(),
      };
      const [row] = await client.unsafe(REDEEM_SQL, REDEEM_PARAMS.map((name) => values[name] as string), { prepare: true });
      if (!row) return json(401, { code: 'verifier_unauthorized' });
      if (!row.account_id) return json(409, { code: 'token_not_redeemable' });
      if (path === '/redeem') return json(200, { verifiedAt: now.toISOString(), resident: { nik: row.nik } });
      const members = await client.unsafe(FAMILY_CARD_SQL, [row.nik], { prepare: true });
      if (members.length === 0) return json(404, { code: 'document_not_found' });
      return json(200, { verifiedAt: now.toISOString(), document: { type: 'family_card', number: members[0]!.kk, members }, resident: { nik: row.nik } });
    }
    if (path === '/issue') {
      await request.json();
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 90) * 1000);
      const { token } = encodeKtpToken(keys, { tokenId: randomBytes(12), elements: KTP_ELEMENTS, expiresAt });
      return json(201, { token, expiresAt: expiresAt.toISOString(), ttlSeconds: 90, svg: renderQrSvg(token) });
    }
    if (path === '/issue-document') {
      // The holder must have the KK (one registry read), then the same seal, sign and SVG with the document byte.
      const body = (await request.json()) as { nik?: string };
      const members = await client.unsafe(FAMILY_CARD_SQL, [body.nik ?? ''], { prepare: true });
      if (members.length === 0) return json(404, { code: 'document_not_found' });
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + 90) * 1000);
      const { token } = encodeKtpToken(keys, { tokenId: randomBytes(12), elements: ['nik', 'name'], expiresAt, document: 'family_card' });
      return json(201, { token, document: 'family_card', expiresAt: expiresAt.toISOString(), ttlSeconds: 90, svg: renderQrSvg(token) });
    }
    return json(404, { code: 'not_found' });
  };
}
