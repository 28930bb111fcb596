import { wallParts, type LoggedRequest } from '../../scripts/bench/wall-parts.js';

/** Requests as `[arrived, finished]` pairs, in the bench's clock. */
const logged = (...pairs: Array<[number, number] | [number]>): LoggedRequest[] =>
  pairs.map(([arrived, finished]) => (finished === undefined ? { arrived } : { arrived, finished }));

describe('wallParts', () => {
  it.each([
    {
      name: 'one slot: each request waits for the answer before it',
      requests: logged([110, 130], [131, 151], [153, 173]),
      concurrency: 1,
      // Turns: 131 - 130 and 153 - 151.
      parts: { leadMs: 10, registryMs: 63, tailMs: 7, frontMs: 20, turnMs: 1.5, turnByWindowMs: [1.5] },
    },
    {
      name: 'two slots: the first two take no turn; a later one takes the slot freed last before it',
      requests: logged([105, 125], [106, 126], [126, 146], [128, 148]),
      concurrency: 2,
      // 126 took the slot freed at 125 (1 ms), 128 the one freed at 126 (2 ms).
      parts: { leadMs: 5, registryMs: 43, tailMs: 32, frontMs: 20, turnMs: 1.5, turnByWindowMs: [1.5] },
    },
    {
      name: 'a request never answered (a reset) counts nowhere',
      requests: logged([110, 130], [112], [131, 151]),
      concurrency: 1,
      parts: { leadMs: 10, registryMs: 41, tailMs: 29, frontMs: 20, turnMs: 1, turnByWindowMs: [1] },
    },
    {
      name: 'requests in arrival order whatever order the log holds them in',
      requests: logged([131, 151], [110, 130]),
      concurrency: 1,
      parts: { leadMs: 10, registryMs: 41, tailMs: 29, frontMs: 20, turnMs: 1, turnByWindowMs: [1] },
    },
  ])('$name', ({ requests, concurrency, parts }) => {
    expect(wallParts(requests, 100, 180, concurrency)).toEqual(parts);
  });

  it('has no parts without an answered request', () => {
    expect(wallParts(logged([110]), 100, 180, 8)).toBeUndefined();
    expect(wallParts([], 100, 180, 8)).toBeUndefined();
  });

  it('takes no turn when every request fits in the first slots', () => {
    const parts = wallParts(logged([110, 130], [111, 131]), 100, 140, 8);
    expect(parts?.turnMs).toBe(0);
    expect(parts?.turnByWindowMs).toEqual([]);
  });

  it.each([
    {
      name: 'each turn in the 200 ms window its request arrived in, counted from the first request',
      // Turns 1 and 19 (arrived 21 and 199 ms after the first), then 0 (200 ms after: window 1).
      requests: logged([100, 120], [121, 280], [299, 300], [300, 320]),
      concurrency: 1,
      windows: [10, 0],
    },
    {
      name: 'a window where no request took a freed slot is null, not a turn of 0',
      // Turns 1 (window 0) and 579 (arrived 620 ms after the first: window 3).
      requests: logged([100, 120], [121, 141], [720, 740]),
      concurrency: 1,
      windows: [1, null, null, 579],
    },
    {
      name: 'with two slots, the windows hold only the requests that waited for a slot',
      // 300 took the slot freed at 120 (180 ms), 302 the one freed at 125 (177 ms): window 1.
      requests: logged([100, 120], [105, 125], [300, 320], [302, 322]),
      concurrency: 2,
      windows: [null, 178.5],
    },
  ])('$name', ({ requests, concurrency, windows }) => {
    expect(wallParts(requests, 90, 400, concurrency)?.turnByWindowMs).toEqual(windows);
  });
});
