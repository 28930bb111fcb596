/**
 * A bound on the values a file's parse makes, applied before the `yaml` package parses them. A
 * value (a scalar, an alias, a collection) took about 1.5 KB of heap while a file was parsed, so
 * the 4 MiB bound on a file's size did not bound its parse: one 4 MiB HelmRelease holding a flow
 * list of 2,000,000 one-letter items took 3.1 GB and 19 s, and on the heap of a 7 GB runner
 * (1,750 MB) the run ended "JavaScript heap out of memory", with no output. yaml.v2 reads such a
 * file (it has no such bound), so Flux v1 would update it: refusing it holds its releases, with the
 * error at the line where the count passed the bound, as a syntax error does. Pure.
 */
import { Document, YAMLParseError, type LineCounter } from 'yaml';
import { lex } from './yaml-lexer.js';

/**
 * Values (scalars, aliases, flow collections) parsed from one file, at most: some 750 MB while it
 * is parsed. The largest files the tests read whole (60,000 aliases into a map of 60,000 keys, a
 * JSON6902 patch of 40,000 operations) stay under it; the usual HelmRelease holds a few hundred.
 */
export const MAX_PARSED_VALUES = 500_000;

// The lexer's control tokens, which stand for no source text.
const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/**
 * How many of the characters that stand beside a value `text` holds in `[start, end)`, counting no
 * further than `limit + 1`: a separator or an opener (`,` `-` `:` `?` `[` `{`), an alias's `*`, a
 * quote or a block scalar's `|` or `>`. Every value of a stretch but its first has one of its own.
 */
function indicatorsUpTo(text: string, start: number, end: number, limit: number): number {
  let count = 0;
  for (let at = start; at < end && count <= limit; at += 1) {
    switch (text.charCodeAt(at)) {
      case 0x2c: // ,
      case 0x2d: // -
      case 0x3a: // :
      case 0x3f: // ?
      case 0x5b: // [
      case 0x7b: // {
      case 0x2a: // *
      case 0x22: // "
      case 0x27: // '
      case 0x7c: // |
      case 0x3e: // >
        count += 1;
    }
  }
  return count;
}

/** True for a lexer token that starts a value: a plain scalar's mark, a quoted or block scalar, an alias, a flow collection. */
function startsValue(token: string): boolean {
  switch (token.charCodeAt(0)) {
    case 0x1f: // a plain scalar follows
    case 0x22: // "
    case 0x27: // '
    case 0x7c: // |
    case 0x3e: // >
    case 0x2a: // *
    case 0x5b: // [
    case 0x7b: // {
      return true;
    default:
      return false;
  }
}

/**
 * Where each of `stretches` of `text` (the documents a parse reads, in order) passes
 * {@link MAX_PARSED_VALUES}, counting the values of the ones before it: the offset of the value that
 * passed it, the start of each stretch after that one, else undefined. The lexer, which tells a
 * value from the same character in a quoted or block scalar or a comment, runs only when the
 * stretches hold enough indicators to pass the bound (none of the usual files).
 */
export function valuesOverflow(
  text: string,
  stretches: readonly { start: number; end: number }[],
): (number | undefined)[] {
  // Each value takes one character at least: stretches shorter than the bound together (every
  // usual file) cannot pass it, and need no count at all.
  let length = 0;
  for (const { start, end } of stretches) length += end - start;
  if (length <= MAX_PARSED_VALUES) return stretches.map(() => undefined);
  // At most one value more than its indicators in each stretch.
  let bound = stretches.length;
  for (const { start, end } of stretches) {
    if (bound > MAX_PARSED_VALUES) break;
    bound += 2 * indicatorsUpTo(text, start, end, MAX_PARSED_VALUES);
  }
  if (bound <= MAX_PARSED_VALUES) return stretches.map(() => undefined);
  let values = 0;
  return stretches.map(({ start, end }) => {
    if (values > MAX_PARSED_VALUES) return start;
    let offset = start;
    for (const token of lex(text.slice(start, end))) {
      if (startsValue(token) && ++values > MAX_PARSED_VALUES) return offset;
      if (!CONTROL_TOKENS.has(token)) offset += token.length;
    }
    return undefined;
  });
}

/** The error of a document past {@link MAX_PARSED_VALUES}: a bound of this tool's, not a YAML error. */
export class TooManyValuesError extends YAMLParseError {}

/**
 * A document standing for `[start, end)` of a text, unparsed, with the error that it holds more
 * values than a file's parse makes, at `at`: scan-file.ts reports it as it reports a syntax error
 * (a HelmRelease held, another document of an edited file holding the file).
 */
export function tooManyValuesDocument(start: number, end: number, at: number, lines: LineCounter): Document {
  const doc = new Document();
  doc.range = [start, end, end];
  const error = new TooManyValuesError(
    [at, at + 1],
    'UNEXPECTED_TOKEN',
    `the file holds more than ${MAX_PARSED_VALUES.toLocaleString('en-US')} YAML values (scalars, aliases and collections) by here, the most one file's parse makes (each takes about 1.5 KB of memory while it is read); split the values into files of their own or write them as one block scalar`,
  );
  // As the package's own parse words and places its errors when it is given a line counter.
  error.linePos = [lines.linePos(at), lines.linePos(at + 1)];
  error.message += ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
  doc.errors.push(error);
  return doc;
}
