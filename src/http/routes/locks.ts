/** The lock link of a scan notice: GET /lock shows a page (consumes nothing); POST /v1/locks (and the form's POST /lock) locks. */
import { Hono } from 'hono';
import { z } from 'zod';
import { lockWithLink } from '../../domain/holder/kunci.js';
import { isAppError } from '../../errors.js';
import { isLockToken, type LockPageState } from '../../web/pages/lock.js';
import { lockPage } from '../../web/render.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const STATE_OF_CODE: Record<string, LockPageState> = { lock_link_used: 'used', lock_link_expired: 'expired', lock_link_invalid: 'invalid' };

export function lockRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/lock',
    describeRoute({
      summary: 'The page behind a scan notice’s lock link: one button, no login; it consumes nothing',
      tags: ['pages'],
      security: 'none',
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    }),
    (c) => {
      const token = c.req.query('t');
      return isLockToken(token) ? lockPage(c, token, 'open') : lockPage(c, undefined, 'invalid', 400);
    },
  );

  // The page's form, which needs no JavaScript: a page comes back.
  app.post('/lock', describeRoute({ hidden: true }), async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.t === 'string' ? form.t : '';
    if (!isLockToken(token)) return lockPage(c, undefined, 'invalid', 400);
    try {
      await lockWithLink(c.get('deps'), token);
      return lockPage(c, undefined, 'done');
    } catch (error) {
      if (!isAppError(error) || !STATE_OF_CODE[error.code]) throw error;
      return lockPage(c, undefined, STATE_OF_CODE[error.code]!, error.status);
    }
  });

  app.post(
    '/v1/locks',
    describeRoute({
      summary: 'Locks the holder’s IKD with a scan notice’s link token (single use, 7 days); no login needed',
      tags: ['resident'],
      security: 'none',
      responses: { 200: { description: 'Locked (or the account’s state when it was no longer active)', schema: z.object({ status: z.string() }) } },
      errors: ['lock_link_invalid', 'lock_link_used', 'lock_link_expired'],
    }),
    jsonBody(z.object({ token: z.string().min(1).max(256) })),
    async (c) => c.json(await lockWithLink(c.get('deps'), c.req.valid('json').token)),
  );

  return app;
}
