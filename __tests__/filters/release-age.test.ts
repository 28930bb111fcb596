import { describe, expect, it } from '@jest/globals';
import { parseFilter } from '../../src/filters/parse-filter.js';
import { chooseTagWithReleaseAge } from '../../src/filters/release-age.js';
import type { TagDetails } from '../../src/ports.js';

const DAY = 86_400_000;
/** "Now" for every case: 2026-01-10T00:00:00Z. */
const NOW = new Date(Date.UTC(2026, 0, 10));

/** Details of a tag built `daysAgo` days before {@link NOW} (undefined: no build time; 'epoch': 1970). */
function details(days: Record<string, number | undefined | 'epoch'>): Map<string, TagDetails> {
  return new Map(
    Object.entries(days).map(([tag, ago]) => [
      tag,
      {
        digest: `sha256:${tag}`,
        created:
          ago === undefined ? undefined : ago === 'epoch' ? new Date(0) : new Date(NOW.getTime() - ago * DAY),
      },
    ]),
  );
}

interface Case {
  name: string;
  filter: string;
  current: string;
  built: Record<string, number | undefined | 'epoch'>;
  expected: { kind: string; tag?: string };
  says?: string;
}

describe('chooseTagWithReleaseAge (minimum 3d)', () => {
  it.each<Case>([
    {
      name: 'semver: the highest old enough is proposed',
      filter: 'semver:^1',
      current: '1.0.0',
      built: { '1.0.0': 30, '1.1.0': 5, '1.2.0': 4 },
      expected: { kind: 'update', tag: '1.2.0' },
    },
    {
      name: 'semver: a too-young highest falls back to the next-best and says when it will be proposed',
      filter: 'semver:^1',
      current: '1.0.0',
      built: { '1.0.0': 30, '1.1.0': 5, '1.2.0': 1 },
      expected: { kind: 'update', tag: '1.1.0' },
      says: '1.2.0 (built 2026-01-09T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-01-12T00:00:00Z',
    },
    {
      name: 'semver: every newer tag too young is too-new',
      filter: 'semver:^1',
      current: '1.0.0',
      built: { '1.0.0': 30, '1.1.0': 2, '1.2.0': 1 },
      expected: { kind: 'too-new' },
      says: '1.1.0 (built 2026-01-08T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-01-11T00:00:00Z',
    },
    {
      name: 'no build time holds the tag (fail-safe)',
      filter: 'semver:^1',
      current: '1.0.0',
      built: { '1.0.0': 30, '1.1.0': 5, '1.2.0': undefined },
      expected: { kind: 'too-new' },
      says: '1.2.0 is held: its build time is unknown',
    },
    {
      name: 'the epoch time of reproducible builds is no build time',
      filter: 'semver:^1',
      current: '1.0.0',
      built: { '1.0.0': 30, '1.2.0': 'epoch' },
      expected: { kind: 'too-new' },
      says: '1.2.0 is held: its build time is unknown',
    },
    {
      name: 'glob: the newest old enough build',
      filter: 'glob:main-*',
      current: 'main-a',
      built: { 'main-a': 30, 'main-b': 6, 'main-c': 1 },
      expected: { kind: 'update', tag: 'main-b' },
      says: 'main-c (built',
    },
    {
      name: 'a fallback is never a downgrade',
      filter: 'glob:main-*',
      current: 'main-b',
      built: { 'main-a': 30, 'main-b': 6, 'main-c': 1 },
      expected: { kind: 'too-new' },
    },
  ])('$name', ({ filter, current, built, expected, says }) => {
    const known = details(built);
    const { decision } = chooseTagWithReleaseAge(
      { filter: parseFilter(filter), current, tags: [...known.keys()], details: known },
      3 * DAY,
      NOW,
    );
    expect(decision).toMatchObject(expected);
    const text = decision.kind === 'update' ? decision.chosenBy : 'reason' in decision ? decision.reason : '';
    if (says) expect(text).toContain(says);
  });

  it('changes nothing with a minimum of 0', () => {
    const known = details({ '1.0.0': 30, '1.2.0': 0 });
    const { decision } = chooseTagWithReleaseAge(
      { filter: parseFilter('semver:^1'), current: '1.0.0', tags: [...known.keys()], details: known },
      0,
      NOW,
    );
    expect(decision).toMatchObject({ kind: 'update', tag: '1.2.0', chosenBy: 'highest version matching ^1' });
  });
});
