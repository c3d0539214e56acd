/**
 * Pindai in /app, in Chromium (issue #14 points 2 and 6, the holder's side): two browser contexts, the relying party's
 * login page on one and the holder's phone on the other. The holder pastes the text of the authorize page's QR (read
 * from the QR image as a camera would), sees the service and the claims, approves with the PIN, and the waiting page
 * lands on /dev/rp signed in. Also: a denial, the one-device link /app#pindai=auth.<id> through the login, a counter's
 * request (verify.<id>) shared with one element unticked, and an expired request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { jsonRequest } from '../helpers/context.js';
import { createActiveResident, createTestVerifier, verifierAuth, type ActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp, type WatchedPage } from './harness.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qrVideo, scanQrFrom } from './qr-image.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('Pindai in /app: login and counter requests', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
    // openid-client in /dev/rp judges the ID token's iat by the real clock.
    app.ctx.clock.set(new Date());
  });
  afterAll(async () => {
    await Promise.all(opened.map((w) => w.context.close()));
    await browser?.close();
    await app?.close();
  });

  async function open(path: string, on: Browser = browser): Promise<WatchedPage> {
    const watched = await newPage(on, { baseUrl: app.baseUrl });
    opened.push(watched);
    await watched.page.goto(path);
    return watched;
  }

  /** Context 1: /dev/rp → "Masuk dengan IKD" → the authorize page; its request id. */
  async function rpLogin(): Promise<{ rp: WatchedPage; id: string; statusAccepts: string[] }> {
    const rp = await open('/dev/rp');
    // How the waiting page asks for the status: server-sent events (one stream), not a poll every 1.5 s.
    const statusAccepts: string[] = [];
    rp.page.on('request', (request) => {
      if (/\/oidc\/authorize\/[^/]+\/status$/.test(new URL(request.url()).pathname)) statusAccepts.push(request.headers().accept ?? '');
    });
    await rp.page.click('#rp-login');
    await rp.page.waitForSelector('#oidc-authorize');
    return { rp, id: (await rp.page.getAttribute('#oidc-authorize', 'data-request-id'))!, statusAccepts };
  }

  async function logIn(page: Page, holder: ActiveResident) {
    await page.waitForSelector('#view-login:visible');
    await page.fill('#login-pin', holder.pin);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#view-home:visible');
  }

  /** Context 2: the holder's phone, logged in to /app, on the Pindai tab. */
  async function phone(holder: ActiveResident, on: Browser = browser): Promise<WatchedPage> {
    const watched = await open('/app', on);
    await installDevice(watched.page, holder);
    await watched.page.reload();
    await logIn(watched.page, holder);
    await watched.page.click('.tabs [data-tab=pindai]');
    await watched.page.waitForSelector('#tab-pindai:visible');
    return watched;
  }

  async function paste(page: Page, code: string) {
    await page.fill('#pindai-code', code);
    await page.click('#pindai-code-form button[type=submit]');
  }

  it('the holder pastes the QR of the login page, sees the service and the claims, approves with the PIN; the RP is signed in', async () => {
    const holder = await createActiveResident(app.ctx);
    const { rp, id, statusAccepts } = await rpLogin();
    const qrText = await scanQrFrom(rp.page.locator('#oidc-qr'));
    expect(qrText).toBe(`${app.baseUrl}/app#pindai=auth.${id}`);

    const { page, problems, expectedHttpErrors } = await phone(holder);
    await paste(page, qrText!);
    await page.waitForSelector('#pindai-request:visible');
    expect(await page.textContent('#pindai-asker')).toBe('Layanan Samsat Online (demo) meminta Anda masuk dengan IKD dan meminta data berikut:');
    const claims = await page.locator('#pindai-claims li').allTextContents();
    expect(claims).toContain('Nama, tanggal lahir, jenis kelamin');
    expect(claims).toContain('NIK');
    expect(await page.isVisible('#pindai-counter')).toBe(false);
    await screenshot(page, 'pindai-auth-request');

    // A wrong PIN: told at the field, the request still open.
    await page.fill('#pindai-pin', holder.pin === '111111' ? '222222' : '111111');
    await page.click('#pindai-approve');
    await expect.poll(() => page.textContent('#pindai-pin-error')).toContain('PIN salah');
    expect(await page.isVisible('#pindai-request')).toBe(true);
    expect(expectedHttpErrors.length).toBe(1);

    await page.fill('#pindai-pin', holder.pin);
    await page.click('#pindai-approve');
    await expect.poll(() => page.textContent('#pindai-status')).toContain('Disetujui. Anda masuk ke Layanan Samsat Online (demo)');
    expect(await page.isVisible('#pindai-request')).toBe(false);

    await rp.page.waitForURL(/\/dev\/rp\/callback/);
    await rp.page.waitForSelector('#rp-signed-in');
    const userinfo = await rp.page.textContent('#rp-userinfo');
    expect(userinfo).toContain(holder.nik);
    await screenshot(rp.page, 'pindai-rp-signed-in');
    expect(problems).toEqual([]);
    expect(rp.problems).toEqual([]);
    expect(statusAccepts).toEqual(['text/event-stream']);

    // The same code again: already decided.
    await paste(page, `auth.${id}`);
    await expect.poll(() => page.textContent('#pindai-status')).toMatch(/sudah diputuskan/);
  });

  it('a denial from Pindai lands the RP on access_denied', async () => {
    const holder = await createActiveResident(app.ctx);
    const { rp, id } = await rpLogin();
    const { page, problems } = await phone(holder);
    await paste(page, `auth.${id}`);
    await page.waitForSelector('#pindai-request:visible');
    await page.click('#pindai-deny');
    await expect.poll(() => page.textContent('#pindai-status')).toContain('ditolak');
    await rp.page.waitForSelector('#rp-error');
    expect(await rp.page.textContent('#rp-error')).toContain('access_denied');
    expect(problems).toEqual([]);
  });

  it('one device: the link /app#pindai=auth.<id> opens Pindai at the request after the login', async () => {
    const holder = await createActiveResident(app.ctx);
    const { rp, id } = await rpLogin();
    const href = (await rp.page.getAttribute('#oidc-open-app', 'href'))!;
    expect(href).toBe(`/app#pindai=auth.${id}`);
    // The same browser (phone): a second tab follows the link; the holder is not logged in yet.
    const page = await rp.context.newPage();
    await page.goto('/app');
    await installDevice(page, holder);
    await page.goto(href);
    await page.reload();
    await logIn(page, holder);
    await page.waitForSelector('#tab-pindai:visible');
    await page.waitForSelector('#pindai-request:visible');
    expect(await page.textContent('#pindai-asker')).toContain('Layanan Samsat Online (demo)');
    expect(new URL(page.url()).hash).toBe('');
    await page.fill('#pindai-pin', holder.pin);
    await page.click('#pindai-approve');
    await rp.page.waitForSelector('#rp-signed-in');
    expect(await rp.page.textContent('#rp-userinfo')).toContain(holder.nik);
  });

  it('a counter request (verify.<id>): the holder sees the institution and the counter, unticks one element, approves; the counter gets only the rest, once', async () => {
    const holder = await createActiveResident(app.ctx);
    const bank = await createTestVerifier(app.ctx, { name: 'Bank Uji Pindai', allowedElements: ['nik', 'name', 'birthDate', 'address'] });
    const created = await app.ctx.app.request('/v1/verification-requests', jsonRequest('POST', { elements: ['nik', 'name', 'address'], counter: 'Teller 3' }, verifierAuth(bank.apiKey)));
    expect(created.status).toBe(201);
    const request = (await created.json()) as { id: string; qr: string };
    expect(request.qr).toBe(`${app.baseUrl}/app#pindai=verify.${request.id}`);

    const { page, problems } = await phone(holder);
    await paste(page, request.qr);
    await page.waitForSelector('#pindai-request:visible');
    expect(await page.textContent('#pindai-asker')).toBe('Bank Uji Pindai meminta data berikut:');
    expect(await page.textContent('#pindai-counter')).toBe('Loket: Teller 3');
    expect(await page.locator('#pindai-claims input[type=checkbox]:checked').count()).toBe(3);
    await page.uncheck('#pindai-el-address');
    await screenshot(page, 'pindai-verify-request');
    await page.fill('#pindai-pin', holder.pin);
    await page.click('#pindai-approve');
    await expect.poll(() => page.textContent('#pindai-status')).toContain('Data Anda dikirim ke Bank Uji Pindai');

    const poll = () => app.ctx.app.request(`/v1/verification-requests/${request.id}`, jsonRequest('GET', undefined, verifierAuth(bank.apiKey)));
    const result = await poll();
    expect(result.status).toBe(200);
    const body = (await result.json()) as { status: string; resident: Record<string, unknown> };
    expect(body.status).toBe('approved');
    expect(Object.keys(body.resident).sort()).toEqual(['name', 'nik']);
    expect(body.resident.nik).toBe(holder.nik);
    const again = await poll();
    expect(again.status).toBe(410);
    expect(((await again.json()) as { code: string }).code).toBe('request_expired');
    expect(problems).toEqual([]);
  });

  it('the camera: Pindai scans the counter’s QR (Chromium’s fake camera) and opens the request', async () => {
    const holder = await createActiveResident(app.ctx);
    const desk = await createTestVerifier(app.ctx, { name: 'Kantor Pos Uji', allowedElements: ['nik', 'name'] });
    const created = await app.ctx.app.request('/v1/verification-requests', jsonRequest('POST', { counter: 'Loket 1' }, verifierAuth(desk.apiKey)));
    const request = (await created.json()) as { id: string; qr: string };
    const dir = mkdtempSync(join(tmpdir(), 'ikd-pindai-'));
    const video = join(dir, 'qr.y4m');
    writeFileSync(video, qrVideo(request.qr));
    const filming = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`]);
    try {
      const { page, context, problems } = await phone(holder, filming);
      await context.grantPermissions(['camera'], { origin: app.baseUrl });
      await page.click('#pindai-scanner [data-scan-start]');
      await page.waitForSelector('#pindai-request:visible', { timeout: 30_000 });
      expect(await page.textContent('#pindai-asker')).toBe('Kantor Pos Uji meminta data berikut:');
      expect(await page.isVisible('#pindai-scanner .scanner-view')).toBe(false);
      await page.fill('#pindai-pin', holder.pin);
      await page.click('#pindai-approve');
      await expect.poll(() => page.textContent('#pindai-status')).toContain('Data Anda dikirim ke Kantor Pos Uji');
      expect(problems).toEqual([]);
    } finally {
      await filming.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a counter the holder blocked: Pindai warns before, and the approval is refused with a clear message', async () => {
    const holder = await createActiveResident(app.ctx);
    const shop = await createTestVerifier(app.ctx, { name: 'Toko Uji Diblokir', allowedElements: ['nik', 'name'] });
    const blocked = await app.ctx.app.request(`/v1/me/data-users/${shop.id}`, jsonRequest('PUT', { blocked: true }, { Authorization: `Bearer ${holder.accessToken}`, 'cf-connecting-ip': holder.ip }));
    expect(blocked.status).toBe(200);
    const created = await app.ctx.app.request('/v1/verification-requests', jsonRequest('POST', { counter: 'Kasir 1' }, verifierAuth(shop.apiKey)));
    expect(created.status).toBe(201);
    const request = (await created.json()) as { id: string };

    const { page, expectedHttpErrors } = await phone(holder);
    await paste(page, `verify.${request.id}`);
    await page.waitForSelector('#pindai-request:visible');
    expect(await page.isVisible('#pindai-blocked')).toBe(true);
    await page.fill('#pindai-pin', holder.pin);
    await page.click('#pindai-approve');
    await expect.poll(() => page.textContent('#pindai-status')).toContain('Anda telah memblokir pihak ini');
    expect(expectedHttpErrors.some((e) => /403/.test(e))).toBe(true);
    const poll = await app.ctx.app.request(`/v1/verification-requests/${request.id}`, jsonRequest('GET', undefined, verifierAuth(shop.apiKey)));
    expect(poll.status).toBe(200);
    expect(await poll.json()).toEqual({ status: 'denied' });
  });

  it('a pasted code that is not a Pindai code is refused at the field; an expired request says so', async () => {
    const holder = await createActiveResident(app.ctx);
    const { id } = await rpLogin();
    app.ctx.clock.advance(6 * 60_000);
    const { page, expectedHttpErrors } = await phone(holder);
    await paste(page, 'https://example.test/not-ikd');
    await expect.poll(() => page.textContent('#pindai-code-error')).toContain('bukan kode Pindai');
    await paste(page, `auth.${id}`);
    await expect.poll(() => page.textContent('#pindai-status')).toContain('kedaluwarsa');
    expect(await page.isVisible('#pindai-request')).toBe(false);
    expect(expectedHttpErrors.some((e) => /410/.test(e))).toBe(true);
    app.ctx.clock.set(new Date());
  });
});
