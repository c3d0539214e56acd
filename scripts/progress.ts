/**
 * Progress of a long command: cli-progress's bar when the stream is a terminal, plain lines (one per tenth of the
 * work, and the end) when it is not, so logs and CI output stay readable. Unit-tested in test/unit/progress.test.ts.
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export function createProgress(label: string, total: number, stream: ProgressStream = process.stdout): Progress {
  if (stream.isTTY === true) {
    const bar = new SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: false,
      fps: 5,
    });
    bar.start(total, 0);
    return {
      update: (done) => bar.update(Math.min(done, total)),
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  let next = step;
  let last = -1;
  const line = (done: number) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    stream.write(`${label}: ${done}/${total} (${percent}%)\n`);
    last = done;
  };
  return {
    update(done) {
      if (done >= next && done < total) {
        line(done);
        while (next <= done) next += step;
      }
    },
    stop() {
      if (last !== total) line(total);
    },
  };
}
