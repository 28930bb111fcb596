import { describe, expect, it } from '@jest/globals';
import {
  describeJsonValue,
  isJsonObject,
  MAX_JSON_DEPTH,
  parseRegistryJson,
  TooDeepJsonError,
} from '../../src/registry/registry-json.js';

describe('parseRegistryJson', () => {
  const deep = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth);

  it.each([
    ['arrays at the limit', deep(MAX_JSON_DEPTH)],
    ['brackets inside strings do not count', JSON.stringify({ a: '[[[['.repeat(100) })],
    ['an escaped quote does not end a string', JSON.stringify({ a: `\\"${'{'.repeat(100)}` })],
    [
      'objects and arrays mixed at the limit',
      `${'{"a":['.repeat(MAX_JSON_DEPTH / 2)}1${']}'.repeat(MAX_JSON_DEPTH / 2)}`,
    ],
  ])('parses %s', (_name, text) => {
    expect(parseRegistryJson(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['arrays one past the limit', deep(MAX_JSON_DEPTH + 1)],
    ['objects past the limit', `${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${'}'.repeat(MAX_JSON_DEPTH + 1)}`],
    ['a million levels (never built)', deep(1_000_000)],
  ])('refuses %s', (_name, text) => {
    expect(() => parseRegistryJson(text)).toThrow(TooDeepJsonError);
  });

  it('text that is not JSON is the SyntaxError JSON.parse throws', () => {
    expect(() => parseRegistryJson('<html>')).toThrow(SyntaxError);
  });
});

describe('what kind of JSON a body is', () => {
  it.each([
    ['{"tags":[]}', true, 'a JSON object'],
    ['null', false, 'JSON null'],
    ['[]', false, 'a JSON array'],
    ['"str"', false, 'a JSON string'],
    ['42', false, 'a JSON number'],
    ['true', false, 'JSON true'],
    ['false', false, 'JSON false'],
  ])('%s: an object %s, described as %s', (text, object, described) => {
    const value = parseRegistryJson(text);
    expect(isJsonObject(value)).toBe(object);
    expect(describeJsonValue(value)).toBe(described);
  });
});
