/** Scopes and the claims they release (API.md "Masuk dengan IKD"), and the claims of one holder for one client. */
import { createHmac } from 'node:crypto';
import type { RegistryResident } from '../../registry/port.js';

export const OIDC_SCOPES = ['openid', 'profile', 'nik', 'address', 'email', 'phone'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

export const SCOPE_CLAIMS: Record<OidcScope, readonly string[]> = {
  openid: ['sub'],
  profile: ['name', 'birthdate', 'gender'],
  nik: ['nik'],
  address: ['address'],
  email: ['email', 'email_verified'],
  phone: ['phone_number'],
};

/** The KTP elements a scope discloses, for the access-log row (e-mail and phone are the account's, named as such). */
const SCOPE_ELEMENTS: Record<OidcScope, readonly string[]> = {
  openid: [],
  profile: ['name', 'birthDate', 'sex'],
  nik: ['nik'],
  address: ['address'],
  email: ['email'],
  phone: ['phone'],
};

export const isOidcScope = (s: string): s is OidcScope => (OIDC_SCOPES as readonly string[]).includes(s);

export const claimsOfScopes = (scopes: readonly string[]): string[] => scopes.filter(isOidcScope).flatMap((s) => SCOPE_CLAIMS[s]);

export const elementsOfScopes = (scopes: readonly string[]): string[] => scopes.filter(isOidcScope).flatMap((s) => SCOPE_ELEMENTS[s]);

/**
 * The pairwise subject: HMAC-SHA256 of the account id under the client's own random salt (oidc_clients.pairwise_salt),
 * base64url. Different at every client, stable at one, and no client can link it to another's or to the NIK.
 */
export const pairwiseSubject = (pairwiseSalt: string, accountId: string): string =>
  createHmac('sha256', pairwiseSalt).update(`ikd-v1|sub|${accountId}`).digest('base64url');

export interface HolderClaimSource {
  resident: RegistryResident | null;
  email: string;
  phone: string;
}

/** The userinfo claims of the approved scopes, and nothing else. */
export function claimsFor(scopes: readonly string[], sub: string, source: HolderClaimSource): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub };
  const r = source.resident;
  if (scopes.includes('profile') && r) {
    claims.name = r.name;
    claims.birthdate = r.birthDate;
    claims.gender = r.sex === 'PEREMPUAN' ? 'female' : 'male';
  }
  if (scopes.includes('nik') && r) claims.nik = r.nik;
  if (scopes.includes('address') && r) {
    const a = r.address;
    const street = `${a.street} RT ${a.rt}/RW ${a.rw}, ${a.village}, ${a.district}`;
    claims.address = { formatted: `${street}, ${a.regency}, ${a.province}, Indonesia`, street_address: street, locality: a.regency, region: a.province, country: 'ID' };
  }
  if (scopes.includes('email')) {
    claims.email = source.email;
    // The address received the activation link and code: it is verified.
    claims.email_verified = true;
  }
  if (scopes.includes('phone')) claims.phone_number = source.phone;
  return claims;
}
