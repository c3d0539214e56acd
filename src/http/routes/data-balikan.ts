/** Data balikan (API.md Part 2): institutions write back what they hold about a holder; the holder reads it. */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  DATA_BALIKAN_KIND,
  DATA_BALIKAN_KIND_MAX,
  DATA_BALIKAN_LIMITS,
  deleteDataBalikan,
  listHolderDataBalikan,
  writeDataBalikan,
} from '../../domain/holder/data-balikan.js';
import { currentResident, requireResident } from '../auth/resident.js';
import { currentVerifier, requireVerifierKey } from '../auth/verifier.js';
import type { AppEnv } from '../context.js';
import { bodyLimit } from '../middleware.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

/** 20 fields of 60 + 200 characters, JSON-escaped, fit well under this; anything larger is not a data-balikan record. */
export const DATA_BALIKAN_MAX_BODY_BYTES = 16 * 1024;

const NO_CONTROL = /^[^\p{Cc}]*$/u;
const { minFields, maxFields, labelMax, valueMax } = DATA_BALIKAN_LIMITS;

const label = z.string().trim().min(1).max(labelMax).regex(NO_CONTROL, 'must not contain control characters');
const value = z.string().trim().min(1).max(valueMax).regex(NO_CONTROL, 'must not contain control characters');

const fieldsSchema = z
  .unknown()
  // zod's record would silently drop a "__proto__" label; refuse it instead of losing it.
  .superRefine((raw, ctx) => {
    if (raw && typeof raw === 'object' && Object.prototype.hasOwnProperty.call(raw, '__proto__')) {
      ctx.addIssue({ code: 'custom', message: 'the label "__proto__" is not allowed' });
    }
  })
  .pipe(
    z
      .record(label, value)
      .refine((f) => Object.keys(f).length >= minFields && Object.keys(f).length <= maxFields, `${minFields}–${maxFields} fields`),
  )
  .describe(`label → value: ${minFields}–${maxFields} fields, label ≤ ${labelMax} characters, value ≤ ${valueMax}`);

const writeSchema = z.object({ fields: fieldsSchema }).strict();

const residentKindParams = z.object({
  nik: z.string().regex(/^\d{16}$/, 'a NIK is 16 digits'),
  kind: z.string().max(DATA_BALIKAN_KIND_MAX).regex(DATA_BALIKAN_KIND, 'a kind is snake_case, e.g. bpjs_kesehatan'),
});

const itemSchema = z.object({
  source: z.object({ id: z.string(), name: z.string() }).describe('the institution that wrote it'),
  kind: z.string(),
  fields: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});

const PATH = '/v1/partner/residents/:nik/data-balikan/:kind';
const WRITE_ERRORS = ['verifier_unauthorized', 'invalid_request', 'kind_not_allowed', 'resident_not_found'] as const;

export function dataBalikanRoutes() {
  const app = new Hono<AppEnv>();

  app.put(
    PATH,
    describeRoute({
      summary: 'Writes (creates or replaces) this institution’s data-balikan record of a kind about a holder',
      description:
        'Only for a kind granted to this verifier (403 kind_not_allowed) and a holder who has presented an IKD QR to it; an unknown NIK and a holder who has not presented one get the same 404 resident_not_found. Idempotent. In the holder’s access history as data_written.',
      tags: ['verifier'],
      security: 'verifier',
      responses: { 200: { description: 'Written', schema: z.object({ kind: z.string(), updatedAt: z.string() }) } },
      errors: [...WRITE_ERRORS, 'payload_too_large', 'unsupported_media_type'],
    }),
    requireVerifierKey(),
    pathParams(residentKindParams),
    bodyLimit(DATA_BALIKAN_MAX_BODY_BYTES),
    jsonBody(writeSchema),
    async (c) => {
      const { nik, kind } = c.req.valid('param');
      const fields = Object.entries(c.req.valid('json').fields as Record<string, string>).map(([l, v]) => ({ label: l, value: v }));
      return c.json(await writeDataBalikan(c.get('deps'), { verifier: currentVerifier(c), nik, kind, fields }));
    },
  );

  app.delete(
    PATH,
    describeRoute({
      summary: 'Deletes this institution’s data-balikan record of a kind about a holder (204 also when there was none)',
      description: 'The same rules as PUT; another institution’s record is never touched. A deletion is in the holder’s access history as data_written.',
      tags: ['verifier'],
      security: 'verifier',
      responses: { 204: { description: 'Deleted' } },
      errors: [...WRITE_ERRORS],
    }),
    requireVerifierKey(),
    pathParams(residentKindParams),
    async (c) => {
      const { nik, kind } = c.req.valid('param');
      await deleteDataBalikan(c.get('deps'), { verifier: currentVerifier(c), nik, kind });
      return c.body(null, 204);
    },
  );

  app.get(
    '/v1/me/data-balikan',
    describeRoute({
      summary: 'What institutions have written back about the holder (Data dari instansi)',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Records, by institution then kind', schema: z.object({ items: z.array(itemSchema) }) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await listHolderDataBalikan(c.get('deps'), currentResident(c)));
    },
  );

  return app;
}
