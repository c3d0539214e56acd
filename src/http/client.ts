/**
 * Who is calling: the client IP for per-IP rate limits. On Node it is the socket's peer address — a header
 * is not trusted there, or anyone could pick their own rate-limit bucket. Only where there is no socket
 * (Workers, where Cloudflare sets cf-connecting-ip and strips a client's own) is the header used.
 */
import type { Context } from 'hono';

export function clientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress;
  if (peer) return peer;
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}
