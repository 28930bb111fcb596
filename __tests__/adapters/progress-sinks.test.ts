/** The registry phase's progress as log lines (Action, CLI without a terminal) and a live line. */
import { describe, expect, it } from '@jest/globals';
import { formatProgress, liveProgress, periodicProgress } from '../../src/adapters/progress-sinks.js';
import type { RegistryProgress } from '../../src/ports.js';

const state = (done: number, described: number, total = 501, toDescribe = 4500): RegistryProgress => ({
  repositoriesDone: done,
  repositoriesTotal: total,
  tagsDescribed: described,
  tagsToDescribe: toDescribe,
});

describe('formatProgress', () => {
  it.each([
    [state(120, 3400), 12_400, 'Registries: 120/501 repositories, 3,400/4,500 tags described (12 s)'],
    [state(1, 0, 2, 0), 0, 'Registries: 1/2 repositories (0 s)'],
  ])('%j', (progress, elapsed, line) => {
    expect(formatProgress(progress, elapsed)).toBe(line);
  });
});

describe('periodicProgress', () => {
  it('writes a line on each tick when something changed, and stops at finish', () => {
    let clock = 0;
    let tick: (() => void) | undefined;
    let stopped = false;
    const lines: string[] = [];
    const sink = periodicProgress({
      write: (line) => lines.push(line),
      intervalMs: 5000,
      now: () => clock,
      repeat: (fn) => {
        tick = fn;
        return () => {
          stopped = true;
        };
      },
    });
    sink.update(state(0, 0));
    clock = 5000;
    tick!(); // nothing changed since the start: no line
    sink.update(state(10, 200));
    sink.update(state(12, 260));
    clock = 10_000;
    tick!();
    clock = 15_000;
    tick!(); // unchanged: no line
    sink.finish();
    expect(lines).toEqual(['Registries: 12/501 repositories, 260/4,500 tags described (10 s)']);
    expect(stopped).toBe(true);
  });
});

describe('liveProgress', () => {
  it('redraws one line in place at most every throttle, always the last state, and clears it', () => {
    let clock = 0;
    const out: string[] = [];
    const sink = liveProgress({
      write: (text) => out.push(text),
      columns: 30,
      now: () => clock,
      throttleMs: 100,
    });
    sink.update(state(0, 0, 2, 4));
    clock = 50;
    sink.update(state(1, 2, 2, 4)); // within the throttle: skipped
    clock = 150;
    sink.update(state(1, 3, 2, 4));
    clock = 160;
    sink.update(state(2, 4, 2, 4)); // the last state is always drawn
    sink.finish();
    expect(out).toEqual([
      '\r\x1b[2KRegistries: 0/2 repositories,',
      '\r\x1b[2KRegistries: 1/2 repositories,',
      '\r\x1b[2KRegistries: 2/2 repositories,',
      '\r\x1b[2K',
    ]);
  });
});

describe('liveProgress while nothing changes', () => {
  // A registry that does not answer sent no update, and the line stood still at "(0 s)" until its
  // request timed out, half a minute later: it read as a hung CLI. Each tick redraws the last
  // state with the time gone by, a state the throttle skipped included.
  it('redraws the last state on each tick with its elapsed time, and stops ticking at finish', () => {
    let clock = 0;
    let tick: (() => void) | undefined;
    let interval: number | undefined;
    let stopped = false;
    const out: string[] = [];
    const sink = liveProgress({
      write: (text) => out.push(text),
      columns: 80,
      now: () => clock,
      throttleMs: 100,
      repeat: (fn, ms) => {
        tick = fn;
        interval = ms;
        return () => {
          stopped = true;
        };
      },
    });
    sink.update(state(0, 0, 2, 0));
    clock = 50;
    sink.update(state(1, 0, 2, 0)); // within the throttle: drawn at the next tick
    clock = 1000;
    tick!();
    clock = 2000;
    tick!();
    sink.finish();
    expect({ interval, stopped }).toEqual({ interval: 1000, stopped: true });
    expect(out).toEqual([
      '\r\x1b[2KRegistries: 0/2 repositories (0 s)',
      '\r\x1b[2KRegistries: 1/2 repositories (1 s)',
      '\r\x1b[2KRegistries: 1/2 repositories (2 s)',
      '\r\x1b[2K',
    ]);
  });
});
