/** TOTP (RFC 6238, SHA-1, 6 digits, 30 s: what authenticator apps expect) for operator logins, via otplib v13. */
import { generate, generateSecret, generateURI, verify } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ISSUER = 'IKD Dukcapil';

/** A new Base32 secret of 20 random bytes (160 bits, RFC 4226's recommendation). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The otpauth:// URI an authenticator app scans. */
export const totpUri = (username: string, secret: string): string =>
  generateURI({ issuer: TOTP_ISSUER, label: username, secret, period: TOTP_PERIOD_SECONDS });

const epochOf = (at: Date) => Math.floor(at.getTime() / 1000);

/** The time step `at` falls in. */
export const totpStep = (at: Date): number => Math.floor(epochOf(at) / TOTP_PERIOD_SECONDS);

/** The code for time `at` (tests and the dev console use it). */
export const totpCode = (secret: string, at: Date): Promise<string> =>
  generate({ secret, epoch: epochOf(at), period: TOTP_PERIOD_SECONDS });

/**
 * The time step a code belongs to, or null when it matches none. One step either side is accepted for clock drift
 * between the authenticator and the server. Whether that step was already used is the caller's (database's) call.
 */
export async function matchTotp(secret: string, code: string, at: Date): Promise<number | null> {
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: epochOf(at),
      period: TOTP_PERIOD_SECONDS,
      epochTolerance: TOTP_PERIOD_SECONDS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    // otplib throws on malformed tokens (length, characters): for us that is simply a wrong code.
    return null;
  }
}
