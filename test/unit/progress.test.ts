import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../scripts/progress.js';

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { stream, output: () => out };
}

describe('progress reporter', () => {
  it('writes plain lines, one per tenth and the end, when the output is not a terminal', () => {
    const { stream, output } = capture(false);
    const progress = createProgress('seed', 1000, stream);
    for (let done = 0; done <= 1000; done += 50) progress.update(done);
    progress.stop();
    const lines = output().trim().split('\n');
    expect(lines[0]).toBe('seed: 100/1000 (10%)');
    expect(lines.at(-1)).toBe('seed: 1000/1000 (100%)');
    expect(lines).toHaveLength(10);
    expect(output()).not.toContain('\u001b['); // no escape codes in a log file
  });

  it('draws a bar with escape codes when the output is a terminal', () => {
    const { stream, output } = capture(true);
    const progress = createProgress('bench', 200, stream);
    progress.update(100);
    progress.update(200);
    progress.stop();
    expect(output()).toContain('\u001b[');
    expect(output()).toContain('bench [');
    expect(output()).toContain('100%');
    expect(output()).toContain('200/200');
    expect(output()).not.toContain('bench: 100/200');
  });

  it('ends with a line even for no work', () => {
    const { stream, output } = capture(false);
    const progress = createProgress('seed', 0, stream);
    progress.stop();
    expect(output()).toBe('seed: 0/0 (100%)\n');
  });
});
