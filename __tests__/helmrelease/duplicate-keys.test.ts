/**
 * Duplicate keys: found in one pass (issue 12), reported exactly where the `yaml` package's own
 * quadratic check (`uniqueKeys: true`, used before) reported them.
 */
import { describe, expect, it } from '@jest/globals';
import { LineCounter, parseAllDocuments } from 'yaml';
import { firstDuplicateKey } from '../../src/helmrelease/duplicate-keys.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const HEAD = 'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n';

/** The line and message of each document's first error, as the package's own check gives them. */
function packageCheck(text: string): [number, string][] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter: lines, uniqueKeys: true });
  return (Array.isArray(docs) ? docs : []).flatMap((doc) => {
    const first = doc.errors[0];
    if (!first) return [];
    return [[lines.linePos(first.pos[0]).line, first.message.split('\n')[0].replace(/:$/, '')]];
  });
}

describe('duplicate keys', () => {
  it.each<[string, string, boolean]>([
    ['a repeated key in spec.values', `${HEAD}    image: a:1\n    image: b:2\n`, true],
    ['a repeated top-level key', `kind: ConfigMap\n${HEAD}`, true],
    ['a repeated key deep in a subsection', `${HEAD}    app:\n      x:\n        y: 1\n        y: 2\n`, true],
    ['a repeated key in a flow mapping', `${HEAD}    app: {image: a:1, tag: x, tag: y}\n`, true],
    ['a repeated key in a mapping inside a list', `${HEAD}    list:\n      - a: 1\n        a: 2\n`, true],
    ['a repeated key inside a complex key', `${HEAD}    ? {k: 1, k: 2}\n    : v\n`, true],
    ['a repeated number key', `${HEAD}    1: a\n    1: b\n`, true],
    ['two repeated keys in one mapping: the first', `${HEAD}    a: 1\n    a: 2\n    b: 1\n    b: 2\n`, true],
    ['the earlier of two: the nested one', `${HEAD}    a:\n      x: 1\n      x: 2\n    a: 3\n`, true],
    ['two duplicates in a broken document', `${HEAD}    a: 1\n    a: 2\n    b: [\n`, true],
    ['a syntax error before a duplicate', `${HEAD}    b: c: d\n    a: 1\n    a: 2\n`, true],
    ['1 and "1" differ', `${HEAD}    1: a\n    "1": b\n`, false],
    [
      'two merge keys never collide',
      `${HEAD}    base: &b {x: 1}\n    app:\n      <<: *b\n      <<: *b\n`,
      false,
    ],
    ['two .nan keys never collide', `${HEAD}    .nan: a\n    .nan: b\n`, false],
    ['two alias keys never collide', `${HEAD}    k: &k x\n    m:\n      *k : 1\n      *k : 2\n`, false],
    ['the same key in sibling mappings', `${HEAD}    a:\n      x: 1\n    b:\n      x: 1\n`, false],
    ['the same key in two documents', `${HEAD}    a: 1\n---\n${HEAD}    a: 1\n`, false],
  ])('%s: reported as the package reported it', (_name, text, duplicated) => {
    const found = parseFile(text).docs.some((d) => firstDuplicateKey(d) !== undefined);
    expect(found).toBe(duplicated);
    const problems = scanFile('f.yaml', text)
      .problems.filter((p) => p.message.startsWith('HelmRelease app could not be read (YAML syntax error'))
      .map((p) => [p.line, p.message]);
    expect(problems).toEqual(
      packageCheck(text).map(([line, message]) => [
        line,
        expect.stringContaining(`(YAML syntax error: ${message.replace(/ at line \d+, column \d+$/, '')}`),
      ]),
    );
  });

  it('reports a repeated empty key on its line', () => {
    // The package put its error after the indentation; the empty key's node starts before it.
    expect(scanFile('f.yaml', `${HEAD}    : 1\n    : 2\n`).problems).toEqual([
      expect.objectContaining({
        line: 8,
        message: expect.stringContaining(
          'YAML syntax error: Map keys must be unique: (an empty key) is written at line 7 and again at line 8',
        ),
      }),
    ]);
  });

  it('checks a mapping of 60,000 keys in one pass (the quadratic check took minutes)', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `      k${i}: v${i}\n`).join('');
    const text = `${HEAD}    image: nginx:1.0\n    big:\n${keys}      k7: again\n`;
    expect(scanFile('f.yaml', text).problems).toEqual([
      {
        file: 'f.yaml',
        line: 60_009,
        message:
          'HelmRelease app could not be read (YAML syntax error: Map keys must be unique: k7 is written at line 16 ' +
          'and again at line 60009; keep one of them); it gets no update until this is fixed',
        severity: 'error',
      },
    ]);
  }, 60_000);
});
