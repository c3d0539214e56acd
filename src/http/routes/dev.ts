/** Development mode only: the dev mailbox, every e-mail the outbox would have sent (404 in any other mode). */
import { desc, ne } from 'drizzle-orm';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { outbox } from '../../db/schema/index.js';
import { mailboxPage } from '../../web/render.js';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';

const MAILBOX_LIMIT = 200;

const mailboxItem = z.object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), html: z.string(), createdAt: z.string() });

/** Checked per request: the same app object serves whatever configuration its deps carry. */
function devModeOnly(): MiddlewareHandler<AppEnv> {
  return async function requireDevMode(c, next) {
    if (!c.get('deps').config.devMode) throw new AppError('not_found');
    await next();
  };
}

async function mailbox(c: Parameters<MiddlewareHandler<AppEnv>>[0]) {
  const rows = await c
    .get('deps')
    .db.select({ id: outbox.id, to: outbox.to, subject: outbox.subject, text: outbox.text, html: outbox.html, createdAt: outbox.createdAt })
    .from(outbox)
    // A per-scan notice draft is not an e-mail yet: the worker renders it within its next round.
    .where(ne(outbox.status, 'draft'))
    .orderBy(desc(outbox.seq))
    .limit(MAILBOX_LIMIT);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

export function devRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/dev/*', devModeOnly());

  app.get(
    '/dev/mailbox.json',
    describeRoute({
      summary: 'Development only: every e-mail the outbox would have sent, newest first',
      tags: ['development'],
      responses: { 200: { description: 'Messages', schema: z.array(mailboxItem) } },
      errors: ['not_found'],
    }),
    async (c) => c.json(await mailbox(c)),
  );

  app.get(
    '/dev/mailbox',
    describeRoute({
      summary: 'Development only: the mailbox as a page',
      tags: ['development'],
      responses: { 200: { description: 'HTML', contentType: 'text/html' } },
      errors: ['not_found'],
    }),
    // The page is src/web's (pages owner); the data is the same as /dev/mailbox.json.
    async (c) => mailboxPage(c, await mailbox(c)),
  );

  return app;
}
