import { isCandidate, parseFilter } from '../../src/filters/index.js';
import { notTakenTags, type NotTakenTag } from '../../src/filters/not-taken.js';

describe('notTakenTags', () => {
  it.each<[string, string, string[], string, NotTakenTag[]]>([
    [
      'higher lines outside the constraint, highest first, one per major',
      'semver:~1.0',
      ['1.0.0', '1.0.5', '1.1.0', '1.2.3', '2.0.0', '2.1.0', '3.0.0', '4.0.0', 'latest'],
      '1.0.5',
      [
        { tag: '4.0.0', reason: 'outside ~1.0' },
        { tag: '3.0.0', reason: 'outside ~1.0' },
        { tag: '2.1.0', reason: 'outside ~1.0' },
      ],
    ],
    [
      'a pre-release above every refused release',
      'semver:~1.0',
      ['1.0.5', '1.1.0', '2.0.0-rc.1', '1.0.6-beta.1'],
      '1.0.5',
      [
        { tag: '1.1.0', reason: 'outside ~1.0' },
        { tag: '2.0.0-rc.1', reason: 'a pre-release, outside ~1.0' },
      ],
    ],
    ['nothing higher', 'semver:~1.0', ['0.9.0', '1.0.0', '1.0.5', 'master-abc'], '1.0.5', []],
    [
      'glob: a higher version that does not match, and one that matches but is an older build',
      'glob:1.*',
      ['1.2.0', '1.9.0', '2.0.0'],
      '1.2.0',
      [
        { tag: '1.9.0', reason: 'matches glob:1.* but is an older build' },
        { tag: '2.0.0', reason: 'does not match glob:1.*' },
      ],
    ],
    [
      'glob over tags that are not versions',
      'glob:master-*',
      ['master-a', 'main-b', '2.0.0'],
      'master-a',
      [],
    ],
    [
      'at most three major lines, then a pre-release above them all, four tags in all',
      'semver:~1.0',
      ['1.0.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0-rc.1'],
      '1.0.0',
      [
        { tag: '5.0.0', reason: 'outside ~1.0' },
        { tag: '4.0.0', reason: 'outside ~1.0' },
        { tag: '3.0.0', reason: 'outside ~1.0' },
        { tag: '6.0.0-rc.1', reason: 'a pre-release, outside ~1.0' },
      ],
    ],
    [
      'an older build first, and no more than four tags',
      'glob:1.*',
      ['1.0.0', '1.5.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0-rc.1'],
      '1.0.0',
      [
        { tag: '1.5.0', reason: 'matches glob:1.* but is an older build' },
        { tag: '5.0.0', reason: 'does not match glob:1.*' },
        { tag: '4.0.0', reason: 'does not match glob:1.*' },
        { tag: '3.0.0', reason: 'does not match glob:1.*' },
      ],
    ],
    [
      'a pre-release below the highest refused line is not listed',
      'semver:~1.0',
      ['1.0.5', '1.2.0', '1.1.0-rc.1'],
      '1.0.5',
      [{ tag: '1.2.0', reason: 'outside ~1.0' }],
    ],
    [
      'only pre-releases higher: the highest',
      'semver:*',
      ['1.0.0', '2.0.0-rc.1', '2.0.0-rc.2', '1.5.0-beta'],
      '1.0.0',
      [{ tag: '2.0.0-rc.2', reason: 'a pre-release, outside *' }],
    ],
    [
      'pre-releases of the next patch',
      'semver:~1.0',
      ['1.0.5', '1.0.6-rc.1', '1.0.6-rc.2'],
      '1.0.5',
      [{ tag: '1.0.6-rc.2', reason: 'a pre-release, outside ~1.0' }],
    ],
    [
      'a chosen pre-release: a release of the same version is higher',
      'semver:<2.0.0-rc.2',
      ['2.0.0-rc.1', '2.0.0-rc.2', '2.0.0', '1.0.0'],
      '2.0.0-rc.1',
      [{ tag: '2.0.0', reason: 'outside <2.0.0-rc.2' }],
    ],
    [
      'the same version written otherwise, or its pre-releases, are not higher',
      'semver:~1.0',
      ['1.0.5', 'v1.0.5', '1.0.5-rc.1', '1.0', '0.9.0'],
      '1.0.5',
      [],
    ],
    [
      'the highest of each line, by minor and patch too',
      'semver:~1.0',
      ['1.0.5', '1.1.0', '1.0.10', '1.2.0', '1.1.9', '2.0.0', '2.0.1', '2.1.0', '2.0.9'],
      '1.0.5',
      [
        { tag: '2.1.0', reason: 'outside ~1.0' },
        { tag: '1.2.0', reason: 'outside ~1.0' },
      ],
    ],
    [
      'equal versions: the first listed',
      'semver:~1.0',
      ['1.0.5', 'v2.0.0', '2.0.0', '2'],
      '1.0.5',
      [{ tag: 'v2.0.0', reason: 'outside ~1.0' }],
    ],
    [
      'tags that are not versions, or not Docker tags, are never listed',
      'semver:~1.0',
      ['1.0.5', '9.0.0+b', '8.0.0-', '7.0.0.1', 'x4.0.0', 'v6', '5.1'],
      '1.0.5',
      [
        { tag: 'v6', reason: 'outside ~1.0' },
        { tag: '5.1', reason: 'outside ~1.0' },
      ],
    ],
    [
      'glob: a higher tag with a suffix is refused for its text, not as a pre-release',
      'glob:*-alpine3.19',
      ['18.19.1-alpine3.19', '20.11.0-alpine3.19', '20.11.1-bookworm-slim', '20.11.1-alpine3.19'],
      '20.11.1-alpine3.19',
      [{ tag: '20.11.1-bookworm-slim', reason: 'does not match glob:*-alpine3.19' }],
    ],
    [
      'regex: a matching higher version is an older build',
      'regex:^1',
      ['1.0.5', '1.0.6', '2.0.0'],
      '1.0.5',
      [
        { tag: '1.0.6', reason: 'matches regex:^1 but is an older build' },
        { tag: '2.0.0', reason: 'does not match regex:^1' },
      ],
    ],
    ['a chosen tag that is no version', 'glob:*', ['main', '2.0.0'], 'main', []],
    [
      'a tag that only holds a version after other text does not hide a higher version of its line',
      'semver:~1.0',
      ['1.0.5', '3.0.0', 'x3.1.0'],
      '1.0.5',
      [{ tag: '3.0.0', reason: 'outside ~1.0' }],
    ],
    [
      'numbers of two digits: major, minor and patch',
      'semver:<1.0.6',
      ['1.0.5', '1.0.10', '1.10.0', '10.0.0'],
      '1.0.5',
      [
        { tag: '10.0.0', reason: 'outside <1.0.6' },
        { tag: '1.10.0', reason: 'outside <1.0.6' },
      ],
    ],
    [
      'patch of two digits',
      'semver:<1.0.6',
      ['1.0.5', '1.0.10'],
      '1.0.5',
      [{ tag: '1.0.10', reason: 'outside <1.0.6' }],
    ],
    [
      'a chosen pre-release: the same pre-release written otherwise, or a lower one, is not higher',
      'semver:<2.0.0-rc.2',
      ['2.0.0-rc.0', '2.0.0-rc.1', 'v2.0.0-rc.1'],
      '2.0.0-rc.1',
      [],
    ],
  ])('%s', (_name, value, tags, chosen, expected) => {
    const filter = parseFilter(value);
    expect(notTakenTags(filter, tags, chosen, (tag) => isCandidate(filter, tag))).toEqual(expected);
  });
});
