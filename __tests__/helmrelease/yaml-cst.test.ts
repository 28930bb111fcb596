/**
 * yaml-lexer.ts, yaml-parser.ts and yaml-documents.ts read a text exactly as the `yaml` package's
 * own `Lexer`, `Parser` and `parseAllDocuments` do: the same lexical tokens, the same tokens of
 * the syntax tree (every field), the same line starts reported, and the same documents, errors
 * and messages. Checked on texts that take each branch the parser has (named below), on every
 * YAML file of the repository's examples and fixtures, and on random texts made of YAML's
 * indicators. An upgrade of `yaml` that changes how it reads a text fails here, by the text.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, LineCounter, Parser, parseAllDocuments, type Document } from 'yaml';
import { parseDocuments, type ParseOptions } from '../../src/helmrelease/yaml-documents.js';
import { lex } from '../../src/helmrelease/yaml-lexer.js';
import { parseCst } from '../../src/helmrelease/yaml-parser.js';

/** The package's reading of `text`: tokens, syntax tree and line starts, from `offset`. */
function packageReading(text: string, offset: number) {
  const lineStarts: number[] = [];
  const parser = new Parser((at) => lineStarts.push(at));
  parser.offset = offset;
  return { tokens: [...new Lexer().lex(text)], cst: [...parser.parse(text)], lineStarts };
}

function ourReading(text: string, offset: number) {
  const lineStarts: number[] = [];
  const cst = parseCst(text, offset, (at) => lineStarts.push(at));
  return { tokens: lex(text), cst, lineStarts };
}

/** What a document is made of, for comparing: its nodes as JSON, its errors and warnings whole. */
function documentFacts(doc: Document) {
  const problem = (e: { code: string; message: string; pos: number[]; linePos?: unknown }) => ({
    code: e.code,
    message: e.message,
    pos: e.pos,
    linePos: e.linePos,
  });
  return {
    contents: JSON.parse(JSON.stringify(doc.contents)),
    range: doc.range,
    commentBefore: doc.commentBefore,
    comment: doc.comment,
    errors: doc.errors.map(problem),
    warnings: doc.warnings.map(problem),
  };
}

const OPTIONS: ParseOptions = { version: '1.1', schema: 'failsafe', uniqueKeys: false };

function expectSameDocuments(text: string) {
  const theirLines = new LineCounter();
  const theirs = parseAllDocuments(text, { ...OPTIONS, lineCounter: theirLines });
  const ourLines = new LineCounter();
  const ours = parseDocuments(text, OPTIONS, ourLines);
  expect(ours.map(documentFacts)).toEqual((Array.isArray(theirs) ? theirs : []).map(documentFacts));
  expect(ourLines.lineStarts).toEqual(theirLines.lineStarts);
}

/** Texts for each state of the lexer and each branch of the parser, by what they exercise. */
const CASES: [string, string][] = [
  ['an empty text', ''],
  ['a document', 'kind: HelmRelease\nspec:\n  values:\n    image: nginx:1.0 # pinned\n'],
  ['a directive, its line break read as the next line', '%YAML 1.1\n---\na: 1\n'],
  ['a directive with a comment and spaces', '%TAG ! tag:example.com,2000: # c  \n--- !x\n'],
  ['a byte order mark, then a document', '\uFEFFa: 1\n'],
  ['a byte order mark before a directive', '\uFEFF%YAML 1.1\n--- a\n'],
  ['CRLF line breaks', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\n'],
  ['a lone CR', 'a: 1\rb: 2\n'],
  ['`--- ---`', '--- ---\n'],
  ['`--- ---` before a value', '--- ---\nline"\n'],
  ['document end markers', 'a: 1\n...\n---\nb: 2\n... # end\n'],
  ['a marker-like scalar', '---x\n----\n ---\n'],
  ['block scalars with headers', 'a: |2-\n    two\n  b\nc: >+\n  folded\n\n\nd: |\n'],
  ['a block scalar header followed by text', 'a: |!7 x: 1\n  b\n'],
  ['a block scalar with trailing tabs', 'a: |\n  text\n\t\nb: 1\n'],
  ['a block scalar at the end without a line break', 'a: |\n  text'],
  ['quoted scalars over lines', 'a: "one\n  two \\"q\\""\nb: \'it\'\'s\n  fine\'\n'],
  ['a quoted scalar cut by an unindent', 'a:\n  b: "one\nc: two"\n'],
  ['an unclosed quote', "a: 'open\n"],
  ['flow collections', 'a: [1, {b: c, d: [e]}, "f", ? g : h]\nx: {y: z}\n'],
  ['a flow collection over lines', 'a: [\n  1,\n  2\n]\nb: {\n c: d\n }\n'],
  ['a flow collection ended by a marker', 'a: [1,\n---\nb: 2\n'],
  ['a flow collection unindented', 'a:\n  b: [1,\nc: 2]\n'],
  ['a flow sequence with implicit pairs', '[a: 1, b, "c": d, :e, ? f]\n'],
  ['a flow collection as a key', '[a, b]: c\n{d: e}: f\n'],
  ['an unexpected flow end', 'a: ]\nb: }\n'],
  ['explicit keys', '? a\n: b\n? - c\n  - d\n: e\n?\n: f\n'],
  ['an explicit key with a value on the next line', '? a\n\n: b\n'],
  ['empty values and keys', 'a:\nb:\n: c\n- d\n'],
  ['anchors, tags and aliases', 'a: &x !!str 1\nb: *x\n&k c: !t d\n!!str e: f\n- *x\n'],
  ['alias keys', '*a : 1\n*b: 2\n'],
  ['verbatim and escaped tags', 'a: !<tag:x> 1\nb: !e%21 2\nc: !<open 3\n'],
  ['a sequence under a key', 'a:\n- 1\n- 2\nb:\n  - 3\n  -\n  - - 4\n'],
  ['a sequence on the key line', 'a: - 1\n'],
  ['comments everywhere', '# top\na: 1 # one\n  # indented\n# between\nb:\n  # in\n  - 1 # x\n    # more\n'],
  ['a comment after a flow collection', 'a: [1] # c\n  # next\nb: 2\n'],
  ['tabs as indentation', 'a:\n\tb: 1\n'],
  ['a key over two lines', 'a\nb: c\n'],
  ['two keys on a line', 'broken: a: b\n'],
  ['a scalar at the document level', 'plain text\nover lines\n'],
  ['a document start after content', 'a: 1\n--- b\n--- |\n  c\n'],
  ['anchors before a document start', '&a\n---\n'],
  ['control characters the lexer uses', 'a: \x02\x1f\x18\n'],
  ['a value that is not a token', '- \x1f[\n'],
  ['characters that break lines in go-yaml only', 'a: 1\u2028b: 2\u0085c: \u2029\n'],
  ['an error far along a long line', `${'k'.repeat(100)}: &x &y ${'v'.repeat(100)}\n`],
  ['an error near the end of a long line', `${'k'.repeat(100)}: &x &y z\r\n`],
  ['an error early in a long line', `&a &b ${'v'.repeat(100)}\n`],
  ['an error on a line of 81 characters', `&a &b ${'v'.repeat(75)}\n`],
  ['an error late on a line of 81 characters', `${'k'.repeat(70)}: &x &y vvv\n`],
  ['an error at a line start after a long line', `# ${'c'.repeat(100)}\n]\n`],
  ['an error at a line start after a line of 80 characters', `# ${'c'.repeat(78)}\n]\n`],
  ['an error 41 characters before a long line ends', `${'k'.repeat(60)}: &x &y ${'v'.repeat(38)}\n`],
  ['an error at a line start after a short line', `a: 1\n  ]\n`],
  ['an error on the last line, with no line break', `a: 1\nb: &x &y ${'v'.repeat(90)}`],
  ['an error spanning a long line', `a: "${'q'.repeat(120)}\n`],
  ['2,000 errors on one line', `a: ${'&a '.repeat(2000)}x\n`],
  ['a deeply nested flow collection', `${'['.repeat(1000)}${']'.repeat(1000)}\n`],
  [
    'deeply nested block sequences',
    `${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}-`).join('\n')} x\n`,
  ],
  ['a flow sequence item with 100,001 separators', `[a${'\n'.repeat(100_001)}]\n`],
];

describe('the lexer and the parser without generators', () => {
  it.each(CASES)('read %s as the package does', (_name, text) => {
    for (const offset of [0, 17]) {
      const [ours, theirs] = [ourReading(text, offset), packageReading(text, offset)];
      // A long or deep text's readings are compared as JSON: Jest's deep equality recurses once per
      // level of a tree and takes seconds over 100,000 tokens.
      if (text.length > 2_000) expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
      else expect(ours).toEqual(theirs);
    }
    expectSameDocuments(text);
  });

  it('read every YAML file of the examples and the test fixtures as the package does', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    walk('examples');
    walk('__tests__/fixtures');
    expect(files.length).toBeGreaterThan(20);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      expect({ path, ...ourReading(text, 0) }).toEqual({ path, ...packageReading(text, 0) });
      expectSameDocuments(text);
    }
  });

  /** Pieces of YAML's syntax, joined at random: most texts are broken, in every way. */
  const PIECES = [
    ...[
      ' ',
      '  ',
      '    ',
      '\t',
      '\n',
      '\n',
      '\r\n',
      '\r',
      '- ',
      '-',
      '? ',
      '?',
      ': ',
      ':',
      ',',
      '#c',
      ' # c',
    ],
    ...[
      '[',
      ']',
      '{',
      '}',
      '"',
      "'",
      '\\',
      '|',
      '|-',
      '>+2',
      '&a ',
      '*a',
      '*a:',
      '!t ',
      '!!str ',
      '!<x> ',
      '!%2F',
    ],
    ...['---', '--- ', '...', '%YAML 1.1', '%TAG ! !x', '\uFEFF', '\u0085', '\u2028', '\x02', '\x1f', '\x18'],
    ...[
      'key',
      'image',
      'tag',
      '1.0',
      'é',
      '@',
      '`',
      "'q'",
      '"d\\"q"',
      '<<: *a',
      'x: |\n  b\n',
      '"m\n l"',
      'k: v\n',
    ],
    ...['  - [a, {b: c}]', '? [x]', '{a: 1}: b'],
  ];
  const texts = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join(''));

  it('read random texts as the package does', () => {
    fc.assert(
      fc.property(texts, fc.nat(200), (text, offset) => {
        expect(ourReading(text, offset)).toEqual(packageReading(text, offset));
      }),
      { numRuns: 10_000, seed: 17 },
    );
  });

  it('make the same documents of random texts as the package', () => {
    fc.assert(
      fc.property(texts, (text) => expectSameDocuments(text)),
      { numRuns: 3_000, seed: 17 },
    );
  });
});
