import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DigestCache,
  FORGET_AFTER_MS,
  INITIAL_REFRESH_MS,
  MIN_REFRESH_MS,
  nextRefresh,
  type TagRecord,
} from '../../src/registry/digest-cache.js';
import { loadDigestCache, saveDigestCache } from '../../src/registry/digest-cache-file.js';
import {
  digestCacheKeys,
  restoreDigestCacheFile,
  saveDigestCacheFile,
  type CacheBackend,
} from '../../src/registry/actions-cache.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const REPO = 'registry.example.com/team/app';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-11-24T09:00:00Z');

describe('DigestCache', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'digest-cache-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips through a file', async () => {
    const cache = new DigestCache();
    expect(cache.changed).toBe(false);
    cache.recordTag(REPO, '1.0.0', D1, T0, DAY);
    cache.recordTag(REPO, '1.1.0', D2, T0, DAY);
    cache.set(D1, {
      created: '2024-01-02T03:04:05.000Z',
      source: 'https://github.com/o/r',
      revision: 'abc123',
    });
    cache.set(D2, { created: null });
    expect(cache.changed).toBe(true);
    const path = join(dir, 'nested', 'digests.json');
    await saveDigestCache(path, cache);
    const loaded = await loadDigestCache(path, T0);
    expect(loaded.size).toBe(2);
    expect(loaded.changed).toBe(false);
    expect(loaded.get(D1)).toEqual({
      created: '2024-01-02T03:04:05.000Z',
      source: 'https://github.com/o/r',
      revision: 'abc123',
    });
    expect(loaded.get(D2)).toEqual({ created: null });
    expect(loaded.tag(REPO, '1.0.0')).toEqual({ digest: D1, checked: T0, refresh: INITIAL_REFRESH_MS });
    expect(loaded.toJSON()).toEqual(cache.toJSON());
  });

  it('reads a version 1 file (digests only)', () => {
    const cache = DigestCache.fromJSON({ version: 1, entries: { [D1]: { created: null } } }, T0);
    expect(cache.get(D1)).toEqual({ created: null });
    expect(cache.tag(REPO, '1.0.0')).toBeUndefined();
  });

  it.each([
    ['missing file', undefined],
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 99, entries: { [D1]: { created: null } } })],
  ])('starts empty on a %s', async (_name, content) => {
    const path = join(dir, `${_name}.json`);
    if (content !== undefined) await writeFile(path, content);
    expect((await loadDigestCache(path)).size).toBe(0);
  });

  it('drops malformed entries', () => {
    const checked = new Date(T0).toISOString();
    const cache = DigestCache.fromJSON(
      {
        version: 2,
        entries: {
          [D1]: { created: 'not a date' },
          'sha256:short': { created: null },
          [D2]: { created: null },
        },
        tags: {
          [REPO]: {
            good: { digest: D2, checked, refresh: 3600 },
            'bad-digest': { digest: 'sha256:short', checked, refresh: 3600 },
            'bad-date': { digest: D2, checked: 'yesterday', refresh: 3600 },
            'bad-refresh': { digest: D2, checked, refresh: -1 },
            'no-refresh': { digest: D2, checked },
          },
          'registry.example.com/not-a-map': 7,
        },
      },
      T0,
    );
    expect(cache.toJSON()).toEqual({
      version: 2,
      entries: { [D2]: { created: null } },
      tags: { [REPO]: { good: { digest: D2, checked, refresh: 3600 } } },
      listings: {},
      runs: {},
      schemes: {},
    });
  });
});

describe('times the cache never writes', () => {
  // Date.parse reads these leniently; a damaged file holding one must not pass for a build time
  // (which orders a glob or regex filter's tags) or a recent confirmation (which skips the HEAD).
  const checked = new Date(T0).toISOString();
  it.each([
    ['1', 'Date.parse: 2001-01-01'],
    ['2024', 'Date.parse: 2024-01-01'],
    ['2024-02-30T00:00:00Z', 'Date.parse: rolled into March'],
    ['March 1, 2024', 'Date.parse: local time'],
    ['2024-03-01 00:00:00', 'Date.parse: local time'],
    ['Fri, 01 Mar 2024 00:00:00 GMT', 'Date.parse: an HTTP date'],
  ])('drops a digest whose created is %j (%s)', (created) => {
    const cache = DigestCache.fromJSON(
      {
        version: 2,
        entries: { [D1]: { created } },
        tags: { [REPO]: { t: { digest: D1, checked, refresh: 3600 } } },
      },
      T0,
    );
    expect(cache.get(D1)).toBeUndefined();
  });

  it.each([
    ['2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T00:00:00.123456789Z', '2024-03-01T00:00:00.123456789Z'],
    [null, null],
  ])('keeps a digest whose created is %j', (created, kept) => {
    const cache = DigestCache.fromJSON({ version: 2, entries: { [D1]: { created } } }, T0);
    expect(cache.get(D1)?.created).toBe(kept);
  });

  it.each([
    ['a locale string', new Date(T0).toLocaleString('en-US')],
    ['without milliseconds', new Date(T0).toISOString().replace('.000Z', 'Z')],
    ['a date alone', new Date(T0).toISOString().slice(0, 10)],
    ['Date#toString', new Date(T0).toString()],
  ])('forgets a tag whose confirmation time is %s', (_name, time) => {
    expect(Number.isNaN(Date.parse(time))).toBe(false);
    const cache = DigestCache.fromJSON(
      { version: 2, entries: {}, tags: { [REPO]: { t: { digest: D1, checked: time, refresh: 3600 } } } },
      T0 + MIN,
    );
    expect(cache.trustedDigest(REPO, 't', T0 + MIN, DAY)).toBeUndefined();
    expect(cache.tag(REPO, 't')).toBeUndefined();
  });
});

describe('trusting a tag digest (Flux v1 refresh)', () => {
  const record = (digest: string, refresh: number): TagRecord => ({ digest, checked: T0, refresh });

  it.each<[string, TagRecord | undefined, string, number, number]>([
    ['a new tag: one hour', undefined, D1, DAY, INITIAL_REFRESH_MS],
    ['unchanged: doubled', record(D1, 2 * HOUR), D1, DAY, 4 * HOUR],
    ['unchanged: capped by the max age', record(D1, 16 * HOUR), D1, DAY, DAY],
    ['moved: halved', record(D1, 4 * HOUR), D2, DAY, 2 * HOUR],
    ['moved: never under five minutes', record(D1, 6 * MIN), D2, DAY, MIN_REFRESH_MS],
    ['a new tag with a max age under an hour', undefined, D1, 30 * MIN, 30 * MIN],
    ['a max age under five minutes wins over the minimum', record(D1, 4 * HOUR), D2, 2 * MIN, 2 * MIN],
    ['max age 0: the history still grows', record(D1, 4 * HOUR), D1, 0, 8 * HOUR],
    ['max age 0: up to 7 days', record(D1, 5 * DAY), D1, 0, 7 * DAY],
    ['a period from an older cache under five minutes', record(D1, 0), D1, DAY, MIN_REFRESH_MS],
    [
      'moved after growing under a higher cap: half the period in force',
      record(D1, 7 * DAY),
      D2,
      DAY,
      DAY / 2,
    ],
  ])('%s', (_name, previous, digest, maxAge, expected) => {
    expect(nextRefresh(previous, digest, maxAge)).toBe(expected);
  });

  it.each<[string, number, number, boolean]>([
    ['just confirmed', T0, DAY, true],
    ['within its hour', T0 + 59 * MIN, DAY, true],
    ['its hour is over', T0 + HOUR, DAY, false],
    ['a lower max age applies at once', T0 + 10 * MIN, 5 * MIN, false],
    ['max age 0', T0, 0, false],
    ['a confirmation dated in the future (clock went back)', T0 - MIN, DAY, false],
  ])('%s: trusted %s', (_name, now, maxAge, trusted) => {
    const cache = new DigestCache();
    cache.recordTag(REPO, '1.0.0', D1, T0, DAY);
    expect(cache.trustedDigest(REPO, '1.0.0', now, maxAge)).toBe(trusted ? D1 : undefined);
    expect(cache.trustedDigest(REPO, '2.0.0', now, maxAge)).toBeUndefined();
  });

  it('grows the trust of a tag that stays, and shrinks it when the tag moves', () => {
    const cache = new DigestCache();
    const periods: number[] = [];
    let now = T0;
    for (const digest of [D1, D1, D1, D2, D2]) {
      cache.recordTag(REPO, 'main', digest, now, 7 * DAY);
      periods.push(cache.tag(REPO, 'main')!.refresh / HOUR);
      now += cache.tag(REPO, 'main')!.refresh;
    }
    expect(periods).toEqual([1, 2, 4, 2, 4]);
  });

  it.each<[string, number, TagRecord | undefined, boolean]>([
    ['a new tag', 0, undefined, true],
    ['a moved tag, max age 0', 0, record(D2, 0), true],
    ['a confirmation with trust on (the new period must be kept)', DAY, record(D1, HOUR), true],
    ['a confirmation with max age 0, within a day', 0, record(D1, 0), false],
  ])('writes the cache for %s: %s', (_name, maxAge, previous, changed) => {
    const cache = DigestCache.fromJSON(
      {
        version: 2,
        entries: {},
        tags: previous
          ? { [REPO]: { t: { digest: previous.digest, checked: new Date(T0).toISOString(), refresh: 0 } } }
          : {},
      },
      T0,
    );
    cache.recordTag(REPO, 't', D1, T0 + HOUR, maxAge);
    expect(cache.changed).toBe(changed);
  });

  it('rewrites a confirmation older than a day even with max age 0', () => {
    const cache = new DigestCache();
    cache.recordTag(REPO, 't', D1, T0, 0);
    const reloaded = DigestCache.fromJSON(cache.toJSON(), T0 + DAY);
    reloaded.recordTag(REPO, 't', D1, T0 + DAY, 0);
    expect(reloaded.changed).toBe(true);
  });
});

it('keeps a tag named __proto__ (a valid tag) through a file', () => {
  const cache = new DigestCache();
  cache.recordTag(REPO, '__proto__', D1, T0, DAY);
  cache.set(D1, { created: null });
  const loaded = DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())), T0);
  expect(loaded.tag(REPO, '__proto__')?.digest).toBe(D1);
  expect(loaded.get(D1)).toEqual({ created: null });
});

describe('listing sizes', () => {
  it('round-trips, drops malformed ones, and forgets those not listed for 30 days', () => {
    const cache = new DigestCache();
    cache.listings.record(REPO, 3, T0);
    cache.listings.record('old.example.com/app', 2, T0 - FORGET_AFTER_MS - DAY);
    const json = cache.toJSON();
    expect(json.listings[REPO]).toEqual({ pages: 3, listed: new Date(T0).toISOString() });
    const loaded = DigestCache.fromJSON(
      {
        ...json,
        listings: {
          ...json.listings,
          'bad.example.com/zero': { pages: 0, listed: new Date(T0).toISOString() },
          'bad.example.com/date': { pages: 2, listed: 'today' },
        },
      },
      T0,
    );
    expect(loaded.listings.pages(REPO)).toBe(3);
    expect(loaded.listings.pages('old.example.com/app')).toBeUndefined();
    expect(loaded.listings.pages('bad.example.com/zero')).toBeUndefined();
    expect(loaded.listings.pages('bad.example.com/date')).toBeUndefined();
  });

  it.each<[string, number, number, boolean]>([
    ['the same size the same day', 3, T0 + HOUR, false],
    ['another size', 4, T0 + HOUR, true],
    ['the same size a day later (kept alive)', 3, T0 + DAY, true],
  ])('writes the cache for %s: %s', (_name, pages, now, changed) => {
    const first = new DigestCache();
    first.listings.record(REPO, 3, T0);
    const cache = DigestCache.fromJSON(first.toJSON(), T0);
    cache.listings.record(REPO, pages, now);
    expect(cache.changed).toBe(changed);
  });
});

describe('pruning', () => {
  it('forgets tags the registry no longer lists, and the digests only they pointed at', () => {
    const cache = new DigestCache();
    cache.recordTag(REPO, 'kept', D1, T0, DAY);
    cache.recordTag(REPO, 'deleted', D2, T0, DAY);
    cache.recordTag('other.example.com/app', 'x', D2, T0, DAY);
    cache.set(D1, { created: null });
    cache.set(D2, { created: null });
    cache.forgetUnlistedTags(REPO, ['kept', 'new']);
    expect(cache.tag(REPO, 'deleted')).toBeUndefined();
    // D2 is still pointed at by another repository's tag.
    expect(Object.keys(cache.toJSON().entries).sort()).toEqual([D1, D2]);
    cache.forgetUnlistedTags('other.example.com/app', []);
    expect(Object.keys(cache.toJSON().entries)).toEqual([D1]);
    expect(cache.toJSON().tags).toEqual({ [REPO]: { kept: expect.any(Object) } });
  });

  it('marks the cache changed only when it forgot something', () => {
    const cache = DigestCache.fromJSON(
      {
        version: 2,
        entries: {},
        tags: { [REPO]: { a: { digest: D1, checked: new Date(T0).toISOString(), refresh: 3600 } } },
      },
      T0,
    );
    cache.forgetUnlistedTags(REPO, ['a', 'b']);
    cache.forgetUnlistedTags('unknown.example.com/x', []);
    expect(cache.changed).toBe(false);
    cache.forgetUnlistedTags(REPO, ['b']);
    expect(cache.changed).toBe(true);
  });

  it('forgets, on loading, tags not confirmed for 30 days', () => {
    const cache = new DigestCache();
    cache.recordTag(REPO, 'old', D1, T0, DAY);
    cache.recordTag(REPO, 'recent', D2, T0 + 2 * DAY, DAY);
    cache.set(D1, { created: null });
    cache.set(D2, { created: null });
    const later = DigestCache.fromJSON(cache.toJSON(), T0 + FORGET_AFTER_MS + DAY);
    expect(later.tag(REPO, 'old')).toBeUndefined();
    expect(later.tag(REPO, 'recent')?.digest).toBe(D2);
    expect(Object.keys(later.toJSON().entries)).toEqual([D2]);
  });
});

describe('actions cache keys', () => {
  it('restores an older format only after the current one', () => {
    expect(
      digestCacheKeys({
        path: '/x',
        prefix: 'hiu-digests-v2',
        olderPrefixes: ['hiu-digests-v1'],
        runId: '9-1',
      }),
    ).toEqual({ key: 'hiu-digests-v2-9-1', restoreKeys: ['hiu-digests-v2-', 'hiu-digests-v1-'] });
  });

  const location = { path: '/tmp/x/digests.json', prefix: 'hiu-digests-v1', runId: '42-1' };

  it('rolls forward: saves under the run id, restores by prefix', async () => {
    expect(digestCacheKeys(location)).toEqual({
      key: 'hiu-digests-v1-42-1',
      restoreKeys: ['hiu-digests-v1-'],
    });
    const calls: unknown[] = [];
    const backend: CacheBackend = {
      isFeatureAvailable: () => true,
      restoreCache: async (...args) => {
        calls.push(['restore', ...args]);
        return 'hiu-digests-v1-41-1';
      },
      saveCache: async (...args) => {
        calls.push(['save', ...args]);
        return 7;
      },
    };
    expect(await restoreDigestCacheFile(location, undefined, backend)).toBe('hiu-digests-v1-41-1');
    expect(await saveDigestCacheFile(location, undefined, backend)).toBe(true);
    expect(calls).toEqual([
      ['restore', ['/tmp/x/digests.json'], 'hiu-digests-v1-42-1', ['hiu-digests-v1-']],
      ['save', ['/tmp/x/digests.json'], 'hiu-digests-v1-42-1'],
    ]);
  });

  it('never fails the run', async () => {
    const notices: string[] = [];
    const backend: CacheBackend = {
      isFeatureAvailable: () => true,
      restoreCache: async () => {
        throw new Error('cache service down');
      },
      saveCache: async () => {
        throw new Error('Unable to reserve cache');
      },
    };
    expect(await restoreDigestCacheFile(location, (m) => notices.push(m), backend)).toBeUndefined();
    expect(await saveDigestCacheFile(location, (m) => notices.push(m), backend)).toBe(false);
    expect(notices).toHaveLength(2);
  });
});

describe('platforms', () => {
  const file = (entries: Record<string, unknown>) => ({
    version: 2,
    entries,
    tags: { [REPO]: { '1.0.0': { digest: D1, checked: new Date(T0).toISOString(), refresh: 3600 } } },
    listings: {},
  });
  it.each<[string, unknown, { created: string | null | undefined; platforms: unknown }]>([
    [
      'kept with the details',
      { created: '2024-01-01T00:00:00Z', platforms: ['linux/amd64', 'linux/arm/v7'] },
      { created: '2024-01-01T00:00:00Z', platforms: ['linux/amd64', 'linux/arm/v7'] },
    ],
    [
      'an entry written before platforms were kept: loaded, platforms unknown',
      { created: '2024-01-01T00:00:00Z' },
      { created: '2024-01-01T00:00:00Z', platforms: undefined },
    ],
    [
      'unusable platforms are dropped, the entry kept',
      { created: null, platforms: ['linux/amd64', '<img src=x>'] },
      { created: null, platforms: undefined },
    ],
    [
      'more than 32 platforms are dropped',
      { created: null, platforms: Array.from({ length: 33 }, (_, i) => `linux/a${i}`) },
      { created: null, platforms: undefined },
    ],
    [
      'platforms alone (a manifest read for them): never details',
      { platforms: [] },
      { created: undefined, platforms: [] },
    ],
    ['neither: dropped', { source: 'https://x' }, { created: undefined, platforms: undefined }],
  ])('%s', (_name, entry, expected) => {
    const cache = DigestCache.fromJSON(file({ [D1]: entry }), T0);
    expect({ created: cache.get(D1)?.created, platforms: cache.platforms(D1) }).toEqual(expected);
    // What was loaded is written back the same way.
    const again = DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())), T0);
    expect({ created: again.get(D1)?.created, platforms: again.platforms(D1) }).toEqual(expected);
  });

  it('platforms read alone complete details without them, and give way to details read later', () => {
    const cache = new DigestCache();
    cache.set(D1, { created: null });
    cache.setPlatforms(D1, ['linux/amd64']);
    expect(cache.get(D1)).toEqual({ created: null, platforms: ['linux/amd64'] });
    cache.setPlatforms(D2, []);
    expect([cache.get(D2), cache.platforms(D2)]).toEqual([undefined, []]);
    cache.set(D2, { created: null, platforms: ['linux/arm64'] });
    expect(cache.platforms(D2)).toEqual(['linux/arm64']);
  });
});
