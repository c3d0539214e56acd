/**
 * The public check of issued documents (API.md Part 2 "Pelayanan"): GET /v1/documents/check/{code}, POST
 * /v1/documents/check with the PDF itself, and the page /cek/{code} the document's QR opens. Rate-limited per IP.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { enforceRateLimits } from '../../domain/limits/rate-limit.js';
import { checkDocumentByCode, checkDocumentFile } from '../../domain/issued-documents/check.js';
import { CHECK_PDF_MAX_BYTES } from '../../domain/issued-documents/limits.js';
import { AppError, isAppError } from '../../errors.js';
import type { FileVerdict } from '../../web/pages/document-check.js';
import { documentCheckPage } from '../../web/render.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { pathParams } from '../validate.js';

/** Generous for a counter checking documents all day, tight for anyone walking the 2^50 code space. */
export const DOCUMENT_CHECK_LIMIT = { limit: 120, windowSeconds: 60 };

const checkSchema = z.object({
  valid: z.boolean(),
  type: z.string().describe('family_card, birth_certificate, death_certificate, skpwni, move_in_certificate, kia, …'),
  title: z.string(),
  number: z.string(),
  checkCode: z.string().describe('10 Crockford base32 characters, printed as XXXXX-XXXXX'),
  issuedOn: z.string().describe('YYYY-MM-DD, the issuing office’s local date'),
  issuedBy: z.string(),
  sha256: z.string().describe('SHA-256 of the issued PDF, hex'),
  holder: z.object({ name: z.string().describe('partly masked: the first letters of each word') }),
});
const mismatchSchema = z.object({ valid: z.literal(false), sha256: z.string().describe('SHA-256 of the file sent') });

const codeParam = z.object({ code: z.string().max(40) });

async function limitChecks(c: Context<AppEnv>) {
  const deps = c.get('deps');
  await enforceRateLimits(deps.db, [{ key: `document-check:ip:${clientIp(c)}`, ...DOCUMENT_CHECK_LIMIT }], deps.clock.now());
}

const isPdf = (bytes: Uint8Array) => bytes.length >= 5 && new TextDecoder().decode(bytes.subarray(0, 5)) === '%PDF-';

export function documentCheckRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/documents/check/:code',
    describeRoute({
      summary: 'Whether the issued document with this check code is genuine (public)',
      tags: ['public'],
      security: 'none',
      responses: { 200: { description: 'The document as issued; valid is false when its signature no longer verifies', schema: checkSchema } },
      errors: ['not_found', 'rate_limited'],
    }),
    pathParams(codeParam),
    async (c) => {
      await limitChecks(c);
      return c.json(await checkDocumentByCode(c.get('deps'), c.req.valid('param').code));
    },
  );

  app.post(
    '/v1/documents/check',
    describeRoute({
      summary: 'Checks a PDF file itself (body: application/pdf, at most 5 MB): genuine only when it is byte for byte the issued document',
      tags: ['public'],
      security: 'none',
      rawBody: { contentType: 'application/pdf', description: 'the PDF file as received, at most 5 MB' },
      responses: { 200: { description: 'The issued document the file is, or valid: false for any other or altered file', schema: z.union([checkSchema, mismatchSchema]) } },
      errors: ['invalid_request', 'unsupported_media_type', 'payload_too_large', 'rate_limited'],
    }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/pdf') throw new AppError('unsupported_media_type', { detail: 'Send the PDF itself as the body, Content-Type: application/pdf.' });
      await limitChecks(c);
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (body.length > CHECK_PDF_MAX_BYTES) throw new AppError('payload_too_large');
      if (body.length === 0) throw new AppError('invalid_request', { errors: [{ path: 'body', message: 'the PDF file is missing' }] });
      return c.json(await checkDocumentFile(c.get('deps'), body));
    },
  );

  app.get(
    '/cek/:code',
    describeRoute({
      summary: 'The page behind an issued document’s QR: genuine or not, and a form to check the PDF file (public)',
      tags: ['pages'],
      security: 'none',
      responses: { 200: { description: 'HTML page', contentType: 'text/html' } },
    }),
    pathParams(codeParam),
    async (c) => {
      const code = c.req.valid('param').code;
      await limitChecks(c);
      try {
        return documentCheckPage(c, { kind: 'found', check: await checkDocumentByCode(c.get('deps'), code) });
      } catch (error) {
        if (isAppError(error) && error.code === 'not_found') return documentCheckPage(c, { kind: 'unknown', code }, 404);
        throw error;
      }
    },
  );

  // The page's upload form (multipart, no JavaScript): the same page comes back with the file's verdict.
  app.post('/cek/:code', describeRoute({ hidden: true }), pathParams(codeParam), async (c) => {
    const code = c.req.valid('param').code;
    await limitChecks(c);
    const deps = c.get('deps');
    let check;
    try {
      check = await checkDocumentByCode(deps, code);
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return documentCheckPage(c, { kind: 'unknown', code }, 404);
      throw error;
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = form.file;
    let verdict: FileVerdict = 'missing';
    let otherNumber: string | undefined;
    if (file instanceof File && file.size > CHECK_PDF_MAX_BYTES) verdict = 'too_large';
    else if (file instanceof File && file.size > 0) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const result = isPdf(bytes) ? await checkDocumentFile(deps, bytes) : ({ valid: false } as const);
      if (!result.valid || !('checkCode' in result)) verdict = 'altered';
      else if (result.checkCode === check.checkCode) verdict = 'genuine';
      else {
        verdict = 'other';
        otherNumber = result.number;
      }
    }
    return documentCheckPage(c, { kind: 'found', check, file: { verdict, ...(otherNumber ? { otherNumber } : {}) } }, verdict === 'missing' ? 400 : 200);
  });

  return app;
}
