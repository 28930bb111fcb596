/**
 * parseFilter and parseTagVersion remember what they read (issue 17: thousands of containers share a
 * few hundred filter values and a repository's tags are read for each of them). A remembered answer
 * must be the answer a first read gives, for every value, before and after the memory is full.
 */
import { describe, expect, it } from '@jest/globals';

import { parseFilter } from '../../src/filters/parse-filter.js';
import { parseTagVersion } from '../../src/filters/semver-filter.js';

describe('parseFilter read again', () => {
  it.each([
    // value, a tag it matches, a tag it does not
    ['semver:~1.4', '1.4.9', '1.5.0'],
    ['glob:main-*', 'main-7', 'dev-7'],
    ['glob: main-*', undefined, 'main-7'],
    ['regex:^v[0-9]+$', 'v12', 'v12a'],
    ['regex:(', 'anything', undefined],
  ] as const)('%s answers the same the second time', (value, matching, other) => {
    const first = parseFilter(value);
    const again = parseFilter(value);
    expect(again.value).toBe(value);
    expect(again.kind).toBe(first.kind);
    expect(again.problem).toBe(first.problem);
    if (matching !== undefined)
      expect([first.matches(matching), again.matches(matching)]).toEqual([true, true]);
    if (other !== undefined) expect([first.matches(other), again.matches(other)]).toEqual([false, false]);
  });

  it('keeps every value apart past the number it remembers (1,000)', () => {
    const values = Array.from({ length: 2_500 }, (_, i) => `semver:~${i}.0`);
    for (const value of values) parseFilter(value);
    // Read again, in the order that finds a wrongly kept or mixed-up entry soonest.
    for (const i of [0, 999, 1_000, 1_001, 2_499, 1, 1_500]) {
      const filter = parseFilter(values[i]!);
      expect(filter.value).toBe(values[i]);
      expect(filter.matches(`${i}.0.7`)).toBe(true);
      expect(filter.matches(`${i + 1}.0.0`)).toBe(false);
    }
  });
});

describe('parseTagVersion read again', () => {
  it.each(['latest', 'main-0001', '1.2.3.4', 'v1.2.3-01', 'v1.2.3+', ''])(
    '%j is no version, the first time and the second',
    (tag) => {
      expect(parseTagVersion(tag)).toBeUndefined();
      expect(parseTagVersion(tag)).toBeUndefined();
    },
  );

  it('keeps every tag apart past the number it remembers (20,000)', () => {
    const tags = Array.from({ length: 45_000 }, (_, i) => `${i % 7}.${Math.floor(i / 7)}.${i % 3}`);
    for (const tag of tags) parseTagVersion(tag);
    for (const i of [0, 19_999, 20_000, 20_001, 44_999, 1, 30_000]) {
      const version = parseTagVersion(tags[i]!);
      expect(version && [version.major, version.minor, version.patch]).toEqual([
        i % 7,
        Math.floor(i / 7),
        i % 3,
      ]);
    }
  });
});
