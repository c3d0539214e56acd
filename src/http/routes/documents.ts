/** The holder's biodata, family card and population documents (API.md Part 2 "Biodata, family and documents"). */
import { Hono } from 'hono';
import { z } from 'zod';
import { KTP_ELEMENTS } from '../../crypto/token-codec.js';
import { issueDocumentToken, listResidentDocuments, residentBiodata, residentDocument, residentFamily } from '../../domain/holder/documents.js';
import { DOCUMENT_TYPES } from '../../domain/holder/document-types.js';
import { currentResident, currentResidentToken, requireResident, requireResidentToken } from '../auth/resident.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { preferredLanguage } from '../problem.js';
import { jsonBody, pathParams } from '../validate.js';

const addressSchema = z.object({
  street: z.string(),
  rt: z.string(),
  rw: z.string(),
  village: z.string(),
  district: z.string(),
  regency: z.string(),
  province: z.string(),
});

const biodataSchema = z.object({
  nik: z.string(),
  name: z.string(),
  birthPlace: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  bloodType: z.string(),
  address: addressSchema,
  religion: z.string(),
  maritalStatus: z.string(),
  occupation: z.string(),
  citizenship: z.string(),
  kk: z.string(),
  familyRelationship: z.string(),
  education: z.string(),
  fatherName: z.string(),
  motherName: z.string(),
  birthCertificateNumber: z.string().optional(),
  marriageCertificateNumber: z.string().optional(),
  marriageDate: z.string().optional(),
  divorceCertificateNumber: z.string().optional(),
  divorceDate: z.string().optional(),
});

export const familySchema = z.object({
  kk: z.string(),
  issuedOn: z.string(),
  headOfFamily: z.object({ nik: z.string(), name: z.string() }),
  address: addressSchema,
  members: z.array(
    z.object({
      nik: z.string(),
      name: z.string(),
      relationship: z.string(),
      sex: z.string(),
      birthPlace: z.string(),
      birthDate: z.string(),
      religion: z.string(),
      education: z.string(),
      occupation: z.string(),
      maritalStatus: z.string(),
      citizenship: z.string(),
      fatherName: z.string(),
      motherName: z.string(),
    }),
  ),
});

const documentSummarySchema = z.object({
  type: z.enum(DOCUMENT_TYPES),
  number: z.string(),
  title: z.string(),
  issuedOn: z.string(),
  issuedBy: z.string(),
});

/** A document issued through an online service (Pelayanan): its own id, check code and the request it came from. */
const issuedDocumentSummarySchema = z.object({
  type: z.string().describe('an output document type of the service catalog: family_card, birth_certificate, skpwni, …'),
  number: z.string(),
  title: z.string(),
  issuedOn: z.string(),
  issuedBy: z.string(),
  id: z.string(),
  checkCode: z.string().describe('checked by anyone at GET /v1/documents/check/{code} and /cek/{code}'),
  serviceRequestId: z.string().nullable().describe('its PDF: GET /v1/me/service-requests/{id}/documents/{documentId}.pdf'),
  source: z.literal('issued'),
});

const documentSchema = documentSummarySchema.extend({
  fields: z.record(z.string(), z.unknown()).describe('the document as printed; for family_card the KK as in GET /v1/me/family'),
});

const documentQrRequestSchema = z.object({
  pin: z.string().min(1).max(64),
  elements: z.array(z.enum(KTP_ELEMENTS)).min(1).max(KTP_ELEMENTS.length).optional().describe('KTP elements shown with the document; default nik, name'),
  format: z.enum(['svg', 'png', 'none']).optional().describe('default: svg'),
});

const documentQrSchema = z.object({
  token: z.string().describe('174 base45 characters, version 2 (docs/token-format.md); 173 for type ktp'),
  document: z.enum(DOCUMENT_TYPES),
  expiresAt: z.string(),
  ttlSeconds: z.literal(90),
  svg: z.string().optional(),
  png: z.string().optional().describe('data URL, only with format "png"'),
});

/** Any short string: an unknown type is 404 document_not_found like a type the holder does not have. */
export const documentTypeParam = z.object({ type: z.string().max(40) });

export function documentRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/me/biodata',
    describeRoute({
      summary: 'Every registry element of the holder: the KTP elements plus KK, family relationship, education, parents, certificates',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Biodata', schema: biodataSchema } },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    async (c) => c.json(await residentBiodata(c.get('deps'), currentResident(c))),
  );

  app.get(
    '/v1/me/family',
    describeRoute({
      summary: 'The holder’s Kartu Keluarga as printed',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Family card', schema: familySchema } },
      errors: ['unauthorized', 'document_not_found'],
    }),
    requireResident(),
    async (c) => c.json(await residentFamily(c.get('deps'), currentResident(c))),
  );

  app.get(
    '/v1/me/documents',
    describeRoute({
      summary: 'The population documents the holder has',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Documents', schema: z.object({ items: z.array(z.union([documentSummarySchema, issuedDocumentSummarySchema])) }) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => c.json(await listResidentDocuments(c.get('deps'), currentResident(c), preferredLanguage(c))),
  );

  app.get(
    '/v1/me/documents/:type',
    describeRoute({
      summary: 'One of the holder’s documents for on-screen display',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Document', schema: documentSchema } },
      errors: ['unauthorized', 'document_not_found'],
    }),
    requireResident(),
    pathParams(documentTypeParam),
    async (c) => c.json(await residentDocument(c.get('deps'), currentResident(c), c.req.valid('param').type, preferredLanguage(c))),
  );

  app.post(
    '/v1/me/documents/:type/qr',
    describeRoute({
      summary: 'Issues a QR for one of the holder’s documents (90 s, single use); revokes the account’s earlier live QR of any type',
      tags: ['resident'],
      security: 'resident',
      responses: { 201: { description: 'Issued', schema: documentQrSchema } },
      errors: ['unauthorized', 'document_not_found', 'pin_invalid', 'account_locked', 'account_suspended', 'rate_limited'],
    }),
    requireResidentToken(),
    requireResident(),
    pathParams(documentTypeParam),
    jsonBody(documentQrRequestSchema),
    async (c) => {
      const body = c.req.valid('json');
      const issued = await issueDocumentToken(c.get('deps'), {
        resident: currentResident(c),
        credential: currentResidentToken(c),
        type: c.req.valid('param').type,
        ...body,
      });
      return c.json(issued, 201);
    },
  );

  return app;
}
