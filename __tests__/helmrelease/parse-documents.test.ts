/**
 * Parsing only the wanted documents of a file gives, for each of them, exactly what a parse of the
 * whole file gives (the same document count, contents, source ranges and errors), on random files
 * built from lines that stress document boundaries: markers inside quoted, block and flow scalars,
 * broken documents, comments, BOM and CRLF.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import {
  documentsAt,
  documentsContaining,
  parseWantedDocuments,
  splitDocuments,
  type DocumentChunk,
  type ParseOptions,
} from '../../src/helmrelease/parse-documents.js';

const OPTIONS: ParseOptions = { version: '1.1', uniqueKeys: false };

const LINES = [
  '---',
  '--- # a comment',
  '---\tx: 1',
  '--- |',
  '--- {a: 1}',
  '---x',
  ' ---',
  '----',
  '--- ---',
  'kind: HelmRelease',
  'kind: ConfigMap',
  'apiVersion: helm.fluxcd.io/v1',
  'metadata: {name: app}',
  'spec:',
  '  values:',
  '    image: nginx:1.0',
  '    tag: "1.0"',
  'a: 1',
  'a: 1',
  '  b: [1, 2',
  'c: "unclosed',
  "d: 'unclosed",
  'e: |',
  '  block text',
  'e: >-',
  'f: {g: h',
  '- item',
  '? complex',
  ': value',
  'x: &anchor 1',
  'y: *anchor',
  'z: *nowhere',
  '# comment',
  '',
  '   ',
  '\tkey: tab',
  'k: v # c',
  'broken: a: b',
  '  indented: 1',
  ']',
  '"multi',
  'line"',
  '...',
  '%YAML 1.1',
];

/**
 * The parts of a node tree a scan reads: types, values, where scalars start and end and where
 * collections start. (Where a collection ends may differ by a trailing comment: it is never read.)
 */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node))
    return ['scalar', node.value instanceof Date ? String(node.value) : node.value, node.range?.slice(0, 2)];
  if (isPair(node)) return ['pair', shape(node.key), shape(node.value)];
  if (isMap(node) || isSeq(node))
    return [isMap(node) ? 'map' : 'seq', node.range?.[0], node.items.map(shape)];
  return ['other', (node as { range?: number[] }).range?.[0]];
}

/**
 * What a scan reads of a document: its contents and range, or only that it is broken (a scan skips
 * a document with errors, and the package's recovery from some errors looks past the next `---`).
 */
function summary(doc: Document) {
  if (doc.errors.length > 0) return { broken: true, range: doc.range?.[0] };
  return { contents: shape(doc.contents), range: doc.range?.[0] };
}

const file = fc
  .record({
    lines: fc.array(fc.constantFrom(...LINES), { maxLength: 40 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    wantedSeed: fc.integer(),
  })
  .map(({ lines, crlf, bom, wantedSeed }) => ({
    text: `${bom ? '\uFEFF' : ''}${lines.join(crlf ? '\r\n' : '\n')}${lines.length ? '\n' : ''}`,
    wantedSeed,
  }));

describe('parseWantedDocuments', () => {
  it('gives each wanted document exactly as the whole file parse does', () => {
    fc.assert(
      fc.property(file, ({ text, wantedSeed }) => {
        const lines = new LineCounter();
        const whole = parseAllDocuments(text, { ...OPTIONS, lineCounter: lines });
        const all = Array.isArray(whole) ? (whole as Document[]) : [];
        // Every other stretch, shifted by the seed; and always the ones naming a HelmRelease.
        let n = 0;
        const result = parseWantedDocuments(text, OPTIONS, (chunk) => {
          n += 1;
          return (n + wantedSeed) % 2 === 0 || text.slice(chunk.start, chunk.end).includes('HelmRelease');
        });
        // On well-formed files the documents line up one to one.
        if (all.every((d) => d.errors.length === 0)) {
          expect(result.docs).toHaveLength(all.length);
          result.docs.forEach((doc, i) => {
            if (doc) expect(summary(doc)).toEqual(summary(all[i]));
          });
        }
        // On broken ones, a document read without errors both here and in the whole-file parse
        // reads the same. (Which documents an error breaks may differ: the whole-file parse gives a
        // lexical error to the document before it (`---\n---\n]`), and lets a quote left open run
        // past the next `---` line, up to a closing quote or the end of the file, tested below.)
        for (const doc of result.docs) {
          const same = doc?.range && all.find((d) => d.range?.[0] === doc.range![0]);
          if (doc && same && doc.errors.length === 0 && same.errors.length === 0)
            expect(summary(doc)).toEqual(summary(same));
        }
        // Lines count every line break of the text.
        for (const at of [0, text.length >> 1, text.length]) {
          const line = text.slice(0, at).split('\n').length;
          if (result.docs.some((d) => d === undefined)) expect(result.lines.linePos(at).line).toBe(line);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('gives every document of a well-formed file exactly as the whole file parse does', () => {
    const entries = [
      'kind: HelmRelease',
      'kind: ConfigMap',
      'a: 1',
      'e: |\n  block text\n  --- not a marker here',
      'k: v # c',
      'x: &anchor 1\ny: *anchor',
      'list:\n- a\n- b',
      'f: {g: h, "i": [1, 2]}',
      's: "quoted --- text"',
      'multi: "line one\n  line two"',
      'plain: one\n  two',
      '# comment',
      '',
      'spec:\n  values:\n    image: nginx:1.0\n    tag: "1.0"',
    ];
    const document = fc.uniqueArray(fc.constantFrom(...entries), { maxLength: 6 });
    const files = fc.record({
      docs: fc.array(document, { minLength: 1, maxLength: 6 }),
      markers: fc.array(fc.constantFrom('---', '--- # c', '---\t', '--- '), { minLength: 6, maxLength: 6 }),
      leading: fc.boolean(),
      crlf: fc.boolean(),
      wantedSeed: fc.integer(),
    });
    fc.assert(
      fc.property(files, ({ docs, markers, leading, crlf, wantedSeed }) => {
        const body = docs
          .map((lines, i) => [...(i > 0 || leading ? [markers[i]] : []), ...lines].join('\n'))
          .join('\n');
        const text = `${body}\n`.replace(/\n/g, crlf ? '\r\n' : '\n');
        const whole = parseAllDocuments(text, OPTIONS);
        const all = Array.isArray(whole) ? (whole as Document[]) : [];
        fc.pre(all.every((d) => d.errors.length === 0));
        let n = 0;
        const result = parseWantedDocuments(text, OPTIONS, () => (n++ + wantedSeed) % 3 !== 0);
        expect(result.docs).toHaveLength(all.length);
        result.docs.forEach((doc, i) => {
          if (doc) expect(summary(doc)).toEqual(summary(all[i]));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('ends a quote left open at the next --- line, where the whole-file parse let it swallow the rest', () => {
    const text = 'kind: ConfigMap\ndata: "open\n---\nkind: HelmRelease\nspec: {}\n';
    expect(parseAllDocuments(text)).toHaveLength(1);
    const { docs } = parseWantedDocuments(text, OPTIONS, (c) =>
      text.slice(c.start, c.end).includes('HelmRelease'),
    );
    expect(docs.map((d) => d?.toJS())).toEqual([undefined, { kind: 'HelmRelease', spec: {} }]);
  });

  it.each<[string, string, [number, number][] | undefined]>([
    ['one document', 'a: 1\n', [[0, 5]]],
    [
      'a leading marker',
      '---\na: 1\n---\nb: 2\n',
      [
        [0, 9],
        [9, 18],
      ],
    ],
    [
      'content before the first marker',
      'a: 1\n---\nb: 2\n',
      [
        [0, 5],
        [5, 14],
      ],
    ],
    [
      'a marker followed by a comment or content',
      '--- # c\na: 1\n--- b\n',
      [
        [0, 13],
        [13, 19],
      ],
    ],
    [
      'a marker followed by a tab',
      'a: 1\n---\tb: 2\n',
      [
        [0, 5],
        [5, 14],
      ],
    ],
    [
      'a marker followed by a carriage return',
      'a: 1\r\n---\r\nb: 2\r\n',
      [
        [0, 6],
        [6, 17],
      ],
    ],
    [
      'a marker at the very end of the file',
      'a: 1\n---',
      [
        [0, 5],
        [5, 8],
      ],
    ],
    ['no marker without a space after it', '---x\n----\n ---\n', [[0, 15]]],
    [
      'a marker inside a block scalar still ends the document',
      'a: |\n  x\n---\nb: 1\n',
      [
        [0, 9],
        [9, 18],
      ],
    ],
    ['an empty file', '', [[0, 0]]],
    ['a directive: parsed whole', '%YAML 1.1\n---\na: 1\n', undefined],
    ['a directive on a later line: parsed whole', 'a: 1\n---\n%TAG ! x\n', undefined],
    ['a document end marker: parsed whole', 'a: 1\n...\nb: 2\n', undefined],
    ['a document end marker with a comment: parsed whole', 'a: 1\n... # end\nb: 2\n', undefined],
    ['a document end marker at the very end: parsed whole', 'a: 1\n...', undefined],
    ['dots that are no marker', 'a: 1\n....\n..\n', [[0, 13]]],
    ['a document end marker after a byte order mark: parsed whole', '\uFEFF...\n]\n---\n', undefined],
    ['a directive after a byte order mark: parsed whole', '\uFEFF%YAML 1.1\n---\na: 1\n', undefined],
  ])('splits %s', (_name, text, chunks) => {
    expect(splitDocuments(text)?.map((c) => [c.start, c.end])).toEqual(chunks);
  });

  it('parses a file whole when every document is wanted: a quote left open runs on as in the whole-file parse', () => {
    const text = 'a: "open\n---\nb: 1\n';
    const { docs } = parseWantedDocuments(text, OPTIONS, () => true);
    expect(docs).toHaveLength(1);
    expect(reported(docs[0])).toEqual(reported((parseAllDocuments(text, OPTIONS) as Document[])[0]));
  });

  it('parses a document alone with the options given: YAML 1.1 booleans and repeated keys', () => {
    const text = 'a: 1\n---\nx: yes\nx: no\n';
    const { docs } = parseStretches(text, [1]);
    expect(docs.map((d) => d && [d.toJS(), d.errors.length])).toEqual([undefined, [{ x: false }, 0]]);
  });
});

/** The documents of `text` as a scan reads them, parsing only the stretches numbered in `wanted`. */
function parseStretches(text: string, wanted: number[]) {
  const chunks = splitDocuments(text) ?? [];
  return parseWantedDocuments(text, OPTIONS, (chunk) =>
    wanted.includes(chunks.findIndex((c) => c.start === chunk.start)),
  );
}

/** What a reader is told of a document's errors and warnings: code, offsets, first line of message, line and column. */
function reported(doc: Document | undefined) {
  return [...(doc?.errors ?? []), ...(doc?.warnings ?? [])].map((e) => ({
    code: e.code,
    pos: e.pos,
    // The whole-file parse adds the source line and a caret after a colon; the first line is the same.
    message: e.message.split('\n')[0].replace(/:$/, ''),
    linePos: e.linePos,
  }));
}

describe('parseWantedDocuments: documents left unparsed', () => {
  it.each<[string, string, (string | undefined)[]]>([
    ['a comment before the first marker makes no document', '# c\n---\nkind: HelmRelease\n', ['HelmRelease']],
    [
      'blank lines, tabs, carriage returns and a byte order mark make no document',
      '\uFEFF \t\r\n\n---\nkind: HelmRelease\n',
      ['HelmRelease'],
    ],
    [
      'comments and blank lines together make no document',
      '# one\n\n  # two, indented\n---\nkind: HelmRelease\n',
      ['HelmRelease'],
    ],
    [
      'a line of content before the first marker is a document',
      'a: 1\n---\nkind: HelmRelease\n',
      [undefined, 'HelmRelease'],
    ],
    [
      'content after a comment line is a document',
      '# c\na: 1\n---\nkind: HelmRelease\n',
      [undefined, 'HelmRelease'],
    ],
    [
      'content after blank space is a document',
      '\n  a: 1\n---\nkind: HelmRelease\n',
      [undefined, 'HelmRelease'],
    ],
    [
      'every stretch after a marker is a document, even an empty one',
      '---\n---\n# only a comment\n---\nkind: HelmRelease\n',
      [undefined, undefined, 'HelmRelease'],
    ],
    ['a file of one unwanted comment has no document', '# just a comment', []],
  ])('%s', (_name, text, kinds) => {
    const wanted = (splitDocuments(text) ?? []).flatMap((c, i) =>
      text.slice(c.start, c.end).includes('HelmRelease') ? [i] : [],
    );
    const { docs } = parseStretches(text, wanted);
    expect(docs.map((d) => d && (d.toJS() as { kind: string }).kind)).toEqual(kinds);
    // As many documents as the whole-file parse counts.
    expect(docs).toHaveLength((parseAllDocuments(text, OPTIONS) as Document[]).length);
  });

  it('counts lines over the whole text, unparsed documents included', () => {
    const text = 'a: 1\nb: 2\n---\nc: 3\r\n---\nkind: HelmRelease\n';
    const { lines } = parseStretches(text, [2]);
    const whole = new LineCounter();
    parseAllDocuments(text, { ...OPTIONS, lineCounter: whole });
    const offsets = [0, 4, 5, 9, 10, 14, 20, 24, text.indexOf('kind'), text.length];
    expect(offsets.map((at) => lines.linePos(at))).toEqual(offsets.map((at) => whole.linePos(at)));
  });
});

describe('parseWantedDocuments: errors of a document parsed alone', () => {
  it.each<[string, string]>([
    ['a nested mapping on one line', 'a: 1\n---\nb: 1\n  c: 2\n---\nd: 3\n'],
    ['an unresolved tag (an error)', 'a: 1\n---\nb: !!foo c\n---\nd: 3\n'],
    ['an unresolved local tag (a warning)', 'a: 1\n---\nb: !foo c\nd: 1\n---\ne: 3\n'],
    ['a flow sequence left open before a marker', 'a: 1\n---\nb: [1, 2\n---\nd: 3\n'],
    ['a quote left open in the last document', 'a: 1\n---\nb: "open\n'],
    ['a single quote left open in the last document', "a: 1\n---\nb: 1\n---\nc: 'open\n"],
  ])('%s: the same codes, offsets, lines, columns and message as the whole-file parse', (_name, text) => {
    const chunks = splitDocuments(text) ?? [];
    const { docs } = parseStretches(
      text,
      [chunks.length - 2, chunks.length - 1].filter((i) => i > 0),
    );
    const whole = parseAllDocuments(text, { ...OPTIONS, lineCounter: new LineCounter() }) as Document[];
    const broken = docs.map(reported).filter((r) => r.length > 0);
    expect(broken).toHaveLength(1);
    expect(broken).toEqual(whole.map(reported).filter((r) => r.length > 0));
    // The position is in the message as the package's own parse words it.
    expect(broken[0][0].message).toMatch(/ at line \d+, column \d+$/);
  });

  it.each<[string, string, string]>([
    ['a double quote', 'a: 1\n---\nb: "open\nmore\n---\nc: "2"\n', '"'],
    ['a single quote', "a: 1\n---\nb: 'open\nmore\n---\nc: 2\n", "'"],
  ])(
    "%s left open before a marker is reported on the document's last line break, not on the marker",
    (_n, text) => {
      const { docs } = parseStretches(text, [1, 2]);
      const marker = text.lastIndexOf('---');
      expect(reported(docs[1])).toEqual([
        {
          code: 'MISSING_CHAR',
          pos: [marker - 1, marker],
          message: expect.stringMatching(/^Missing closing .quote at line 4, column 5$/),
          linePos: [
            { line: 4, col: 5 },
            { line: 5, col: 1 },
          ],
        },
      ]);
      expect(docs[2]?.toJS()).toEqual({ c: expect.anything() });
    },
  );
});

describe('documentsAt', () => {
  it.each<[string, number[], DocumentChunk, boolean]>([
    ['no offsets', [], { start: 0, end: 10 }, false],
    ['an offset inside', [5], { start: 0, end: 10 }, true],
    ['an offset at the start', [10], { start: 10, end: 20 }, true],
    ['an offset at the end belongs to the next stretch', [10], { start: 0, end: 10 }, false],
    ['an offset just before the end', [9], { start: 0, end: 10 }, true],
    ['an offset just before the start', [9], { start: 10, end: 20 }, false],
    ['offsets on both sides but none inside', [3, 12], { start: 5, end: 10 }, false],
    ['one of three offsets inside', [3, 7, 12], { start: 5, end: 10 }, true],
    ['the last of many offsets inside', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { start: 11, end: 12 }, true],
    ['the first of many offsets inside', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { start: 0, end: 2 }, true],
    ['a middle one of many offsets inside', [1, 3, 5, 7, 9, 11, 13, 15], { start: 6, end: 8 }, true],
    ['a stretch between many offsets', [1, 3, 5, 7, 9, 11, 13, 15], { start: 8, end: 9 }, false],
    ['a stretch after every offset', [1, 3, 5, 7, 9, 11, 13, 15], { start: 16, end: 30 }, false],
  ])('%s', (_name, offsets, chunk, wanted) => {
    expect(documentsAt(offsets)(chunk)).toBe(wanted);
  });
});

describe('documentsContaining', () => {
  it.each<[string, string, boolean[]]>([
    [
      'the one document naming the word',
      'kind: ConfigMap\n---\nkind: HelmRelease\n---\nkind: Secret\n',
      [false, true, false],
    ],
    [
      'the word at the very start and end of the file',
      'HelmRelease: 1\n---\na: 1\n---\nb: HelmRelease',
      [true, false, true],
    ],
    [
      'the word twice in a row, and again later',
      'HelmReleaseHelmRelease\n---\na: 1\n---\nHelmRelease\n',
      [true, false, true],
    ],
    ['no occurrence at all', 'a: 1\n---\nb: 2\n', [false, false]],
  ])('%s', (_name, text, wanted) => {
    const test = documentsContaining(text, 'HelmRelease');
    expect((splitDocuments(text) ?? []).map(test)).toEqual(wanted);
  });
});
