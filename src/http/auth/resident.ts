/** Resident authentication for routes: `Authorization: Bearer <accessToken>` from POST /v1/auth/login. */
import type { Context, MiddlewareHandler } from 'hono';
import { residentTokenCredential, type ResidentTokenCredential } from '../../domain/credential/ktp-token.js';
import { authenticateResidentSession, type ResidentPrincipal } from '../../domain/credential/login.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

/** The access token of `Authorization: Bearer <token>`; 401 unauthorized when missing or malformed. */
function bearerToken(c: Context<AppEnv>): string {
  const token = BEARER.exec(c.req.header('Authorization')?.trim() ?? '')?.[1];
  if (!token) throw new AppError('unauthorized');
  return token;
}

/** 401 unauthorized without a live session (expired, revoked, account not active, device revoked). Sets c.get('resident'). */
export function requireResident(): MiddlewareHandler<AppEnv> {
  return async function authenticateResident(c, next) {
    const principal = await authenticateResidentSession(c.get('deps'), bearerToken(c));
    if (!principal) throw new AppError('unauthorized');
    c.set('resident', principal);
    await next();
  };
}

/**
 * For the QR hot path: only the bearer's shape is checked here (401 unauthorized when missing or malformed) and its
 * hash put on the context; the session itself is authenticated inside issuance's first statement, on the same terms
 * as requireResident, so issuing a QR costs one round trip less (DESIGN.md "Performance").
 */
export function requireResidentToken(): MiddlewareHandler<AppEnv> {
  return async function readResidentToken(c, next) {
    c.set('residentToken', residentTokenCredential(bearerToken(c)));
    await next();
  };
}

export function currentResidentToken(c: Context<AppEnv>): ResidentTokenCredential {
  const credential = c.get('residentToken');
  if (!credential) throw new AppError('unauthorized');
  return credential;
}

/** The resident requireResident let through; for handlers behind it. */
export function currentResident(c: Context<AppEnv>): ResidentPrincipal {
  const resident = c.get('resident');
  if (!resident) throw new AppError('unauthorized');
  return resident;
}
