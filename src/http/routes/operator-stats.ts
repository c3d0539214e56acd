/**
 * The monitoring dashboard for supervisors and admins: GET /v1/operator/stats (JSON), GET /v1/operator/stats.csv
 * (the same table as CSV, same filters) and the page /operator/stats (console session cookie; 401/403 as a page).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  DASHBOARD_LEVELS,
  dashboardCsv,
  dashboardScope,
  MEASURES,
  PERIOD_KINDS,
  readDashboard,
  type Dashboard,
} from '../../domain/operators/dashboard.js';
import { roleAllows } from '../../domain/operators/operators.js';
import { AppError } from '../../errors.js';
import { statsDeniedPage, statsPage } from '../../web/pages/stats.js';
import { pageOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { queryParams } from '../validate.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const dashboardQuery = z.object({
  level: z.enum(DASHBOARD_LEVELS).optional().describe('province (default, national view), regency or district'),
  parent: z
    .string()
    .regex(/^\d{2}(\d{2})?$/)
    .optional()
    .describe('the region drilled into: a province code (2 digits) for level=regency, a regency code (4) for level=district'),
  period: z.enum(PERIOD_KINDS).optional().describe('today, month (to date), year (to date) or range (from..to); default month'),
  from: day.optional().describe('first local day of a range, YYYY-MM-DD'),
  to: day.optional().describe('last local day of a range, inclusive'),
});

const counts = z.object(Object.fromEntries(MEASURES.map((m) => [m, z.number().int()])) as Record<(typeof MEASURES)[number], z.ZodNumber>);
const region = z.object({ level: z.enum(DASHBOARD_LEVELS), code: z.string(), name: z.string() });
const dashboardSchema = z.object({
  level: z.enum(DASHBOARD_LEVELS),
  parent: region.nullable(),
  breadcrumb: z.array(region),
  zone: z.enum(['WIB', 'WITA', 'WIT']).describe('days are local days in this zone: WIB nationally, the province zone below'),
  period: z.object({ kind: z.enum(PERIOD_KINDS), from: z.string(), to: z.string() }),
  measures: z.array(z.enum(MEASURES)),
  total: counts,
  rows: z.array(counts.extend({ code: z.string(), name: z.string() })),
  byDay: z.array(counts.extend({ day: z.string() })),
});

type Query = z.infer<typeof dashboardQuery>;

async function dashboardFor(c: Context<AppEnv>, query: Query): Promise<Dashboard> {
  const { db, clock } = c.get('deps');
  return readDashboard(db, dashboardScope(clock.now(), query));
}

export function operatorStatsRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/operator/stats',
    describeRoute({
      summary: 'Monitoring dashboard: registrations, activations, verifications and service requests by region and local day (aggregates only)',
      description:
        'Counts per province (national view), per regency of a province or per district of a regency, within a period of ' +
        'Indonesian local days, with the total and a per-day series. Service requests (Pelayanan) count by creation and ' +
        'are placed in the office that serves them (the regency of the holder\'s domicile). Supervisors and admins. There is no NIK search.',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Dashboard', schema: dashboardSchema } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('supervisor'),
    queryParams(dashboardQuery),
    async (c) => c.json(await dashboardFor(c, c.req.valid('query'))),
  );

  app.get(
    '/v1/operator/stats.csv',
    describeRoute({
      summary: 'The dashboard table as CSV (KODE, region, counts; TOTAL row first), same filters as /v1/operator/stats',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'CSV (RFC 4180)', schema: z.string(), contentType: 'text/csv' } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('supervisor'),
    queryParams(dashboardQuery),
    async (c) => {
      const dashboard = await dashboardFor(c, c.req.valid('query'));
      const name = ['ikd-stats', dashboard.level, dashboard.parent?.code, dashboard.period.from, dashboard.period.to].filter(Boolean).join('_');
      return c.body(dashboardCsv(dashboard), 200, {
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="${name}.csv"`,
      });
    },
  );

  app.get(
    '/operator/stats',
    describeRoute({
      summary: 'Monitoring dashboard page (supervisors and admins, console session)',
      tags: ['pages'],
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    }),
    async (c) => {
      const denied = (status: 400 | 401 | 403, detail?: string) => statsDeniedPage(c, status, detail);
      const operator = await pageOperator(c);
      if (!operator) return denied(401);
      if (!roleAllows(operator.role, ['supervisor'])) return denied(403);
      const parsed = dashboardQuery.safeParse(c.req.query());
      if (!parsed.success) return denied(400, parsed.error.issues.map((i) => i.path.join('.')).join(', '));
      let dashboard: Dashboard;
      try {
        dashboard = await dashboardFor(c, parsed.data);
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_request') return denied(400);
        throw error;
      }
      return statsPage(c, dashboard, `${operator.name} · ${operator.role}`);
    },
  );

  return app;
}
