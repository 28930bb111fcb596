/**
 * Reads YAML documents the way Flux v1's go-yaml (gopkg.in/yaml.v2) and ghodss/yaml read them,
 * on top of the `yaml` package's parser, which keeps every node's exact source range. Pure.
 *
 * What go-yaml accepts and the `yaml` package alone does not:
 *
 *   line breaks: CR alone, NEL (U+0085), LS (U+2028), PS (U+2029) break lines in go-yaml
 *   alias keys:  `*app:` (an anchor name ends at the first character that is not
 *                [A-Za-z0-9_-], so the colon is the mapping indicator)
 *
 * Both are handled by a same-length rewrite of the text before parsing, so every offset the parser
 * reports is an offset in the original text and edits stay byte-exact: each break becomes `\n`,
 * and the `*` of an alias key becomes a private-use character, making it a plain key that
 * go-yaml-keys.ts's `normaliseKeys` resolves through its anchor.
 *
 * Scalars are parsed untyped (the failsafe schema) and typed by go-scalars.ts; mapping keys are
 * turned into the strings ghodss/yaml makes of them (`1:` -> "1", `true:` -> "true") by
 * go-yaml-keys.ts.
 */
import { LineCounter, type Document, type Scalar } from 'yaml';
import { resolveScalar, type GoScalar } from './go-scalars.js';
import { flowDepthOverflow, tooDeepDocument } from './flow-depth.js';
import { tooManyValuesDocument, valuesOverflow } from './node-count.js';
import { addGoYamlRefusals } from './go-yaml-refusals.js';
import {
  linesOf,
  parseWantedDocuments,
  type DocumentChunk,
  type ParsedDocuments,
  type ParseOptions,
} from './parse-documents.js';
import { parseDocuments } from './yaml-documents.js';
import { lex } from './yaml-lexer.js';

/** The private-use character that stands for the `*` of an alias key in the parsed text. */
export const ALIAS_KEY_MARK = '\uE000';
const GO_LINE_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]/g;
const MAYBE_ALIAS_KEY = /\*[A-Za-z0-9_-]+:/;
const ALIAS_KEY_TOKEN = /^\*[A-Za-z0-9_-]+:$/;
// The lexer's control tokens, which stand for no source text.
const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f']);

/** The documents of a file, with the line counter for their offsets. */
export interface ParsedFile {
  docs: Document[];
  lines: LineCounter;
}

/**
 * How many times the text is lexed for alias keys. The lexer reads `*a:` as an alias named `a:`,
 * so the value after it runs on into the next line: `*a: 1` then `*b: 2` lexes as `1\n*b`, and
 * `*b:` is found only once `*a:` is marked. Each pass finds the next key of such a run; a longer
 * run stays unmarked and is a syntax error (bounded, and the release is not updated).
 */
const MAX_ALIAS_KEY_PASSES = 16;

/** The offsets of the `*` of the alias keys the lexer sees in `text`. */
function aliasKeyOffsets(text: string): number[] {
  const marks: number[] = [];
  let offset = 0;
  for (const token of lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    // Stryker disable next-line ConditionalExpression: ALIAS_KEY_TOKEN requires the leading * too; the first-character test only spares most tokens the regex
    if (token[0] === '*' && ALIAS_KEY_TOKEN.test(token)) marks.push(offset);
    offset += token.length;
  }
  return marks;
}

/** The text with go-yaml's extra line breaks as `\n` and alias keys marked, offsets unchanged. */
export function prepareText(text: string): string {
  let prepared = text.replace(GO_LINE_BREAKS, '\n');
  // Stryker disable next-line LogicalOperator,ConditionalExpression,EqualityOperator,AssignmentOperator: a safeguard no text found reaches (a run of 70,000 alias keys takes 2 passes), and the loop also ends when a pass marks nothing
  for (let pass = 0; pass < MAX_ALIAS_KEY_PASSES && MAYBE_ALIAS_KEY.test(prepared); pass += 1) {
    const marks = aliasKeyOffsets(prepared);
    // Stryker disable next-line ConditionalExpression: a pass that marks nothing leaves the text as it is; stopping only saves lexing it again
    if (marks.length === 0) break;
    prepared = withMarks(prepared, marks);
  }
  return prepared;
}

/** `text` with the character at each offset (ascending) replaced by the alias-key mark, in one pass. */
function withMarks(text: string, offsets: readonly number[]): string {
  // One copy, not one per mark: a file of many alias keys would otherwise cost its length squared.
  const pieces: string[] = [];
  let from = 0;
  for (const at of offsets) {
    pieces.push(text.slice(from, at), ALIAS_KEY_MARK);
    from = at + 1;
  }
  pieces.push(text.slice(from));
  return pieces.join('');
}

/** How documents are parsed: YAML 1.1, untyped (go-scalars.ts types them). */
const PARSE_OPTIONS: ParseOptions = {
  version: '1.1',
  schema: 'failsafe',
  // Duplicate keys are found by duplicate-keys.ts: the package's own check is quadratic.
  uniqueKeys: false,
};

/**
 * Parses every document of a file, untyped; throws only on what the parser itself throws. What
 * yaml.v2 refuses and the parser reads is an error of its document (go-yaml-refusals.ts).
 */
export function parseFile(text: string): ParsedFile {
  const prepared = prepareText(text);
  // Nested deeper than yaml.v2 reads: one refused document, nothing parsed (flow-depth.ts).
  const tooDeep = flowDepthOverflow(prepared);
  if (tooDeep !== undefined) {
    const lines = linesOf(prepared);
    return { docs: [tooDeepDocument(0, prepared.length, tooDeep, lines)], lines };
  }
  // More values than one file's parse may make: the same, refused whole (node-count.ts).
  const [tooMany] = valuesOverflow(prepared, [{ start: 0, end: prepared.length }]);
  if (tooMany !== undefined) {
    const lines = linesOf(prepared);
    return { docs: [tooManyValuesDocument(0, prepared.length, tooMany, lines)], lines };
  }
  const lines = new LineCounter();
  const docs = parseDocuments(prepared, PARSE_OPTIONS, lines);
  addGoYamlRefusals(prepared, docs, lines);
  return { docs, lines };
}

/**
 * Parses only the documents of a file that `wanted` accepts, as {@link parseFile} parses them; the
 * others are left unparsed (`undefined`), see parse-documents.ts.
 */
export function parseWantedFile(text: string, wanted: (chunk: DocumentChunk) => boolean): ParsedDocuments {
  const prepared = prepareText(text);
  const parsed = parseWantedDocuments(prepared, PARSE_OPTIONS, wanted);
  addGoYamlRefusals(prepared, parsed.docs, parsed.lines);
  return parsed;
}

/** The go-yaml type of a scalar node. */
export function scalarType(node: Scalar): GoScalar {
  return resolveScalar(scalarText(node), node.type === 'PLAIN' || node.type === undefined, node.tag);
}

/** The string value of a scalar node whose type is `str` (the failsafe schema keeps every value as text). */
export function scalarText(node: Scalar): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: String() of a string is that string; the typeof test only skips the call
  return typeof node.value === 'string' ? node.value : String(node.value ?? '');
}
