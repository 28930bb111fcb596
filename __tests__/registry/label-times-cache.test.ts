/**
 * The build-time labels in the digest cache (FLUX-V1-RULES R10.2): kept beside `created`, `{}`
 * for an image without them, and unknown (absent) for an entry written before they were kept or
 * holding anything this Action never writes, so that such an image is read again rather than
 * taken for one without labels.
 */
import { describe, expect, it } from '@jest/globals';
import { DigestCache, type CachedLabelTimes } from '../../src/registry/digest-cache.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const REPO = 'docker.io/fluxcd/helm-operator';
const T0 = Date.parse('2026-11-24T09:00:00Z');
const CREATED = '1970-01-01T00:00:00.000Z';

/** A cache file holding one tag and `entry` for its digest. */
function file(entry: Record<string, unknown>, version = 2) {
  return {
    version,
    entries: { [D1]: entry },
    tags: { [REPO]: { '1.0.0': { digest: D1, checked: new Date(T0).toISOString(), refresh: 3600 } } },
    listings: {},
  };
}

describe('label times in the digest cache', () => {
  it.each<[string, unknown, CachedLabelTimes | undefined]>([
    [
      'both labels',
      { created: '2024-05-06T07:08:09Z', buildDate: '2024-05-06T07:00:00Z' },
      {
        created: '2024-05-06T07:08:09Z',
        buildDate: '2024-05-06T07:00:00Z',
      },
    ],
    [
      'one label, nanoseconds kept',
      { buildDate: '2024-05-06T07:08:09.123456789Z' },
      {
        buildDate: '2024-05-06T07:08:09.123456789Z',
      },
    ],
    ['read, neither label: {}', {}, {}],
    ['an entry written before labels were kept: unknown', undefined, undefined],
    ['not an object: unknown', 'labels', undefined],
    ['a list: unknown', ['2024-05-06T07:08:09Z'], undefined],
    ['null: unknown', null, undefined],
    ['a time that does not parse: unknown, not "no label"', { created: '2024-05-06' }, undefined],
    ['a number: unknown', { buildDate: 1714979289 }, undefined],
    ['an empty string: unknown', { created: '' }, undefined],
    ['65 characters: unknown', { created: `2024-05-06T07:08:09.${'1'.repeat(44)}Z` }, undefined],
    [
      'other keys are not kept',
      { created: '2024-05-06T07:08:09Z', note: '<b>' },
      { created: '2024-05-06T07:08:09Z' },
    ],
  ])('%s', (_name, labels, expected) => {
    const entry = labels === undefined ? { created: CREATED } : { created: CREATED, labels };
    const cache = DigestCache.fromJSON(file(entry), T0);
    expect(cache.get(D1)).toEqual({ created: CREATED, ...(expected ? { labels: expected } : {}) });
    // Written back as loaded: unknown stays unknown, known stays known.
    const again = DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())), T0);
    expect(again.get(D1)?.labels).toEqual(expected);
  });

  it('round-trips label times set by a read', () => {
    const cache = new DigestCache();
    cache.recordTag(REPO, '1.0.0', D1, T0, 0);
    cache.set(D1, { created: CREATED, labels: { created: '2024-05-06T07:08:09.000Z' } });
    const loaded = DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())), T0);
    expect(loaded.get(D1)).toEqual({ created: CREATED, labels: { created: '2024-05-06T07:08:09.000Z' } });
  });

  it('a version 1 file (digests only) has no label times', () => {
    const cache = DigestCache.fromJSON(file({ created: CREATED }, 1), T0);
    expect(cache.get(D1)).toEqual({ created: CREATED });
  });

  it('platforms read later keep the label times', () => {
    const cache = DigestCache.fromJSON(file({ created: CREATED, labels: {} }), T0);
    cache.setPlatforms(D1, ['linux/amd64']);
    expect(cache.get(D1)).toEqual({ created: CREATED, labels: {}, platforms: ['linux/amd64'] });
  });
});
