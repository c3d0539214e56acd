/**
 * The authorize page's status as server-sent events (GET /oidc/authorize/{id}/status, Accept: text/event-stream): the
 * first event is the current status, the next one the decision (with the redirect), then the stream closes; expiry
 * closes it too; without the browser's cookie there is no stream, only the 404 problem. The plain JSON answer stays.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createActiveResident } from '../helpers/resident.js';
import { approve, createTestOidcClient, decide, discover, startLogin } from '../helpers/oidc.js';

let ctx: TestContext;
let rp: Awaited<ReturnType<typeof createTestOidcClient>>;
let config: client.Configuration;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set(new Date());
  rp = await createTestOidcClient(ctx, { name: 'Layanan Uji Stream', redirectUris: ['https://stream.test/callback'] });
  config = await discover(ctx, rp.clientId, client.ClientSecretBasic(rp.clientSecret!));
});
afterAll(async () => {
  await ctx.close();
});

const stream = (id: string, cookie?: string) =>
  ctx.app.request(`/oidc/authorize/${id}/status`, { headers: { Accept: 'text/event-stream', ...(cookie ? { Cookie: cookie } : {}) } });

/** Reads the stream's events (event + parsed data) one by one; `done` once the server closed it. */
function events(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let closed = false;
  return {
    comments: 0,
    async next(): Promise<{ event: string; data: { status: string; redirectTo?: string } } | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            this.comments += 1;
            continue;
          }
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
          return { event, data: JSON.parse(data) };
        }
        if (closed) return null;
        const { value, done } = await reader.read();
        if (done) closed = true;
        else buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('status as server-sent events', () => {
  it('pending first, then the approval with the redirect (code and state), then the stream closes', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    const res = await stream(login.id, login.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(res.headers.get('X-Accel-Buffering')).toBe('no');
    const reader = events(res);
    expect(await reader.next()).toEqual({ event: 'status', data: { status: 'pending' } });

    expect((await approve(ctx, resident, login.id)).status).toBe(200);
    const decided = await reader.next();
    expect(decided?.event).toBe('status');
    expect(decided?.data.status).toBe('approved');
    const landing = new URL(decided!.data.redirectTo!);
    expect(landing.origin + landing.pathname).toBe(rp.redirectUri);
    expect(landing.searchParams.get('state')).toBe(login.state);
    expect(landing.searchParams.get('code')).toMatch(/.{20,}/);
    expect(await reader.next()).toBeNull();
  });

  it('a denial arrives as access_denied and closes the stream', async () => {
    const resident = await createActiveResident(ctx);
    const login = await startLogin(ctx, config, rp.redirectUri);
    const reader = events(await stream(login.id, login.cookie));
    expect((await reader.next())?.data.status).toBe('pending');
    expect((await decide(ctx, resident, login.id, { decision: 'deny' })).status).toBe(200);
    const denied = await reader.next();
    expect(denied?.data.status).toBe('denied');
    expect(new URL(denied!.data.redirectTo!).searchParams.get('error')).toBe('access_denied');
    expect(await reader.next()).toBeNull();
  });

  it('expiry ends the stream with expired', async () => {
    const login = await startLogin(ctx, config, rp.redirectUri);
    const reader = events(await stream(login.id, login.cookie));
    expect((await reader.next())?.data.status).toBe('pending');
    ctx.clock.advance(6 * 60_000);
    const expired = await reader.next();
    expect(expired?.data.status).toBe('expired');
    expect(new URL(expired!.data.redirectTo!).searchParams.get('error')).toBe('access_denied');
    expect(await reader.next()).toBeNull();
    ctx.clock.set(new Date());
  });

  it('without the browser’s cookie: the 404 problem, no stream; the JSON answer is unchanged', async () => {
    const login = await startLogin(ctx, config, rp.redirectUri);
    const stranger = await stream(login.id);
    expect(stranger.status).toBe(404);
    expect(stranger.headers.get('Content-Type')).toMatch(/problem\+json/);
    expect(((await stranger.json()) as { code: string }).code).toBe('not_found');
    const other = await stream(login.id, '__Host-ikd_oidc=someoneelse');
    expect(other.status).toBe(404);

    const plain = await ctx.app.request(`/oidc/authorize/${login.id}/status`, { headers: { Cookie: login.cookie } });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Type')).toMatch(/application\/json/);
    expect(await plain.json()).toEqual({ status: 'pending' });
  });
});
