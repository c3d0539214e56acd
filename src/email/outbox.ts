/** Enqueues e-mails into the outbox inside the caller's transaction: the e-mail exists exactly when the change does. */
import { newId, randomSecret } from '../crypto/secrets.js';
import { outbox } from '../db/schema/index.js';
import type { DbOrTx } from '../db/types.js';
import { renderEmail, type EmailData, type EmailLang, type EmailTemplate } from './templates.js';

export interface EnqueueEmail<T extends EmailTemplate> {
  to: string;
  template: T;
  lang: EmailLang;
  data: EmailData[T];
  now: Date;
}

/**
 * Renders the template and stores the message as pending. Call it with the transaction of the change that causes
 * the e-mail; the worker delivers it after commit. The idempotency key travels with every delivery attempt.
 */
export async function enqueueEmail<T extends EmailTemplate>(tx: DbOrTx, input: EnqueueEmail<T>): Promise<{ id: string }> {
  const rendered = renderEmail(input.template, input.lang, input.data);
  const id = newId('msg');
  await tx.insert(outbox).values({
    id,
    idempotencyKey: `ikd-${randomSecret(18)}`,
    to: input.to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    template: input.template,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: input.now,
    createdAt: input.now,
  });
  return { id };
}
