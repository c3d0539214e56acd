import { describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATES, escapeHtml, renderEmail, type EmailData, type EmailTemplate } from '../../src/email/templates.js';
import { retryDelayMs } from '../../src/email/worker.js';

const at = new Date('2026-11-23T08:00:00Z');
const sample: { [T in EmailTemplate]: EmailData[T] } = {
  activation: { name: 'SITI <AMINAH> & "co"', link: 'https://ikd.test/activate?t=abc_DEF-123', code: '042917', expiresAt: at, zone: 'WIB' },
  activation_resent: { name: 'SITI', link: 'https://ikd.test/activate?t=xyz', code: '777001', expiresAt: at, zone: 'WIB' },
  account_activated: { name: 'SITI', at, zone: 'WIB' },
  device_replaced: { name: 'SITI', at, zone: 'WIB' },
  account_suspended: { name: 'SITI', at, zone: 'WIB' },
  pin_changed: { name: 'SITI', at, zone: 'WIB' },
  account_deleted: { name: 'SITI', at, zone: 'WIB' },
  registration_rejected: { name: 'SITI', at, reason: 'Foto <wajah> tidak cocok', zone: 'WIB' },
  pin_reset_code: { name: 'SITI', code: '318264', expiresAt: at, zone: 'WIB' },
  pin_reset_done: { name: 'SITI', at, zone: 'WIB' },
  account_self_locked: { name: 'SITI', at, zone: 'WIB' },
  scan_notice: {
    name: 'SITI',
    localTime: '23/11/2026 16.00 WITA',
    verifierName: 'BPJS <Kesehatan>',
    counter: 'Loket 3',
    elements: ['nik', 'name'],
    outcome: 'verified',
    lockLink: 'https://ikd.test/lock?t=abc',
    lockExpiresAt: '30/11/2026 16.00 WITA',
  },
  service_request_status: {
    name: 'SITI',
    number: '7310-20261123-000001',
    service: 'Akta <Kelahiran>',
    status: 'needs_correction',
    at,
    corrections: ['kk'],
    note: 'Foto <buram>',
    link: 'https://ikd.test/app#pelayanan=srq_1',
    zone: 'WITA',
  },
  audit_checkpoint: {
    checkpoint: 'eyJhbGciOiJFZERTQSJ9.eyJzZXEiOjF9.SITI',
    day: '2026-11-23',
    seq: 41,
    head: 'ab'.repeat(32),
    kid: '0a1b2c3d',
    at,
    publicKey: 'x-SITI',
  },
};

describe('e-mail templates', () => {
  for (const template of EMAIL_TEMPLATES) {
    it(`${template}: Indonesian and English, text and HTML`, () => {
      const id = renderEmail(template, 'id', sample[template] as never);
      const en = renderEmail(template, 'en', sample[template] as never);
      for (const mail of [id, en]) {
        expect(mail.subject.length).toBeGreaterThan(5);
        expect(mail.text).toContain('SITI');
        expect(mail.html).toMatch(/^<!doctype html><html lang="(id|en)">/);
      }
      expect(id.subject).not.toBe(en.subject);
      expect(id.html).toContain('lang="id"');
      expect(en.html).toContain('lang="en"');
      expect(id.text).toContain('Direktorat Jenderal Kependudukan');
      expect(en.text).toContain('Directorate General');
    });
  }

  it('puts the link and the code, as the only group of 6 digits, in the activation text', () => {
    for (const lang of ['id', 'en'] as const) {
      const mail = renderEmail('activation', lang, sample.activation);
      expect(mail.text).toContain('https://ikd.test/activate?t=abc_DEF-123');
      expect(mail.text.match(/\b\d{6}\b/g)).toEqual(['042917']);
      expect(mail.html).toContain('href="https://ikd.test/activate?t=abc_DEF-123"');
      expect(mail.html).toContain('042917');
    }
    // WIB (UTC+7): 08:00 UTC on the 24th is 15.00 WIB.
    expect(renderEmail('activation', 'id', { ...sample.activation, expiresAt: new Date('2026-11-24T08:00:00Z') }).text).toContain('24 November 2026');
  });

  it('escapes every value in the HTML part, and leaves the text part plain', () => {
    const mail = renderEmail('activation', 'id', sample.activation);
    expect(mail.html).not.toContain('<AMINAH>');
    expect(mail.html).toContain('SITI &lt;AMINAH&gt; &amp; &quot;co&quot;');
    expect(mail.text).toContain('SITI <AMINAH> & "co"');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('gives the auditor the signed checkpoint whole on its own line, and how to verify it', () => {
    for (const lang of ['id', 'en'] as const) {
      const mail = renderEmail('audit_checkpoint', lang, sample.audit_checkpoint);
      expect(mail.text.split('\n')).toContain(sample.audit_checkpoint.checkpoint);
      expect(mail.text).toContain('seq 41');
      expect(mail.text).toContain('ab'.repeat(32));
      expect(mail.text).toContain('npm run audit:verify -- --checkpoint');
      expect(mail.html).toContain(`<pre style="white-space:pre-wrap;word-break:break-all;font-family:monospace">${sample.audit_checkpoint.checkpoint}</pre>`);
    }
  });

  it('tells the resident the earlier link is void when resent', () => {
    expect(renderEmail('activation_resent', 'id', sample.activation_resent).text).toMatch(/tidak berlaku lagi/);
    expect(renderEmail('activation_resent', 'en', sample.activation_resent).text).toMatch(/no longer work/);
  });
});

describe('outbox retry delays', () => {
  const base = { baseDelayMs: 5_000, maxDelayMs: 30 * 60_000 };

  it('doubles per attempt, half fixed and half jitter, and is capped', () => {
    expect(retryDelayMs(1, { ...base, random: () => 0 })).toBe(2_500);
    expect(retryDelayMs(1, { ...base, random: () => 0.999999 })).toBeCloseTo(5_000, -1);
    expect(retryDelayMs(4, { ...base, random: () => 0 })).toBe(20_000);
    expect(retryDelayMs(30, { ...base, random: () => 1 })).toBe(30 * 60_000);
    expect(retryDelayMs(30, { ...base, random: () => 0 })).toBe(15 * 60_000);
  });

  it('spreads retries of many messages apart', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, { ...base, random: Math.random })));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(10_000);
      expect(d).toBeLessThanOrEqual(20_000);
    }
  });
});
