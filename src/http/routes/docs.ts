/** GET /docs: the interactive API reference (Swagger UI, served locally) over GET /openapi.json. */
import { Hono } from 'hono';
import { docsPage } from '../../web/pages/docs.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';

export function docsRoutes() {
  const app = new Hono<AppEnv>();
  app.get(
    '/docs',
    describeRoute({
      summary: 'Interactive reference of this API (Swagger UI over /openapi.json, no outside hosts)',
      tags: ['public'],
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    }),
    (c) => docsPage(c),
  );
  return app;
}
