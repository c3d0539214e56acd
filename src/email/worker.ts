/** Delivers the outbox: claims due messages (SKIP LOCKED + a lease), sends them, retries with backoff and jitter. */
import { eq, sql } from 'drizzle-orm';
import { outbox } from '../db/schema/index.js';
import { queryRows } from '../db/types.js';
import type { Deps } from '../deps.js';
import { renderScanNotices } from '../domain/holder/scan-notices.js';
import { DeliveryError, type MailTransport, type OutgoingEmail } from './transports.js';

export interface OutboxWorkerOptions {
  batchSize?: number;
  /** How long a claim holds; a worker that crashed mid-delivery loses its claim after this. */
  leaseMs?: number;
  /** Attempts before a message is given up as failed. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** 0 ≤ x < 1; tests pass a fixed one. */
  random?: () => number;
}

export const OUTBOX_DEFAULTS = {
  batchSize: 10,
  // Longer than a whole batch of slow deliveries (10 × the 10 s transport timeout), so a live worker keeps its claim.
  leaseMs: 5 * 60_000,
  // Resend keeps idempotency keys for 24 h: the whole retry schedule (~1.7 h) stays well inside it.
  maxAttempts: 12,
  baseDelayMs: 5_000,
  maxDelayMs: 30 * 60_000,
} as const;

export interface DeliveryRound {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many messages spread out. */
export function retryDelayMs(attempts: number, options: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + options.random() * (exp / 2));
}

type ClaimedRow = {
  id: string;
  idempotency_key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  attempts: number;
};

export function createOutboxWorker(deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>, transport: MailTransport, options: OutboxWorkerOptions = {}) {
  const o = { ...OUTBOX_DEFAULTS, random: Math.random, ...options };
  const { db, clock, logger } = deps;

  /** Claims due messages in one statement; SKIP LOCKED lets several workers (processes) share the table. */
  async function claimDue(): Promise<(OutgoingEmail & { attempts: number })[]> {
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + o.leaseMs);
    const rows = await queryRows<ClaimedRow>(
      db,
      sql`update ${outbox} set lease_until = ${leaseUntil.toISOString()}::timestamptz, attempts = attempts + 1
          where id in (
            select id from ${outbox}
            where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz and (lease_until is null or lease_until <= ${now.toISOString()}::timestamptz)
            order by next_attempt_at
            limit ${o.batchSize}
            for update skip locked)
          returning id, idempotency_key, "to", subject, text, html, template, attempts`,
    );
    return rows.map((r) => ({
      id: r.id,
      idempotencyKey: r.idempotency_key,
      to: r.to,
      subject: r.subject,
      text: r.text,
      html: r.html,
      template: r.template,
      attempts: Number(r.attempts),
    }));
  }

  /** The deletion notice: once it is out (or given up), the erased holder's address and the text go too. */
  async function eraseIfAsked(id: string): Promise<void> {
    await queryRows(db, sql`update ${outbox} set "to" = '', subject = '', text = '', html = '' where id = ${id} and erase_after_send returning id`);
  }

  async function deliver(message: OutgoingEmail & { attempts?: number }): Promise<'sent' | 'retried' | 'failed'> {
    const attempts = message.attempts ?? 1;
    try {
      const { providerMessageId } = await transport.send(message);
      await db
        .update(outbox)
        .set({ status: 'sent', sentAt: clock.now(), leaseUntil: null, lastError: null, providerMessageId: providerMessageId ?? null })
        .where(eq(outbox.id, message.id));
      await eraseIfAsked(message.id);
      logger.info('e-mail delivered', { messageId: message.id, template: message.template, transport: transport.name, attempts });
      return 'sent';
    } catch (error) {
      // Only our own message or the error's class name: never the provider's body, the content or the key.
      const reason = error instanceof DeliveryError ? error.message : error instanceof Error ? error.name : 'unknown error';
      const now = clock.now();
      if (attempts >= o.maxAttempts) {
        await db.update(outbox).set({ status: 'failed', leaseUntil: null, lastError: reason }).where(eq(outbox.id, message.id));
        await eraseIfAsked(message.id);
        logger.error('e-mail delivery given up', { messageId: message.id, template: message.template, attempts, reason });
        return 'failed';
      }
      const delay = retryDelayMs(attempts, o);
      await db
        .update(outbox)
        .set({ nextAttemptAt: new Date(now.getTime() + delay), leaseUntil: null, lastError: reason })
        .where(eq(outbox.id, message.id));
      logger.warn('e-mail delivery failed, will retry', { messageId: message.id, template: message.template, attempts, reason, retryInMs: delay });
      return 'retried';
    }
  }

  /** One round: claim what is due and deliver it. Tests call this directly with the TestClock. */
  async function deliverDue(): Promise<DeliveryRound> {
    const round: DeliveryRound = { claimed: 0, sent: 0, retried: 0, failed: 0 };
    // Per-scan notice drafts become e-mails first, so they go out in this same round.
    await renderScanNotices(deps).catch((error: unknown) => {
      logger.warn('scan notices not rendered', { error: error instanceof Error ? error.message : String(error) });
    });
    const claimed = await claimDue();
    round.claimed = claimed.length;
    for (const message of claimed) round[await deliver(message)]++;
    return round;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref?.();
  }

  async function tick() {
    if (running) return;
    let busy = false;
    running = deliverDue()
      .then((r) => {
        busy = r.claimed === o.batchSize;
      })
      .catch((error: unknown) => {
        logger.warn('outbox round failed', { error: error instanceof Error ? error.message : String(error) });
      });
    await running;
    running = undefined;
    // A full batch means more may be waiting: go again at once.
    schedule(busy ? 0 : pollMs);
  }

  let pollMs = 1000;
  return {
    deliverDue,
    /** Polls every `intervalMs` until stop(). */
    start(intervalMs = 1000) {
      pollMs = intervalMs;
      stopped = false;
      schedule(0);
    },
    /** Runs a round soon (after an enqueue), instead of waiting for the next poll. */
    nudge() {
      if (!stopped && !running) schedule(0);
    },
    /** Stops polling and waits for the round in flight, so shutdown does not cut a delivery's bookkeeping. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
