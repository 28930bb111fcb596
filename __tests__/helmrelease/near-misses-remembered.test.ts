/**
 * findNearMisses remembers what each key was probably meant as (issue 17: a few dozen keys recur
 * over thousands of releases). A remembered answer must be the first one, tied to each annotation
 * of its own, and keys must stay apart once the memory (1,000 keys) has been filled and cleared.
 */
import { describe, expect, it } from '@jest/globals';

import { findNearMisses } from '../../src/helmrelease/annotation-near-misses.js';
import type { Annotation } from '../../src/helmrelease/annotations.js';

const annotation = (key: string, line: number): Annotation => ({
  key,
  value: 'true',
  isString: true,
  isNull: false,
  source: 'true',
  line,
});

describe('findNearMisses read again', () => {
  it.each([
    ['fluxcd.io/automate', 'fluxcd.io/automated', false],
    ['fluxcd.io/Locked', 'fluxcd.io/locked', true],
    ['filter.fluxd.io/app', 'filter.fluxcd.io/app', true],
    ['fluxcd.io/automated', undefined, false],
    ['example.com/anything', undefined, false],
  ] as const)('%s: the same answer for each annotation that has it', (key, meant, blocks) => {
    const first = annotation(key, 3);
    const second = annotation(key, 40);
    const expected = (a: Annotation) => (meant === undefined ? [] : [{ annotation: a, meant, blocks }]);
    expect(findNearMisses([first])).toEqual(expected(first));
    expect(findNearMisses([second])).toEqual(expected(second));
    expect(findNearMisses([first, second])).toEqual([...expected(first), ...expected(second)]);
  });

  it.each([
    ['first read with a filter', 'fluxcd.io/web', ['semver:~1.0', 'web', 'semver:~1.0']],
    ['first read without one', 'fluxcd.io/api', ['api', 'semver:~1.0', 'api']],
  ])('remembers the key, not its value: a filter under a key that is no filter, %s', (_name, key, values) => {
    for (const [i, value] of values.entries()) {
      const written = { ...annotation(key, i), value };
      const found = findNearMisses([written]).map((m) => m.annotation);
      expect(found).toEqual(value === 'semver:~1.0' ? [written] : []);
    }
  });

  it('keeps keys apart past the number it remembers', () => {
    const keys = Array.from({ length: 2_500 }, (_, i) => `team-${i}.example.com/owner`);
    for (const key of keys) expect(findNearMisses([annotation(key, 1)])).toEqual([]);
    const misspelt = annotation('fluxcd.io/lockd', 9);
    expect(findNearMisses([misspelt])).toEqual([
      { annotation: misspelt, meant: 'fluxcd.io/locked', blocks: true },
    ]);
    for (const key of [keys[0]!, keys[1_999]!]) expect(findNearMisses([annotation(key, 2)])).toEqual([]);
    expect(findNearMisses([misspelt])).toHaveLength(1);
  });
});
