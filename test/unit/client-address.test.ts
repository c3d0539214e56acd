/** The client address behind proxies (src/http/client.ts) and the TRUST_PROXY setting (src/config.ts). */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, type TrustProxy } from '../../src/config.js';
import { clientAddress } from '../../src/http/client.js';
import { cidrContains, parseCidr, parseIp } from '../../src/http/ip.js';

const trust = (value?: string): TrustProxy => parseConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;
const address = (peer: string, headers: Record<string, string>, setting?: string) =>
  clientAddress({ peer, header: (name) => headers[name.toLowerCase()], trustProxy: trust(setting) });

describe('clientAddress', () => {
  it('off by default: the socket peer, whatever the headers say', () => {
    expect(trust()).toEqual({ kind: 'off' });
    expect(address('10.0.0.5', { 'x-forwarded-for': '198.51.100.1', forwarded: 'for=198.51.100.2', 'cf-connecting-ip': '198.51.100.3' })).toBe('10.0.0.5');
    expect(address('::ffff:127.0.0.1', {})).toBe('127.0.0.1');
  });

  it('a hop count reads that many proxies from the right, never further than the first entry', () => {
    expect(address('10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 198.51.100.1' }, '1')).toBe('198.51.100.1');
    expect(address('10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 198.51.100.1, 10.0.0.4' }, '2')).toBe('198.51.100.1');
    expect(address('10.0.0.5', { 'x-forwarded-for': '198.51.100.1' }, '3')).toBe('198.51.100.1');
    expect(address('10.0.0.5', {}, '1')).toBe('10.0.0.5');
  });

  it('CIDRs: trusted proxies are skipped from the right; an untrusted peer is the client', () => {
    const setting = '10.0.0.0/8,127.0.0.1/32';
    expect(address('10.0.0.5', { 'x-forwarded-for': '6.6.6.6, 198.51.100.1, 10.1.2.3' }, setting)).toBe('198.51.100.1');
    expect(address('203.0.113.9', { 'x-forwarded-for': '198.51.100.1' }, setting)).toBe('203.0.113.9');
    expect(address('127.0.0.1', { forwarded: 'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"' }, setting)).toBe('2001:db8:cafe:0:0:0:0:17');
    expect(address('127.0.0.1', { 'x-forwarded-for': '192.0.2.8:5123' }, setting)).toBe('192.0.2.8');
  });

  it('parses IPv4, IPv6 and CIDRs', () => {
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!)).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32')!, parseIp('2001:db9::1')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('11.0.0.1')!)).toBe(false);
    for (const bad of ['10.0.0.0/33', '10.0.0', '1:2:3:4:5:6:7:8:9', 'nonsense', '::1::2']) expect(parseCidr(bad)).toBeNull();
  });

  it('a bad TRUST_PROXY stops the start naming the variable', () => {
    try {
      parseConfig({ TRUST_PROXY: '10.0.0.0/8,not-a-range' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems[0]!.variable).toBe('TRUST_PROXY');
    }
  });
});
