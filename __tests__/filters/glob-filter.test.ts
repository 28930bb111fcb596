import { describe, expect, it } from '@jest/globals';

import { buildGlobFilter, findImpossibleGlobPart, matchGlob } from '../../src/filters/glob-filter.js';

describe('matchGlob (ryanuber/go-glob, as Flux v1)', () => {
  it.each([
    // pattern, tag, matches
    ['*', 'anything', true],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['master-*', 'master-abc123', true],
    ['master-*', 'master-', true],
    ['master-*', 'Master-abc', false],
    ['master-*', 'xmaster-abc', false],
    ['v0.15.*', 'v0.15.0', true],
    ['v0.15.*', 'v0.16.0', false],
    ['v0.15.*', 'v0.15', false],
    ['4.0.*', '4.0.3', true],
    ['*-alpine', '3.12-alpine', true],
    ['*-alpine', '3.12-alpine-slim', false],
    ['*alpine*', '3.12-alpine-slim', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    // Every middle piece must be found, in order, after the pieces before it.
    ['a*b*c', 'aXc', false],
    ['a*b*b', 'ab', false],
    ['a*b*b', 'abb', true],
    ['*b*', 'bX', true],
    ['*b*', 'Xb', true],
    ['*b*', 'XY', false],
    ['a*bc*bc', 'abcbc', true],
    ['a*bc*bc', 'abc', false],
    ['x*1*2*3', 'x321', false],
    ['x*1*2*3', 'x1-2-3', true],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['a**b', 'ab', true],
    ['1.2.3', '1.2.3', true],
    ['1.2.3', '1.2.30', false],
    // `?` and `[` are literal, unlike file globs.
    ['v1.?', 'v1.2', false],
    ['v1.?', 'v1.?', true],
    ['v[12]', 'v1', false],
    ['v[12]', 'v[12]', true],
    // Nothing is trimmed.
    [' *', 'abc', false],
  ])('%j vs %j -> %s', (pattern, tag, expected) => {
    expect(matchGlob(pattern, tag)).toBe(expected);
  });

  it('is linear on a long tag with many stars', () => {
    const pattern = `${'a*'.repeat(200)}b`;
    expect(matchGlob(pattern, 'a'.repeat(100_000))).toBe(false);
  });
});

describe('findImpossibleGlobPart', () => {
  it.each([
    ['master-*', undefined],
    ['*', undefined],
    ['v0.15.*', undefined],
    ['_x', undefined],
    ['', 'empty'],
    [' develop-*', ' '],
    ['semvar:~1', ':'],
    ['v1.?', '?'],
    ['-x', 'leading -'],
    ['.x', 'leading .'],
    ['*-x', undefined],
    ['x'.repeat(129), 'too long'],
    [`${'x'.repeat(128)}*`, undefined],
  ])('%j -> %j', (pattern, expected) => {
    expect(findImpossibleGlobPart(pattern)).toBe(expected);
  });
});

describe('buildGlobFilter', () => {
  it('orders by build time, so it needs build times, and carries the problem it is given', () => {
    const filter = buildGlobFilter('master-*', 'glob:master-*', 'a problem');
    expect([filter.kind, filter.pattern, filter.value, filter.requiresTimestamp, filter.problem]).toEqual([
      'glob',
      'master-*',
      'glob:master-*',
      true,
      'a problem',
    ]);
    expect([filter.matches('master-1'), filter.matches('main-1')]).toEqual([true, false]);
  });
});
