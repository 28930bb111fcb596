/**
 * The small readers over the parsed YAML tree: values typed as Flux v1 typed them (a quoted `4.0` is a
 * string, a plain one a number), their source ranges and styles, and the descriptions of nodes that
 * problem messages use.
 */
import { describe, expect, it } from '@jest/globals';
import { Scalar, type Node, type YAMLMap } from 'yaml';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import {
  asGoString,
  asMap,
  asString,
  describeNode,
  getValue,
  isMergeKey,
  isWrittenBackMergeKey,
  isNull,
  lineOf,
} from '../../src/helmrelease/yaml-nodes.js';

/** The value node of `v:` in a one-line document `v: <written>`, after a first line. */
function valueOf(written: string) {
  const text = `first: line\nv: ${written}\n`;
  const { docs, lines } = parseFile(text);
  const root = docs[0].contents as YAMLMap;
  return { node: getValue(root, 'v'), lines, text };
}

describe('asString', () => {
  it.each<[string, string, string, 'plain' | 'single' | 'double' | 'block']>([
    ['a plain string', 'repo/app', 'repo/app', 'plain'],
    ['a single-quoted number', "'4.0'", '4.0', 'single'],
    ['a double-quoted boolean', '"true"', 'true', 'double'],
    ['a literal block', '|\n  line\n', 'line\n', 'block'],
    ['a folded block', '>\n  a\n  b\n', 'a b\n', 'block'],
    ['a date stays text', '2024-01-01', '2024-01-01', 'plain'],
  ])('%s', (_name, written, value, style) => {
    const { node, lines, text } = valueOf(written);
    const read = asString(node, lines);
    expect(read).toEqual({ value, style, range: { start: 15, end: expect.any(Number), line: 2 } });
    // The range covers the scalar as written, indicator and quotes included.
    expect(text.slice(read!.range.start, read!.range.end).trimEnd()).toBe(
      written.trimEnd().replace(/\n {2}/g, '\n  '),
    );
  });

  it('ends the range where the scalar ends', () => {
    const { node, lines, text } = valueOf('"a b"  # comment');
    const read = asString(node, lines)!;
    expect(text.slice(read.range.start, read.range.end)).toBe('"a b"');
  });

  it.each<[string, string]>([
    ['a plain number', '4.0'],
    ['a plain boolean', 'yes'],
    ['null', '~'],
    ['empty', ''],
    ['a map', '{a: b}'],
    ['a list', '[a]'],
  ])('%s is not a string', (_name, written) => {
    const { node, lines } = valueOf(written);
    expect(asString(node, lines)).toBeUndefined();
  });

  it('a scalar built without a style is plain; one without a source range is not read', () => {
    const built = new Scalar('x');
    built.range = [3, 4, 4];
    expect(asString(built, parseFile('ab\ncd\n').lines)).toEqual({
      value: 'x',
      style: 'plain',
      range: { start: 3, end: 4, line: 2 },
    });
    expect(asString(new Scalar('x'), parseFile('').lines)).toBeUndefined();
  });

  it('an alias is not a string', () => {
    const { docs, lines } = parseFile('a: &x text\nv: *x\n');
    expect(asString(getValue(docs[0].contents as YAMLMap, 'v'), lines)).toBeUndefined();
  });
});

describe('asGoString: a string field as ghodss/yaml fills it', () => {
  it.each<[string, string | undefined]>([
    ['app', 'app'],
    ['"123"', '123'],
    ['123', '123'],
    ['1.10', '1.1'],
    ['yes', 'true'],
    ['~', undefined],
    ['', undefined],
    ['{a: b}', undefined],
  ])('%s -> %j', (written, expected) => {
    expect(asGoString(valueOf(written).node)).toBe(expected);
  });
});

describe('isNull', () => {
  it.each<[string, unknown, boolean]>([
    ['undefined', undefined, true],
    ['null', null, true],
    ['an empty value', valueOf('').node, true],
    ['~', valueOf('~').node, true],
    ['Null', valueOf('Null').node, true],
    ['a quoted "null"', valueOf('"null"').node, false],
    ['a string', valueOf('x').node, false],
    ['a map', valueOf('{}').node, false],
  ])('%s: %s', (_name, node, expected) => {
    expect(isNull(node)).toBe(expected);
  });
});

describe('describeNode (for problem messages)', () => {
  it.each<[string, unknown, string]>([
    ['nothing', undefined, 'empty'],
    ['null', null, 'empty'],
    ['a map', valueOf('{a: b}').node, 'a map'],
    ['a list', valueOf('[a]').node, 'a list'],
    ['a null scalar', valueOf('~').node, 'null'],
    ['an int', valueOf('150').node, 'the number 150'],
    ['a float', valueOf('4.0').node, 'the number 4.0'],
    ['a boolean', valueOf('no').node, 'the boolean no'],
    ['a string', valueOf('x').node, 'a string'],
    ['something else', { kind: 'odd' }, 'not a string'],
  ])('%s: %s', (_name, node, expected) => {
    expect(describeNode(node)).toBe(expected);
  });

  it('an alias', () => {
    const { docs } = parseFile('a: &x text\nv: *x\n');
    expect(describeNode(getValue(docs[0].contents as YAMLMap, 'v'))).toBe('a YAML alias');
  });
});

describe('getValue and asMap', () => {
  const { docs } = parseFile('a: 1\n"b": 2\n1: 3\na: 4\nempty:\n[x]: 5\n');
  const root = docs[0].contents as YAMLMap;

  it('getValue: the first value of a key, undefined for a missing key', () => {
    expect(String((getValue(root, 'a') as unknown as { value: unknown }).value)).toBe('1');
    expect(getValue(root, 'missing')).toBeUndefined();
    expect(isNull(getValue(root, 'empty'))).toBe(true);
  });

  it('asMap: only maps', () => {
    expect(asMap(root)).toBe(root);
    expect(asMap(getValue(root, 'a'))).toBeUndefined();
    expect(asMap(undefined)).toBeUndefined();
  });
});

describe('lineOf', () => {
  it('the line of a node, or of the fallback offset without one', () => {
    const { node, lines } = valueOf('x');
    expect(lineOf(node, lines)).toBe(2);
    expect(lineOf(undefined, lines, 12)).toBe(2);
    expect(lineOf(undefined, lines, 11)).toBe(1);
    expect(lineOf(null, lines)).toBe(1);
    expect(lineOf({} as Node, lines, 0)).toBe(1);
  });
});

describe('isMergeKey: only a plain << merges (yaml.v2 isMerge)', () => {
  it.each<[string, boolean]>([
    ['<<', true],
    ['"<<"', false],
    ["'<<'", false],
    ['<<<', false],
    ['other', false],
    ['!!str <<', false],
    ['!!merge <<', true],
  ])('%s: %s', (written, expected) => {
    const { docs } = parseFile(`${written}: {a: b}\n`);
    expect(isMergeKey((docs[0].contents as YAMLMap).items[0].key)).toBe(expected);
  });

  it('a key built without a style is plain', () => {
    expect(isMergeKey(new Scalar('<<'))).toBe(true);
  });

  it('a key that is not a scalar is no merge key', () => {
    expect(isMergeKey(undefined)).toBe(false);
    expect(isMergeKey({ value: '<<' })).toBe(false);
  });
});

describe('isWrittenBackMergeKey: a << that is not plain, which merged once Flux wrote the document back', () => {
  it.each<[string, boolean]>([
    ['<<', false],
    ['"<<"', true],
    ["'<<'", true],
    ['!!str <<', true],
    ['"<<<"', false],
  ])('%s: %s', (written, expected) => {
    const { docs } = parseFile(`${written}: {a: b}\n`);
    expect(isWrittenBackMergeKey((docs[0].contents as YAMLMap).items[0].key)).toBe(expected);
  });

  it('a key that is not a scalar is none', () => {
    expect(isWrittenBackMergeKey({ value: '<<', type: 'QUOTE_DOUBLE' })).toBe(false);
  });
});
