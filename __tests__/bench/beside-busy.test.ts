import type { RunResult } from '../../scripts/bench/cli-runs.js';
import { besideBusyCount, renderBesideBusy } from '../../scripts/bench/beside-busy.js';
import { medianRun } from '../../scripts/bench/median-runs.js';

describe('besideBusyCount', () => {
  it.each<[string, string[], number | undefined | string]>([
    ['without the flag', ['--issue-corpus'], undefined],
    ['the flag alone: one busy process', ['--issue-corpus', '--beside-busy'], 1],
    ['a count', ['--beside-busy=2'], 2],
    ['the most', ['--beside-busy=16'], 16],
    ['none', ['--beside-busy=0'], '--beside-busy: 0 is not a number of processes from 1 to 16'],
    ['too many', ['--beside-busy=17'], '--beside-busy: 17 is not a number of processes from 1 to 16'],
    ['not a number', ['--beside-busy=two'], '--beside-busy: two is not a number of processes from 1 to 16'],
    ['a fraction', ['--beside-busy=1.5'], '--beside-busy: 1.5 is not a number of processes from 1 to 16'],
    ['an empty count', ['--beside-busy='], '--beside-busy:  is not a number of processes from 1 to 16'],
    ['a flag that only starts alike', ['--beside-busyness'], undefined],
  ])('%s', (_name, argv, expected) => {
    const count = besideBusyCount(argv);
    if (typeof expected === 'string') expect(count).toEqual(new Error(expected));
    else expect(count).toBe(expected);
  });
});

describe('renderBesideBusy', () => {
  const run = (wallMs: number) => ({ name: 'warm', wallMs }) as RunResult;

  it.each([
    {
      name: 'one busy process, three rounds',
      busy: 1,
      walls: [1_378, 1_185, 1_290],
      clientMs: 1_100,
      text:
        "beside 1 busy process (median of 3, alternated): the CLI's warm run 1,290 ms (1.29 x its quiet run), " +
        'the client that does nothing (undici) 1,100 ms (1.22 x its quiet run); the CLI against that client 1.17\n',
    },
    {
      name: 'two busy processes, one round',
      busy: 2,
      walls: [2_054],
      clientMs: 1_800,
      text:
        "beside 2 busy processes (median of 1, alternated): the CLI's warm run 2,054 ms (2.05 x its quiet run), " +
        'the client that does nothing (undici) 1,800 ms (2.00 x its quiet run); the CLI against that client 1.14\n',
    },
  ])('$name', ({ busy, walls, clientMs, text }) => {
    const measured = { busy, cli: medianRun(walls.map(run)), clientMs };
    expect(renderBesideBusy(measured, 1_000, 900)).toBe(text);
  });
});
