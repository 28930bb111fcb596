/**
 * The registry phase's deadlines: one signal per repository, ended by the repository's own
 * deadline or by the run's budget, whichever comes first. Short real timers; no figure of time is
 * asserted, only which signal ended and why.
 */
import { describe, expect, it } from '@jest/globals';
import { RegistryDeadlines } from '../../src/registry/deadlines.js';

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
        'gave up on registry.io/a after 30 ms, the time allowed per repository',
        'gave up on registry.io/b after 30 ms, the time allowed per repository',
        'gave up on registry.io/c after 30 ms, the time allowed per repository',
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
    expect([early, late].map((s) => [s.aborted, (s.reason as Error).message])).toEqual([
      [true, 'the run stopped'],
      [true, 'the run stopped'],
    ]);
  });

  it("a repository's deadline leaves repositories asked for later running", async () => {
    const deadlines = new RegistryDeadlines(HOUR, SHORT);
    await abortMessage(deadlines.signalFor('registry.io/a'));
    expect(deadlines.signalFor('registry.io/b').aborted).toBe(false);
  });
});
