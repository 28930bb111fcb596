import { describe, expect, it } from '@jest/globals';

import { buildRegexFilter } from '../../src/filters/regex-filter.js';

describe('buildRegexFilter (Go RE2, unanchored)', () => {
  it.each([
    // pattern, tag, matches
    ['^0.6.*', '0.6.1', true],
    ['^0.6.*', '0.7.0', false],
    ['^0.6.*', '10.6.0', false],
    ['prod', 'app-prod-2', true],
    ['^prod$', 'app-prod-2', false],
    ['^v[0-9]+\\.[0-9]+\\.[0-9]+$', 'v1.22.3', true],
    ['^v[0-9]+\\.[0-9]+\\.[0-9]+$', 'v1.22.3-rc1', false],
    // RE2 syntax that a JavaScript RegExp reads differently or rejects:
    ['^\\Qa.b\\E$', 'a.b', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['(?i)^RELEASE-', 'release-1', true],
    ['^release-', 'RELEASE-1', false],
    ['1\\z', 'v1', true],
    ['^[[:digit:]]+$', '123', true],
    ['^[[:digit:]]+$', '12a', false],
    ['^(?P<major>[0-9]+)\\.', '1.2', true],
    ['^\\d+$', '١٢٣', false],
    ['^\\x{41}', 'A1', true],
  ])('%j vs %j -> %s', (pattern, tag, expected) => {
    const filter = buildRegexFilter(pattern, `regex:${pattern}`);
    expect(filter.valid).toBe(true);
    expect(filter.matches(tag)).toBe(expected);
  });

  it.each([
    // Valid in JavaScript, invalid in RE2 (and so in Flux v1):
    ['look-ahead', 'a(?=b)'],
    ['negative look-ahead', '^(?!latest)'],
    ['look-behind', '(?<=a)b'],
    ['back-reference', '(a)\\1'],
    ['\\Z', 'a\\Z'],
    ['\\u escape', '\\u0041'],
    ['repeat over 1000', 'a{1001}'],
    // Invalid everywhere:
    ['unclosed class', '['],
    ['unclosed group', '(a'],
  ])('%s %j is invalid, matches every tag (Flux), and says so', (_name, pattern) => {
    const filter = buildRegexFilter(pattern, `regex:${pattern}`);
    expect(filter.valid).toBe(false);
    expect(filter.problem).toMatch(/not a valid Go \(RE2\) regular expression .* matched every tag/);
    expect(['1.0', 'anything', 'latest'].every((tag) => filter.matches(tag))).toBe(true);
  });

  it('an empty regex matches everything and is reported', () => {
    const filter = buildRegexFilter('', 'regex:');
    expect(filter.matches('x')).toBe(true);
    expect(filter.problem).toMatch(/empty regular expression/);
  });

  it('finishes ^(a+)+$ against a 100,000-character tag (no catastrophic backtracking)', () => {
    const filter = buildRegexFilter('^(a+)+$', 'regex:^(a+)+$');
    expect(filter.matches(`${'a'.repeat(100_000)}b`)).toBe(false);
    expect(filter.matches('a'.repeat(100_000))).toBe(true);
  });
});

describe('regex filter problems, word for word', () => {
  const invalid = (value: string, error: string) =>
    `filter \`${value}\` is not a valid Go (RE2) regular expression (error parsing regexp: ${error}); ` +
    'Flux v1 would have matched every tag with it and deployed the newest build of any tag';
  it.each([
    // pattern, the problem (undefined: none); Go's own error text
    ['(', invalid('regex:(', 'missing closing ): `(`')],
    ['[', invalid('regex:[', 'missing closing ]: `[`')],
    ['a(?=b)', invalid('regex:a(?=b)', 'invalid or unsupported Perl syntax: `(?=`')],
    ['a{1001}', invalid('regex:a{1001}', 'invalid repeat count: `{1001}`')],
    ['', 'filter `regex:` has an empty regular expression, which Flux v1 would have matched every tag with'],
    ['^v1', undefined],
  ])('%j', (pattern, problem) => {
    const filter = buildRegexFilter(pattern, `regex:${pattern}`);
    expect(filter.problem).toBe(problem);
    expect([filter.kind, filter.pattern, filter.value, filter.requiresTimestamp]).toEqual([
      'regex',
      pattern,
      `regex:${pattern}`,
      true,
    ]);
  });
});
