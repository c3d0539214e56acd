/** Cross-cutting middleware: request ids, access logs, body limits and security headers. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.js';
import type { Deps } from '../deps.js';
import type { AppEnv } from './context.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Puts the deps and a request id on the context and the id on every response. */
export function init(source: Deps | ((request: Request) => Deps)): MiddlewareHandler<AppEnv> {
  return async function initRequest(c, next) {
    const deps = typeof source === 'function' ? source(c.req.raw) : source;
    const incoming = c.req.header('X-Request-Id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set('requestId', requestId);
    c.set('deps', deps);
    await next();
    c.res.headers.set('X-Request-Id', requestId);
  };
}

/** One log line per request: method, route path (never the query string: it may hold a token), status, time. */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    const { logger } = c.get('deps');
    logger.info('request', {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.routePath && c.req.routePath !== '/*' ? c.req.routePath : new URL(c.req.url).pathname.slice(0, 200),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}

/** A route that may take a larger body than the default: its method, its path pattern, its own limit. */
export interface LargerBody {
  method: string;
  path: RegExp;
  maxSize: number;
}

/**
 * `maxSize` for every body, except the few routes in `larger` (e.g. a service request's attachments: 20 MiB), which
 * get their own limit. Decided before anything reads the body.
 */
export function bodyLimit(maxSize: number, larger: readonly LargerBody[] = []): MiddlewareHandler<AppEnv> {
  const limiter = (size: number) => {
    const tooLarge = () => {
      throw new AppError('payload_too_large', { detail: `The body may be at most ${size} bytes.` });
    };
    return { size, tooLarge, streaming: honoBodyLimit({ maxSize: size, onError: tooLarge }) };
  };
  const standard = limiter(maxSize);
  const special = larger.map((l) => ({ ...l, limit: limiter(l.maxSize) }));
  return async function limitBody(c, next) {
    // Decided from the headers when they suffice: hono's middleware reads `c.req.raw.body`, which on
    // @hono/node-server turns the lightweight request into a full web Request (stream, AbortController) on
    // every call, ~5 % of a hot path's CPU (docs/performance.md). Chunked bodies still go through it.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const { size, tooLarge, streaming } =
      special.length === 0 ? standard : (special.find((l) => l.method === c.req.method && l.path.test(c.req.path))?.limit ?? standard);
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number.parseInt(length, 10) > size ? tooLarge() : next();
    }
    return streaming(c, next);
  };
}

/** DESIGN.md security headers. Pages may widen the CSP for their own scripts. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function setSecurityHeaders(c, next) {
    await next();
    const h = c.res.headers;
    if (!h.has('Content-Security-Policy')) {
      h.set(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
      );
    }
    h.set('Referrer-Policy', 'no-referrer');
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
    // Production is served over HTTPS only; in development http://localhost must keep working.
    if (c.get('deps').config.env === 'production') h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
