import { describe, expect, it } from '@jest/globals';

import { formatFilter, isDefaultFilter, parseFilter } from '../../src/filters/parse-filter.js';

describe('parseFilter prefixes (Flux v1 NewPattern)', () => {
  it.each([
    // annotation value, kind, pattern
    ['semver:~4.0', 'semver', '~4.0'],
    ['semver:~2.3', 'semver', '~2.3'],
    ['glob:v0.15.*', 'glob', 'v0.15.*'],
    ['regex:^0.6.*', 'regex', '^0.6.*'],
    ['regexp:^0.6.*', 'regex', '^0.6.*'],
    ['glob:master-*', 'glob', 'master-*'],
    ['master-*', 'glob', 'master-*'],
    ['4.0.*', 'glob', '4.0.*'],
    ['*', 'glob', '*'],
    ['glob:*', 'glob', '*'],
    ['latest', 'glob', 'latest'],
    ['glob: develop-*', 'glob', ' develop-*'],
    ['glob: *', 'glob', ' *'],
    [' glob:*', 'glob', ' glob:*'],
    ['semvar:~1', 'glob', 'semvar:~1'],
    ['Semver:~1', 'glob', 'Semver:~1'],
    ['REGEX:^1', 'glob', 'REGEX:^1'],
    ['semver: ~4.0', 'semver', ' ~4.0'],
    ['glob:glob:x', 'glob', 'glob:x'],
  ])('%j -> %s %j', (value, kind, pattern) => {
    const filter = parseFilter(value);
    expect([filter.kind, filter.pattern, filter.value]).toEqual([kind, pattern, value]);
  });

  it('formats canonically', () => {
    expect(formatFilter(parseFilter('master-*'))).toBe('glob:master-*');
    expect(formatFilter(parseFilter('regexp:^1'))).toBe('regex:^1');
  });
});

describe('the spec examples', () => {
  it.each([
    // value, a tag it selects, a tag it rejects
    ['semver:~4.0', '4.0.9', '4.1.0'],
    ['semver:~2.3', 'v2.3.2', 'v2.4.0'],
    ['glob:v0.15.*', 'v0.15.1', 'v0.16.0'],
    ['regex:^0.6.*', '0.6.3', '1.0.6'],
    ['glob:master-*', 'master-abc', 'develop-abc'],
  ])('%s works and raises no problem', (value, selected, rejected) => {
    const filter = parseFilter(value);
    expect(filter.problem).toBeUndefined();
    expect([filter.matches(selected), filter.matches(rejected)]).toEqual([true, false]);
  });

  it("reports the alias example's 'glob: *', which matches nothing", () => {
    const filter = parseFilter('glob: *');
    expect(filter.matches('1.0.0')).toBe(false);
    expect(filter.problem).toBe(
      'glob filter `glob: *` contains a space (nothing is trimmed), and no Docker tag can hold that, ' +
        'so it matches no tag and this image is never updated; did you mean `glob:*`?',
    );
  });

  it("reports the annotation table's 'glob: master-*'", () => {
    expect(parseFilter('glob: master-*').problem).toMatch(/did you mean `glob:master-\*`\?$/);
  });
});

describe('problems', () => {
  it.each([
    // value, the problem must match
    ['glob: develop-*', /contains a space .* did you mean `glob:develop-\*`\?$/],
    [' glob:*', /contains a space .* did you mean `glob:\*`\?$/],
    ['semvar:~1', /unknown prefix `semvar:` .* did you mean `semver:~1`\?$/],
    ['Semver:~1', /unknown prefix `Semver:` .*lower-case.* did you mean `semver:~1`\?$/],
    ['regx:^1', /unknown prefix `regx:` .* did you mean `regex:\^1`\?$/],
    ['foo:bar', /unknown prefix `foo:`.*matches no tag and this image is never updated$/],
    ['v1.?', /contains `\?`, which is literal in Flux globs \(only `\*` is a wildcard\)/],
    ['glob:', /is empty, which Flux v1 would have matched no tag with$/],
    ['', /is empty, which Flux v1 would have matched no tag with$/],
    ['-rc*', /starts with `-`/],
    [
      'semver:~>1.x.y',
      /not a valid semver constraint .*matched every version tag with it, pre-releases included$/,
    ],
    [
      'semver:',
      /empty semver constraint; constraints look like .*; Flux v1 would have matched every version tag/,
    ],
    ['regex:a(?=b)', /not a valid Go \(RE2\) regular expression/],
    ['regexp:', /empty regular expression/],
    ['regex: ^0.6', /starts with a space .* did you mean `regex:\^0.6`\?$/],
  ])('%j', (value, expected) => {
    expect(parseFilter(value).problem).toMatch(expected);
  });

  it.each([
    'glob:*',
    'master-*',
    'semver:>=1.0.0-0',
    'semver: ~4.0',
    'regex:^v1\\.',
    'latest',
    'glob:latest',
  ])('%j has no problem', (value) => {
    expect(parseFilter(value).problem).toBeUndefined();
  });
});

describe('problem messages, word for word', () => {
  const never = 'so it matches no tag and this image is never updated';
  const unknownPrefix = (value: string, prefix: string): string =>
    `filter \`${value}\` has the unknown prefix \`${prefix}\` (known: \`glob:\`, \`semver:\`, \`regex:\`, ` +
    `\`regexp:\`; prefixes are lower-case) and is read as a literal glob, ${never}`;
  const impossibleGlob = (value: string, what: string): string =>
    `glob filter \`${value}\` ${what}, and no Docker tag can hold that, ${never}`;

  it.each([
    // value, the whole problem
    ['glob:', 'filter `glob:` is empty, which Flux v1 would have matched no tag with'],
    ['', 'filter `` is empty, which Flux v1 would have matched no tag with'],
    ['foo:bar', unknownPrefix('foo:bar', 'foo:')],
    ['xyz:1', unknownPrefix('xyz:1', 'xyz:')],
    ['my-pre_1:x', unknownPrefix('my-pre_1:x', 'my-pre_1:')],
    // An invalid regex is reported as invalid, whatever else is wrong with it.
    [
      'regex: (',
      'filter `regex: (` is not a valid Go (RE2) regular expression (error parsing regexp: missing closing ): ` (`); ' +
        'Flux v1 would have matched every tag with it and deployed the newest build of any tag',
    ],
    [
      'semver:',
      'filter `semver:` has an empty semver constraint; constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; ' +
        'Flux v1 would have matched every version tag with it, pre-releases included',
    ],
    [
      'semver: ',
      'filter `semver: ` is not a valid semver constraint (improper constraint:  ); ' +
        'constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; ' +
        'Flux v1 would have matched every version tag with it, pre-releases included',
    ],
    ['Semver:~1', `${unknownPrefix('Semver:~1', 'Semver:')}; did you mean \`semver:~1\`?`],
    ['GLOB:*', `${unknownPrefix('GLOB:*', 'GLOB:')}; did you mean \`glob:*\`?`],
    ['REGEXP:^1', `${unknownPrefix('REGEXP:^1', 'REGEXP:')}; did you mean \`regexp:^1\`?`],
    [
      'glob: *',
      `${impossibleGlob('glob: *', 'contains a space (nothing is trimmed)')}; did you mean \`glob:*\`?`,
    ],
    [
      ' glob:*',
      `${impossibleGlob(' glob:*', 'contains a space (nothing is trimmed)')}; did you mean \`glob:*\`?`,
    ],
    [
      'glob:\t*',
      `${impossibleGlob('glob:\t*', 'contains a space (nothing is trimmed)')}; did you mean \`glob:*\`?`,
    ],
    [
      'glob:a b',
      `${impossibleGlob('glob:a b', 'contains a space (nothing is trimmed)')}; did you mean \`glob:ab\`?`,
    ],
    ['foo :bar', impossibleGlob('foo :bar', 'contains a space (nothing is trimmed)')],
    [
      'semver :1',
      `${impossibleGlob('semver :1', 'contains a space (nothing is trimmed)')}; did you mean \`semver:1\`?`,
    ],
    // The fix would still be an impossible glob: no hint.
    ['glob: a/b', impossibleGlob('glob: a/b', 'contains a space (nothing is trimmed)')],
    ['v1.?', impossibleGlob('v1.?', 'contains `?`, which is literal in Flux globs (only `*` is a wildcard)')],
    ['v[1', impossibleGlob('v[1', 'contains `[`, which is literal in Flux globs (only `*` is a wildcard)')],
    ['v1]', impossibleGlob('v1]', 'contains `]`, which is literal in Flux globs (only `*` is a wildcard)')],
    ['a/b', impossibleGlob('a/b', 'contains `/`')],
    ['_x:1', impossibleGlob('_x:1', 'contains `:`')],
    ['-rc*', impossibleGlob('-rc*', 'starts with `-`')],
    ['.x*', impossibleGlob('.x*', 'starts with `.`')],
    ['x'.repeat(129), impossibleGlob('x'.repeat(129), 'needs more than 128 characters')],
    [
      'regex: ^0.6',
      'regex filter `regex: ^0.6` starts with a space (nothing is trimmed) and no Docker tag holds one, ' +
        `${never}; did you mean \`regex:^0.6\`?`,
    ],
    [
      'regexp:\t^0.6',
      'regex filter `regexp:\t^0.6` starts with a space (nothing is trimmed) and no Docker tag holds one, ' +
        `${never}; did you mean \`regexp:^0.6\`?`,
    ],
  ])('%j', (value, problem) => {
    expect(parseFilter(value).problem).toBe(problem);
  });

  it('a regex with a space that is not leading is left alone (a tag cannot hold it, but the regex may be optional)', () => {
    expect(parseFilter('regex:^a ?b').problem).toBeUndefined();
  });
});

describe('the did-you-mean hint for a mistyped prefix', () => {
  it.each([
    // written prefix, the prefix suggested (or undefined for no hint)
    ['semvar', 'semver'],
    ['sem', 'semver'],
    ['semver2', 'semver'],
    ['version', 'semver'],
    ['Version', 'semver'],
    ['regx', 'regex'],
    ['rgx', 'regex'],
    ['re', 'regex'],
    ['reg', 'regex'],
    ['regexpr', 'regex'],
    ['glog', 'glob'],
    ['blob', 'glob'],
    ['wildcard', 'glob'],
    // Otherwise the one known prefix within two edits; `regex` when both regex forms are.
    ['semverr', 'semver'],
    ['smever', 'semver'],
    ['gob', 'glob'],
    ['regexx', 'regex'],
    ['rexep', 'regex'],
    ['regexpqq', 'regexp'],
    // Two different prefixes are as close: no guess.
    ['semex', undefined],
    ['xyz', undefined],
    ['foo', undefined],
  ])('%s: -> %s:', (written, suggested) => {
    const problem = parseFilter(`${written}:1.2`).problem;
    expect(problem).toMatch(new RegExp(`unknown prefix \`${written}:\``));
    const hint = /; did you mean `(.*)`\?$/.exec(problem ?? '')?.[1];
    expect(hint).toBe(suggested === undefined ? undefined : `${suggested}:1.2`);
  });
});

describe('isDefaultFilter', () => {
  it.each([
    ['glob:*', true],
    ['*', true],
    ['glob: *', false],
    ['glob:1.*', false],
    ['semver:*', false],
    ['regex:.*', false],
  ])('%s lets every tag through as no filter does: %s', (value, expected) => {
    expect(isDefaultFilter(value)).toBe(expected);
  });
});
