/**
 * Where JSON text first breaks, said without quoting it. `JSON.parse`'s own message cannot be shown
 * for a file that holds secrets (a docker config): from Node 22 on, V8 quotes about ten characters
 * either side of the bad token (`Unexpected token ''', ..."password":'ghp_S3cre"... is not valid
 * JSON`), a fragment of a password that no mask covers. This scanner follows RFC 8259 (the grammar
 * `JSON.parse` accepts) and gives the line, the column and what kind of mistake is there, never a
 * character of the text. Pure and a leaf.
 */

/** The first syntax error of a JSON text. */
export interface JsonSyntaxError {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count them. */
  column: number;
  /** What is wrong there, in words that quote nothing of the text. */
  problem: string;
}

type Expected = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** Line and column of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The end of the string starting at `start` (a quote), or where and why it breaks. */
function scanString(text: string, start: number): number | { at: number; problem: string } {
  for (let i = start + 1; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20)
      return { at: i, problem: 'a line break or other control character inside a string (a quote missing?)' };
    if (code === 0x5c) {
      const escaped = text[i + 1];
      if (escaped === 'u') {
        HEX4.lastIndex = i + 2;
        if (!HEX4.test(text)) return { at: i, problem: 'a \\u escape without four hex digits' };
        i += 5;
      } else if (escaped !== undefined && ESCAPES.has(escaped)) {
        i += 1;
      } else {
        return { at: i, problem: 'a backslash that starts no valid escape (write \\\\ for a backslash)' };
      }
    }
  }
  return { at: text.length, problem: 'a string that is never closed' };
}

/** What a value may start with, for the message where one is missing. */
const A_VALUE = 'a value (a quoted string, number, true, false, null, object or array)';

/**
 * The first syntax error of `text`, or undefined when it is valid JSON. Iterative, so a deeply
 * nested text cannot exhaust the stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const containers: Array<'{' | '['> = [];
  const fail = (at: number, problem: string): JsonSyntaxError => ({ ...positionOf(text, at), problem });
  const afterValue = (): Expected => (containers.length === 0 ? 'end' : 'comma-or-close');
  let expected: Expected = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
    if (i >= text.length) {
      if (expected === 'end') return undefined;
      return fail(i, text.trim() === '' ? 'the text is empty' : 'the text ends before the JSON is complete');
    }
    const c = text[i]!;
    if (expected === 'end') return fail(i, 'more text after the end of the JSON value');
    if (expected === 'colon') {
      if (c !== ':') return fail(i, 'expected ":" after a property name');
      i += 1;
      expected = 'value';
      continue;
    }
    if (expected === 'comma-or-close') {
      const close = containers[containers.length - 1] === '{' ? '}' : ']';
      if (c === ',') {
        i += 1;
        expected = close === '}' ? 'key' : 'value';
      } else if (c === close) {
        containers.pop();
        i += 1;
        expected = afterValue();
      } else {
        return fail(i, `expected "," or "${close}" (a comma or a quote missing?)`);
      }
      continue;
    }
    if ((expected === 'key-or-close' && c === '}') || (expected === 'value-or-close' && c === ']')) {
      containers.pop();
      i += 1;
      expected = afterValue();
      continue;
    }
    if (expected === 'key' || expected === 'key-or-close') {
      if (c !== '"') return fail(i, 'expected a property name in double quotes');
      const end = scanString(text, i);
      if (typeof end !== 'number') return fail(end.at, end.problem);
      i = end;
      expected = 'colon';
      continue;
    }
    // A value.
    if (c === '{' || c === '[') {
      containers.push(c);
      i += 1;
      expected = c === '{' ? 'key-or-close' : 'value-or-close';
      continue;
    }
    if (c === '"') {
      const end = scanString(text, i);
      if (typeof end !== 'number') return fail(end.at, end.problem);
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return fail(i, 'a number that is not written as JSON numbers are');
      i = NUMBER.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined)
        return fail(i, c === "'" ? 'a single quote where JSON needs a double quote' : `expected ${A_VALUE}`);
      i += literal.length;
    }
    expected = afterValue();
  }
}
