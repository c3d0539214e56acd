/** The provider's metadata (OpenID Connect Discovery 1.0): what a relying party's library reads first. */
import { OIDC_SCOPES, SCOPE_CLAIMS } from './claims.js';

export function oidcEndpoints(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oidc/authorize`,
    token_endpoint: `${issuer}/oidc/token`,
    userinfo_endpoint: `${issuer}/oidc/userinfo`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
  };
}

export function discoveryDocument(issuer: string) {
  return {
    ...oidcEndpoints(issuer),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['ES256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: [...new Set(['iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', ...Object.values(SCOPE_CLAIMS).flat()])],
    acr_values_supported: ['urn:ikd:acr:device-pin'],
    ui_locales_supported: ['id', 'en'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    prompt_values_supported: ['consent', 'login'],
  };
}
