/** Where the outbox delivers: the development mailbox (the outbox table itself) or Resend's HTTP API. */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

export interface OutgoingEmail {
  id: string;
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
}

export interface MailTransport {
  readonly name: 'dev_mailbox' | 'resend';
  /** Resolves when the provider accepted the message; throws DeliveryError (or anything) to have it retried. */
  send(message: OutgoingEmail): Promise<{ providerMessageId?: string }>;
}

/** A failed delivery. The message says what went wrong without any of the e-mail's content or the API key. */
export class DeliveryError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * Development: the mailbox page reads the outbox table, so "delivering" only marks the message as arrived.
 * The log says that a message arrived (id, template), never its content: it holds activation codes.
 */
export function devMailboxTransport(logger: Logger): MailTransport {
  return {
    name: 'dev_mailbox',
    async send(message) {
      logger.info('e-mail arrived in the dev mailbox', { messageId: message.id, template: message.template });
      return { providerMessageId: `dev-${message.id}` };
    },
  };
}

export interface ResendOptions {
  apiKey: string;
  baseUrl: string;
  from: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Resend (https://resend.com/docs/api-reference/emails/send-email): one POST per attempt, same Idempotency-Key each time. */
export function resendTransport(options: ResendOptions): MailTransport {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/emails`;
  return {
    name: 'resend',
    async send(message) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${options.apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': message.idempotencyKey,
          },
          body: JSON.stringify({
            from: options.from,
            to: [message.to],
            subject: message.subject,
            text: message.text,
            html: message.html,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        throw new DeliveryError(`network error (${name})`);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new DeliveryError(`provider answered HTTP ${response.status}`, response.status);
      }
      const body = (await response.json().catch(() => ({}))) as { id?: unknown };
      return { providerMessageId: typeof body.id === 'string' ? body.id.slice(0, 200) : undefined };
    },
  };
}

/** The transport the configuration asks for: Resend when RESEND_API_KEY is set, else the dev mailbox. */
export function transportFor(config: Config, logger: Logger): MailTransport {
  const { resendApiKey, resendBaseUrl, from } = config.mail;
  if (resendApiKey) return resendTransport({ apiKey: resendApiKey, baseUrl: resendBaseUrl, from });
  return devMailboxTransport(logger);
}
