/**
 * patches/postgres+3.4.9.patch (applied by `npm install` through patch-package): postgres.js keeps its connections
 * in Queues whose shift() leaves a hole behind and whose remove() searched the whole array. A pool that stays busy
 * (every connection has queries in flight) never drains its `busy` queue, so the array grew by one slot per query
 * and every query paid a scan of all of them: 215 000 slots after 8 s of 32 clients on 4 connections, and
 * `npm run bench` measured 40 µs more CPU per redemption. These tests watch what remove() scans, so they fail on the
 * unpatched file; speed itself is measured by the bench.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

type Queue<T> = { readonly length: number; push(x: T): T; shift(): T; remove(x: T): T | null };

// postgres' exports hide package.json: its CommonJS entry is <package>/cjs/src/index.js.
const packageDir = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..');
// The ESM build Node imports, the Workers build (wrangler's `workerd` condition) and the CommonJS one.
const builds = ['src/queue.js', 'cf/src/queue.js', 'cjs/src/queue.js'];

async function loadQueue(build: string): Promise<<T>(initial?: T[]) => Queue<T>> {
  const module = (await import(pathToFileURL(join(packageDir, build)).href)) as { default: <T>(initial?: T[]) => Queue<T> };
  return module.default;
}

// What remove() scans: the array it searches and where it starts (Array.prototype.indexOf is how it searches).
const originalIndexOf = Array.prototype.indexOf;
let scans: { length: number; from: number }[] = [];
function watchScans() {
  scans = [];
  Array.prototype.indexOf = function (this: unknown[], ...args: [unknown, number?]) {
    scans.push({ length: this.length, from: args[1] ?? 0 });
    return originalIndexOf.apply(this, args as [unknown, number?]);
  };
}
afterEach(() => {
  Array.prototype.indexOf = originalIndexOf;
});

describe.each(builds)('postgres.js Queue (%s), patched', (build) => {
  it('keeps a queue that never drains small: remove() scans only the live part after 100 000 rotations', async () => {
    const Queue = await loadQueue(build);
    const busy = Queue<string>();
    for (const c of ['c1', 'c2', 'c3', 'c4']) busy.push(c);
    // What postgres.js does to a busy connection: shift it off `busy`, then move() removes it from its old queue
    // (it is not there any more) and pushes it back.
    for (let i = 0; i < 100_000; i++) {
      const c = busy.shift();
      watchScans();
      const removed = busy.remove(c);
      Array.prototype.indexOf = originalIndexOf;
      expect(removed).toBeNull();
      busy.push(c);
      const scanned = scans.reduce((n, s) => n + (s.length - s.from), 0);
      expect(scanned).toBeLessThanOrEqual(4);
      expect(scans.every((s) => s.length <= 2 * 1024 + 4)).toBe(true);
    }
    expect(busy.length).toBe(4);
  });

  it('is still a FIFO queue with remove(), across the compaction', async () => {
    const Queue = await loadQueue(build);
    const q = Queue<number>();
    let next = 0;
    let expected = 0;
    for (let i = 0; i < 5000; i++) {
      q.push(next++);
      q.push(next++);
      expect(q.shift()).toBe(expected++);
    }
    expect(q.length).toBe(5000);
    // Remove one from the middle of what is left, one that was already taken, one that never was.
    expect(q.remove(7500)).toBe(7500);
    expect(q.remove(10)).toBeNull();
    expect(q.remove(99_999)).toBeNull();
    const rest: number[] = [];
    while (q.length > 0) rest.push(q.shift());
    expect(rest).toHaveLength(4999);
    expect(rest[0]).toBe(5000);
    expect(rest.at(-1)).toBe(9999);
    expect(rest.includes(7500)).toBe(false);
    // Drained: it starts over.
    q.push(1);
    expect(q.shift()).toBe(1);
    expect(q.length).toBe(0);
  });
});
