/**
 * /cek/{code} in Chromium, the way a counter meets it: the QR printed on an issued PDF (read from the page
 * pdftoppm renders) opens the page, which says the document is genuine; the PDF file uploaded through the page's
 * form is genuine, the same file with one byte changed is not. No JavaScript needed, no console error, no CSP violation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDocument, issuedDocumentPdf } from '../../src/domain/issued-documents/issue.js';
import { createActiveResident } from '../helpers/resident.js';
import { browserSuiteTitle, chromiumAvailable, detectChromium, launchChromium, newPage, screenshot, startApp, unlabelledControls, type RunningApp } from './harness.js';

describe.skipIf(!chromiumAvailable())(browserSuiteTitle('document check page in Chromium', detectChromium()), () => {
  let app: RunningApp;
  let browser: Browser;
  const work = mkdtempSync(join(tmpdir(), 'ikd-cek-'));

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('the QR on the PDF opens /cek/{code}: genuine; the uploaded file is genuine, an altered one is not', async () => {
    const { ctx } = app;
    const holder = await createActiveResident(ctx);
    const ref = await ctx.deps.db.transaction((tx) =>
      issueDocument(ctx.deps, tx, {
        accountId: holder.accountId,
        nik: holder.nik,
        holderName: holder.name,
        type: 'skpwni',
        title: 'Surat Keterangan Pindah WNI',
        fields: { 'destination.street': 'JL. SUDIRMAN 5', 'destination.regency': 'KOTA PAREPARE', reason: 'work' },
        officeCode: '7310',
        serviceRequestId: null,
        issuedAt: ctx.clock.now(),
      }),
    );
    const pdf = (await issuedDocumentPdf(ctx.deps, holder.accountId, ref.id))!;
    const pdfPath = join(work, 'skpwni.pdf');
    writeFileSync(pdfPath, pdf);
    execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', pdfPath, join(work, 'page')]);
    const png = PNG.sync.read(readFileSync(join(work, 'page.png')));
    const url = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
    expect(url).toBe(`${app.baseUrl}/cek/${ref.checkCode}`);

    const { page, context, problems } = await newPage(browser, { baseUrl: app.baseUrl, javaScriptEnabled: false });
    try {
      const response = await page.goto(url!);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.getAttribute('#cek-result', 'data-state')).toBe('genuine');
      expect(await page.textContent('#cek-number')).toBe(ref.number);
      expect(await page.textContent('#cek-holder')).not.toBe(holder.name);
      expect(await unlabelledControls(page)).toEqual([]);
      await screenshot(page, 'cek-genuine');

      await page.setInputFiles('#cek-file', pdfPath);
      await Promise.all([page.waitForURL(`**/cek/${ref.checkCode}`), page.click('#cek-file-submit')]);
      expect(await page.getAttribute('#cek-file-result', 'data-state')).toBe('genuine');

      const altered = new Uint8Array(pdf);
      altered[100] = altered[100]! ^ 0x01;
      const alteredPath = join(work, 'skpwni-altered.pdf');
      writeFileSync(alteredPath, altered);
      await page.setInputFiles('#cek-file', alteredPath);
      await Promise.all([page.waitForLoadState('load'), page.click('#cek-file-submit')]);
      await page.waitForSelector('#cek-file-result[data-state="altered"]');
      await screenshot(page, 'cek-file-altered');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
