/** Who is calling: the client IP for per-IP rate limits, on Node (socket) and Workers (cf-connecting-ip). */
import type { Context } from 'hono';

export function clientIp(c: Context): string {
  const cf = c.req.header('cf-connecting-ip');
  if (cf) return cf;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}
