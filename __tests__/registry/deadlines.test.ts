/**
 * The registry phase's deadlines: one signal per repository, ended by the repository's own
 * deadline (the time it is served) or by the run's budget, whichever comes first. Short real
 * timers, or the request scheduler under fake ones; no figure of time is asserted, only which
 * signal ended and why.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RegistryDeadlines } from '../../src/registry/deadlines.js';
import { RequestScheduler } from '../../src/registry/request-scheduler.js';

const HOUR = 3_600_000;
const SHORT = 30;

/** Resolves with the reason's message once `signal` aborts. */
function abortMessage(signal: AbortSignal): Promise<string> {
  const message = (): string => (signal.reason as Error).message;
  if (signal.aborted) return Promise.resolve(message());
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(message()), { once: true }));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('RegistryDeadlines', () => {
  it.each([
    {
      name: "each repository's deadline ends it, with its own reason",
      budgetMs: HOUR,
      repositoryDeadlineMs: SHORT,
      expected: [
        'gave up on registry.io/a after its requests ran for 30 ms, the time allowed per repository',
        'gave up on registry.io/b after its requests ran for 30 ms, the time allowed per repository',
        'gave up on registry.io/c after its requests ran for 30 ms, the time allowed per repository',
      ],
    },
    {
      name: "the run's budget ends every repository",
      budgetMs: SHORT,
      repositoryDeadlineMs: HOUR,
      expected: Array(3).fill("the run's time for registries (registry-budget, 30 ms) ran out"),
    },
  ])('$name', async ({ budgetMs, repositoryDeadlineMs, expected }) => {
    const deadlines = new RegistryDeadlines(budgetMs, repositoryDeadlineMs);
    const signals = ['a', 'b', 'c'].map((name) => deadlines.signalFor(`registry.io/${name}`));
    for (const name of ['a', 'b', 'c']) deadlines.started(`registry.io/${name}`);
    expect(signals.map((s) => s.aborted)).toEqual([false, false, false]);
    expect(await Promise.all(signals.map(abortMessage))).toEqual(expected);
  });

  it('one repository asked for again gets the same signal', () => {
    const deadlines = new RegistryDeadlines(HOUR, HOUR);
    const first = deadlines.signalFor('registry.io/a');
    expect(deadlines.signalFor('registry.io/a')).toBe(first);
    expect(deadlines.signalFor('registry.io/b')).not.toBe(first);
  });

  it('a repository first asked for after the budget ran out starts aborted, with the budget as reason', async () => {
    const deadlines = new RegistryDeadlines(SHORT, HOUR);
    await abortMessage(deadlines.signalFor('registry.io/a'));
    const late = deadlines.signalFor('registry.io/late');
    expect(late.aborted).toBe(true);
    expect((late.reason as Error).message).toBe(
      "the run's time for registries (registry-budget, 30 ms) ran out",
    );
  });

  it("the budget's clock starts at the first repository, not when the deadlines are made", async () => {
    const deadlines = new RegistryDeadlines(SHORT, HOUR);
    await sleep(3 * SHORT);
    expect(deadlines.signalFor('registry.io/a').aborted).toBe(false);
  });

  it('stopping ends every signal at once with its reason, those asked for later too, and the budget never fires', async () => {
    const deadlines = new RegistryDeadlines(SHORT, HOUR);
    const early = deadlines.signalFor('registry.io/a');
    deadlines.stop(new Error('the run stopped'));
    const late = deadlines.signalFor('registry.io/late');
    await sleep(3 * SHORT);
    // The run's own signal too, which what serves several repositories (a shared token request) carries.
    expect([early, late, deadlines.runSignal].map((s) => [s.aborted, (s.reason as Error).message])).toEqual([
      [true, 'the run stopped'],
      [true, 'the run stopped'],
      [true, 'the run stopped'],
    ]);
  });

  it("a repository's deadline leaves repositories asked for later running", async () => {
    const deadlines = new RegistryDeadlines(HOUR, SHORT);
    const first = deadlines.signalFor('registry.io/a');
    deadlines.started('registry.io/a');
    await abortMessage(first);
    expect(deadlines.signalFor('registry.io/b').aborted).toBe(false);
  });

  it("a repository's clock runs only while it is served, not from its first request on", async () => {
    const deadlines = new RegistryDeadlines(HOUR, SHORT);
    const signal = deadlines.signalFor('registry.io/a');
    await sleep(3 * SHORT);
    expect(signal.aborted).toBe(false);
    deadlines.started('registry.io/a');
    expect(await abortMessage(signal)).toMatch(/^gave up on registry.io\/a after/);
  });

  it('a repository abandoned while served and asked for again is served afresh, and still ends', async () => {
    const deadlines = new RegistryDeadlines(HOUR, SHORT);
    deadlines.signalFor('registry.io/a');
    deadlines.started('registry.io/a');
    deadlines.abandon('registry.io/a', new Error('not needed'));
    // Its requests in flight are still served when it comes back: its new clock runs.
    const again = deadlines.signalFor('registry.io/a');
    expect(again.aborted).toBe(false);
    expect(await abortMessage(again)).toMatch(/^gave up on registry.io\/a after/);
  });
});

/**
 * Repositories sharing one host's slots, their requests answered after a fake time each: the
 * scheduler tells the deadlines when each is served.
 */
describe('RegistryDeadlines under the request scheduler', () => {
  const SECOND = 1000;
  const MINUTE = 60 * SECOND;

  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** Resolves after `ms`, or never for `hang`; rejects with the signal's reason when it aborts. */
  function answer(ms: number | 'hang', signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = ms === 'hang' ? undefined : setTimeout(resolve, ms);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  interface Repository {
    name: string;
    /** Requests in a row, each answered after `ms`. */
    requests: number;
    ms: number | 'hang';
  }

  /** `count` repositories named `<prefix>0`.. alike. */
  const many = (prefix: string, count: number, requests: number, ms: number | 'hang'): Repository[] =>
    Array.from({ length: count }, (_, i) => ({ name: `registry.io/${prefix}${i}`, requests, ms }));

  /** How each repository ended: `done`, or its signal's reason; counted by outcome. */
  async function runAll(
    repositories: Repository[],
    options: { limit: number; budgetMs: number; repositoryDeadlineMs: number },
  ): Promise<Record<string, number>> {
    const deadlines = new RegistryDeadlines(options.budgetMs, options.repositoryDeadlineMs);
    const scheduler = new RequestScheduler(options.limit, deadlines);
    const outcomes = repositories.map(async ({ name, requests, ms }) => {
      const signal = deadlines.signalFor(name);
      try {
        for (let i = 0; i < requests; i += 1) {
          const release = await scheduler.acquire('registry.io', 'details', name, signal);
          try {
            await answer(ms, signal);
          } finally {
            release();
          }
        }
        return 'done';
      } catch (error) {
        return (error as Error).message.replace(name, '<repository>');
      }
    });
    await jest.advanceTimersByTimeAsync(2 * options.budgetMs);
    const counts: Record<string, number> = {};
    for (const outcome of await Promise.all(outcomes)) counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }

  const GAVE_UP = 'gave up on <repository> after its requests ran for 5m, the time allowed per repository';

  it.each([
    {
      // Counted from the first request on, every one of them gave up at 5 min, queued.
      name: 'many repositories queued at one request at a time, for longer than a deadline in all: none gives up',
      repositories: many('app', 80, 5, SECOND),
      limit: 1,
      expected: { done: 80 },
    },
    {
      name: 'a repository whose request hangs gives up at its deadline, and the others go on',
      repositories: [...many('hang', 1, 1, 'hang'), ...many('app', 20, 5, SECOND)],
      limit: 1,
      expected: { done: 20, [GAVE_UP]: 1 },
    },
    {
      name: 'several hang, with slots for all: each gives up at its deadline, the others go on',
      repositories: [...many('hang', 3, 1, 'hang'), ...many('app', 80, 5, SECOND)],
      limit: 4,
      expected: { done: 80, [GAVE_UP]: 3 },
    },
    {
      // Served a second at a time between the others' turns: its time adds up over the pauses.
      name: 'a repository served in turns, more than its deadline in all, gives up; the others do not',
      repositories: [...many('pages', 1, 400, SECOND), ...many('app', 80, 5, SECOND)],
      limit: 1,
      expected: { done: 80, [GAVE_UP]: 1 },
    },
  ])('$name', async ({ repositories, limit, expected }) => {
    expect(
      await runAll(repositories, { limit, budgetMs: 60 * MINUTE, repositoryDeadlineMs: 5 * MINUTE }),
    ).toEqual(expected);
  });

  it("the run's budget still ends the repositories queued past it", async () => {
    const counts = await runAll(many('app', 80, 5, SECOND), {
      limit: 1,
      budgetMs: 4 * MINUTE,
      repositoryDeadlineMs: 5 * MINUTE,
    });
    // Taking turns, each had 3 of its 5 requests answered by then: none had used its own deadline.
    expect(counts).toEqual({ "the run's time for registries (registry-budget, 4m) ran out": 80 });
  });
});
