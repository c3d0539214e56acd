/**
 * The video call as the registrant's page sees it (SOP step 3 by video): while an operator's call for the registration
 * is open, the registrant's own device, by a signed request, reads the room link and the liveness phrase to say.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import { videoCalls } from '../../db/schema/index.js';
import type { DbOrTx } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { signedPendingRegistration } from './registration-qr.js';

export interface RegistrantVideoCall {
  roomUrl: string;
  livenessPhrase: string;
  expiresAt: string;
}

/** The registration's newest unexpired call (video_calls_registration_idx), or null. */
export async function openVideoCall(db: DbOrTx, registrationId: string, now: Date) {
  const [call] = await db
    .select({ roomUrl: videoCalls.roomUrl, livenessPhrase: videoCalls.livenessPhrase, expiresAt: videoCalls.expiresAt })
    .from(videoCalls)
    .where(and(eq(videoCalls.registrationId, registrationId), gt(videoCalls.expiresAt, now)))
    .orderBy(desc(videoCalls.expiresAt))
    .limit(1);
  return call ?? null;
}

/**
 * POST /v1/registrations/{id}/video-call: signed like the registration QR (purpose registration_qr), because the room
 * name is all that keeps strangers out of the call; the registration id alone, which the status poll takes, is not
 * enough. 404 not_found when no call is open; 409 registration_not_pending once the registration was decided.
 */
export async function readRegistrantVideoCall(
  deps: Deps,
  input: { registrationId: string; challengeId: string; signature: string },
): Promise<RegistrantVideoCall> {
  const now = deps.clock.now();
  const registration = await signedPendingRegistration(deps, input, now);
  const call = await openVideoCall(deps.db, registration.id, now);
  if (!call) throw new AppError('not_found');
  return { roomUrl: call.roomUrl, livenessPhrase: call.livenessPhrase, expiresAt: call.expiresAt.toISOString() };
}
