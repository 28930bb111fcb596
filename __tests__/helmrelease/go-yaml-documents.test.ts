/**
 * go-yaml-documents.ts and go-yaml-keys.ts on their own: the same-length rewrite of go-yaml's extra
 * line breaks and alias keys, key identity as yaml.v2 compares keys, and normaliseKeys' conversion of keys to the strings
 * ghodss/yaml makes of them, with the whole text of each reason Flux could not read a document.
 */
import { describe, expect, it } from '@jest/globals';
import { isScalar, Pair, Scalar, YAMLMap, type Node } from 'yaml';
import {
  parseFile,
  parseWantedFile,
  prepareText,
  scalarText,
  scalarType,
} from '../../src/helmrelease/go-yaml-documents.js';
import { keyIdentity, normaliseKeys } from '../../src/helmrelease/go-yaml-keys.js';

describe('prepareText: same length, offsets unchanged', () => {
  it.each<[string, string, string]>([
    ['CR alone', 'a: 1\rb: 2', 'a: 1\nb: 2'],
    ['CRLF is kept', 'a: 1\r\nb: 2', 'a: 1\r\nb: 2'],
    ['NEL, LS and PS', 'a: 1\u0085b: 2\u2028c: 3\u2029d: 4', 'a: 1\nb: 2\nc: 3\nd: 4'],
    ['an alias key without a space', 'a: &x k\n*x: 1\n', 'a: &x k\n\uE000x: 1\n'],
    ['an alias key with a space stays', 'a: &x k\n*x : 1\n', 'a: &x k\n*x : 1\n'],
    ['an alias value stays', 'a: &x k\nb: *x\n', 'a: &x k\nb: *x\n'],
    ['beside an alias key, an alias value stays', 'a: &x k\n*x: 1\nb: *x\n', 'a: &x k\n\uE000x: 1\nb: *x\n'],
    ['*x: inside a quoted value stays', 'a: "*x: 1"\n', 'a: "*x: 1"\n'],
    ['*x: inside a comment stays', 'a: 1 # *x: 2\n', 'a: 1 # *x: 2\n'],
    [
      'alias keys on consecutive lines, after a CR',
      'a: &x k\r*x: 1\r*x-y_2: 2\n',
      'a: &x k\n\uE000x: 1\n\uE000x-y_2: 2\n',
    ],
    ['a run of three alias keys', '*a: 1\n*b: 2\n*c: 3\n', '\uE000a: 1\n\uE000b: 2\n\uE000c: 3\n'],
    ['a flow map alias key', '{a: &x k, *x: 1}', '{a: &x k, \uE000x: 1}'],
    [
      'an alias key after a flow list left open',
      'a: [1, 2\nb: &x k\n*x: 1\n',
      'a: [1, 2\nb: &x k\n\uE000x: 1\n',
    ],
    ['an alias followed by more than a colon stays', 'x: &a k\n*a:b: 1\n', 'x: &a k\n*a:b: 1\n'],
    ['an alias whose name has a * in it stays', 'x: &b k\n*a*b: 1\n', 'x: &b k\n*a*b: 1\n'],
  ])('%s', (_name, text, prepared) => {
    expect(prepareText(text)).toBe(prepared);
    expect(prepareText(text)).toHaveLength(text.length);
  });
});

describe('prepareText: alias keys on consecutive lines (the lexer runs the value after one into the next line)', () => {
  it.each([2, 3, 200])('a run of %d alias keys on consecutive lines is read', (n) => {
    const text = Array.from({ length: n }, (_, i) => `*k${i}: ${i}\n`).join('');
    expect(prepareText(text)).toBe(text.replaceAll('*', '\uE000'));
  });

  it('a HelmRelease with a run of alias keys reads as go-yaml reads it', () => {
    const { docs } = parseFile('a: &x k\nb: &y j\n*x: 1\n*y: 2\n');
    expect(docs[0].errors).toEqual([]);
    expect(normaliseKeys(docs[0].contents as Node).unreadable).toBeUndefined();
    expect(docs[0].toJS()).toEqual({ a: 'k', b: 'j', k: '1', j: '2' });
  });
});

describe('parseFile and parseWantedFile', () => {
  it('parse untyped (every plain scalar is text) with YAML 1.1 rules and repeated keys allowed', () => {
    const { docs, lines } = parseFile('a: 1\nb: yes\na: 2\n---\nc: 0o17\n');
    expect(docs.map((d) => d.errors)).toEqual([[], []]);
    expect(docs[0].toJS()).toEqual({ a: '2', b: 'yes' });
    expect(lines.linePos(12).line).toBe(3);
    expect(scalarType((docs[1].contents as YAMLMap).items[0].value as Scalar)).toEqual({
      type: 'int',
      value: 15n,
    });
  });

  it('parseWantedFile leaves unwanted documents unparsed, and reads the prepared text', () => {
    const text = 'a: &x k\r*x: 1\n---\nb: 2\n';
    const { docs } = parseWantedFile(text, (chunk) => chunk.start === 0);
    expect(docs).toHaveLength(2);
    expect(docs[1]).toBeUndefined();
    const keys = (docs[0]!.contents as YAMLMap).items.map((p) => scalarText(p.key as Scalar));
    expect(keys).toEqual(['a', '\uE000x']);
  });

  it('an empty text has no documents', () => {
    expect(parseFile('').docs).toHaveLength(0);
  });
});

/** The scalar of the first key of `written` (`<key>: v`). */
function firstKey(written: string): Scalar {
  const { docs } = parseFile(`${written}: v\n`);
  const key = (docs[0].contents as YAMLMap).items[0].key;
  if (!isScalar(key)) throw new Error('test bug: not a scalar key');
  return key;
}

describe('keyIdentity: keys yaml.v2 reads as the same value', () => {
  it.each<[string, string | undefined]>([
    ['a', 'str:a'],
    ['"a"', 'str:a'],
    ['"1"', 'str:1'],
    ['1', 'int:1'],
    ['0x1', 'int:1'],
    ['+1', 'int:1'],
    ['true', 'bool:true'],
    ['yes', 'bool:true'],
    ['~', 'null'],
    ['1.5', 'float:1.5'],
    ['.inf', 'float:Infinity'],
    ['.nan', undefined],
    ['<<', undefined],
    ['"<<"', 'str:<<'],
    ["'<<'", 'str:<<'],
  ])('%s -> %s', (written, identity) => {
    expect(keyIdentity(firstKey(written))).toBe(identity);
  });
});

describe('scalarText and scalarType', () => {
  it('a scalar with a non-text value is read as its text; none as empty', () => {
    expect(scalarText(new Scalar(5))).toBe('5');
    expect(scalarText(new Scalar(null))).toBe('');
    expect(scalarText(new Scalar(undefined))).toBe('');
  });

  it('a scalar without a style is plain', () => {
    expect(scalarType(new Scalar('12'))).toEqual({ type: 'int', value: 12n });
    const quoted = new Scalar('12');
    quoted.type = 'QUOTE_DOUBLE';
    expect(scalarType(quoted)).toEqual({ type: 'str' });
  });
});

/** normaliseKeys on the root of `text`: the keys it leaves, and why Flux could not read it. */
function normalise(text: string) {
  const { docs } = parseFile(text);
  const root = docs[0].contents as Node;
  const { unreadable, anchors } = normaliseKeys(root);
  return {
    root: unreadable ? undefined : (docs[0].toJS() as unknown),
    unreadable: unreadable && {
      at: text.slice(unreadable.node.range![0]).split('\n')[0],
      message: unreadable.message,
    },
    anchors: [...anchors.keys()],
  };
}

describe('normaliseKeys', () => {
  it.each<[string, string, unknown]>([
    [
      'numbers, booleans and floats become Go strings',
      '1: a\n0x1F: b\nyes: c\n1.10: d\n"2": e\n',
      { 1: 'a', 31: 'b', true: 'c', 1.1: 'd', 2: 'e' },
    ],
    [
      'in nested maps and lists',
      'a:\n  - 0x10: x\n  - {b: {yes: y}}\n',
      { a: [{ 16: 'x' }, { b: { true: 'y' } }] },
    ],
    ['an alias key takes its anchor string', 'x: &k key\n*k : v\n', { x: 'key', key: 'v' }],
    ['an alias key without a space', 'x: &k key\n*k: v\n', { x: 'key', key: 'v' }],
    [
      'the last anchor of the name before the key',
      'x: &k one\nw: &k two\n*k : v\nz: &k three\n',
      { x: 'one', w: 'two', two: 'v', z: 'three' },
    ],
    ['an anchored number key gives its Go string', '&k 0x10: x\nz:\n  *k : v\n', { 16: 'x', z: { 16: 'v' } }],
    // Observed from yaml.v2 2.4.0 (scripts/go-yaml): it registers the map's anchor, then its key's.
    [
      'of a map and its first key anchored alike, the key',
      'x: &k\n  &k a: 1\n*k : v\n',
      { x: { a: '1' }, a: 'v' },
    ],
  ])('%s', (_name, text, root) => {
    const result = normalise(text);
    expect(result.unreadable).toBeUndefined();
    expect(result.root).toEqual(root);
  });

  it('keeps each alias key at its own place in the text', () => {
    const text = 'x: &k key\n*k: v\n';
    const { docs } = parseFile(text);
    normaliseKeys(docs[0].contents as Node);
    const key = (docs[0].contents as YAMLMap).items[1].key as Scalar;
    expect(key.range).toEqual([10, 12, 12]);
    expect(key.type).toBe('PLAIN');
  });

  it('returns the last anchor of each name among keys too', () => {
    const { docs } = parseFile('&k a: 1\n&k b: 2\n');
    const { anchors } = normaliseKeys(docs[0].contents as Node);
    expect((anchors.get('k') as Scalar).value).toBe('b');
  });

  it('a pair without a key node (the yaml API allows one) is unreadable: its key is empty', () => {
    // Built, not parsed, and without source ranges: the parser always gives a key node.
    const map = new YAMLMap();
    map.items.push(
      new Pair(new Scalar('a'), new Scalar('1')),
      new Pair(null, new Scalar('2')),
      new Pair(null, new Scalar('3')),
    );
    expect(normaliseKeys(map).unreadable).toEqual({
      node: map,
      message: 'a mapping key is empty, which Flux cannot read',
    });
  });

  it('returns the last anchor of each name, values and keys alike', () => {
    const text = 'a: &v one\nb: &v two\n&k c: [&s x]\n';
    const { docs } = parseFile(text);
    const { anchors } = normaliseKeys(docs[0].contents as Node);
    expect(
      [...anchors].map(([name, node]) => [name, String((node as Scalar).value ?? 'seq')]).sort(),
    ).toEqual([
      ['k', 'c'],
      ['s', 'x'],
      ['v', 'two'],
    ]);
  });

  it.each<[string, string, { at: string; message: string }]>([
    [
      'a null key',
      'a: 1\n~: x\n',
      { at: '~: x', message: 'the mapping key ~ is null or too large, which Flux cannot read as a key' },
    ],
    [
      'a missing key',
      'a: 1\n: x\n',
      { at: ': x', message: 'the mapping key (empty) is null or too large, which Flux cannot read as a key' },
    ],
    [
      'a key beyond int64',
      '9223372036854775808: x\n',
      {
        at: '9223372036854775808: x',
        message: 'the mapping key 9223372036854775808 is null or too large, which Flux cannot read as a key',
      },
    ],
    [
      'a list key',
      'a: 1\n? [a]\n: x\n',
      { at: '[a]', message: 'a mapping key is a map or a list, which Flux cannot read' },
    ],
    [
      'an alias key naming no anchor',
      'a: 1\n*nowhere : x\n',
      { at: '*nowhere : x', message: 'the key *nowhere names no anchor &nowhere before it' },
    ],
    [
      'an alias key before its anchor',
      '*k : x\na: &k key\n',
      { at: '*k : x', message: 'the key *k names no anchor &k before it' },
    ],
    [
      'an alias key naming a list',
      'a: &k [1]\n*k : x\n',
      { at: '*k : x', message: 'a mapping key is a map or a list, which Flux cannot read' },
    ],
    [
      'an alias key naming a null',
      'a: &k ~\n*k : x\n',
      { at: '*k : x', message: 'the mapping key ~ is null or too large, which Flux cannot read as a key' },
    ],
    [
      'NaN under spec',
      'spec:\n  values:\n    r: [.nan]\n',
      { at: '.nan]', message: '.nan is an infinite number or NaN, which Flux cannot read; quote it' },
    ],
    [
      'infinity under spec',
      'spec:\n  r: -.inf\n',
      { at: '-.inf', message: '-.inf is an infinite number or NaN, which Flux cannot read; quote it' },
    ],
    // Observed from yaml.v2 2.4.0 (scripts/go-yaml): "unknown anchor 'x' referenced".
    [
      'an alias value before its anchor',
      'a: *x\nb: &x 1\n',
      { at: '*x', message: 'the alias *x names no anchor &x before it' },
    ],
    [
      'a tag yaml.v2 refuses',
      'a: !!float yes\n',
      { at: 'yes', message: 'yes tagged !!float is a bool, which yaml.v2 refuses' },
    ],
    [
      'the first problem in the text is the one given',
      'spec:\n  r: .inf\n~: x\n*no : y\n',
      { at: '.inf', message: '.inf is an infinite number or NaN, which Flux cannot read; quote it' },
    ],
  ])('%s', (_name, text, unreadable) => {
    expect(normalise(text).unreadable).toEqual(unreadable);
  });

  // Observed from yaml.v2 2.4.0 (scripts/go-yaml): ghodss/yaml turns the whole HelmRelease into
  // JSON, so an infinite number or NaN anywhere in it ("json: unsupported value: NaN") is refused.
  it.each<[string, string]>([
    ['NaN outside spec', 'status:\n  r: .nan\n'],
    ['NaN under a nested spec key', 'a:\n  spec:\n    r: .nan\n'],
    ['an anchored NaN', 'a: &x .nan\nspec: *x\n'],
  ])('%s is unreadable', (_name, text) => {
    expect(normalise(text).unreadable?.message).toBe(
      '.nan is an infinite number or NaN, which Flux cannot read; quote it',
    );
  });

  it.each<[string, string]>([
    ['a quoted .nan', 'spec:\n  r: ".nan"\n'],
    ['.nan as a key (ghodss makes it the string ".nan")', 'spec:\n  .nan: r\n'],
    ['a !!str .nan', 'spec:\n  r: !!str .nan\n'],
  ])('%s is readable', (_name, text) => {
    expect(normalise(text).unreadable).toBeUndefined();
  });
});
