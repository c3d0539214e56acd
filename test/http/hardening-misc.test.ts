/** Issue #15.12: HSTS in production only, no link token in the language switch, server timeouts. */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureServerTimeouts } from '../../src/server-timeouts.js';
import { createTestContext, testConfig, type TestContext } from '../helpers/context.js';

let dev: TestContext;
let prod: TestContext;

beforeAll(async () => {
  dev = await createTestContext();
  prod = await createTestContext({ database: dev.deps.database, deps: { config: { ...testConfig(), env: 'production' } } });
});
afterAll(async () => {
  await dev.close();
});

describe('Strict-Transport-Security', () => {
  it('is sent in production mode only', async () => {
    const inProd = await prod.app.request('/openapi.json');
    expect(inProd.status).toBe(200);
    expect(inProd.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    const inDev = await dev.app.request('/openapi.json');
    expect(inDev.status).toBe(200);
    expect(inDev.headers.get('Strict-Transport-Security')).toBeNull();
  });
});

describe('/activate language switch', () => {
  it('does not carry the link token back into a URL', async () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345abcdefghijk';
    const res = await dev.app.request(`/activate?t=${token}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const switchLink = /<a class="lang-switch" href="([^"]*)"/.exec(html)?.[1];
    expect(switchLink).toBeDefined();
    expect(switchLink).toContain('lang=en');
    expect(switchLink).not.toContain('t=');
    expect(switchLink).not.toContain(token);
  });
});

describe('Node server timeouts', () => {
  it('a whole request within 30 s, its headers within 20 s', () => {
    const server = configureServerTimeouts(createServer());
    expect(server.requestTimeout).toBe(30_000);
    expect(server.headersTimeout).toBe(20_000);
  });
});
