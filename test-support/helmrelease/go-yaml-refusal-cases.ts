/**
 * Inputs yaml.v2 2.4.0 (Flux v1) refuses and the `yaml` package reads, with what yaml.v2 answered
 * for each (scripts/go-yaml) and what the reader does (src/helmrelease/go-yaml-refusals.ts). Shared
 * by go-yaml-refusals.test.ts and the harness's corpus (scripts/go-yaml/corpus.ts), which checks
 * each `observed` against the real yaml.v2 again.
 */
import { release } from './release-text.js';

/** yaml.v2's answer: `reads`, or the text of the error Flux saw after "scanning multidoc: yaml: ". */
export type Observed = string;
/** What the reader does: the releases it reads, and the line of the error holding one, if any. */
export type Expected = { reads: string[] } | { heldAt: number; reads?: string[] };
/** `[name, text, observed, expected]`. */
export type RefusalCase = [string, string, Observed, Expected];

const A = release(['image: repo/a:1'], [], 'a');
const B = release(['image: repo/b:1'], [], 'b');
const TAG = '%TAG !e! tag:example.com,2000:\n';

/**
 * Lines whose first character after their spaces is a tab. release() indents values by 4 spaces:
 * `'\t'` is the line `'    \t'`, at column 4, inside the values map (whose keys are at column 4).
 */
export const TAB_LINE_CASES: RefusalCase[] = [
  [
    'after a plain value, the tab inside the map (column 4 < 5)',
    release(['image: repo/a:1', '\t', 'x: 1']),
    'line 10: found a tab character that violates indentation',
    { heldAt: 10 },
  ],
  [
    'after a plain value, tabs then spaces',
    release(['image: repo/a:1', '\t\t  ', 'x: 1']),
    'line 10: found a tab character that violates indentation',
    { heldAt: 10 },
  ],
  [
    'after a plain value, the tab past the map (column 6): the plain scalar takes it',
    release(['image: repo/a:1', '  \t', 'x: 1']),
    'reads',
    { reads: ['app'] },
  ],
  [
    'after a plain value, past the map, before a comment',
    release(['image: repo/a:1', '    \t# c', 'x: 1']),
    'reads',
    { reads: ['app'] },
  ],
  [
    'after a plain value, at column 4, before a comment',
    release(['image: repo/a:1', '\t# c', 'x: 1']),
    'line 10: found a tab character that violates indentation',
    { heldAt: 10 },
  ],
  [
    'after a quoted value, at any column',
    release(['image: "repo/a:1"', '      \t', 'x: 1']),
    'line 10: found character that cannot start any token',
    { heldAt: 10 },
  ],
  [
    'after a flow map',
    release(['image: {repository: repo/a, tag: "1"}', '\t', 'x: 1']),
    'line 10: found character that cannot start any token',
    { heldAt: 10 },
  ],
  [
    'after a key with no value',
    release(['image: repo/a:1', 'x:', '\t', 'y: 1']),
    'line 11: found character that cannot start any token',
    { heldAt: 11 },
  ],
  [
    'after a plain value ending in a comment',
    release(['image: repo/a:1 # c', '        \t', 'x: 1']),
    'line 10: found character that cannot start any token',
    { heldAt: 10 },
  ],
  [
    'after a comment line',
    release(['image: repo/a:1', '# c', '      \t', 'x: 1']),
    'line 11: found character that cannot start any token',
    { heldAt: 11 },
  ],
  [
    'after an alias',
    release(['a: &a 1', 'image: repo/a:1', 'x: *a', '\t', 'y: 1']),
    'line 12: found character that cannot start any token',
    { heldAt: 12 },
  ],
  [
    'after a list item, inside the list',
    release(['image: repo/a:1', 'x:', '  - a', '\t', '  - b']),
    'line 12: found a tab character that violates indentation',
    { heldAt: 12 },
  ],
  [
    'inside a block scalar, before its indentation (column 4 < 6)',
    release(['image: repo/a:1', 'x: |', '  a', '\t', '  b']),
    'line 12: found a tab character where an indentation space is expected',
    { heldAt: 12 },
  ],
  [
    'inside a block scalar, at its indentation: content',
    release(['image: repo/a:1', 'x: |', '  a', '  \t', '  b']),
    'reads',
    { reads: ['app'] },
  ],
  [
    'inside a block scalar, before its first line',
    release(['image: repo/a:1', 'x: |', '      \t', '  a', 'y: 1']),
    'line 11: found a tab character where an indentation space is expected',
    { heldAt: 11 },
  ],
  [
    'inside a block scalar with an explicit indentation (|2: 6)',
    release(['image: repo/a:1', 'x: |2', '      a', '  \t', 'y: 1']),
    'reads',
    { reads: ['app'] },
  ],
  [
    'after a block scalar with nothing in it',
    release(['image: repo/a:1', 'x: >-', '\t', 'y: 1']),
    'line 11: found a tab character where an indentation space is expected',
    { heldAt: 11 },
  ],
  [
    'inside a flow collection',
    release(['image: repo/a:1', 'x: [a,', '\t', '  b]']),
    'reads',
    { reads: ['app'] },
  ],
  ['at the start of the file', `\t\n${A}`, 'found character that cannot start any token', { heldAt: 1 }],
  ['right after ---', `---\n\t\n${A}`, 'line 2: found character that cannot start any token', { heldAt: 2 }],
  [
    'at the end of a document, before ---: that document',
    `${A}\t\n---\n${B}`,
    'line 10: found a tab character that violates indentation',
    { heldAt: 10, reads: ['b'] },
  ],
  [
    'between ... and ---: the document after it',
    `${A}...\n\t\n---\n${B}`,
    'line 11: found character that cannot start any token',
    { heldAt: 11, reads: ['a'] },
  ],
  [
    'with CRLF line ends',
    release(['image: repo/a:1', '\t', 'x: 1']).replace(/\n/g, '\r\n'),
    'line 10: found a tab character that violates indentation',
    { heldAt: 10 },
  ],
  [
    'a trailing tab (not first on its line)',
    release(['image: repo/a:1\t', 'x: 1']),
    'reads',
    { reads: ['app'] },
  ],
];

/** Control characters, in a value and elsewhere ("control characters are not allowed"); NEL (U+0085) is a line break. */
export const CONTROL_CHARACTER_CASES: RefusalCase[] = [
  ...[
    '\0',
    '\u0007',
    '\b',
    '\u000b',
    '\f',
    '\u000e',
    '\u001b',
    '\u001f',
    '\u007f',
    '\u0080',
    '\u0084',
    '\u0086',
    '\u009f',
    '\ufffe',
    '\uffff',
  ].map((c): RefusalCase => [
    `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in a value`,
    release(['image: repo/a:1', `x: a${c}b`]),
    'control characters are not allowed',
    { heldAt: 10 },
  ]),
  ...['\t', '\u00a0', '\ud7ff', '\ue000', '\ufffd', '\ufeff', '\u{10000}'].map((c): RefusalCase => [
    `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} in a value`,
    release(['image: repo/a:1', `x: a${c}b`]),
    'reads',
    { reads: ['app'] },
  ]),
  [
    'in a comment',
    release(['image: repo/a:1 # a\u0007b']),
    'control characters are not allowed',
    { heldAt: 9 },
  ],
  [
    'in a double-quoted value',
    release(['image: repo/a:1', 'x: "a\u0007b"']),
    'control characters are not allowed',
    { heldAt: 10 },
  ],
  [
    'in a single-quoted value',
    release(['image: repo/a:1', "x: 'a\u0007b'"]),
    'control characters are not allowed',
    { heldAt: 10 },
  ],
  [
    'in a block scalar',
    release(['image: repo/a:1', 'x: |', '  a\u0007b']),
    'control characters are not allowed',
    { heldAt: 11 },
  ],
  [
    'written as escapes in double quotes',
    release(['image: repo/a:1', 'x: "a\\u0007b\\e"']),
    'reads',
    { reads: ['app'] },
  ],
];

/** Directives: yaml.v2 reads YAML 1.1 only, one %YAML per document, and knows only %YAML and %TAG. */
export const DIRECTIVE_CASES: RefusalCase[] = [
  ['%YAML 1.1', `%YAML 1.1\n---\n${A}`, 'reads', { reads: ['a'] }],
  ['%YAML 1.01 (the numbers are read as numbers)', `%YAML 1.01\n---\n${A}`, 'reads', { reads: ['a'] }],
  ['%YAML 01.1', `%YAML 01.1\n---\n${A}`, 'reads', { reads: ['a'] }],
  ['%YAML 1.1 # c', `%YAML 1.1 # c\n---\n${A}`, 'reads', { reads: ['a'] }],
  ['%TAG !e! tag:example.com,2000:', `%TAG !e! tag:example.com,2000:\n---\n${A}`, 'reads', { reads: ['a'] }],
  ['%YAML 1.2', `%YAML 1.2\n---\n${A}`, 'found incompatible YAML document', { heldAt: 1 }],
  ['%YAML 1.0', `%YAML 1.0\n---\n${A}`, 'found incompatible YAML document', { heldAt: 1 }],
  ['%YAML 2.0', `%YAML 2.0\n---\n${A}`, 'found incompatible YAML document', { heldAt: 1 }],
  ['%YAML 1.10', `%YAML 1.10\n---\n${A}`, 'found incompatible YAML document', { heldAt: 1 }],
  ['%FOO bar', `%FOO bar\n---\n${A}`, 'found unknown directive name', { heldAt: 1 }],
  [
    '%YAML 1.1 twice',
    `%YAML 1.1\n%YAML 1.1\n---\n${A}`,
    'line 1: found duplicate %YAML directive',
    { heldAt: 2 },
  ],
  [
    '%YAML 1.2 before a second document, after ...',
    `${A}...\n%YAML 1.2\n---\n${B}`,
    'line 10: found incompatible YAML document',
    { heldAt: 11, reads: ['a'] },
  ],
  [
    '%YAML 1.1 before a second document, after ...',
    `${A}...\n%YAML 1.1\n---\n${B}`,
    'reads',
    { reads: ['a', 'b'] },
  ],
  [
    '%YAML 1.1 before each of two documents',
    `%YAML 1.1\n---\n${A}...\n%YAML 1.1\n---\n${B}`,
    'reads',
    { reads: ['a', 'b'] },
  ],
  // A %TAG line is the next document's alone: a later document knows no handle it declares.
  [
    'a %TAG handle used in the document after the one it was declared for',
    `${TAG}---\n${A}---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`,
    'line 21: found undefined tag handle',
    { heldAt: 22, reads: ['a'] },
  ],
  [
    'a %TAG handle used on a map in the next document',
    `${TAG}---\n${A}---\n${release(['image: repo/b:1', 'x: !e!foo {k: v}'], [], 'b')}`,
    'line 21: found undefined tag handle',
    { heldAt: 22, reads: ['a'] },
  ],
  [
    'a %TAG handle of several letters used in the next document',
    `%TAG !example! tag:example.com,2000:\n---\n${A}---\n${release(['image: repo/b:1', 'x: !example!foo 1'], [], 'b')}`,
    'line 21: found undefined tag handle',
    { heldAt: 22, reads: ['a'] },
  ],
  [
    'a %TAG handle declared before a document of nothing, used in the next document',
    `${TAG}---\n...\n---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`,
    'line 13: found undefined tag handle',
    { heldAt: 14 },
  ],
  [
    'the %TAG line repeated before the next document',
    `${TAG}---\n${A}...\n${TAG}---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`,
    'reads',
    { reads: ['a', 'b'] },
  ],
  [
    'the %TAG line repeated, then a comment and a blank line, before the next document',
    `${TAG}---\n${A}...\n${TAG}# c\n\n---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`,
    'reads',
    { reads: ['a', 'b'] },
  ],
  [
    'the same with CRLF',
    `${TAG}---\n${A}...\n${TAG}# c\n\n---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`.replace(
      /\n/g,
      '\r\n',
    ),
    'reads',
    { reads: ['a', 'b'] },
  ],
  [
    'a %TAG handle the next document spells only in quotes and comments',
    `${TAG}---\n${A}---\n${release(['image: repo/b:1', 'x: "!e!foo 1" # !e!bar'], [], 'b')}`,
    'reads',
    { reads: ['a', 'b'] },
  ],
];

/** Document end markers: after `...` only `---`, a directive, another `...` or the end may come ("did not find expected <document start>", which yaml.v2 dates a line early). */
export const END_MARKER_CASES: RefusalCase[] = [
  ['... then content', `${A}...\n${B}`, 'line 10', { heldAt: 11, reads: ['a'] }],
  ['... then a comment, then content', `${A}...\n# c\n${B}`, 'line 11', { heldAt: 12, reads: ['a'] }],
  ['... then a blank line, then content', `${A}...\n\n${B}`, 'line 11', { heldAt: 12, reads: ['a'] }],
  ['... # c then content', `${A}... # c\n${B}`, 'line 10', { heldAt: 11, reads: ['a'] }],
  ['... twice, then content', `${A}...\n...\n${B}`, 'line 11', { heldAt: 12, reads: ['a'] }],
  ['--- ... then content', `---\n...\n${A}`, 'line 2', { heldAt: 3 }],
  ['... with CRLF', `${A}...\n${B}`.replace(/\n/g, '\r\n'), 'line 10', { heldAt: 11, reads: ['a'] }],
  ['... before any document', `...\n---\n${A}`, 'did not find expected node content', { heldAt: 1 }],
  ['... then ---', `${A}...\n---\n${B}`, 'reads', { reads: ['a', 'b'] }],
  ['... # c then ---', `${A}... # c\n---\n${B}`, 'reads', { reads: ['a', 'b'] }],
  ['... twice, then ---', `${A}...\n...\n---\n${B}`, 'reads', { reads: ['a', 'b'] }],
  ['... at the end', `${A}...\n# c\n`, 'reads', { reads: ['a'] }],
];

/**
 * Escapes in double quotes: yaml.v2 knows no `\/` and takes each `\u` as one code point, so a
 * UTF-16 surrogate (a JSON-style pair too) is refused. The `yaml` package reads both.
 */
export const ESCAPE_CASES: RefusalCase[] = [
  [
    'a JSON-style surrogate pair',
    release(['image: repo/a:1', 'x: "Deployed \\ud83d\\ude80"']),
    'line 10: found invalid Unicode character escape code',
    { heldAt: 10 },
  ],
  [
    'a lone low surrogate, as \\U',
    release(['image: repo/a:1', 'x: "\\U0000DE80"']),
    'line 10: found invalid Unicode character escape code',
    { heldAt: 10 },
  ],
  [
    'an escaped slash',
    release(['image: repo/a:1', 'x: "https:\\/\\/example.com"']),
    'line 10: found unknown escape character',
    { heldAt: 10 },
  ],
  [
    'an escaped slash in a key, in a flow map',
    release(['image: repo/a:1', 'x: {"a\\/b": c}']),
    'line 10: found unknown escape character',
    { heldAt: 10 },
  ],
  [
    'an escaped slash in the image itself',
    release(['image: "repo\\/a:1"']),
    'line 9: found unknown escape character',
    { heldAt: 9 },
  ],
  [
    'an escaped slash on a continuation line',
    release(['image: repo/a:1', 'x: "a', '  b\\/c"']),
    'line 11: found unknown escape character',
    { heldAt: 11 },
  ],
  [
    'the character itself',
    release(['image: repo/a:1', 'x: "Deployed \u{1F680}"']),
    'reads',
    { reads: ['app'] },
  ],
  ['one \\U escape of it', release(['image: repo/a:1', 'x: "\\U0001F680"']), 'reads', { reads: ['app'] }],
  [
    '\\u below the surrogates',
    release(['image: repo/a:1', 'x: "\\ud7ff\\u00e9"']),
    'reads',
    { reads: ['app'] },
  ],
  [
    'an escaped backslash, then a slash',
    release(['image: repo/a:1', 'x: "a\\\\/b"']),
    'reads',
    { reads: ['app'] },
  ],
  ['\\/ in single quotes', release(['image: repo/a:1', "x: 'a\\/b'"]), 'reads', { reads: ['app'] }],
  ['\\/ unquoted', release(['image: repo/a:1', 'x: a\\/b']), 'reads', { reads: ['app'] }],
  ['\\/ in a block scalar', release(['image: repo/a:1', 'x: |', '  "a\\/b"']), 'reads', { reads: ['app'] }],
  ['\\/ in a comment', release(['image: repo/a:1 # "a\\/b"']), 'reads', { reads: ['app'] }],
  [
    'in another HelmRelease of the file, which alone is held',
    `${A}---\n${release(['image: repo/b:1', 'x: "\\/"'], [], 'b')}`,
    'line 20: found unknown escape character',
    { heldAt: 20, reads: ['a'] },
  ],
];
