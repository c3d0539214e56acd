/**
 * Verifier (counter) authentication: `Authorization: Bearer <apiKey>`. Only the key's hash is put on the context;
 * the key itself is checked against the verifiers table inside the redemption statement, so a redemption stays
 * one round trip to the database (DESIGN.md "Performance").
 */
import type { Context, MiddlewareHandler } from 'hono';
import { verifierCredential, type VerifierCredential } from '../../domain/credential/redemption.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

/** 401 verifier_unauthorized when the header is missing or malformed; sets c.get('verifier'). */
export function requireVerifierKey(): MiddlewareHandler<AppEnv> {
  return async function readVerifierKey(c, next) {
    const apiKey = BEARER.exec(c.req.header('Authorization')?.trim() ?? '')?.[1];
    if (!apiKey) throw new AppError('verifier_unauthorized');
    c.set('verifier', verifierCredential(apiKey));
    await next();
  };
}

export function currentVerifier(c: Context<AppEnv>): VerifierCredential {
  const verifier = c.get('verifier');
  if (!verifier) throw new AppError('verifier_unauthorized');
  return verifier;
}
