import { describe, expect, it } from '@jest/globals';
import {
  chooseTagsToAsk,
  labelBuildTime,
  tagCapNotice,
  type RememberedDetails,
} from '../../src/registry/tag-cap.js';

/** What the digest cache remembers: tag -> build time (null: none recorded). */
function cache(known: Record<string, string | null>): (tag: string) => RememberedDetails | undefined {
  return (tag) => (tag in known ? { digest: `sha256:${tag}`, created: known[tag]! } : undefined);
}

describe('chooseTagsToAsk', () => {
  it.each<[string, string[], number, Record<string, string | null>, string[], string[], number]>([
    ['under the cap: all asked, in order', ['b', 'a'], 3, { a: '2024-01-01T00:00:00Z' }, ['b', 'a'], [], 0],
    [
      'over the cap: unknown tags first, in the caller’s order, then known ones newest first',
      ['k-old', 'u1', 'k-new', 'u2'],
      3,
      { 'k-old': '2023-01-01T00:00:00Z', 'k-new': '2024-01-01T00:00:00Z' },
      ['u1', 'u2', 'k-new'],
      ['k-old'],
      0,
    ],
    [
      'known ones without a build time, or with an unreadable one, come last; ties by tag',
      ['u', 'c', 'b', 'a', 'n'],
      2,
      { a: null, b: 'not a time', c: '2024-01-01T00:00:00Z', n: '2024-01-01T00:00:00Z' },
      ['u', 'c'],
      ['n', 'a', 'b'],
      0,
    ],
    [
      'more unknown tags than the cap: the rest are left out, known ones answered from the cache',
      ['u1', 'k', 'u2', 'u3'],
      2,
      { k: '2024-01-01T00:00:00Z' },
      ['u1', 'u2'],
      ['k'],
      1,
    ],
  ])('%s', (_name, tags, cap, known, asked, remembered, leftOut) => {
    const split = chooseTagsToAsk(tags, cap, cache(known));
    expect(split.asked).toEqual(asked);
    expect([...split.remembered.keys()]).toEqual(remembered);
    expect(split.leftOut).toBe(leftOut);
  });
});

// Flux v1's own images (label-times.ts) are chosen by their label times, so the known ones asked
// again are the newest by label: reproducible builds all have the `created` of 1970.
describe('chooseTagsToAsk by label times', () => {
  const EPOCH = '1970-01-01T00:00:00.000Z';
  const known: Record<string, RememberedDetails> = {
    old: { digest: 'sha256:old', created: EPOCH, labels: { created: '2023-01-01T00:00:00Z' } },
    schema: { digest: 'sha256:schema', created: EPOCH, labels: { buildDate: '2024-06-01T00:00:00Z' } },
    // The OCI label wins over a later Label Schema one, as in the choice.
    oci: {
      digest: 'sha256:oci',
      created: EPOCH,
      labels: { created: '2024-01-01T00:00:00Z', buildDate: '2025-01-01T00:00:00Z' },
    },
    none: { digest: 'sha256:none', created: '2022-01-01T00:00:00Z', labels: {} },
  };
  const remember = (tag: string) => known[tag];

  it.each<[string, ((d: RememberedDetails) => string | null) | undefined, string[]]>([
    ['by label', labelBuildTime, ['schema', 'oci']],
    ['by created (any other repository)', undefined, ['none', 'oci']],
  ])('%s', (_name, buildTime, asked) => {
    expect(chooseTagsToAsk(Object.keys(known), 2, remember, buildTime).asked).toEqual(asked);
  });
});

describe('tagCapNotice', () => {
  it('says nothing under the cap', () => {
    expect(tagCapNotice('docker.io/a/b', 3, chooseTagsToAsk(['x'], 3, cache({})))).toBeUndefined();
  });

  it('counts what was asked, remembered and left out', () => {
    const split = chooseTagsToAsk(['u1', 'k', 'u2', 'u3'], 2, cache({ k: '2024-01-01T00:00:00Z' }));
    expect(tagCapNotice('docker.io/a/b', 2, split)).toBe(
      'docker.io/a/b: 4 tags need a build time, more than the 2 asked about per repository per run; ' +
        '2 were asked about, 1 taken from the digest cache (their last-known build), and 1 never described ' +
        'yet were left out, so a choice by build time may miss a newer build until later runs (which keep ' +
        'what they learn in the digest cache) have described them',
    );
  });
});
