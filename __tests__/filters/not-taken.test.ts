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
  ])('%s', (_name, value, tags, chosen, expected) => {
    const filter = parseFilter(value);
    expect(notTakenTags(filter, tags, chosen, (tag) => isCandidate(filter, tag))).toEqual(expected);
  });
});
