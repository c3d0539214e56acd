/** The resident's own routes: profile, KTP, the KTP QR, access history, PIN change and account deletion. */
import { Hono } from 'hono';
import { z } from 'zod';
import { KTP_ELEMENTS } from '../../crypto/token-codec.js';
import { listAccessHistory } from '../../domain/credential/access-history.js';
import { issueKtpToken } from '../../domain/credential/ktp-token.js';
import { readKtpQrStatus } from '../../domain/credential/qr-status.js';
import { changePin, deleteAccount, residentKtp, residentProfile } from '../../domain/holder/resident.js';
import { lockOwnAccount } from '../../domain/holder/kunci.js';
import { listDataUsers, setDataUserBlocked } from '../../domain/holder/data-users.js';
import { readPreferences, updatePreferences } from '../../domain/holder/preferences.js';
import { exportHolderData } from '../../domain/holder/export.js';
import { currentResident, currentResidentToken, requireResident, requireResidentToken } from '../auth/resident.js';
import type { AppEnv } from '../context.js';
import { AppError } from '../../errors.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, queryParams } from '../validate.js';

const pin = z.string().min(1).max(64);

const profileSchema = z.object({
  nik: z.string(),
  name: z.string(),
  status: z.string(),
  email: z.string().describe('masked, e.g. b***i@gmail.com'),
  phone: z.string().describe('masked, e.g. +628*******890'),
  activatedAt: z.string(),
  timeZone: z.enum(['WIB', 'WITA', 'WIT']).describe('the holder’s Indonesian time zone (from the NIK’s province), for showing times'),
});

const addressSchema = z.object({
  street: z.string(),
  rt: z.string(),
  rw: z.string(),
  village: z.string(),
  district: z.string(),
  regency: z.string(),
  province: z.string(),
});

const ktpSchema = z.object({
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
  photo: z.string().nullable().describe('data URL of the KTP-el photo on record'),
});

const qrRequestSchema = z.object({
  pin,
  elements: z.array(z.enum(KTP_ELEMENTS)).min(1).max(KTP_ELEMENTS.length).optional().describe('default: all'),
  format: z.enum(['svg', 'png', 'none']).optional().describe('default: svg'),
});

const qrSchema = z.object({
  token: z.string().describe('173 base45 characters (docs/token-format.md)'),
  expiresAt: z.string(),
  ttlSeconds: z.literal(90),
  svg: z.string().optional(),
  png: z.string().optional().describe('data URL, only with format "png"'),
});

const historySchema = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      verifier: z.object({ id: z.string(), name: z.string() }),
      outcome: z.enum(['verified', 'expired', 'already_used', 'revoked', 'account_inactive', 'not_allowed', 'nothing_to_disclose', 'data_written', 'refused', 'login']).describe('login: the holder logged in to an online service with Masuk dengan IKD'),
      elements: z.array(z.string()),
      document: z.string().optional().describe('the document of a document QR'),
      counter: z.string().optional().describe('the desk that scanned it ("Loket 3"), as the counter sent it to POST /v1/verify'),
      data: z
        .object({ kind: z.string(), action: z.enum(['written', 'deleted']) })
        .optional()
        .describe('data_written only: the data-balikan record the institution wrote or deleted'),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const dataUserSchema = z.object({
  verifier: z.object({ id: z.string(), name: z.string() }),
  firstAccessAt: z.string().nullable(),
  lastAccessAt: z.string().nullable(),
  verifications: z.number().int(),
  blocked: z.boolean(),
});

const qrStatusSchema = z.object({
  status: z.enum(['live', 'used', 'expired', 'revoked']),
  usedAt: z.string().optional(),
  verifier: z.object({ name: z.string() }).optional(),
  counter: z.string().optional().describe('the desk that redeemed it, as sent to POST /v1/verify'),
});

export function meRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/me',
    describeRoute({
      summary: 'The resident’s account, e-mail and phone masked',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Profile', schema: profileSchema } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => c.json(await residentProfile(c.get('deps'), currentResident(c))),
  );

  app.get(
    '/v1/me/ktp',
    describeRoute({
      summary: 'The KTP for on-screen display: every element and the photo',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'KTP', schema: ktpSchema } },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    async (c) => c.json(await residentKtp(c.get('deps'), currentResident(c))),
  );

  app.post(
    '/v1/me/ktp/qr',
    describeRoute({
      summary: 'Issues the KTP QR token (90 s, single use); revokes the account’s earlier live tokens',
      tags: ['resident'],
      security: 'resident',
      responses: { 201: { description: 'Issued', schema: qrSchema } },
      errors: ['unauthorized', 'pin_invalid', 'account_locked', 'account_suspended', 'rate_limited'],
    }),
    requireResidentToken(),
    jsonBody(qrRequestSchema),
    async (c) => {
      const body = c.req.valid('json');
      const issued = await issueKtpToken(c.get('deps'), { credential: currentResidentToken(c), ...body });
      return c.json(issued, 201);
    },
  );

  app.get(
    '/v1/me/ktp/qr/status',
    describeRoute({
      summary: 'The holder’s own latest KTP QR: live, used (when, by which verifier and desk), expired or revoked',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Its state', schema: qrStatusSchema } },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    async (c) => c.json(await readKtpQrStatus(c.get('deps'), currentResident(c))),
  );

  app.get(
    '/v1/me/access-history',
    describeRoute({
      summary: 'Who verified this KTP, when, with what outcome and which elements; newest first',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'A page of the history', schema: historySchema } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    queryParams(z.object({ cursor: z.string().max(100).optional() })),
    async (c) => c.json(await listAccessHistory(c.get('deps'), { resident: currentResident(c), cursor: c.req.valid('query').cursor })),
  );

  const preferencesSchema = z.object({ scanNotifications: z.boolean().describe('e-mail the holder on every scan of their QR') });

  app.get(
    '/v1/me/preferences',
    describeRoute({
      summary: 'The holder’s preferences (per-scan e-mail on or off)',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Preferences', schema: preferencesSchema } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => c.json(await readPreferences(c.get('deps'), currentResident(c))),
  );

  app.put(
    '/v1/me/preferences',
    describeRoute({
      summary: 'Sets the holder’s preferences; scanNotifications false stops the per-scan e-mail',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Preferences', schema: preferencesSchema } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    jsonBody(preferencesSchema),
    async (c) => c.json(await updatePreferences(c.get('deps'), { resident: currentResident(c), ...c.req.valid('json') })),
  );

  app.get(
    '/v1/me/export',
    describeRoute({
      summary: 'Unduh data saya: everything held about the holder, as a JSON download',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'JSON attachment', schema: z.record(z.string(), z.unknown()) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => {
      const data = await exportHolderData(c.get('deps'), currentResident(c));
      return c.body(JSON.stringify(data, null, 2), 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="ikd-data-${data.exportedAt.slice(0, 10)}.json"`,
        'Cache-Control': 'no-store',
      });
    },
  );

  app.get(
    '/v1/me/data-users',
    describeRoute({
      summary: 'Siapa yang melihat data saya: every institution that scanned the holder, with its block state',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Data users', schema: z.object({ items: z.array(dataUserSchema) }) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => c.json(await listDataUsers(c.get('deps'), currentResident(c))),
  );

  app.put(
    '/v1/me/data-users/:verifierId',
    describeRoute({
      summary: 'Blocks or unblocks an institution: a blocked one’s scans answer 403 holder_refused (token not consumed)',
      tags: ['resident'],
      security: 'resident',
      responses: {
        200: { description: 'Set', schema: z.object({ verifier: z.object({ id: z.string(), name: z.string() }), blocked: z.boolean() }) },
      },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    jsonBody(z.object({ blocked: z.boolean() })),
    async (c) => {
      const verifierId = c.req.param('verifierId');
      if (verifierId.length > 100) throw new AppError('not_found');
      return c.json(await setDataUserBlocked(c.get('deps'), { resident: currentResident(c), verifierId, blocked: c.req.valid('json').blocked }));
    },
  );

  app.put(
    '/v1/me/pin',
    describeRoute({
      summary: 'Changes the PIN; the resident is e-mailed',
      tags: ['resident'],
      security: 'resident',
      responses: { 204: { description: 'Changed' } },
      errors: ['unauthorized', 'weak_pin', 'pin_invalid', 'account_locked', 'rate_limited'],
    }),
    requireResident(),
    jsonBody(z.object({ currentPin: pin, newPin: z.string().max(64) })),
    async (c) => {
      await changePin(c.get('deps'), { resident: currentResident(c), ...c.req.valid('json') });
      return c.body(null, 204);
    },
  );

  app.post(
    '/v1/me/lock',
    describeRoute({
      summary: 'Kunci: locks the IKD (sessions end, live QR tokens revoked) until POST /v1/auth/unlock',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Locked', schema: z.object({ status: z.literal('self_locked') }) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => c.json(await lockOwnAccount(c.get('deps'), currentResident(c))),
  );

  app.delete(
    '/v1/me',
    describeRoute({
      summary: 'Deletes the IKD: devices, sessions and tokens revoked; the resident is e-mailed',
      tags: ['resident'],
      security: 'resident',
      responses: { 204: { description: 'Deleted' } },
      errors: ['unauthorized', 'pin_invalid', 'account_locked', 'rate_limited'],
    }),
    requireResident(),
    jsonBody(z.object({ pin })),
    async (c) => {
      await deleteAccount(c.get('deps'), { resident: currentResident(c), pin: c.req.valid('json').pin });
      return c.body(null, 204);
    },
  );

  return app;
}
