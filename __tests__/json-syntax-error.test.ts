import { describe, expect, it } from '@jest/globals';
import { findJsonSyntaxError } from '../src/json-syntax-error.js';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{}'],
    [' [1, -2.5e+3, "a\\"b\\u00e9", true, false, null] '],
    ['{"auths":{"ghcr.io":{"auth":"dTpw"}},\r\n"credsStore":"desktop"}'],
    ['"just a string"'],
    ['0'],
  ])('valid: %s', (text) => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    ['', 1, 1, 'the text is empty'],
    ['{"a":1', 1, 7, 'the text ends before the JSON is complete'],
    ['{"a":1}}', 1, 8, 'more text after the end of the JSON value'],
    ['{a:1}', 1, 2, 'expected a property name in double quotes'],
    ['{"a" 1}', 1, 6, 'expected ":" after a property name'],
    ['{"a":1 "b":2}', 1, 8, 'expected "," or "}" (a comma or a quote missing?)'],
    ['[1 2]', 1, 4, 'expected "," or "]" (a comma or a quote missing?)'],
    ['{"a":1,}', 1, 8, 'expected a property name in double quotes'],
    ['[1,]', 1, 4, 'expected a value (a quoted string, number, true, false, null, object or array)'],
    ["{'a':1}", 1, 2, 'expected a property name in double quotes'],
    ['{"a":\'x\'}', 1, 6, 'a single quote where JSON needs a double quote'],
    ['{"a":"x\ny"}', 1, 8, 'a line break or other control character inside a string (a quote missing?)'],
    ['{"a":"x\\qy"}', 1, 8, 'a backslash that starts no valid escape (write \\\\ for a backslash)'],
    ['{"a":"\\u12"}', 1, 7, 'a \\u escape without four hex digits'],
    ['{"a":"x', 1, 8, 'a string that is never closed'],
    ['{"a":-x}', 1, 6, 'a number that is not written as JSON numbers are'],
    ['{"a":01}', 1, 7, 'expected "," or "}" (a comma or a quote missing?)'],
    ['{"a":tru}', 1, 6, 'expected a value (a quoted string, number, true, false, null, object or array)'],
    ['\uFEFF{}', 1, 1, 'expected a value (a quoted string, number, true, false, null, object or array)'],
    [
      '{\n  "a": 1,\r\n  "b": x\n}',
      3,
      8,
      'expected a value (a quoted string, number, true, false, null, object or array)',
    ],
    ['{\r  "b": x}', 2, 8, 'expected a value (a quoted string, number, true, false, null, object or array)'],
  ])('%j: line %i, column %i: %s', (text, line, column, problem) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(findJsonSyntaxError(text)).toEqual({ line, column, problem });
  });

  it('agrees with JSON.parse on every one-character change of a docker config', () => {
    const config = JSON.stringify(
      {
        auths: { 'ghcr.io': { auth: 'dTpw', identitytoken: 'a\\"b' } },
        credHelpers: { x: 'y' },
        n: [1.5e3, -0],
      },
      null,
      1,
    );
    const replacements = ['', '"', "'", '\\', ',', ':', '{', '}', '[', ']', '\n', 'x', '0', '-', 'e', ' '];
    for (let i = 0; i < config.length; i += 1) {
      for (const replacement of replacements) {
        const text = config.slice(0, i) + replacement + config.slice(i + 1);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect({ text, found: findJsonSyntaxError(text) !== undefined }).toEqual({ text, found: !valid });
      }
    }
  });

  it('locates an error past a deep nesting without exhausting the stack', () => {
    const depth = 200_000;
    expect(findJsonSyntaxError(`${'['.repeat(depth)}x`)).toMatchObject({ line: 1, column: depth + 1 });
  });
});
