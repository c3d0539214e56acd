/** The holder's preferences: for now whether each scan of their QR is e-mailed (API.md Part 2, "A notice per scan"). */
import { eq } from 'drizzle-orm';
import { accounts } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from '../credential/login.js';

export interface Preferences {
  scanNotifications: boolean;
}

/** GET /v1/me/preferences */
export async function readPreferences(deps: Pick<Deps, 'db'>, resident: ResidentPrincipal): Promise<Preferences> {
  const [row] = await deps.db.select({ scanNotifications: accounts.scanNotifications }).from(accounts).where(eq(accounts.id, resident.accountId));
  if (!row) throw new AppError('unauthorized');
  return row;
}

/** PUT /v1/me/preferences: the redemption statement reads the flag, so the next scan already follows it. */
export async function updatePreferences(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { resident: ResidentPrincipal; scanNotifications: boolean },
): Promise<Preferences> {
  const [row] = await deps.db
    .update(accounts)
    .set({ scanNotifications: input.scanNotifications, updatedAt: deps.clock.now() })
    .where(eq(accounts.id, input.resident.accountId))
    .returning({ scanNotifications: accounts.scanNotifications });
  if (!row) throw new AppError('unauthorized');
  return row;
}
