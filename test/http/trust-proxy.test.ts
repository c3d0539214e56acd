/** Issue #15.2: per-IP limits behind proxies: X-Forwarded-For / Forwarded count only as far as TRUST_PROXY says. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';

let ctx: TestContext | undefined;
afterEach(async () => {
  await ctx?.close();
  ctx = undefined;
});

/** As @hono/node-server hands it: the socket peer on env.incoming. */
const fromSocket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

/** 31 logins (distinct unknown usernames, so only the per-IP limit of 20 a minute can trip) with 31 forwarded clients. */
async function loginsThroughProxy(context: TestContext, peer: string, forwarded: (i: number) => Record<string, string>) {
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) {
    const res = await context.app.request(
      '/v1/operator/login',
      jsonRequest('POST', { username: `proxy.${i}.${Math.random().toString(36).slice(2, 6)}`, password: 'wrong-password', otp: '123456' }, forwarded(i)),
      fromSocket(peer),
    );
    statuses.push(res.status);
  }
  return statuses;
}

const xff = (i: number) => ({ 'X-Forwarded-For': `198.51.100.${i + 1}` });

describe('TRUST_PROXY', () => {
  it('unset: 31 X-Forwarded-For values from one socket address share one bucket (429)', async () => {
    ctx = await createTestContext();
    const statuses = await loginsThroughProxy(ctx, '10.0.0.5', xff);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });

  it('a hop count (1): each forwarded client has its own bucket', async () => {
    ctx = await createTestContext({ config: { TRUST_PROXY: '1' } });
    const statuses = await loginsThroughProxy(ctx, '10.0.0.5', xff);
    expect(statuses.every((s) => s === 401)).toBe(true);
  });

  it('a trusted CIDR peer: its X-Forwarded-For and Forwarded headers name the client', async () => {
    ctx = await createTestContext({ config: { TRUST_PROXY: '10.0.0.0/8,127.0.0.1/32' } });
    const statuses = await loginsThroughProxy(ctx, '10.0.0.5', (i) =>
      i % 2 === 0 ? xff(i) : { Forwarded: `for="[2001:db8::${(i + 1).toString(16)}]:4711";proto=https` },
    );
    expect(statuses.every((s) => s === 401)).toBe(true);
  });

  it('a spoofed header from an untrusted peer is ignored: one bucket (429)', async () => {
    ctx = await createTestContext({ config: { TRUST_PROXY: '10.0.0.0/8' } });
    const statuses = await loginsThroughProxy(ctx, '203.0.113.9', (i) => ({ ...xff(i), Forwarded: `for=192.0.2.${i + 1}` }));
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const limited = await ctx.app.request(
      '/v1/operator/login',
      jsonRequest('POST', { username: 'proxy.last', password: 'wrong-password', otp: '123456' }, xff(99)),
      fromSocket('203.0.113.9'),
    );
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
  });
});
