/** The public-service counter's routes: check its API key, and redeem a KTP QR token once and receive what this counter may see. */
import { Hono } from 'hono';
import { z } from 'zod';
import { redeemKtpToken } from '../../domain/credential/redemption.js';
import { findVerifierByKey } from '../../domain/verifiers/verifiers.js';
import { KTP_ELEMENTS } from '../../crypto/token-codec.js';
import { AppError } from '../../errors.js';
import { currentVerifier, requireVerifierKey } from '../auth/verifier.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const verifySchema = z.object({
  // Any string up to a sane size: what is not a token of ours is a logged 400 token_invalid, not a schema error.
  token: z.string().max(1000),
  counter: z.string().trim().min(1).max(100).optional().describe('which desk scanned it, for the access log'),
});

const verificationSchema = z.object({
  verifiedAt: z.string(),
  document: z
    .object({ type: z.string(), number: z.string(), issuedOn: z.string(), fields: z.record(z.string(), z.unknown()) })
    .optional()
    .describe('only for a document QR (token version 2); the document as printed'),
  resident: z.record(z.string(), z.unknown()).describe('the elements both the token and this verifier allow'),
  photo: z.string().optional().describe('JPEG data URL (data:image/jpeg;base64,…), longer side ≤ 160 px, the verifier name and the time burned in; PNG on a Workers deployment'),
});

export function verifyRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/verify',
    describeRoute({
      summary: 'Redeems a KTP or document QR token (single use); every attempt is written to the holder’s access log',
      description:
        'A document this verifier may not receive is 403 document_not_allowed, a KTP token without any element this verifier may see 403 nothing_to_disclose, a verifier the holder blocked 403 holder_refused; none consumes the token.',
      tags: ['verifier'],
      security: 'verifier',
      responses: { 200: { description: 'Verified', schema: verificationSchema } },
      errors: ['verifier_unauthorized', 'token_invalid', 'token_expired', 'token_already_used', 'token_revoked', 'account_inactive', 'holder_refused', 'document_not_allowed', 'nothing_to_disclose'],
    }),
    requireVerifierKey(),
    jsonBody(verifySchema),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await redeemKtpToken(c.get('deps'), { verifier: currentVerifier(c), token: body.token, counter: body.counter }));
    },
  );

  app.get(
    '/v1/verifier/me',
    describeRoute({
      summary: 'The verifier this API key belongs to: a counter checks its key when it is entered',
      tags: ['verifier'],
      security: 'verifier',
      responses: {
        200: {
          description: 'The key is valid',
          schema: z.object({
            id: z.string(),
            name: z.string(),
            allowedElements: z.array(z.enum(KTP_ELEMENTS)),
            allowedDocuments: z.array(z.string()),
            dataBalikanKinds: z.array(z.string()).describe('the data-balikan kinds this key may write'),
          }),
        },
      },
      errors: ['verifier_unauthorized'],
    }),
    requireVerifierKey(),
    async (c) => {
      const verifier = await findVerifierByKey(c.get('deps'), currentVerifier(c));
      if (!verifier) throw new AppError('verifier_unauthorized');
      c.header('Cache-Control', 'no-store');
      return c.json(verifier);
    },
  );

  return app;
}
