/**
 * Issue #16 "the journey as people live it", in Chromium on a phone: the KTP card reads like a KTP at 360 and
 * 390 px (no line breaks inside a word, nothing outside the card).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedResident } from '../helpers/enrolment.js';
import { createActiveResident, createTestVerifier, postVerify, type ActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, installDevice, launchChromium, newPage, screenshot, startApp, type RunningApp } from './harness.js';

/** Logs the holder in on /app through the form, as on their phone. */
async function logIn(page: Page, holder: ActiveResident): Promise<void> {
  await page.goto('/app');
  await installDevice(page, holder);
  await page.reload();
  await page.waitForSelector('#view-login:visible');
  await page.fill('#login-nik', holder.nik);
  await page.fill('#login-pin', holder.pin);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#view-home:visible');
}

/**
 * Every word (a run of non-space characters within one text node) of the element whose text lies on more than one
 * line, as "word: line tops"; and every box that reaches outside the element. Both empty when it reads cleanly.
 */
async function brokenWords(page: Page, selector: string): Promise<{ broken: string[]; outside: string[] }> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)!;
    const box = root.getBoundingClientRect();
    const broken: string[] = [];
    const outside: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index!);
        range.setEnd(node, match.index! + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const tops = new Set(rects.map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(`${match[0]}: ${[...tops].join(',')}`);
        for (const r of rects) {
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5) outside.push(`${match[0]}: ${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)}`);
        }
      }
    }
    return { broken, outside };
  }, selector);
}

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('the journey as people live it (#16)', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  for (const viewport of [
    { width: 360, height: 640 },
    { width: 390, height: 844 },
  ]) {
    it(`the KTP card breaks no word at ${viewport.width}×${viewport.height}`, async () => {
      const people = [
        await seedResident(app.ctx, { name: 'MUHAMMAD ARIF RAHMAN SYAM', birthDate: '1979-11-25', birthPlace: 'PANGKAJENE', sex: 'LAKI-LAKI' }),
        await seedResident(app.ctx, {
          name: 'ANDI NURHALIZAH KHAIRUNNISA PUTRI',
          birthDate: '1992-03-08',
          birthPlace: 'KABUPATEN PANGKAJENE DAN KEPULAUAN',
          sex: 'PEREMPUAN',
          street: 'JL. JENDERAL SUDIRMAN NO. 123 KOMPLEKS PERUMAHAN',
          maritalStatus: 'BELUM KAWIN',
          occupation: 'PELAJAR/MAHASISWA',
        }),
      ];
      for (const person of people) {
        const holder = await createActiveResident(app.ctx, { resident: person, login: false });
        const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl, viewport });
        try {
          await logIn(page, holder);
          await page.waitForSelector('#ktp-card:not([aria-busy]) dl');
          expect(await page.textContent('#ktp-card')).toContain(person.name);
          await screenshot(page, `ktp-card-${viewport.width}-${person.nik.slice(-4)}`, { element: '#ktp-card' });
          expect(await brokenWords(page, '#ktp-card')).toEqual({ broken: [], outside: [] });
          // The page itself does not scroll sideways.
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      }
    });
  }

  it('a new PIN equal to the current one is told to differ, once, beside the new PIN', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const { page, context, problems, expectedHttpErrors } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await logIn(page, holder);
      await page.click('.tabs [data-tab=settings]');
      await page.fill('#pin-current', holder.pin);
      await page.fill('#pin-new', holder.pin);
      await page.fill('#pin-again', holder.pin);
      await page.click('#pin-form button[type=submit]');
      await expect.poll(() => page.textContent('#pin-new-error')).toContain('harus berbeda dari PIN saat ini');
      expect(await page.textContent('#pin-new-error')).not.toContain('mudah ditebak');
      expect(await page.textContent('#pin-status')).toBe('');
      expect(await page.getAttribute('#pin-new', 'aria-invalid')).toBe('true');
      await screenshot(page, 'pin-same-as-current', { element: '#pin-form' });
      expect(expectedHttpErrors).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('registration: a 16-digit NIK of invalid structure is called invalid, and the phone as typed is kept whole', async () => {
    const { page, context, problems, expectedHttpErrors } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await page.goto('/app');
      await page.waitForSelector('#view-register:visible');
      await page.fill('#reg-nik', '7310041705900000'); // serial 0000: 16 digits, never a NIK
      await page.fill('#reg-name', 'BUDI SANTOSO');
      await page.fill('#reg-birthDate', '1990-05-17');
      await page.fill('#reg-email', 'budi@example.id');
      await page.locator('#reg-phone').pressSequentially('+62 812-3456-7890');
      expect(await page.inputValue('#reg-phone')).toBe('+62 812-3456-7890');
      await page.check('#reg-consent');
      const sent = page.waitForRequest((r) => r.url().endsWith('/v1/registrations') && r.method() === 'POST');
      await page.click('#register-form button[type=submit]');
      expect((await sent).postDataJSON()).toMatchObject({ nik: '7310041705900000', phone: '+6281234567890' });
      await expect.poll(() => page.textContent('#reg-nik-error')).toContain('tidak valid');
      expect(await page.textContent('#reg-nik-error')).not.toContain('16 angka sesuai');
      expect(await page.getAttribute('#reg-phone', 'aria-invalid')).toBeNull();
      await screenshot(page, 'register-nik-invalid', { element: '#register-form' });
      expect(expectedHttpErrors).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('after a counter redeems the QR the screen says so within 2 s and offers a new one', async () => {
    const holder = await createActiveResident(app.ctx, { login: false });
    const verifier = await createTestVerifier(app.ctx, { name: 'BPJS Kesehatan Pangkep' });
    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl });
    try {
      await logIn(page, holder);
      await page.click('.tabs [data-tab=qr]');
      await page.fill('#qr-pin', holder.pin);
      await page.click('#qr-form button[type=submit]');
      await page.waitForSelector('#qr-show:visible');
      const token = await page.inputValue('#qr-text');
      expect((await postVerify(app.ctx, verifier.apiKey, { token, counter: 'Loket 3' })).status).toBe(200);
      const redeemed = Date.now();
      await page.waitForSelector('#qr-used:visible', { timeout: 2000 });
      expect(Date.now() - redeemed).toBeLessThan(2000);
      expect(await page.textContent('#qr-used-text')).toMatch(/Sudah dipakai oleh BPJS Kesehatan Pangkep · Loket 3 pukul \d{2}[.:]\d{2}/);
      expect(await page.isVisible('#qr-show')).toBe(false); // no countdown left running
      await screenshot(page, 'qr-used-by-counter', { fullPage: false });
      await page.click('#qr-used-fresh');
      await page.waitForSelector('#qr-form:visible');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
