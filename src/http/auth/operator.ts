/**
 * Operator authentication for routes: `requireOperator(...roles)` reads the console session from
 * `Authorization: Bearer <token>` or, for the web console, the `__Host-ikd_op` cookie.
 *
 * CSRF: a cookie is sent by the browser on its own, so a cookie-authenticated request with an unsafe method
 * (anything but GET/HEAD/OPTIONS) must also carry `X-Requested-With: ikd-console` (a header a cross-site form
 * cannot set and a cross-site fetch cannot send without a CORS preflight we never grant) or an `Origin` equal to
 * PUBLIC_BASE_URL; otherwise 403 csrf_failed. Bearer requests need neither: browsers never attach them by themselves.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { authenticateOperatorSession, roleAllows, type OperatorPrincipal, type OperatorRole } from '../../domain/operators/operators.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

export const OPERATOR_COOKIE = 'ikd_op';
export const CONSOLE_HEADER = 'X-Requested-With';
export const CONSOLE_HEADER_VALUE = 'ikd-console';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 401 unauthorized without a live session, 403 forbidden when the role is below every allowed one
 * (admin ⊇ supervisor ⊇ operator ⊇ courier; no roles = operator and up, so a courier only reaches routes naming it).
 */
export function requireOperator(...roles: OperatorRole[]): MiddlewareHandler<AppEnv> {
  return async function authenticateOperator(c, next) {
    const deps = c.get('deps');
    const token = sessionToken(c, deps.config.publicBaseUrl);
    if (!token) throw new AppError('unauthorized');
    const principal = await authenticateOperatorSession(deps, token);
    if (!principal) throw new AppError('unauthorized');
    if (!roleAllows(principal.role, roles)) throw new AppError('forbidden');
    c.set('operator', principal);
    await next();
  };
}

/**
 * For pages (GET only): the operator of the console session cookie, or null without a live one. The page itself
 * answers 401/403 as HTML instead of problem+json.
 */
export async function pageOperator(c: Context<AppEnv>): Promise<OperatorPrincipal | null> {
  const token = getCookie(c, OPERATOR_COOKIE, 'host');
  if (!token) return null;
  return authenticateOperatorSession(c.get('deps'), token);
}

/** The operator requireOperator let through; for handlers behind it. */
export function currentOperator(c: Context<AppEnv>): OperatorPrincipal {
  const operator = c.get('operator');
  if (!operator) throw new AppError('unauthorized');
  return operator;
}

function sessionToken(c: Context<AppEnv>, publicBaseUrl: string): string | undefined {
  const authorization = c.req.header('Authorization');
  if (authorization !== undefined) {
    const match = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(authorization.trim());
    // A malformed header is a failed login, not a fallback to the cookie.
    return match?.[1];
  }
  const cookie = getCookie(c, OPERATOR_COOKIE, 'host');
  if (cookie && !SAFE_METHODS.has(c.req.method) && !fromConsole(c, publicBaseUrl)) throw new AppError('csrf_failed');
  return cookie;
}

function fromConsole(c: Context<AppEnv>, publicBaseUrl: string): boolean {
  if (c.req.header(CONSOLE_HEADER) === CONSOLE_HEADER_VALUE) return true;
  const origin = c.req.header('Origin');
  return origin !== undefined && origin === new URL(publicBaseUrl).origin;
}

/** The console asks for its session as a cookie by sending the console header with the login. */
export function wantsSessionCookie(c: Context<AppEnv>): boolean {
  return c.req.header(CONSOLE_HEADER) === CONSOLE_HEADER_VALUE;
}

export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date, now: Date): void {
  setCookie(c, OPERATOR_COOKIE, token, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, OPERATOR_COOKIE, { prefix: 'host', path: '/', secure: true });
}
