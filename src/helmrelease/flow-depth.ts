/**
 * go-yaml's bound on flow nesting, applied before the `yaml` package parses a text. yaml.v2 (Flux
 * v1's reader, since 2.2.8) refuses a `[` or `{` that opens level 10,001 ("exceeded max depth of
 * 10000", scannerc.go `max_flow_level`). The `yaml` package has no such bound and keeps about 1 KB
 * of its parser's stack per open level: a 4 MiB file of `[` took 3.4 GB of heap and ended the run
 * out of memory. A document nested deeper is refused before it is parsed, as Flux v1 refused it.
 * Pure.
 */
import { Document, YAMLParseError, type LineCounter } from 'yaml';
import { lex } from './yaml-lexer.js';

/** The deepest flow nesting yaml.v2 reads. */
export const MAX_FLOW_DEPTH = 10_000;

// The lexer's control tokens, which stand for no source text.
const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** How many `[` and `{` characters `text` holds in `[start, end)`, counting no further than `limit + 1`. */
function openersUpTo(text: string, start: number, end: number, limit: number): number {
  let count = 0;
  for (let at = start; at < end && count <= limit; at += 1) {
    const c = text.charCodeAt(at);
    if (c === 0x5b || c === 0x7b) count += 1;
  }
  return count;
}

/**
 * The offset in `text` of the `[` or `{` that opens flow level {@link MAX_FLOW_DEPTH} + 1 within
 * `[start, end)`, or undefined when there is none. The lexer tells a flow indicator from the same
 * character in a quoted or plain scalar or a comment; it keeps a count, not a stack, so it is run
 * only on a text holding more openers than the bound (none of the usual files).
 */
export function flowDepthOverflow(text: string, start = 0, end = text.length): number | undefined {
  if (end - start <= MAX_FLOW_DEPTH || openersUpTo(text, start, end, MAX_FLOW_DEPTH) <= MAX_FLOW_DEPTH)
    return undefined;
  let depth = 0;
  let offset = start;
  for (const token of lex(text.slice(start, end))) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token === '[' || token === '{') {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) return offset;
    } else if ((token === ']' || token === '}') && depth > 0) depth -= 1;
    offset += token.length;
  }
  return undefined;
}

/**
 * A document standing for `[start, end)` of a text, unparsed, with the error yaml.v2 gives for
 * nesting deeper than it reads at `at`: scan-file.ts reports it as it reports a syntax error (a
 * HelmRelease held, another document warned about).
 */
export function tooDeepDocument(start: number, end: number, at: number, lines: LineCounter): Document {
  const doc = new Document();
  doc.range = [start, end, end];
  const error = new YAMLParseError(
    [at, at + 1],
    'UNEXPECTED_TOKEN',
    `flow collections ([ or {) open more than ${MAX_FLOW_DEPTH.toLocaleString('en-US')} levels deep here, which Flux v1 (yaml.v2) refuses ("exceeded max depth of ${MAX_FLOW_DEPTH}")`,
  );
  // As the package's own parse words and places its errors when it is given a line counter.
  error.linePos = [lines.linePos(at), lines.linePos(at + 1)];
  error.message += ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
  doc.errors.push(error);
  return doc;
}
