/**
 * Which threads are lowered, and by how much (src/adapters/background-threads.ts), over a process's
 * threads as /proc lists them. The built bundles' own threads are checked end to end
 * (__tests__/e2e/background-threads.test.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { lowerV8Workers, v8WorkerThreads, type ListedThread } from '../../src/adapters/background-threads.js';

/** Node 24's threads, as it names them. */
const NODE24: ListedThread[] = [
  { id: 100, name: 'MainThread' },
  { id: 101, name: 'DelayedTaskSche' },
  { id: 102, name: 'V8Worker' },
  { id: 103, name: 'V8Worker' },
  { id: 104, name: 'V8Worker' },
  { id: 105, name: 'V8Worker' },
  { id: 106, name: 'SignalInspector' },
  { id: 107, name: 'libuv-worker' },
];

/** Node 22's: each one named after the program. */
const NODE22: ListedThread[] = [100, 101, 102, 103, 104, 105, 106].map((id) => ({ id, name: 'node' }));

describe('v8WorkerThreads', () => {
  it.each<[string, ListedThread[], number[]]>([
    ["Node 24's threads: its four workers", NODE24, [102, 103, 104, 105]],
    ["Node 22's unnamed threads: none", NODE22, []],
    ['a thread whose name could not be read (it ended): not one', [{ id: 102, name: '' }], []],
    ['a name that only starts like it: not one', [{ id: 102, name: 'V8WorkerX' }], []],
    ['no threads', [], []],
  ])('%s', (_name, threads, expected) => {
    expect(v8WorkerThreads(threads)).toEqual(expected);
  });
});

/** A process's threads at the nice values given, lowered through a fake of /proc and setpriority. */
function lowered(
  threads: ListedThread[],
  nice: Record<number, number>,
  fail: { list?: boolean; get?: number; set?: number } = {},
) {
  const values = new Map(threads.map((t) => [t.id, nice[t.id] ?? 0]));
  const count = lowerV8Workers({
    list: () => {
      if (fail.list) throw new Error('ENOENT: no such file or directory, scandir /proc/self/task');
      return threads;
    },
    getNice: (id) => {
      if (id === fail.get) throw new Error('ESRCH');
      return values.get(id)!;
    },
    setNice: (id, value) => {
      if (id === fail.set) throw new Error('EACCES');
      values.set(id, value);
    },
  });
  return { count, nice: Object.fromEntries(values) };
}

describe('lowerV8Workers', () => {
  const at = (main: number, workers: number) => ({
    100: main,
    102: workers,
    103: workers,
    104: workers,
    105: workers,
  });
  it.each<[string, Parameters<typeof lowered>, { count: number; nice: Record<number, number> }]>([
    [
      'each worker 10 below where it started, the other threads as they were',
      [NODE24, {}],
      { count: 4, nice: { ...at(0, 10), 101: 0, 106: 0, 107: 0 } },
    ],
    [
      'a run started under `nice -n 5`: its workers at 15',
      [NODE24, { ...at(5, 5), 101: 5, 106: 5, 107: 5 }],
      { count: 4, nice: { ...at(5, 15), 101: 5, 106: 5, 107: 5 } },
    ],
    [
      'workers at 12: lowered as far as there is, 19',
      [NODE24, at(12, 12)],
      { count: 4, nice: { ...at(12, 19), 101: 0, 106: 0, 107: 0 } },
    ],
    [
      'workers at 19 already: left there',
      [NODE24, at(19, 19)],
      { count: 0, nice: { ...at(19, 19), 101: 0, 106: 0, 107: 0 } },
    ],
    [
      "Node 22's unnamed threads: none lowered",
      [NODE22, {}],
      { count: 0, nice: { 100: 0, 101: 0, 102: 0, 103: 0, 104: 0, 105: 0, 106: 0 } },
    ],
    [
      'no /proc (macOS, Windows): nothing, and no error',
      [NODE24, {}, { list: true }],
      { count: 0, nice: { ...at(0, 0), 101: 0, 106: 0, 107: 0 } },
    ],
    [
      'a worker that ended after the listing: the others lowered',
      [NODE24, {}, { get: 103 }],
      { count: 3, nice: { ...at(0, 10), 103: 0, 101: 0, 106: 0, 107: 0 } },
    ],
    [
      'a worker the system will not lower: the others lowered',
      [NODE24, {}, { set: 104 }],
      { count: 3, nice: { ...at(0, 10), 104: 0, 101: 0, 106: 0, 107: 0 } },
    ],
  ])('%s', (_name, args, expected) => {
    expect(lowered(...args)).toEqual(expected);
  });
});
