/** Resident authentication for routes: `Authorization: Bearer <accessToken>` from POST /v1/auth/login. */
import type { Context, MiddlewareHandler } from 'hono';
import { authenticateResidentSession, type ResidentPrincipal } from '../../domain/login.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,128})$/;

/** 401 unauthorized without a live session (expired, revoked, account not active, device revoked). Sets c.get('resident'). */
export function requireResident(): MiddlewareHandler<AppEnv> {
  return async function authenticateResident(c, next) {
    const token = BEARER.exec(c.req.header('Authorization')?.trim() ?? '')?.[1];
    if (!token) throw new AppError('unauthorized');
    const principal = await authenticateResidentSession(c.get('deps'), token);
    if (!principal) throw new AppError('unauthorized');
    c.set('resident', principal);
    await next();
  };
}

/** The resident requireResident let through; for handlers behind it. */
export function currentResident(c: Context<AppEnv>): ResidentPrincipal {
  const resident = c.get('resident');
  if (!resident) throw new AppError('unauthorized');
  return resident;
}
