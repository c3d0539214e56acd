/** A clock that only moves when the test says so: expiry is tested without sleeping. */
import type { Clock } from '../../src/deps.js';

export interface TestClock extends Clock {
  advance(ms: number): void;
  set(date: Date | string): void;
}

export function createTestClock(start: Date | string = '2026-11-23T08:00:00.000Z'): TestClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (date) => {
      t = new Date(date).getTime();
    },
  };
}
