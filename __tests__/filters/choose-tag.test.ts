import { describe, expect, it } from '@jest/globals';

import { isCandidate, tagsNeedingDetails } from '../../src/filters/candidate-tags.js';
import { chooseTag, type TagDecision } from '../../src/filters/choose-tag.js';
import { parseFilter, UNANNOTATED_FILTER } from '../../src/filters/parse-filter.js';
import type { TagFilter } from '../../src/filters/types.js';
import { RegistryError, type TagDetails } from '../../src/ports.js';

/** Registry details: a tag built at `day` (2026-01-<day>T00:00:00Z), or without a build time. */
function built(day: number | undefined, source?: string): TagDetails {
  return {
    digest: `sha256:${String(day ?? 0).padStart(64, '0')}`,
    created: day === undefined ? undefined : new Date(Date.UTC(2026, 0, day)),
    ...(source === undefined ? {} : { source }),
  };
}

const broken = new RegistryError('manifest unknown (HTTP 404)', 'registry.example.com', 404);

function iso(day: number): string {
  return `2026-01-${String(day).padStart(2, '0')}T00:00:00Z`;
}

/** Runs chooseTag with details given as `{ tag: day | undefined | 'broken' }` (any string: broken). */
function decide(
  filter: string,
  current: string,
  tags: string[],
  days: Record<string, number | undefined | string> = {},
): { decision: TagDecision; problems: string[] } {
  const details = new Map<string, TagDetails | RegistryError>(
    Object.entries(days).map(([tag, day]) => [tag, typeof day === 'string' ? broken : built(day)]),
  );
  return chooseTag({ filter: parseFilter(filter), current, tags, details });
}

describe('semver filters order by version (no build times)', () => {
  it.each([
    // filter, current, tags, expected decision
    [
      'semver:~4.0',
      '4.0.3',
      ['4.0.3', '4.0.4', '4.0.10', '4.1.0', '3.6.9', 'latest'],
      { kind: 'update', tag: '4.0.10', downgrade: false, chosenBy: 'highest version matching ~4.0' },
    ],
    [
      'semver:~2.3',
      'v2.3.1',
      ['v2.3.1', 'v2.3.2', 'v2.4.0', 'v2.3.3-rc.0'],
      { kind: 'update', tag: 'v2.3.2', downgrade: false, chosenBy: 'highest version matching ~2.3' },
    ],
    [
      'semver:~4.0',
      '4.0.4',
      ['4.0.3', '4.0.4'],
      { kind: 'up-to-date', chosenBy: 'highest version matching ~4.0' },
    ],
    // Equal versions: the lexically greater tag wins.
    ['semver:~1.10', '1.10', ['1.10', '1.10.0'], { kind: 'update', tag: '1.10.0', downgrade: false }],
    ['semver:^1', '1.2.0', ['1.2.0', 'v1.2.0'], { kind: 'update', tag: 'v1.2.0', downgrade: false }],
    // Flux moves to the top of the filtered list even when it is lower: a downgrade.
    ['semver:~4.0', '5.0.0', ['4.0.2', '5.0.0'], { kind: 'update', tag: '4.0.2', downgrade: true }],
    // The current tag need not be in the registry for semver (R7.6).
    ['semver:~4.0', '4.0.1', ['4.0.2', '4.0.3'], { kind: 'update', tag: '4.0.3', downgrade: false }],
    // A current tag that is no version: never a downgrade.
    ['semver:*', 'main', ['1.0.0'], { kind: 'update', tag: '1.0.0', downgrade: false }],
    // `semver:*` means stable releases only.
    ['semver:*', '1.0.0', ['1.0.0', '1.1.0-rc.1'], { kind: 'up-to-date' }],
    // Invalid constraint: every version tag, pre-releases included.
    [
      'semver:~>1.x.y',
      '1.0.0',
      ['1.0.0', '2.0.0-rc.1', 'main'],
      {
        kind: 'update',
        tag: '2.0.0-rc.1',
        downgrade: false,
        chosenBy: 'highest version (the constraint `~>1.x.y` is invalid, so every version matches)',
      },
    ],
  ])('%s, current %s, tags %j', (filter, current, tags, expected) => {
    const { decision, problems } = decide(filter, current, tags);
    expect(decision).toMatchObject(expected);
    expect(problems).toEqual([]);
  });

  it('reports when nothing matches', () => {
    expect(decide('semver:~9', '1.0.0', ['1.0.0', '2.0.0']).decision).toEqual({
      kind: 'no-matching-tag',
      reason: "none of the repository's 2 tags matches semver:~9",
    });
  });
});

describe('glob and regex filters order by build time', () => {
  it.each([
    // filter, current, tags, build days per tag, expected decision
    [
      'glob:master-*',
      'master-aaa',
      ['master-aaa', 'master-bbb', 'master-ccc', 'develop-ddd'],
      { 'master-aaa': 1, 'master-bbb': 3, 'master-ccc': 2, 'develop-ddd': 9 },
      {
        kind: 'update',
        tag: 'master-bbb',
        downgrade: false,
        chosenBy: `newest build matching master-*, built ${iso(3)}`,
        created: iso(3),
      },
    ],
    [
      'glob:v0.15.*',
      'v0.15.0',
      ['v0.15.0', 'v0.15.1', 'v0.16.0'],
      { 'v0.15.0': 1, 'v0.15.1': 2, 'v0.16.0': 3 },
      { kind: 'update', tag: 'v0.15.1', chosenBy: `newest build matching v0.15.*, built ${iso(2)}` },
    ],
    [
      'regex:^0.6.*',
      '0.6.0',
      ['0.6.0', '0.6.1', '0.7.0'],
      { '0.6.0': 1, '0.6.1': 2, '0.7.0': 3 },
      { kind: 'update', tag: '0.6.1', chosenBy: `newest build matching regex ^0.6.*, built ${iso(2)}` },
    ],
    // Equal build times: the lexically smallest tag wins (fluxcd/flux#2931), even over the current one.
    [
      'glob:1.0.*',
      '1.0.0',
      ['1.0.0', '1.0.1', '1.0.2'],
      { '1.0.0': 1, '1.0.1': 5, '1.0.2': 5 },
      { kind: 'update', tag: '1.0.1' },
    ],
    // The same, whatever order the registry lists them in.
    [
      'glob:1.0.*',
      '1.0.0',
      ['1.0.2', '1.0.1', '1.0.0'],
      { '1.0.0': 1, '1.0.1': 5, '1.0.2': 5 },
      { kind: 'update', tag: '1.0.1' },
    ],
    [
      'regex:^1',
      '1.0.0',
      ['1.0.0', '1.0.10', '1.0.9'],
      { '1.0.0': 1, '1.0.9': 5, '1.0.10': 5 },
      { kind: 'update', tag: '1.0.10' },
    ],
    [
      'glob:*',
      '1.0.1',
      ['1.0.1', '1.0.2'],
      { '1.0.1': 5, '1.0.2': 5 },
      { kind: 'up-to-date', chosenBy: `newest build matching *, built ${iso(5)}` },
    ],
    // Flux moves to the newest build even when it is a lower version (a backport): a downgrade.
    [
      'glob:*',
      '4.0.3',
      ['4.0.3', '3.6.9'],
      { '4.0.3': 1, '3.6.9': 2 },
      { kind: 'update', tag: '3.6.9', downgrade: true },
    ],
    [
      'regex:^v?[0-9]',
      'v2.1.0',
      ['v2.1.0', 'v2.0.9', '2.2.0'],
      { 'v2.1.0': 1, '2.2.0': 2, 'v2.0.9': 3 },
      { kind: 'update', tag: 'v2.0.9', downgrade: true },
    ],
    // A newer build of a higher version, or of the same version spelled differently: no downgrade.
    [
      'glob:*',
      '4.0.3',
      ['4.0.3', '4.0.4'],
      { '4.0.3': 1, '4.0.4': 2 },
      { kind: 'update', tag: '4.0.4', downgrade: false },
    ],
    [
      'glob:*',
      '1.10',
      ['1.10', '1.10.0'],
      { '1.10': 1, '1.10.0': 2 },
      { kind: 'update', tag: '1.10.0', downgrade: false },
    ],
    // Tags that are no versions are compared by build time alone.
    [
      'glob:*',
      'main-b',
      ['main-b', '1.0.0'],
      { 'main-b': 1, '1.0.0': 2 },
      { kind: 'update', tag: '1.0.0', downgrade: false },
    ],
    // The chosen build is older than the current one (the current one does not pass the filter).
    [
      'glob:4.*',
      '5.0.0',
      ['4.0.0', '5.0.0'],
      { '4.0.0': 1, '5.0.0': 2 },
      { kind: 'update', tag: '4.0.0', downgrade: true },
    ],
    // A current tag of `latest` moves to the newest non-latest tag (R7.5).
    [
      'glob:*',
      'latest',
      ['latest', '1.0', '1.1'],
      { latest: 9, '1.0': 1, '1.1': 2 },
      { kind: 'update', tag: '1.1' },
    ],
    // Only the exact glob `latest` selects `latest`.
    ['glob:latest', '1.0', ['latest', '1.0'], { latest: 9, '1.0': 1 }, { kind: 'update', tag: 'latest' }],
    ['glob:latest', 'latest', ['latest', '1.0'], { latest: 9, '1.0': 1 }, { kind: 'up-to-date' }],
    [
      'glob:*',
      'Latest',
      ['Latest', '1.0', '1.1'],
      { Latest: 9, '1.0': 1, '1.1': 2 },
      { kind: 'update', tag: '1.1', downgrade: false },
    ],
    ['latest', '1.0', ['latest', '1.0'], { latest: 9, '1.0': 1 }, { kind: 'update', tag: 'latest' }],
    ['regex:^latest$', '1.0', ['latest', '1.0'], { latest: 9, '1.0': 1 }, { kind: 'no-matching-tag' }],
    [
      'glob:*',
      '1.0',
      ['LATEST', 'Latest', '1.0'],
      { LATEST: 9, Latest: 9, '1.0': 1 },
      { kind: 'up-to-date' },
    ],
    // An invalid regex matches every tag but `latest`.
    [
      'regex:(',
      '1.0',
      ['latest', '1.0', 'zz'],
      { latest: 9, '1.0': 1, zz: 2 },
      { kind: 'update', tag: 'zz' },
    ],
    // Nothing to do when the chosen tag is current, even without build times.
    ['glob:1.*', '1.0', ['1.0', '2.0'], { '1.0': undefined, '2.0': undefined }, { kind: 'up-to-date' }],
  ])('%s, current %s, tags %j', (filter, current, tags, days, expected) => {
    const { decision, problems } = decide(filter, current, tags, days);
    expect(decision).toMatchObject(expected);
    expect(problems).toEqual([]);
  });

  it('carries the source label of the chosen image', () => {
    const details = new Map([
      ['1.0', built(1)],
      ['1.1', built(2, 'https://github.com/acme/app')],
    ]);
    const { decision } = chooseTag({
      filter: parseFilter('glob:*'),
      current: '1.0',
      tags: ['1.0', '1.1'],
      details,
    });
    expect(decision).toEqual({
      kind: 'update',
      tag: '1.1',
      downgrade: false,
      chosenBy: `newest build matching *, built ${iso(2)}`,
      created: iso(2),
      source: 'https://github.com/acme/app',
      fromCreated: iso(1),
      notTaken: [],
    });
  });
});

describe('glob and regex need build times', () => {
  it.each([
    // filter, current, tags, days, reason must match
    [
      'glob:*',
      '1.0',
      ['1.1', '1.2'],
      { '1.1': 1, '1.2': 2 },
      /^the current tag 1\.0 is not in the registry \(deleted, never pushed, or a typo\); glob:\* orders tags by build time/,
    ],
    [
      'glob:*',
      '1.0',
      ['1.0', '1.1'],
      { '1.0': undefined, '1.1': 2 },
      /^the current image \(tag 1\.0\) has no creation time/,
    ],
    [
      'glob:*',
      '1.0',
      ['1.0', '1.1'],
      { '1.0': 'broken', '1.1': 2 },
      /^the details of the current tag 1\.0 could not be read: manifest unknown/,
    ],
    ['glob:1.1', '1.0', ['1.0', '1.1'], { '1.1': 2 }, /^the details of the current tag 1\.0 were not read/],
    [
      'glob:1.1',
      '1.0',
      ['1.0', '1.1'],
      { '1.0': 1, '1.1': undefined },
      /^the newest tag matching glob:1\.1, 1\.1, has no creation time/,
    ],
    // A build without a time counts as the oldest, so it is only chosen when no build has one.
    ['glob:*', '1.0', ['1.0', '1.1'], { '1.0': 1, '1.1': undefined }, null],
    ['glob:*', '1.0', ['1.1', '1.0'], { '1.0': 1, '1.1': undefined }, null],
    // Among builds without a time, the smallest tag is first.
    [
      'glob:2.*',
      '1.0',
      ['1.0', '2.1', '2.0', '2.2'],
      { '1.0': 1, '2.1': undefined, '2.0': undefined, '2.2': undefined },
      /^the newest tag matching glob:2\.\*, 2\.0, has no creation time, so builds cannot be ordered$/,
    ],
  ])('%s, current %s, tags %j -> skipped', (filter, current, tags, days, reason) => {
    const { decision } = decide(filter, current, tags, days);
    if (reason === null) {
      expect(decision.kind).toBe('up-to-date');
      return;
    }
    expect(decision.kind).toBe('skipped');
    expect(decision.kind === 'skipped' && decision.reason).toMatch(reason);
  });
});

describe('broken tags', () => {
  it('skips a matching tag whose metadata failed, with a problem, and still updates', () => {
    const { decision, problems } = decide('glob:*', '1.0', ['1.0', '1.1', '1.2'], {
      '1.0': 1,
      '1.1': 2,
      '1.2': 'broken',
    });
    expect(decision).toMatchObject({ kind: 'update', tag: '1.1' });
    expect(problems).toEqual([
      'tag 1.2 matches glob:* but its metadata could not be read: manifest unknown (HTTP 404); it was skipped',
    ]);
  });

  it('ignores broken tags the filter rejects', () => {
    const { decision, problems } = decide('glob:1.*', '1.0', ['1.0', '1.1', '2.0'], {
      '1.0': 1,
      '1.1': 2,
      '2.0': 'broken',
    });
    expect(decision).toMatchObject({ kind: 'update', tag: '1.1' });
    expect(problems).toEqual([]);
  });

  it('cannot check the container when no matching tag could be read, and says why once', () => {
    const { decision, problems } = decide('glob:2.*', '1.0', ['1.0', '2.0'], { '1.0': 1, '2.0': 'broken' });
    expect(decision).toEqual({
      kind: 'skipped',
      unchecked: true,
      reason:
        'none of the tags matching glob:2.* could be read from the registry: tag 2.0: manifest unknown (HTTP 404)',
    });
    expect(problems).toEqual([]);
  });

  it('names at most two different failures when no matching tag could be read', () => {
    const failure = (message: string) => new RegistryError(message, 'r.example');
    const details = new Map<string, TagDetails | RegistryError>([
      ['2.0', failure('timed out')],
      ['2.1', failure('timed out')],
      ['2.2', failure('manifest unknown')],
      ['2.3', failure('HTTP 500')],
    ]);
    const { decision } = chooseTag({
      filter: parseFilter('glob:2.*'),
      current: '1.0',
      tags: ['1.0', '2.0', '2.1', '2.2', '2.3'],
      details,
    });
    expect(decision).toEqual({
      kind: 'skipped',
      unchecked: true,
      reason:
        'none of the tags matching glob:2.* could be read from the registry: 2 tags (2.0, 2.1): timed out; ' +
        'tag 2.2: manifest unknown; and 1 other failure',
    });
  });

  it('skips without an error when the matching tags were only left undescribed', () => {
    const { decision } = decide('glob:2.*', '1.0', ['1.0', '2.0'], { '1.0': 1 });
    expect(decision).toEqual({
      kind: 'skipped',
      reason: 'no tag matching glob:2.* could be read from the registry',
    });
  });

  it('names a few unread tags one by one', () => {
    const { problems } = decide('glob:*', '1.0', ['1.0', '1.1', '1.2'], { '1.0': 1 });
    expect(problems).toEqual([
      'tag 1.1 matches glob:* but its metadata was not read; it was skipped',
      'tag 1.2 matches glob:* but its metadata was not read; it was skipped',
    ]);
  });

  it('says once, with a count, that many tags were not described and the choice is limited to the rest', () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `b${String(i).padStart(4, '0')}`);
    const { decision, problems } = decide('glob:b*', 'b0999', tags, { b0999: 1, b0998: 3, b0997: 2 });
    expect(decision).toMatchObject({ kind: 'update', tag: 'b0998' });
    expect(problems).toEqual([
      '997 tags matching glob:b* were not described by the registry this run (b0000, b0001, b0002, ...), ' +
        'so the newest build of the 3 tags that were described is chosen; it may not be the newest of all',
    ]);
  });

  it('says once, with a count, that many tags failed for the same reason', () => {
    const tags = ['1.0', '1.1', '1.2', '1.3', '1.4'];
    const { decision, problems } = decide('glob:*', '1.0', tags, {
      '1.0': 1,
      '1.1': 'broken',
      '1.2': 'broken',
      '1.3': 'broken',
      '1.4': 'broken',
    });
    expect(decision).toEqual({
      kind: 'up-to-date',
      chosenBy: 'newest build matching *, built 2026-01-01T00:00:00Z',
    });
    expect(problems).toEqual([
      '4 tags matching glob:* (1.1, 1.2, 1.3, ...) could not be read: manifest unknown (HTTP 404); they were skipped',
    ]);
  });

  it('semver ignores details entirely', () => {
    const { decision, problems } = decide('semver:^1', '1.0.0', ['1.0.0', '1.1.0'], { '1.1.0': 'broken' });
    expect(decision).toMatchObject({ kind: 'update', tag: '1.1.0' });
    expect(problems).toEqual([]);
  });
});

describe('no matching tag', () => {
  it.each([
    ['glob: *', ['1.0'], "none of the repository's 1 tag matches glob: *"],
    ['semvar:~1', ['1.0', '1.1'], "none of the repository's 2 tags matches glob:semvar:~1"],
    ['glob:*', [], 'the repository has no tags'],
    ['glob:1.*', ['latest'], "none of the repository's 1 tag matches glob:1.*"],
    [
      'regex:.',
      ['LATEST', '-x'],
      "none of the repository's 2 tags matches regex:. (a `latest` tag is only chosen by the filter `glob:latest`)",
    ],
    [
      'glob:*',
      ['latest'],
      "none of the repository's 1 tag matches glob:* (a `latest` tag is only chosen by the filter `glob:latest`)",
    ],
  ])('%j with %j', (filter, tags, reason) => {
    expect(decide(filter, '1.0', tags).decision).toEqual({ kind: 'no-matching-tag', reason });
  });

  // onedr0p/k3s-gitops-arm nfs-client-provisioner.yaml: tag v3.1.0-k8s1.11, filter semver:~v3.1
  it.each<[string, string, string[], string]>([
    [
      'semver:~v3.1',
      'v3.1.0-k8s1.11',
      ['v3.1.0-k8s1.11', 'v3.1.0-k8s1.12', 'v2.0.1'],
      "none of the repository's 3 tags matches semver:~v3.1; the current tag v3.1.0-k8s1.11 is a pre-release, " +
        'and a range matches pre-releases only when it names one itself: write semver:~3.1.0-0 to follow 3.1.x ' +
        'pre-releases, or use a regexp filter',
    ],
    // Nothing to add when the current tag is outside the range whatever its pre-release.
    ['semver:~0.2', 'v0.8.0-rc.1', ['v0.8.0-rc.1'], "none of the repository's 1 tag matches semver:~0.2"],
    ['semver:~0.2', 'v0.8.0', ['v0.8.0'], "none of the repository's 1 tag matches semver:~0.2"],
    ['glob:3.1.*', '3.0.0-rc.1', ['3.0.0-rc.1'], "none of the repository's 1 tag matches glob:3.1.*"],
  ])('%s, current %s: %j', (filter, current, tags, reason) => {
    expect(decide(filter, current, tags).decision).toEqual({ kind: 'no-matching-tag', reason });
  });
});

describe('tagsNeedingDetails', () => {
  it.each([
    ['glob:1.*', '1.0', ['1.0', '1.1', '2.0', 'latest'], ['1.0', '1.1']],
    ['glob:2.*', '1.0', ['1.0', '1.1', '2.0'], ['2.0', '1.0']],
    ['glob:*', 'latest', ['latest', '1.0'], ['1.0', 'latest']],
    ['glob:latest', '1.0', ['latest', '1.0'], ['latest', '1.0']],
    ['glob:*', 'gone', ['1.0'], ['1.0']],
    ['regex:^v', 'v1', ['v1', 'v2', 'x'], ['v1', 'v2']],
    ['semver:~1', '1.0.0', ['1.0.0', '1.1.0'], []],
  ])('%s, current %s, tags %j -> %j', (filter, current, tags, expected) => {
    expect(tagsNeedingDetails(parseFilter(filter), current, tags)).toEqual(expected);
  });
});

describe('isCandidate (the latest rule, artifact tags)', () => {
  it.each([
    ['glob:*', 'latest', false],
    ['glob:*', 'Latest', false],
    ['glob:latest', 'latest', true],
    ['latest', 'latest', true],
    ['glob:latest*', 'latest', false],
    ['glob:latest*', 'latest-1', true],
    ['regex:^latest$', 'latest', false],
    ['regex:latest', 'latest', false],
    ['regexp:latest', 'LATEST', false],
    ['semver:latest', 'latest', false],
    ['glob:latest', 'LATEST', false],
    ['glob:*', 'LaTeSt', false],
    ['glob:*', 'latest1', true],
    // A registry can list anything; a tag Docker could not hold is never a candidate.
    ['glob:*', '9 9', false],
    ['glob:*', '-1', false],
    ['glob:*', 'a/b', false],
    ['glob:*', 'latest-alpine', true],
    // cosign's signature, attestation and SBOM tags and the OCI referrers tag are not images.
    ['glob:*', `sha256-${'a1'.repeat(32)}.sig`, false],
    ['glob:*', `sha256-${'a1'.repeat(32)}.att`, false],
    ['glob:*', `sha256-${'a1'.repeat(32)}.sbom`, false],
    ['glob:*', `sha256-${'a1'.repeat(32)}`, false],
    ['glob:*', `sha512-${'a1'.repeat(32)}`, false],
    ['regex:.*', `sha256-${'a1'.repeat(32)}.sig`, false],
    ['glob:sha256-*', `sha256-${'a1'.repeat(32)}.sig`, false],
    // Only the schema's exact shape: a short hash or other text is an ordinary tag.
    ['glob:*', 'sha256-a1b2c3', true],
    ['glob:*', `sha256-${'A1'.repeat(32)}.sig`, true],
    ['glob:*', `build-sha256-${'a1'.repeat(32)}`, true],
  ])('%s, %s -> %s', (filter, tag, expected) => {
    expect(isCandidate(parseFilter(filter), tag)).toBe(expected);
  });
});

describe('unusable build times and reporting', () => {
  const at = (created: Date): TagDetails => ({ digest: 'sha256:x', created });
  it.each([
    ['an invalid date', new Date('garbage')],
    ["Go's zero time", new Date('0001-01-01T00:00:00Z')],
  ])('treats %s as no build time (no exception)', (_what, created) => {
    const details = new Map<string, TagDetails | RegistryError>([
      ['1', built(1)],
      ['2', at(created)],
    ]);
    const result = chooseTag({ filter: parseFilter('glob:*'), current: '1', tags: ['1', '2'], details });
    expect(result.decision).toEqual({
      kind: 'up-to-date',
      chosenBy: `newest build matching *, built ${iso(1)}`,
    });
  });

  it("skips when the current image has Go's zero time, as Flux did", () => {
    const details = new Map<string, TagDetails | RegistryError>([
      ['1', at(new Date('0001-01-01T00:00:00Z'))],
      ['2', built(2)],
    ]);
    const result = chooseTag({ filter: parseFilter('glob:*'), current: '1', tags: ['1', '2'], details });
    expect(result.decision.kind).toBe('skipped');
  });

  it('moving off latest is not a downgrade', () => {
    expect(decide('glob:*', 'latest', ['latest', '1.0'], { latest: 9, '1.0': 2 }).decision).toMatchObject({
      kind: 'update',
      tag: '1.0',
      downgrade: false,
    });
  });

  it('reports an unreadable current tag once, as the reason', () => {
    const result = decide('glob:*', '0.9', ['0.9', '1.0'], { '0.9': 'broken', '1.0': 2 });
    expect(result.decision.kind).toBe('skipped');
    expect(result.problems).toEqual([]);
  });
});

describe('problems about tags that could not be read, at the boundary of naming them', () => {
  it.each([
    // broken tags, unread tags, the problems
    [
      ['1.1', '1.2', '1.3'],
      [],
      // One failure is one sentence, however many tags it names.
      [
        '3 tags matching glob:* (1.1, 1.2, 1.3) could not be read: manifest unknown (HTTP 404); they were skipped',
      ],
    ],
    [
      ['1.1'],
      [],
      [
        'tag 1.1 matches glob:* but its metadata could not be read: manifest unknown (HTTP 404); it was skipped',
      ],
    ],
    [
      [],
      ['1.1', '1.2', '1.3'],
      [
        'tag 1.1 matches glob:* but its metadata was not read; it was skipped',
        'tag 1.2 matches glob:* but its metadata was not read; it was skipped',
        'tag 1.3 matches glob:* but its metadata was not read; it was skipped',
      ],
    ],
    [
      [],
      ['1.1', '1.2', '1.3', '1.4'],
      [
        '4 tags matching glob:* were not described by the registry this run (1.1, 1.2, 1.3, ...), ' +
          'so the newest build of the 1 tag that was described is chosen; it may not be the newest of all',
      ],
    ],
  ])('broken %j, unread %j', (brokenTags, unread, expected) => {
    const days: Record<string, number | string> = { '1.0': 1 };
    for (const tag of brokenTags) days[tag] = 'broken';
    const { problems } = decide('glob:*', '1.0', ['1.0', ...brokenTags, ...unread], days);
    expect(problems).toEqual(expected);
  });

  it('groups failures by their message', () => {
    const details = new Map<string, TagDetails | RegistryError>([
      ['1.0', built(1)],
      ['1.1', new RegistryError('timed out', 'registry.example.com', undefined)],
      ['1.2', broken],
      ['1.3', new RegistryError('timed out', 'registry.example.com', undefined)],
    ]);
    const { problems } = chooseTag({
      filter: parseFilter('glob:*'),
      current: '1.0',
      tags: ['1.0', '1.1', '1.2', '1.3'],
      details,
    });
    expect(problems).toEqual([
      '2 tags matching glob:* (1.1, 1.3) could not be read: timed out; they were skipped',
      'tag 1.2 matches glob:* but its metadata could not be read: manifest unknown (HTTP 404); it was skipped',
    ]);
  });

  // A registry names each tag's own digest or path: 30 tags failing alike are one sentence, not 30
  // (GitHub shows 10 warnings a step, and the run's other warnings would be pushed out).
  const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
  const manifestNotFound = (_tag: string, n: number) =>
    new RegistryError(`the manifest r.example/app@${digest(n)} not found: MANIFEST_UNKNOWN`, 'r.example');
  const headTimedOut = (tag: string) =>
    new RegistryError(`HEAD r.example/v2/app/manifests/${tag}: timed out after 1500 ms`, 'r.example');
  it.each([
    [
      'a digest of its own in each message',
      manifestNotFound,
      '5 tags matching glob:* (1.1, 1.2, 1.3, ...) could not be read: the manifest r.example/app@<digest> not found: MANIFEST_UNKNOWN; they were skipped',
    ],
    [
      'the tag in each path',
      headTimedOut,
      '5 tags matching glob:* (1.1, 1.2, 1.3, ...) could not be read: HEAD r.example/v2/app/manifests/<tag>: timed out after 1500 ms; they were skipped',
    ],
  ])('groups failures that differ only by %s', (_name, failure, expected) => {
    const tags = ['1.1', '1.2', '1.3', '1.4', '1.5'];
    const details = new Map<string, TagDetails | RegistryError>([
      ['1.0', built(9)],
      ...tags.map((tag, i): [string, RegistryError] => [tag, failure(tag, i + 1)]),
    ]);
    const { decision, problems } = chooseTag({
      filter: parseFilter('glob:*'),
      current: '1.0',
      tags: ['1.0', ...tags],
      details,
    });
    expect(decision.kind).toBe('up-to-date');
    expect(problems).toEqual([expected]);
  });

  it('keeps a tag whose name is only part of another word in the message', () => {
    // `1` is the tag; `HTTP 401` and `v1` must not read as `<tag>`.
    const details = new Map<string, TagDetails | RegistryError>([
      ['0', built(9)],
      ['1', new RegistryError('GET r.example/v1/x: HTTP 401', 'r.example')],
      ['2', new RegistryError('GET r.example/v1/x: HTTP 402', 'r.example')],
    ]);
    const { problems } = chooseTag({
      filter: parseFilter('glob:*'),
      current: '0',
      tags: ['0', '1', '2'],
      details,
    });
    expect(problems).toEqual([
      'tag 1 matches glob:* but its metadata could not be read: GET r.example/v1/x: HTTP 401; it was skipped',
      'tag 2 matches glob:* but its metadata could not be read: GET r.example/v1/x: HTTP 402; it was skipped',
    ]);
  });

  it('leaves out only the problem about the current tag when it is the skip reason', () => {
    const { decision, problems } = decide('glob:*', '0.9', ['0.8', '0.9', '1.0'], {
      '0.8': 'broken',
      '0.9': 'broken',
      '1.0': 2,
    });
    expect(decision).toEqual({
      kind: 'skipped',
      reason:
        'the details of the current tag 0.9 could not be read: manifest unknown (HTTP 404); ' +
        "glob:* orders tags by build time and needs the current image's build time to compare",
    });
    expect(problems).toEqual([
      'tag 0.8 matches glob:* but its metadata could not be read: manifest unknown (HTTP 404); it was skipped',
    ]);
  });
});

describe('what an update carries', () => {
  it('the chosen image labels and both build times, milliseconds shown only when there are some', () => {
    const details = new Map<string, TagDetails>([
      ['1.0', { digest: 'sha256:1', created: new Date('2026-01-01T00:00:00.000Z') }],
      [
        '1.1',
        {
          digest: 'sha256:2',
          created: new Date('2026-01-02T03:04:05.250Z'),
          source: 'https://github.com/acme/app',
          revision: 'abc123',
        },
      ],
    ]);
    const { decision } = chooseTag({
      filter: parseFilter('regex:^1'),
      current: '1.0',
      tags: ['1.0', '1.1'],
      details,
    });
    expect(decision).toEqual({
      kind: 'update',
      tag: '1.1',
      downgrade: false,
      chosenBy: 'newest build matching regex ^1, built 2026-01-02T03:04:05.250Z',
      created: '2026-01-02T03:04:05.250Z',
      source: 'https://github.com/acme/app',
      revision: 'abc123',
      fromCreated: '2026-01-01T00:00:00Z',
      notTaken: [],
    });
  });

  it('a build in year 2 is a real build time; only Go zero time (year 1) is none', () => {
    const details = new Map<string, TagDetails>([
      ['1', { digest: 'sha256:1', created: new Date('0002-01-01T00:00:00Z') }],
      ['2', { digest: 'sha256:2', created: new Date('0001-12-31T00:00:00Z') }],
    ]);
    const { decision } = chooseTag({
      filter: parseFilter('glob:*'),
      current: '2',
      tags: ['1', '2'],
      details,
    });
    expect(decision).toEqual({
      kind: 'skipped',
      reason:
        "the current image (tag 2) has no creation time; glob:* orders tags by build time and needs the current image's build time to compare",
    });
  });

  it('a semver update to a lower version is a downgrade, to an equal one is not', () => {
    expect(decide('semver:~1.0', '1.1.0', ['1.0.5', '1.1.0']).decision).toMatchObject({ downgrade: true });
    expect(decide('semver:~1.0', '1.0', ['1.0.0', '1.0']).decision).toMatchObject({
      tag: '1.0.0',
      downgrade: false,
    });
  });

  it('semver lists the higher versions it refused', () => {
    expect(decide('semver:~1.0', '1.0.0', ['1.0.0', '1.0.1', '2.0.0']).decision).toEqual({
      kind: 'update',
      tag: '1.0.1',
      downgrade: false,
      chosenBy: 'highest version matching ~1.0',
      notTaken: [{ tag: '2.0.0', reason: 'outside ~1.0' }],
    });
  });

  it('glob lists a higher version that matched but is an older build', () => {
    expect(
      decide('glob:1.*', '1.0.0', ['1.0.0', '1.0.1', '1.5.0', '2.0.0'], {
        '1.0.0': 1,
        '1.0.1': 3,
        '1.5.0': 2,
      }).decision,
    ).toMatchObject({
      tag: '1.0.1',
      notTaken: [
        { tag: '1.5.0', reason: 'matches glob:1.* but is an older build' },
        { tag: '2.0.0', reason: 'does not match glob:1.*' },
      ],
    });
  });
});

describe('equal build times go to the lexically smallest tag, whatever the listing order', () => {
  it.each<[string, string[], string]>([
    ['1.0.1 before 1.0.2 (reproducible builds, fluxcd/flux#2931)', ['1.0.2', '1.0.1', '1.0.0'], '1.0.1'],
    ['the same listed the other way', ['1.0.1', '1.0.2', '1.0.0'], '1.0.1'],
    ['three equal builds', ['c', 'a', 'b', 'old'], 'a'],
  ])('%s', (_name, tags, expected) => {
    const days = Object.fromEntries(tags.map((tag) => [tag, tag === 'old' || tag === '1.0.0' ? 1 : 5]));
    const current = tags.includes('old') ? 'old' : '1.0.0';
    expect(decide('glob:*', current, tags, days).decision).toMatchObject({ kind: 'update', tag: expected });
  });
});

describe("the chosen image's source and revision labels", () => {
  it('are passed on when the image has them, and left out when not', () => {
    const labelled = new Map<string, TagDetails | RegistryError>([
      ['old', built(1)],
      ['new', { ...built(5), source: 'https://github.com/o/r', revision: 'abc123' }],
    ]);
    const withLabels = chooseTag({
      filter: parseFilter('glob:*'),
      current: 'old',
      tags: ['old', 'new'],
      details: labelled,
    });
    expect(withLabels.decision).toMatchObject({
      kind: 'update',
      tag: 'new',
      source: 'https://github.com/o/r',
      revision: 'abc123',
    });
    const without = decide('glob:*', 'old', ['old', 'new'], { old: 1, new: 5 }).decision;
    expect(without).not.toHaveProperty('source');
    expect(without).not.toHaveProperty('revision');
  });
});

describe('the filter of a container without a filter annotation', () => {
  // A reader seeing `glob:*` assumes someone wrote it: the default says it is nobody's, and
  // chooses exactly as `glob:*` does (Flux's default).
  it.each<[string, TagFilter, string, string]>([
    // filter, how its choice is said, how an unread tag is said
    [
      'no annotation',
      UNANNOTATED_FILTER,
      `newest build, built ${iso(2)}`,
      'tag 1.2 matches glob:* (no filter annotation) but',
    ],
    [
      'glob:* written',
      parseFilter('glob:*'),
      `newest build matching *, built ${iso(2)}`,
      'tag 1.2 matches glob:* but',
    ],
  ])('%s', (_name, filter, chosenBy, unread) => {
    const details = new Map<string, TagDetails | RegistryError>([
      ['1.0', built(1)],
      ['1.1', built(2)],
    ]);
    const { decision, problems } = chooseTag({
      filter,
      current: '1.0',
      tags: ['1.0', '1.1', '1.2', 'latest'],
      details,
    });
    expect(decision).toMatchObject({ kind: 'update', tag: '1.1', chosenBy });
    expect(problems).toEqual([`${unread} its metadata was not read; it was skipped`]);
  });
});
