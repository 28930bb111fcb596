import type { RunResult } from '../../scripts/bench/cli-runs.js';
import { medianRun, wallRange } from '../../scripts/bench/median-runs.js';

/** A run that differs from the others by its wall time and the files it left. */
const run = (wallMs: number, files: string): RunResult =>
  ({ name: 'warm', files, wallMs, peakRssKb: wallMs * 100, cpuMs: wallMs + 200 }) as RunResult;

describe('medianRun', () => {
  it.each([
    { name: 'one run: that run', walls: [990], median: 990 },
    { name: 'an odd number: the middle one by wall time', walls: [1002, 971, 984], median: 984 },
    { name: 'an even number: the lower of the two middle ones', walls: [990, 960, 1010, 975], median: 975 },
    { name: 'equal walls: one of them', walls: [980, 980, 980], median: 980 },
  ])('$name', ({ walls, median }) => {
    const runs = walls.map((wall, index) => run(wall, `warm ${index + 1}`));
    const chosen = medianRun(runs);
    // One of the runs, whole: every figure of its column comes from the same run.
    const same = runs.find((r) => r.files === chosen.files)!;
    expect(chosen).toEqual({ ...same, walls: [...walls].sort((a, b) => a - b) });
    expect(chosen.wallMs).toBe(median);
  });

  it('refuses no runs at all', () => {
    expect(() => medianRun([])).toThrow('no runs');
  });
});

describe('wallRange', () => {
  it.each([
    { name: 'a run that was not repeated', runs: [run(1002, 'warm')], text: '' },
    { name: 'a kind that ran once', runs: [medianRun([run(1002, 'warm')])], text: '' },
    {
      name: 'a kind that ran several times',
      runs: [medianRun([run(1002, 'a'), run(971, 'b'), run(984, 'c'), run(1_015, 'd'), run(955, 'e')])],
      text: ' (median of 5 runs: 955-1,015 ms)',
    },
  ])('$name', ({ runs, text }) => {
    expect(wallRange(runs[0]!)).toBe(text);
  });
});
