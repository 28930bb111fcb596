import { describe, expect, it } from '@jest/globals';
import { parseFilter } from '../../src/filters/parse-filter.js';
import {
  chooseTagWithReleaseAge,
  formatAge,
  MAX_RELEASE_AGE_CANDIDATES,
  releaseAgeHold,
} from '../../src/filters/release-age.js';
import { RegistryError, type TagDetails } from '../../src/ports.js';

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
    {
      name: 'a fallback is never a version below the current one',
      filter: 'semver:*',
      current: '1.5.0',
      built: { '1.0.0': 30, '2.0.0': 1 },
      expected: { kind: 'too-new' },
    },
    {
      name: 'a fallback is never a lower version, even one built after the current one',
      filter: 'glob:*',
      current: '4.0.3',
      built: { '4.0.3': 30, '3.6.5': 6, '4.0.4': 1 },
      expected: { kind: 'too-new' },
    },
    {
      name: 'a fallback is never a build older than the current one',
      filter: 'glob:main-*',
      current: 'release-1',
      built: { 'main-a': 30, 'release-1': 6, 'main-c': 1 },
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

describe('formatAge: the largest whole unit', () => {
  it.each([
    [3 * DAY, '3d'],
    [DAY, '1d'],
    [36 * 3_600_000, '36h'],
    [3_600_000, '1h'],
    [90 * 60_000, '90m'],
    [60_000, '1m'],
    [45_000, '45s'],
    [1_500, '2s'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('releaseAgeHold', () => {
  const at = (iso: string | undefined): TagDetails => ({
    digest: 'sha256:x',
    created: iso === undefined ? undefined : new Date(iso),
  });
  it.each([
    // build time, minimum, the hold (undefined: may be proposed)
    ['2026-01-07T00:00:00Z', 3 * DAY, undefined],
    ['2026-01-06T00:00:00Z', 3 * DAY, undefined],
    [
      '2026-01-07T00:00:01Z',
      3 * DAY,
      'x (built 2026-01-07T00:00:01Z) is younger than the minimum release age 3d and will be proposed from 2026-01-10T00:00:01Z',
    ],
    [
      '2026-01-09T23:30:00.250Z',
      3_600_000,
      'x (built 2026-01-09T23:30:00.250Z) is younger than the minimum release age 1h and will be proposed from 2026-01-10T00:30:00.250Z',
    ],
    [
      undefined,
      3 * DAY,
      'x is held: its build time is unknown, so its age cannot be checked (minimum release age 3d)',
    ],
    [
      '1970-01-01T00:00:00Z',
      DAY,
      'x is held: its build time is unknown, so its age cannot be checked (minimum release age 1d)',
    ],
    [
      '1969-12-31T00:00:00Z',
      DAY,
      'x is held: its build time is unknown, so its age cannot be checked (minimum release age 1d)',
    ],
    [
      'garbage',
      DAY,
      'x is held: its build time is unknown, so its age cannot be checked (minimum release age 1d)',
    ],
    ['2026-01-09T23:59:59Z', 0, undefined],
    [undefined, 0, undefined],
    [undefined, -1, undefined],
  ])('built %s, minimum %d ms', (built, minimum, hold) => {
    expect(releaseAgeHold('x', at(built), minimum, NOW)).toBe(hold);
  });

  it('holds a tag whose details were not read or failed', () => {
    const hold =
      'x is held: its build time is unknown, so its age cannot be checked (minimum release age 1d)';
    expect(releaseAgeHold('x', undefined, DAY, NOW)).toBe(hold);
    expect(releaseAgeHold('x', new RegistryError('manifest unknown', 'r.example', 404), DAY, NOW)).toBe(hold);
  });
});

describe('chooseTagWithReleaseAge: the full decision', () => {
  function choose(filter: string, current: string, built: Record<string, number | undefined | 'epoch'>) {
    const known = details(built);
    return chooseTagWithReleaseAge(
      { filter: parseFilter(filter), current, tags: [...known.keys()], details: known },
      3 * DAY,
      NOW,
    );
  }
  const young = (tag: string, day: number) =>
    `${tag} (built 2026-01-0${day}T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-01-${String(day + 3).padStart(2, '0')}T00:00:00Z`;

  it('says every tag it passed over, in order', () => {
    const { decision, problems } = choose('semver:^1', '1.0.0', {
      '1.0.0': 30,
      '1.1.0': 5,
      '1.2.0': 2,
      '1.3.0': 1,
    });
    expect(decision).toEqual({
      kind: 'update',
      tag: '1.1.0',
      downgrade: false,
      chosenBy: `highest version matching ^1; ${young('1.3.0', 9)}; ${young('1.2.0', 8)}`,
      heldBack: `${young('1.3.0', 9)}; ${young('1.2.0', 8)}`,
      notTaken: [],
    });
    expect(problems).toEqual([]);
  });

  it(`tries at most ${MAX_RELEASE_AGE_CANDIDATES} tags`, () => {
    const built = { '1.0.0': 30, '1.1.0': 10, '1.2.0': 1, '1.3.0': 1, '1.4.0': 1, '1.5.0': 1, '1.6.0': 1 };
    const { decision } = choose('semver:^1', '1.0.0', built);
    expect(decision.kind).toBe('too-new');
    const one = choose('semver:^1', '1.0.0', { ...built, '1.6.0': 10 });
    expect(one.decision).toMatchObject({ kind: 'update', tag: '1.6.0' });
    const five = choose('semver:^1', '1.0.0', { ...built, '1.2.0': 10 });
    expect(five.decision).toMatchObject({ kind: 'update', tag: '1.2.0' });
  });

  it('is too-new with every hold when no tag is old enough', () => {
    const { decision } = choose('semver:^1', '1.0.0', { '1.0.0': 30, '1.1.0': 2, '1.2.0': 1 });
    expect(decision).toEqual({
      kind: 'too-new',
      reason: `not proposed yet: ${young('1.2.0', 9)}; ${young('1.1.0', 8)}`,
    });
  });

  it('tries no further after a tag without a build time', () => {
    const { decision } = choose('semver:^1', '1.0.0', { '1.0.0': 30, '1.1.0': 10, '1.2.0': undefined });
    expect(decision).toEqual({
      kind: 'too-new',
      reason:
        'not proposed yet: 1.2.0 is held: its build time is unknown, so its age cannot be checked (minimum release age 3d)',
    });
  });

  it('keeps a first choice that is old enough as it is', () => {
    const { decision } = choose('semver:^1', '1.0.0', { '1.0.0': 30, '1.1.0': 10 });
    expect(decision).toEqual({
      kind: 'update',
      tag: '1.1.0',
      downgrade: false,
      chosenBy: 'highest version matching ^1',
      notTaken: [],
    });
  });

  it('leaves a decision that is no update alone', () => {
    expect(choose('semver:^1', '1.1.0', { '1.0.0': 30, '1.1.0': 1 }).decision).toEqual({
      kind: 'up-to-date',
      chosenBy: 'highest version matching ^1',
    });
  });

  it('may fall back below a first choice that was itself a downgrade', () => {
    const { decision } = choose('semver:~1.0', '2.0.0', { '2.0.0': 30, '1.0.1': 10, '1.0.2': 1 });
    expect(decision).toMatchObject({ kind: 'update', tag: '1.0.1', downgrade: true });
  });

  it("adds the fallback's own problems: how many tags it was chosen among", () => {
    const known = details({ 'main-a': 30, 'main-b': 10, 'main-c': 1 });
    const unread = ['main-p', 'main-q', 'main-r', 'main-s'];
    const { decision, problems } = chooseTagWithReleaseAge(
      {
        filter: parseFilter('glob:main-*'),
        current: 'main-a',
        tags: [...known.keys(), ...unread],
        details: known,
      },
      3 * DAY,
      NOW,
    );
    const notDescribed = (described: string) =>
      '4 tags matching glob:main-* were not described by the registry this run (main-p, main-q, main-r, ...), ' +
      `so the newest build of the ${described} is chosen; it may not be the newest of all`;
    expect(decision).toMatchObject({ kind: 'update', tag: 'main-b' });
    expect(problems).toEqual([
      notDescribed('3 tags that were described'),
      notDescribed('2 tags that were described'),
    ]);
  });

  it('keeps the problems of the first choice and adds those of the fallback once', () => {
    const known = new Map<string, TagDetails | RegistryError>([
      ...details({ 'main-a': 30, 'main-b': 10, 'main-c': 1 }),
      ['main-x', new RegistryError('manifest unknown', 'r.example', 404)],
    ]);
    const { decision, problems } = chooseTagWithReleaseAge(
      { filter: parseFilter('glob:main-*'), current: 'main-a', tags: [...known.keys()], details: known },
      3 * DAY,
      NOW,
    );
    expect(decision).toMatchObject({ kind: 'update', tag: 'main-b' });
    expect(problems).toEqual([
      'tag main-x matches glob:main-* but its metadata could not be read: manifest unknown; it was skipped',
    ]);
  });
});
