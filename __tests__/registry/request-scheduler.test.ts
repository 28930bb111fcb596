/**
 * What the request scheduler tells its ServiceWatcher: when each flow starts and stops being
 * served (a request of it holding a slot on any host, or waiting to retry), so that a flow whose
 * requests only wait for slots other flows hold is not. No time is measured: only the order of
 * the words, at the end of each turn of the event loop.
 */
import { describe, expect, it } from '@jest/globals';
import { RequestScheduler } from '../../src/registry/request-scheduler.js';

/** Resolves after the event loop's turn (the scheduler's immediates) has ended. */
const endTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The promise of an answer's hand-on, as http.ts gives it to a release, and what settles it. */
function laterHandOn(): { handedOn: Promise<void>; handOn: () => void } {
  let handOn!: () => void;
  const handedOn = new Promise<void>((resolve) => (handOn = resolve));
  return { handedOn, handOn };
}

interface Case {
  name: string;
  limit: number;
  /** Drives the scheduler; `mark` records the watcher's words so far under a label. */
  run: (scheduler: RequestScheduler, mark: (label: string) => void) => Promise<void>;
  expected: string[];
}

describe('RequestScheduler, its service watcher', () => {
  it.each<Case>([
    {
      name: 'a request: served from when it takes a slot until the turn it is released in ends',
      limit: 1,
      run: async (scheduler, mark) => {
        const release = await scheduler.acquire('h', 'listing', 'a');
        release();
        mark('released');
        await endTurn();
      },
      expected: ['started a', 'released', 'stopped a'],
    },
    {
      name: 'the next request sent in the same turn: served throughout',
      limit: 1,
      run: async (scheduler) => {
        (await scheduler.acquire('h', 'listing', 'a'))();
        (await scheduler.acquire('h', 'chain', 'a'))();
        await endTurn();
      },
      expected: ['started a', 'stopped a'],
    },
    {
      name: "a request waiting for another flow's slot: not served until it takes one",
      limit: 1,
      run: async (scheduler, mark) => {
        const releaseA = await scheduler.acquire('h', 'listing', 'a');
        const waiting = scheduler.acquire('h', 'listing', 'b');
        await endTurn();
        mark('b waits');
        releaseA();
        (await waiting)();
        await endTurn();
      },
      expected: ['started a', 'b waits', 'started b', 'stopped a', 'stopped b'],
    },
    {
      name: 'an answer handed on after its release: served until the turn after the hand-on ends',
      limit: 1,
      run: async (scheduler, mark) => {
        const release = await scheduler.acquire('h', 'listing', 'a');
        const { handedOn, handOn } = laterHandOn();
        release(handedOn);
        await endTurn();
        await endTurn();
        mark('not handed on yet');
        handOn();
        await endTurn();
        await endTurn();
      },
      expected: ['started a', 'not handed on yet', 'stopped a'],
    },
    {
      name: 'the next request sent in the turn its answer was handed on in: served throughout',
      limit: 1,
      run: async (scheduler) => {
        const release = await scheduler.acquire('h', 'listing', 'a');
        const { handedOn, handOn } = laterHandOn();
        release(handedOn);
        await endTurn();
        await endTurn();
        handOn();
        await handedOn;
        (await scheduler.acquire('h', 'chain', 'a'))();
        await endTurn();
        await endTurn();
      },
      expected: ['started a', 'stopped a'],
    },
    {
      name: 'slots on two hosts: served until both are released',
      limit: 1,
      run: async (scheduler, mark) => {
        const first = await scheduler.acquire('h1', 'listing', 'a');
        const second = await scheduler.acquire('h2', 'details', 'a');
        first();
        await endTurn();
        mark('one left');
        second();
        await endTurn();
      },
      expected: ['started a', 'one left', 'stopped a'],
    },
    {
      name: 'a wait to retry: served between its attempts, until the wait ends',
      limit: 1,
      run: async (scheduler, mark) => {
        const release = await scheduler.acquire('h', 'listing', 'a');
        const waitEnded = scheduler.markServed('a');
        release();
        await endTurn();
        mark('waits to retry');
        waitEnded();
        waitEnded();
        await endTurn();
      },
      expected: ['started a', 'waits to retry', 'stopped a'],
    },
    {
      name: 'a waiting request its signal drops: never served',
      limit: 1,
      run: async (scheduler) => {
        const release = await scheduler.acquire('h', 'listing', 'a');
        const controller = new AbortController();
        const waiting = scheduler.acquire('h', 'listing', 'b', controller.signal);
        controller.abort(new Error('gave up'));
        await expect(waiting).rejects.toThrow('gave up');
        release();
        await endTurn();
      },
      expected: ['started a', 'stopped a'],
    },
    {
      name: 'several slots of one flow: served once, until the last is released',
      limit: 4,
      run: async (scheduler, mark) => {
        const releases = await Promise.all([1, 2, 3].map(() => scheduler.acquire('h', 'details', 'a')));
        for (const release of releases.slice(1)) release();
        await endTurn();
        mark('one left');
        releases[0]!();
        await endTurn();
      },
      expected: ['started a', 'one left', 'stopped a'],
    },
  ])('$name', async ({ limit, run, expected }) => {
    const words: string[] = [];
    const scheduler = new RequestScheduler(limit, {
      started: (flow) => words.push(`started ${flow}`),
      stopped: (flow) => words.push(`stopped ${flow}`),
    });
    await run(scheduler, (label) => words.push(label));
    expect(words).toEqual(expected);
  });
});

describe('RequestScheduler, a release', () => {
  it('says how many waiting requests took the slots it freed', async () => {
    const scheduler = new RequestScheduler(1);
    const release = await scheduler.acquire('h', 'listing', 'a');
    const waiting = scheduler.acquire('h', 'listing', 'b');
    expect(release()).toBe(1);
    expect((await waiting)()).toBe(0);
  });
});

describe('RequestScheduler, many waiting requests', () => {
  // Past 1,024 taken, the queue drops the taken ones (request-scheduler.ts, WaiterQueue); the
  // order must hold across that, with requests aborted at the front and in the middle.
  it.each([
    { name: 'one slot: each flow in the order it asked', waiting: 3_000, aborted: [] as number[] },
    {
      name: 'aborted ones dropped, the others still in order',
      waiting: 3_000,
      aborted: [1, 2, 500, 1_023, 1_024, 1_025, 2_048, 2_999],
    },
  ])('$name', async ({ waiting, aborted }) => {
    const scheduler = new RequestScheduler(1);
    const granted: number[] = [];
    const first = await scheduler.acquire('h', 'listing', 'first');
    const controllers = Array.from({ length: waiting }, () => new AbortController());
    const requests = controllers.map(async (controller, index) => {
      try {
        const release = await scheduler.acquire('h', 'listing', `flow-${index}`, controller.signal);
        granted.push(index);
        // Released in a later turn, as an answer is.
        await endTurn();
        release();
      } catch {
        // Aborted while waiting.
      }
    });
    for (const index of aborted) controllers[index]!.abort(new Error('stopped'));
    first();
    await Promise.all(requests);
    const expected = Array.from({ length: waiting }, (_, index) => index).filter((i) => !aborted.includes(i));
    expect(granted).toEqual(expected);
  });
});
