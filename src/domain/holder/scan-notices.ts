/**
 * Per-scan notices: the redemption statement writes each attempt's notice as an outbox draft (redemption.ts); this
 * renders drafts into the holder's e-mail — who, when in the holder's own zone (WIB/WITA/WIT), what, the outcome —
 * with a new single-use lock link, and hands them to delivery (status pending). The outbox worker runs it before
 * every delivery round, so a notice goes out within the worker's poll (1 s on Node, the minute cron on Workers).
 */
import { sql } from 'drizzle-orm';
import { accessLog, accounts, outbox, verifiers } from '../../db/schema/index.js';
import { queryRows } from '../../db/types.js';
import type { Deps } from '../../deps.js';
import { accountRecipient } from '../../email/recipient.js';
import { renderEmail } from '../../email/templates.js';
import { formatHolderTime } from '../local-time.js';
import { createLockLink } from './kunci.js';

export const NOTICE_RENDER_BATCH = 50;

type Draft = {
  id: string;
  at: string | Date;
  outcome: string;
  elements: string[];
  document: string | null;
  counter: string | null;
  account_id: string;
  nik: string;
  account_status: string;
  verifier_name: string;
};

/**
 * Renders up to `limit` drafts in one transaction (claimed FOR UPDATE SKIP LOCKED: several workers share them);
 * the lock link row and the rendered e-mail commit together. A draft whose holder was deleted meanwhile is dropped:
 * the address it was written with is erased. Returns how many drafts it rendered.
 */
export async function renderScanNotices(deps: Pick<Deps, 'db' | 'clock' | 'config'>, limit = NOTICE_RENDER_BATCH): Promise<number> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const drafts = await queryRows<Draft>(
      tx,
      sql`select o.id, l.at, l.outcome, l.elements, l.document, l.counter, a.id as account_id, a.nik, a.status as account_status,
                 v.name as verifier_name
          from ${outbox} o
            join ${accessLog} l on l.seq = o.access_seq
            join ${accounts} a on a.id = l.account_id
            join ${verifiers} v on v.id = l.verifier_id
          where o.status = 'draft'
          order by o.seq
          limit ${limit}
          for update of o skip locked`,
    );
    let rendered = 0;
    for (const draft of drafts) {
      if (draft.account_status === 'deleted') {
        await queryRows(tx, sql`delete from ${outbox} where id = ${draft.id} returning id`);
        continue;
      }
      const recipient = await accountRecipient(tx, draft.account_id);
      if (!recipient) continue;
      const link = await createLockLink(tx, draft.account_id, now);
      const mail = renderEmail('scan_notice', recipient.lang, {
        name: recipient.name,
        localTime: formatHolderTime(new Date(draft.at), draft.nik, recipient.lang),
        verifierName: draft.verifier_name,
        ...(draft.counter ? { counter: draft.counter } : {}),
        elements: draft.elements,
        ...(draft.document ? { document: draft.document } : {}),
        outcome: draft.outcome,
        lockLink: `${deps.config.publicBaseUrl}/lock?t=${encodeURIComponent(link.token)}`,
        lockExpiresAt: formatHolderTime(link.expiresAt, draft.nik, recipient.lang),
      });
      await queryRows(
        tx,
        sql`update ${outbox} set subject = ${mail.subject}, text = ${mail.text}, html = ${mail.html}, status = 'pending',
              next_attempt_at = ${now.toISOString()}::timestamptz
            where id = ${draft.id} and status = 'draft' returning id`,
      );
      rendered++;
    }
    return rendered;
  });
}
