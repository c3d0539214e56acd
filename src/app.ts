/** createApp(deps): every route, middleware and the one error handler. No env, no driver: entry points build deps. */
import { Hono } from 'hono';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import type { AppEnv } from './http/context.js';
import { accessLog, bodyLimit, init, securityHeaders } from './http/middleware.js';
import { problemResponse, toAppError } from './http/problem.js';
import { publicRoutes } from './http/routes/public.js';
import { registrationRoutes } from './http/routes/registrations.js';
import { operatorRegistrationRoutes } from './http/routes/operator-registrations.js';
import { operatorAccountRoutes } from './http/routes/operator-accounts.js';
import { activationRoutes } from './http/routes/activation.js';
import { devRoutes } from './http/routes/dev.js';
import { operatorAuthRoutes } from './http/routes/operator-auth.js';
import { adminRoutes } from './http/routes/admin.js';
import { pagesRoutes } from './http/routes/pages.js';
import { authRoutes } from './http/routes/auth.js';
import { pinResetRoutes } from './http/routes/pin-reset.js';
import { meRoutes } from './http/routes/me.js';
import { documentRoutes } from './http/routes/documents.js';
import { dataBalikanRoutes } from './http/routes/data-balikan.js';
import { verifyRoutes } from './http/routes/verify.js';
import { verificationRequestRoutes } from './http/routes/verification-requests.js';
import { adminOperatorRoutes } from './http/routes/admin-operators.js';
import { adminVerifierRoutes } from './http/routes/admin-verifiers.js';
import { operatorStatsRoutes } from './http/routes/operator-stats.js';
import { docsRoutes } from './http/routes/docs.js';
import { lockRoutes } from './http/routes/locks.js';
import { oidcRoutes } from './http/routes/oidc.js';
import { adminOidcClientRoutes } from './http/routes/admin-oidc-clients.js';
import { devRpRoutes } from './http/routes/dev-rp.js';
import { serviceRequestRoutes } from './http/routes/service-requests.js';
import { operatorServiceRequestRoutes } from './http/routes/operator-service-requests.js';
import { SERVICE_REQUEST_BODY_BYTES } from './domain/services/attachments.js';
import { CHECK_FORM_MAX_BYTES, CHECK_PDF_MAX_BYTES } from './domain/issued-documents/limits.js';
import { documentCheckRoutes } from './http/routes/document-check.js';

export const MAX_BODY_BYTES = 1024 * 1024;

/** The only routes that take more than MAX_BODY_BYTES: a service request and its corrections (attachments), the check of an issued PDF. */
export const LARGER_BODIES = [
  { method: 'POST', path: /^\/v1\/me\/service-requests(\/[^/]+\/corrections)?$/, maxSize: SERVICE_REQUEST_BODY_BYTES },
  // The public check of an issued document's PDF (API.md: ≤ 5 MB), and the /cek page's upload form.
  { method: 'POST', path: /^\/v1\/documents\/check$/, maxSize: CHECK_PDF_MAX_BYTES },
  { method: 'POST', path: /^\/cek\/[^/]+$/, maxSize: CHECK_FORM_MAX_BYTES },
] as const;

/** Deps for the whole process (Node), or resolved per request (Workers: a database client per request). */
export type DepsSource = Deps | ((request: Request) => Deps);

export function createApp(source: DepsSource): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use('*', init(source), accessLog(), securityHeaders(), bodyLimit(MAX_BODY_BYTES, LARGER_BODIES));

  app.route('/', publicRoutes(() => app));
  // Areas: one sub-app each (src/http/routes/<area>.ts), mounted here, one line per area.
  app.route('/', registrationRoutes());
  app.route('/', operatorRegistrationRoutes());
  app.route('/', operatorAccountRoutes());
  app.route('/', activationRoutes());
  app.route('/', devRoutes());
  app.route('/', operatorAuthRoutes());
  app.route('/', adminRoutes());
  app.route('/', pagesRoutes());
  app.route('/', authRoutes());
  app.route('/', pinResetRoutes());
  app.route('/', meRoutes());
  app.route('/', documentRoutes());
  app.route('/', dataBalikanRoutes());
  app.route('/', verifyRoutes());
  app.route('/', verificationRequestRoutes());
  app.route('/', adminVerifierRoutes());
  app.route('/', adminOperatorRoutes());
  app.route('/', operatorStatsRoutes());
  app.route('/', docsRoutes());
  app.route('/', lockRoutes());
  app.route('/', oidcRoutes());
  app.route('/', adminOidcClientRoutes());
  app.route('/', devRpRoutes(() => app));
  app.route('/', serviceRequestRoutes());
  app.route('/', operatorServiceRequestRoutes());
  app.route('/', documentCheckRoutes());

  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    const allowed = allowedMethods(app, path);
    if (allowed.length > 0) {
      const res = problemResponse(c, new AppError('method_not_allowed'));
      res.headers.set('Allow', allowed.join(', '));
      return res;
    }
    return problemResponse(c, new AppError('not_found'));
  });

  app.onError((error, c) => {
    const appError = toAppError(error);
    const logger = (c.get('deps') ?? (typeof source === 'function' ? undefined : source))?.logger;
    if (appError.status >= 500 || (appError.code === 'invalid_request' && appError.cause)) {
      logger?.error('request failed', {
        requestId: c.get('requestId'),
        errorCode: appError.code,
        error: error instanceof Error ? error : String(error),
      });
    }
    const res = problemResponse(c, appError);
    // onError responses bypass the middleware chain's post-processing, so set the id here too.
    res.headers.set('X-Request-Id', c.get('requestId') ?? '');
    return res;
  });

  return app;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Methods some endpoint (not a middleware) serves at this path: a 404 there is really a 405. */
function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const endpoints = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => r.handler));
  return METHODS.filter((method) => {
    const [matches] = app.router.match(method, path) as [[unknown, unknown][], unknown];
    return matches.some((m) => endpoints.has((m[0] as [unknown])[0] as never) || endpoints.has(m[0] as never));
  });
}
