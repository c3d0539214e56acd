/** Who an account's notices go to, in which language and with which name: from the registration that activated it. */
import { desc, eq } from 'drizzle-orm';
import { accounts, registrations } from '../db/schema/index.js';
import type { DbOrTx } from '../db/types.js';
import { zoneOfProvince, type IndonesianZone } from '../domain/local-time.js';
import type { EmailLang } from './templates.js';

export interface AccountRecipient {
  to: string;
  name: string;
  lang: EmailLang;
  /** The holder's time zone, from the NIK's province. */
  zone: IndonesianZone;
}

/**
 * The account's current e-mail address; the name and language of its latest activated registration (accounts keep
 * neither). Null for an unknown account. For the PIN-changed and account-deleted notices too.
 */
export async function accountRecipient(db: DbOrTx, accountId: string): Promise<AccountRecipient | null> {
  const [account] = await db.select({ email: accounts.email, nik: accounts.nik }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  if (!account) return null;
  const [registration] = await db
    .select({ name: registrations.name, lang: registrations.lang })
    .from(registrations)
    .where(eq(registrations.accountId, accountId))
    .orderBy(desc(registrations.createdAt))
    .limit(1);
  return { to: account.email, name: registration?.name ?? '', lang: registration?.lang ?? 'id', zone: zoneOfProvince(account.nik) };
}
