/** Where the outbox delivers: the development mailbox (the outbox table itself) or Resend's API through its SDK. */
import { Resend } from 'resend';
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
  /** The API base, from RESEND_BASE_URL through src/config.ts; passed to the SDK's own `baseUrl` option. */
  baseUrl: string;
  from: string;
  timeoutMs?: number;
}

/**
 * Resend through its SDK (`resend` on npm): one `emails.send` per attempt, the outbox's idempotency key through the
 * SDK's `idempotencyKey` option (sent as the Idempotency-Key header), so a retry never delivers twice.
 * The SDK resolves with `{ error }` instead of throwing: an error with an HTTP status is "provider answered HTTP n",
 * one without (the SDK could not reach the API, or the timeout aborted it) is a network error; the outbox retries both.
 */
export function resendTransport(options: ResendOptions): MailTransport {
  const client = new Resend(options.apiKey, { baseUrl: options.baseUrl.replace(/\/+$/, '') });
  return {
    name: 'resend',
    async send(message) {
      let result: Awaited<ReturnType<typeof client.emails.send>>;
      try {
        result = await client.emails.send(
          { from: options.from, to: [message.to], subject: message.subject, text: message.text, html: message.html },
          { idempotencyKey: message.idempotencyKey, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) },
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        throw new DeliveryError(`network error (${name})`);
      }
      if (result.error) {
        const status = typeof result.error.statusCode === 'number' ? result.error.statusCode : undefined;
        if (status !== undefined) throw new DeliveryError(`provider answered HTTP ${status}`, status);
        const name = String(result.error.name).slice(0, 60);
        throw new DeliveryError(name === 'application_error' ? `network error (${name})` : `provider refused (${name})`);
      }
      const id = result.data?.id;
      return { providerMessageId: typeof id === 'string' ? id.slice(0, 200) : undefined };
    },
  };
}

/** The transport the configuration asks for: Resend when RESEND_API_KEY is set, else the dev mailbox. */
export function transportFor(config: Config, logger: Logger): MailTransport {
  const { resendApiKey, resendBaseUrl, from } = config.mail;
  if (resendApiKey) return resendTransport({ apiKey: resendApiKey, baseUrl: resendBaseUrl, from });
  return devMailboxTransport(logger);
}
