import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config.port).toBe(8787);
    expect(config.dataDir).toBe('.data');
    expect(config.env).toBe('development');
    expect(config.devMode).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicBaseUrl).toBe('http://localhost:8787');
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '9000',
      IKD_DATA_DIR: '/tmp/ikd',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/ikd',
      PUBLIC_BASE_URL: 'https://ikd.example.id/',
      RESEND_API_KEY: 're_test',
      MAIL_FROM: 'IKD <ikd@example.id>',
      IKD_PIN_PEPPER: 'a-very-long-pepper-value',
      IKD_KEYS: '{"current":"00000000","keys":[]}',
      NODE_ENV: 'development',
    });
    expect(config.port).toBe(9000);
    expect(config.dataDir).toBe('/tmp/ikd');
    expect(config.databaseUrl).toBe('postgres://u:p@127.0.0.1:5432/ikd');
    expect(config.publicBaseUrl).toBe('https://ikd.example.id');
    expect(config.mail.resendApiKey).toBe('re_test');
    expect(config.devMode).toBe(false);
    expect(config.keysJson).toEqual({ current: '00000000', keys: [] });
  });

  it('reads IKD_WORKERS; unset means one per core, decided by the Node entry', () => {
    expect(parseConfig({ IKD_WORKERS: '3' }).workers).toBe(3);
    expect(parseConfig({}).workers).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(8787);
  });

  const bad: [string, Record<string, string>][] = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }],
    ['IKD_KEYS', { IKD_KEYS: '{not json' }],
    ['IKD_PIN_PEPPER', { IKD_PIN_PEPPER: 'short' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['IKD_WORKERS', { IKD_WORKERS: '0' }],
    ['IKD_WORKERS', { IKD_WORKERS: 'all' }],
  ];
  it.each(bad)('names the bad variable %s', (variable, env) => {
    try {
      parseConfig(env);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toContain(variable);
      expect((error as Error).message).toContain(variable);
    }
  });

  it('requires the production secrets in production', () => {
    try {
      parseConfig({ NODE_ENV: 'production' });
      expect.unreachable('should have thrown');
    } catch (error) {
      const names = (error as ConfigError).problems.map((p) => p.variable);
      expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'PUBLIC_BASE_URL', 'IKD_KEYS', 'IKD_PIN_PEPPER', 'RESEND_API_KEY']));
    }
  });

  it('has no development mode in production', () => {
    const config = parseConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://localhost/ikd',
      PUBLIC_BASE_URL: 'https://ikd.example.id',
      IKD_KEYS: '{}',
      IKD_PIN_PEPPER: 'a-very-long-pepper-value',
      RESEND_API_KEY: 're_x',
    });
    expect(config.devMode).toBe(false);
  });
});
