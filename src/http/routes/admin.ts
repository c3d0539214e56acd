/** Admin console API: creating operators, service statistics, and reading/verifying the audit chain. */
import { Hono } from 'hono';
import { z } from 'zod';
import { readAuditPage, verifyAuditChain } from '../../domain/audit/audit.js';
import { createOperator, OPERATOR_ROLES } from '../../domain/operators/operators.js';
import { MAX_STATS_DAYS, serviceStats, statsPeriod, STATS_ZONES, type StatsZone } from '../../domain/operators/stats.js';
import { AppError } from '../../errors.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, queryParams } from '../validate.js';

const newOperatorSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, '3–64 characters: letters, digits, dot, dash, underscore'),
  name: z.string().trim().min(1).max(200),
  role: z.enum(OPERATOR_ROLES),
  // A Kemendagri region code: province (2 digits), regency/city (4, e.g. 7310 Pangkep) or district (6).
  officeCode: z.string().regex(/^\d{2}(\d{2}(\d{2})?)?$/, 'a region code of 2, 4 or 6 digits'),
});

const createdOperatorSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(OPERATOR_ROLES),
  officeCode: z.string(),
  password: z.string().describe('Shown once; only its argon2id hash is kept.'),
  totpSecret: z.string().describe('Base32; shown once, for authenticator apps that cannot scan.'),
  otpauthUri: z.string(),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const statsQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  zone: z
    .enum(STATS_ZONES as [StatsZone, ...StatsZone[]])
    .default('WIB')
    .describe('The zone from, to and the days are in: WIB (default), WITA, WIT, or UTC'),
});

const seriesSchema = z.object({
  total: z.number().int(),
  byProvince: z.array(z.object({ code: z.string(), name: z.string(), count: z.number().int() })),
  byDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
});
const serviceFigures = {
  count: z.number().int(),
  completed: z.number().int(),
  medianHoursToCompletion: z.number().nullable(),
  withinSlaShare: z.number().nullable().describe('completed by slaDueAt / completed'),
  ratings: z.number().int(),
  skmIndex: z.number().nullable().describe('SKM: mean score (1..4) × 25'),
};
const serviceRequestStatsSchema = z.object({
  ...serviceFigures,
  byType: z.array(z.object({ type: z.string(), ...serviceFigures })),
  byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
  byRegency: z.array(z.object({ code: z.string(), name: z.string(), ...serviceFigures })),
  byMonth: z.array(z.object({ month: z.string(), ...serviceFigures })),
});
const statsSchema = z.object({
  from: z.string(),
  to: z.string(),
  zone: z.enum(STATS_ZONES as [StatsZone, ...StatsZone[]]),
  registrations: seriesSchema,
  activations: seriesSchema,
  verifications: seriesSchema,
  serviceRequests: serviceRequestStatsSchema.describe('Pelayanan: requests created in the period'),
});

const auditQuery = z.object({
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const auditRowSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export function adminRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/admin/operators',
    describeRoute({
      summary: 'Creates an operator, supervisor or admin; the password and TOTP secret are shown once',
      tags: ['admin'],
      security: 'operator',
      responses: { 201: { description: 'Created', schema: createdOperatorSchema } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'conflict'],
    }),
    requireOperator('admin'),
    jsonBody(newOperatorSchema),
    async (c) => {
      const admin = currentOperator(c);
      const created = await createOperator(c.get('deps'), c.req.valid('json'), { actorType: 'operator', actorId: admin.id });
      return c.json({ ...created.operator, password: created.password, totpSecret: created.totpSecret, otpauthUri: created.otpauthUri }, 201);
    },
  );

  app.get(
    '/v1/admin/stats',
    describeRoute({
      summary: 'Registrations, activations and verifications by province and by local day (WIB unless ?zone=; default the last 30 days)',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Statistics', schema: statsSchema } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('supervisor'),
    queryParams(statsQuery),
    async (c) => {
      const { db, clock } = c.get('deps');
      const query = c.req.valid('query');
      const period = statsPeriod(clock.now(), query.from, query.to, query.zone);
      const days = (period.end.getTime() - period.start.getTime()) / 86_400_000;
      if (days < 1 || days > MAX_STATS_DAYS) {
        throw new AppError('invalid_request', { errors: [{ path: 'from', message: `from..to must span 1 to ${MAX_STATS_DAYS} days` }] });
      }
      return c.json(await serviceStats(db, period));
    },
  );

  app.get(
    '/v1/admin/audit',
    describeRoute({
      summary: 'Reads the hash-chained audit log in order (page with afterSeq)',
      tags: ['admin'],
      security: 'operator',
      responses: {
        200: { description: 'Rows', schema: z.object({ items: z.array(auditRowSchema), nextAfterSeq: z.number().int().nullable() }) },
      },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('admin'),
    queryParams(auditQuery),
    async (c) => {
      const page = await readAuditPage(c.get('deps'), { actorId: currentOperator(c).id }, c.req.valid('query'));
      return c.json({ items: page.items.map((row) => ({ ...row, at: row.at.toISOString() })), nextAfterSeq: page.nextAfterSeq });
    },
  );

  app.get(
    '/v1/admin/audit/verify',
    describeRoute({
      summary: 'Checks the whole audit chain: ok with the row count and head, or the first broken row',
      tags: ['admin'],
      security: 'operator',
      responses: {
        200: {
          description: 'Result',
          schema: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            head: z.object({ seq: z.number().int(), hash: z.string() }).nullable().optional(),
            firstBrokenSeq: z.number().int().optional(),
            problem: z.enum(['hash_mismatch', 'chain_broken']).optional(),
          }),
        },
      },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('admin'),
    async (c) => c.json(await verifyAuditChain(c.get('deps').db)),
  );

  return app;
}
