import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];

describe('README and docs link only to files in the repository', () => {
  it.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('../shared');
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue;
      expect(existsSync(join(dirname(file), target!)), `${file} links to ${target}`).toBe(true);
    }
  });

  it('documents the API for integrators and names the real demo operator', () => {
    const api = readFileSync('docs/api.md', 'utf8');
    for (const code of ['token_expired', 'token_already_used', 'token_revoked', 'verifier_unauthorized', 'invalid_request']) expect(api).toContain(code);
    expect(api).toContain('curl');
    expect(readFileSync('README.md', 'utf8')).toContain('`operator.demo`');
    expect(readFileSync('src/dev/setup.ts', 'utf8')).toContain("username: 'operator.demo'");
  });
});
