/**
 * Who is calling: the client address for per-IP rate limits and login locks. By default the socket's peer —
 * a header is believed only as far as TRUST_PROXY says (a hop count, or proxies in trusted CIDR ranges), or
 * anyone could pick their own bucket. On Workers, Cloudflare's CF-Connecting-IP (it drops a client's own).
 */
import type { Context } from 'hono';
import type { TrustProxy } from '../config.js';
import type { AppEnv } from './context.js';
import { cidrContains, formatIp, parseIp } from './ip.js';

export function clientIp(c: Context<AppEnv>): string {
  const { trustProxy } = c.get('deps').config;
  const cloudflare = () => c.req.header('cf-connecting-ip') ?? 'unknown';
  if (trustProxy.kind === 'cloudflare') return cloudflare();
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress;
  // No socket: a runtime without one (Workers, in-memory requests), where only the platform's header exists.
  if (!peer) return cloudflare();
  return clientAddress({ peer, header: (name) => c.req.header(name), trustProxy });
}

/** Addresses the request passed through, oldest first, from X-Forwarded-For or else Forwarded (RFC 7239). */
export function forwardedChain(header: (name: string) => string | undefined): string[] {
  const xff = header('x-forwarded-for');
  if (xff !== undefined) return xff.split(',').map((a) => stripPort(a.trim())).filter((a) => a !== '');
  const forwarded = header('forwarded');
  if (forwarded === undefined) return [];
  return forwarded
    .split(',')
    .map((element) => {
      const pair = element.split(';').map((p) => p.trim()).find((p) => /^for=/i.test(p));
      return pair ? stripPort(pair.slice(4).replace(/^"|"$/g, '')) : '';
    })
    .filter((a) => a !== '');
}

/** "[2001:db8::1]:443" → "2001:db8::1", "203.0.113.7:5000" → "203.0.113.7". */
function stripPort(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  return v4WithPort ? v4WithPort[1]! : value;
}

const normalized = (address: string) => {
  const ip = parseIp(address);
  return ip ? formatIp(ip) : address;
};

/** The client address given the socket peer, the headers and the trust setting (pure, for tests). */
export function clientAddress(input: { peer: string; header: (name: string) => string | undefined; trustProxy: TrustProxy }): string {
  const { peer, trustProxy } = input;
  if (trustProxy.kind === 'off' || trustProxy.kind === 'cloudflare') return normalized(peer);
  const chain = [...forwardedChain(input.header), peer];
  if (trustProxy.kind === 'hops') return normalized(chain[Math.max(0, chain.length - 1 - trustProxy.hops)]!);
  // From the right: skip every trusted proxy; the first address a trusted proxy saw but does not vouch for is the client.
  let i = chain.length - 1;
  while (i > 0) {
    const ip = parseIp(chain[i]!);
    if (!ip || !trustProxy.ranges.some((range) => cidrContains(range, ip))) break;
    i -= 1;
  }
  return normalized(chain[i]!);
}
