/**
 * The Workers entry must bundle: `npx wrangler deploy --dry-run` fails if anything reachable from src/worker.ts
 * imports a native addon or a Node-only module Workers lack (e.g. the argon2 addon, sharp, PGlite, fs at the top level).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('npx wrangler deploy --dry-run builds the worker bundle', async () => {
  const outdir = await mkdtemp(join(tmpdir(), 'ikd-worker-'));
  try {
    await run(join(process.cwd(), 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
      timeout: 180_000,
    });
    const bundle = join(outdir, 'worker.js');
    expect((await stat(bundle)).size).toBeGreaterThan(10_000);
    const code = await readFile(bundle, 'utf8');
    expect(code).not.toContain('@node-rs/argon2');
    expect(code).not.toContain('@electric-sql/pglite');
    // sharp is a native addon (libvips): Workers keep the drawn counter photo (src/domain/credential/photo.ts).
    expect(code).not.toMatch(/@img\/sharp|from "sharp"|require\("sharp"\)/);
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}, 200_000);
