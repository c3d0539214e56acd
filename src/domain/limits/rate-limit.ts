/** Fixed-window rate limits kept in PostgreSQL, so every process behind the load balancer shares them. */
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../../db/schema/index.js';
import { queryRows, type DbOrTx } from '../../db/types.js';
import { AppError } from '../../errors.js';

export interface RateLimitRule {
  /** e.g. "login:ip:203.0.113.7" or "login:nik:<hash>" */
  key: string;
  limit: number;
  windowSeconds: number;
}

/** The fixed window `now` falls in, and the seconds until it ends (a 429's Retry-After). */
export function rateLimitWindow(rule: Pick<RateLimitRule, 'windowSeconds'>, now: Date): { windowStart: Date; retryAfter: number } {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  return { windowStart, retryAfter: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)) };
}

/** Counts one hit atomically; returns whether it is within the limit and how long until the window ends. */
export async function hitRateLimit(db: DbOrTx, rule: RateLimitRule, now: Date): Promise<{ allowed: boolean; count: number; retryAfter: number }> {
  const { windowStart, retryAfter } = rateLimitWindow(rule, now);
  // postgres.js cannot bind a Date in raw SQL (drizzle only converts them in the query builder): pass ISO text.
  const rows = await queryRows<{ count: number }>(
    db,
    sql`insert into ${rateLimits} (key, window_start, count) values (${rule.key}, ${windowStart.toISOString()}::timestamptz, 1)
        on conflict (key, window_start) do update set count = ${rateLimits.count} + 1
        returning count`,
  );
  const count = Number(rows[0]?.count ?? 1);
  return { allowed: count <= rule.limit, count, retryAfter };
}

/** Throws 429 rate_limited (with Retry-After) when any rule is exceeded. */
export async function enforceRateLimits(db: DbOrTx, rules: RateLimitRule[], now: Date): Promise<void> {
  for (const rule of rules) {
    const result = await hitRateLimit(db, rule, now);
    if (!result.allowed) throw new AppError('rate_limited', { retryAfter: result.retryAfter });
  }
}

/** Drops finished windows; the maintenance loop calls it. */
export async function sweepRateLimits(db: DbOrTx, now: Date, keepSeconds = 3600): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now.getTime() - keepSeconds * 1000)));
}
