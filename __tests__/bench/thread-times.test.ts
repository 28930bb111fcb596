import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  sumThreadTimes,
  threadCells,
  type ThreadTime,
  type ThreadTimes,
} from '../../scripts/bench/thread-times.js';

const ms = 1e6;
const thread = (name: string, onCpu: number, waiting = 0, main = false): ThreadTime => ({
  name,
  main,
  onCpuNs: onCpu * ms,
  waitingNs: waiting * ms,
});

describe('sumThreadTimes', () => {
  it.each([
    {
      name: 'the main thread apart, the others summed by name, most time first',
      threads: [
        thread('V8Worker', 100, 30),
        thread('node', 850, 70, true),
        thread('libuv-worker', 2),
        thread('V8Worker', 120, 40),
      ],
      times: {
        mainOnCpuMs: 850,
        mainWaitingMs: 70,
        others: [
          { name: 'V8Worker', count: 2, onCpuMs: 220 },
          { name: 'libuv-worker', count: 1, onCpuMs: 2 },
        ],
      },
    },
    {
      name: 'a process of one thread',
      threads: [thread('node', 10, 1, true)],
      times: { mainOnCpuMs: 10, mainWaitingMs: 1, others: [] },
    },
    {
      name: 'threads of one name (Node 20 names none of its own)',
      threads: [thread('node', 900, 0, true), thread('node', 5), thread('node', 7)],
      times: { mainOnCpuMs: 900, mainWaitingMs: 0, others: [{ name: 'node', count: 2, onCpuMs: 12 }] },
    },
  ])('$name', ({ threads, times }) => {
    expect(sumThreadTimes(threads)).toEqual(times);
  });

  it('has nothing to say without the main thread', () => {
    expect(sumThreadTimes([thread('V8Worker', 100)])).toBeUndefined();
  });
});

describe('threadCells', () => {
  const times: ThreadTimes = {
    mainOnCpuMs: 850,
    mainWaitingMs: 70,
    others: [
      { name: 'V8Worker', count: 4, onCpuMs: 470 },
      { name: 'DelayedTaskScheduler', count: 1, onCpuMs: 0.2 },
      { name: 'libuv-worker', count: 1, onCpuMs: 3 },
    ],
  };
  it.each([
    {
      name: 'the main thread on a core / waiting / the rest of the wall; threads under 1 ms left out',
      times,
      wallMs: 1000,
      cells: { main: '850 / 70 / 80 ms', others: 'V8Worker x4 470, libuv-worker 3 ms' },
    },
    {
      name: 'the rest never below zero (the wall is the bench clock, the threads the kernel)',
      times,
      wallMs: 900,
      cells: { main: '850 / 70 / 0 ms', others: 'V8Worker x4 470, libuv-worker 3 ms' },
    },
    {
      name: 'no other thread worth naming',
      times: { ...times, others: [] },
      wallMs: 1000,
      cells: { main: '850 / 70 / 80 ms', others: 'none' },
    },
    {
      name: 'a run without the figures',
      times: undefined,
      wallMs: 1000,
      cells: { main: '-', others: '-' },
    },
  ])('$name', ({ times: t, wallMs, cells }) => {
    expect(threadCells(t, wallMs)).toEqual(cells);
  });
});

describe('threads-at-exit.mjs, loaded into a Node process', () => {
  it.each([
    { name: 'writes the threads of the process at its exit', withFile: true },
    { name: 'writes nothing without HRIU_BENCH_THREADS', withFile: false },
  ])('$name', ({ withFile }) => {
    const folder = mkdtempSync(join(tmpdir(), 'thread-times-'));
    try {
      const file = join(folder, 'threads.json');
      const module = resolve(import.meta.dirname, '../../scripts/bench/threads-at-exit.mjs');
      const env = { ...process.env, ...(withFile ? { HRIU_BENCH_THREADS: file } : {}) };
      if (!withFile) delete env.HRIU_BENCH_THREADS;
      const busy = 'let x = 0; for (let i = 0; i < 2e7; i++) x += i; process.exitCode = x > 0 ? 0 : 1;';
      const child = spawnSync(process.execPath, ['--import', module, '-e', busy], { env });
      expect(child.status).toBe(0);
      if (!withFile) {
        expect(() => readFileSync(file)).toThrow(/ENOENT/);
        return;
      }
      const times = sumThreadTimes(JSON.parse(readFileSync(file, 'utf8')) as ThreadTime[]);
      // The loop alone keeps the main thread on a core for several milliseconds.
      expect(times!.mainOnCpuMs).toBeGreaterThan(5);
      expect(times!.others.length).toBeGreaterThan(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
