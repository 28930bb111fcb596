/**
 * The listings of earlier runs as the digest cache's file keeps them (remembered-listings.ts): what
 * a file may hold, when it is written again, and which repositories a run lists ahead.
 */
import { describe, expect, it } from '@jest/globals';
import {
  LISTING_MAX_AGE_MS,
  MAX_LISTED_AHEAD,
  MAX_REMEMBERED_RUNS,
  MAX_RUN_REPOSITORIES,
  RememberedListings,
} from '../../src/registry/remembered-listings.js';

const T0 = Date.parse('2026-12-05T08:00:00Z');
const HOUR = 3_600_000;
const SCOPE = 'a'.repeat(32);
const OTHER_SCOPE = 'b'.repeat(32);
const recorded = new Date(T0 - HOUR).toISOString();

/** The repositories a file's `runs` entry for {@link SCOPE} gives the next run (all of them). */
function readRun(entry: unknown, scope = SCOPE): string[] {
  return RememberedListings.fromJSON({}, { [scope]: entry }, T0).lastRun(SCOPE, 1_000);
}

describe("a file's runs", () => {
  it.each<[string, unknown, string[]]>([
    [
      'repositories named as the scan names them',
      { repositories: ['ghcr.io/acme/app', 'docker.io/library/nginx'], recorded },
      ['ghcr.io/acme/app', 'docker.io/library/nginx'],
    ],
    [
      'a name that is no repository is left out',
      { repositories: ['ghcr.io/acme/app', 'Not A Repository', 'nginx', 42], recorded },
      ['ghcr.io/acme/app'],
    ],
    ['repositories that are no list', { repositories: 'ghcr.io/acme/app', recorded }, []],
    ['no time recorded', { repositories: ['ghcr.io/acme/app'] }, []],
    ['a time that does not parse', { repositories: ['ghcr.io/acme/app'], recorded: 'yesterday' }, []],
    [
      'recorded too long ago',
      { repositories: ['ghcr.io/acme/app'], recorded: new Date(T0 - LISTING_MAX_AGE_MS - 1).toISOString() },
      [],
    ],
  ])('%s', (_case, entry, expected) => {
    expect(readRun(entry)).toEqual(expected);
  });

  it('reads a scope only under a key of the form it is written with', () => {
    const entry = { repositories: ['ghcr.io/acme/app'], recorded };
    expect(RememberedListings.fromJSON({}, { 'not-a-key': entry }, T0).toJSON().runs).toEqual({});
    expect(readRun(entry, SCOPE)).toEqual(['ghcr.io/acme/app']);
  });

  it('lists ahead nothing for another scope, or without runs', () => {
    const listings = RememberedListings.fromJSON(
      {},
      { [OTHER_SCOPE]: { repositories: ['ghcr.io/acme/app'], recorded } },
      T0,
    );
    expect(listings.lastRun(SCOPE, 10)).toEqual([]);
    expect(RememberedListings.fromJSON(undefined, undefined, T0).lastRun(SCOPE, 10)).toEqual([]);
  });

  it(`keeps at most ${MAX_REMEMBERED_RUNS} scopes, the most recently recorded, and ${MAX_RUN_REPOSITORIES} repositories of one`, () => {
    const listings = new RememberedListings();
    for (let i = 0; i <= MAX_REMEMBERED_RUNS; i += 1)
      listings.recordRun(i.toString(16).padStart(32, '0'), ['ghcr.io/acme/app'], T0 + i);
    const many = Array.from(
      { length: MAX_RUN_REPOSITORIES + 5 },
      (_, i) => `ghcr.io/acme/app-${String(i).padStart(5, '0')}`,
    );
    listings.recordRun(SCOPE, many, T0 + HOUR);
    const { runs } = listings.toJSON();
    expect(Object.keys(runs)).toHaveLength(MAX_REMEMBERED_RUNS);
    // The oldest two scopes went: the first recorded, and the one the newest pushed out.
    expect(runs['0'.repeat(32)]).toBeUndefined();
    expect(runs[SCOPE].repositories).toEqual(many.slice(0, MAX_RUN_REPOSITORIES));
    // A file holding more is read to the same bounds.
    const tooMany = { ...runs, [OTHER_SCOPE]: { repositories: many, recorded } };
    const read = RememberedListings.fromJSON({}, tooMany, T0 + HOUR).toJSON().runs;
    expect(Object.keys(read)).toHaveLength(MAX_REMEMBERED_RUNS);
    for (const run of Object.values(read))
      expect(run.repositories.length).toBeLessThanOrEqual(MAX_RUN_REPOSITORIES);
  });
});

describe('which repositories a run lists ahead', () => {
  it('at most so many of each registry, the listings that took the most pages first', () => {
    const listings = RememberedListings.fromJSON(
      {
        'ghcr.io/acme/long': { pages: 5, listed: recorded },
        'ghcr.io/acme/two': { pages: 2, listed: recorded },
      },
      {
        [SCOPE]: {
          repositories: [
            'ghcr.io/acme/a',
            'ghcr.io/acme/b',
            'ghcr.io/acme/long',
            'ghcr.io/acme/two',
            'quay.io/x/y',
            'quay.io/x/z',
          ],
          recorded,
        },
      },
      T0,
    );
    expect(listings.lastRun(SCOPE, 3)).toEqual([
      'ghcr.io/acme/long',
      'ghcr.io/acme/two',
      'ghcr.io/acme/a',
      'quay.io/x/y',
      'quay.io/x/z',
    ]);
    expect(listings.lastRun(SCOPE, 1)).toEqual(['ghcr.io/acme/long', 'quay.io/x/y']);
  });
});

describe('how many a run lists ahead', () => {
  it(`at most ${MAX_LISTED_AHEAD} in all, whatever the number of registries`, () => {
    const repositories = Array.from({ length: 300 }, (_, i) => `r${i}.example/team/app`);
    const listings = RememberedListings.fromJSON({}, { [SCOPE]: { repositories, recorded } }, T0);
    expect(listings.lastRun(SCOPE, 32)).toHaveLength(MAX_LISTED_AHEAD);
    expect(listings.lastRun(SCOPE, 1)).toHaveLength(MAX_LISTED_AHEAD);
  });
});

describe('when the file is written again', () => {
  const names = ['ghcr.io/acme/a', 'ghcr.io/acme/b'];
  it.each<[string, string[], number, boolean]>([
    [
      'the same repositories, in any order, the same day',
      ['ghcr.io/acme/b', 'ghcr.io/acme/a', 'ghcr.io/acme/a'],
      T0 + HOUR,
      false,
    ],
    ['one more repository', [...names, 'ghcr.io/acme/c'], T0 + HOUR, true],
    ['one fewer', ['ghcr.io/acme/a'], T0 + HOUR, true],
    ['the same repositories a day later (kept alive)', names, T0 + 24 * HOUR, true],
  ])('%s: %s', (_case, next, now, changed) => {
    const first = new RememberedListings();
    first.recordRun(SCOPE, names, T0);
    const { listings, runs } = first.toJSON();
    const loaded = RememberedListings.fromJSON(listings, runs, T0);
    expect(loaded.changed).toBe(false);
    loaded.recordRun(SCOPE, next, now);
    expect(loaded.changed).toBe(changed);
  });
});
