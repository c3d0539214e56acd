/**
 * OAuth 2.0 / OpenID Connect errors (RFC 6749 §5.2, RFC 6750 §3, OIDC Core §3.1.2.6): the token and userinfo endpoints
 * answer `{ error, error_description }`, not problem+json, because relying-party libraries switch on `error`.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'login_required'
  | 'request_not_supported'
  | 'request_uri_not_supported';

const STATUS: Partial<Record<OAuthErrorCode, number>> = { invalid_client: 401, invalid_token: 401 };

export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
    this.status = STATUS[error] ?? 400;
  }
}
