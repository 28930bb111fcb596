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
 * {@link normaliseKeys} resolves through its anchor.
 *
 * Scalars are parsed untyped (the failsafe schema) and typed by go-scalars.ts; mapping keys are
 * turned into the strings ghodss/yaml makes of them (`1:` -> "1", `true:` -> "true").
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseAllDocuments,
  Scalar,
  type Document,
  type Node,
} from 'yaml';
import { goKeyString, isJsonScalar, resolveScalar, type GoScalar } from './go-scalars.js';
import {
  parseWantedDocuments,
  type DocumentChunk,
  type ParsedDocuments,
  type ParseOptions,
} from './parse-documents.js';

/** The private-use character that stands for the `*` of an alias key in the parsed text. */
const ALIAS_KEY_MARK = '\uE000';
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

/** The text with go-yaml's extra line breaks as `\n` and alias keys marked, offsets unchanged. */
export function prepareText(text: string): string {
  let prepared = text.replace(GO_LINE_BREAKS, '\n');
  if (!MAYBE_ALIAS_KEY.test(prepared)) return prepared;
  const marks: number[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(prepared)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token[0] === '*' && ALIAS_KEY_TOKEN.test(token)) marks.push(offset);
    offset += token.length;
  }
  for (const at of marks) prepared = `${prepared.slice(0, at)}${ALIAS_KEY_MARK}${prepared.slice(at + 1)}`;
  return prepared;
}

/** How documents are parsed: YAML 1.1, untyped (go-scalars.ts types them). */
const PARSE_OPTIONS: ParseOptions = {
  version: '1.1',
  schema: 'failsafe',
  // Duplicate keys are found by duplicate-keys.ts: the package's own check is quadratic.
  uniqueKeys: false,
};

/** Parses every document of a file, untyped; throws only on what the parser itself throws. */
export function parseFile(text: string): ParsedFile {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(prepareText(text), { ...PARSE_OPTIONS, lineCounter: lines });
  return { docs: Array.isArray(parsed) ? (parsed as Document[]) : [], lines };
}

/**
 * Parses only the documents of a file that `wanted` accepts, as {@link parseFile} parses them; the
 * others are left unparsed (`undefined`), see parse-documents.ts.
 */
export function parseWantedFile(text: string, wanted: (chunk: DocumentChunk) => boolean): ParsedDocuments {
  return parseWantedDocuments(prepareText(text), PARSE_OPTIONS, wanted);
}

/** The go-yaml type of a scalar node. */
export function scalarType(node: Scalar): GoScalar {
  const text = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  return resolveScalar(text, node.type === 'PLAIN' || node.type === undefined, node.tag);
}

/** The string value of a scalar node whose type is `str` (the failsafe schema keeps every value as text). */
export function scalarText(node: Scalar): string {
  return typeof node.value === 'string' ? node.value : String(node.value ?? '');
}

/**
 * What makes two keys of one mapping the same key, as yaml.v2 types them (`1` and `"1"` differ,
 * `0x1F` and `31` do not), or undefined for keys that never collide (merge keys, NaN).
 */
export function keyIdentity(key: Scalar): string | undefined {
  const type = scalarType(key);
  const text = scalarText(key);
  switch (type.type) {
    case 'str':
      return text === '<<' && key.type === 'PLAIN' ? undefined : `str:${text}`;
    case 'null':
      return 'null';
    case 'float':
      return Number.isNaN(type.value) ? undefined : `float:${type.value}`;
    default:
      return `${type.type}:${String(type.value)}`;
  }
}

/** Why Flux v1 could not read a document, at a node. */
export interface Unreadable {
  node: Node;
  message: string;
}

/**
 * Turns every mapping key of `root` into the string ghodss/yaml makes of it, in place (alias keys
 * become the string of their anchor's scalar). Returns the anchors (the last of each name) and why Flux could not read the document when
 * a key is one ghodss refuses, an alias names no anchor, or a value under `spec` is an infinite
 * number or NaN (JSON cannot hold it, so Flux failed to read the whole HelmRelease).
 */
export function normaliseKeys(root: Node): {
  unreadable: Unreadable | undefined;
  anchors: Map<string, Node>;
} {
  const anchors = new Map<string, Node>();
  // Explicit stack, document order (a key before its value): anchors precede their aliases.
  const stack: { node: unknown; underSpec: boolean }[] = [{ node: root, underSpec: false }];
  let unreadable: Unreadable | undefined;
  while (stack.length > 0) {
    const { node, underSpec } = stack.pop()!;
    if (node === null || node === undefined || isAlias(node)) continue;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    if (isScalar(node)) {
      if (underSpec && !unreadable && !isJsonScalar(scalarType(node))) {
        unreadable = {
          node,
          message: `${scalarText(node)} is an infinite number or NaN, which Flux cannot read; quote it`,
        };
      }
      continue;
    }
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i -= 1) stack.push({ node: node.items[i], underSpec });
      continue;
    }
    if (!isMap(node)) continue;
    const pending: { node: unknown; underSpec: boolean }[] = [];
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const keyAnchor = (key as { anchor?: string } | null)?.anchor;
      if (keyAnchor && key) anchors.set(keyAnchor, key);
      const converted = keyOf(key, anchors);
      if (typeof converted === 'string') {
        if (isScalar(key)) key.value = converted;
        else pair.key = copyRange(new Scalar(converted), key);
      } else if (!unreadable) {
        unreadable = { node: (key ?? node) as Node, message: converted.message };
      }
      const keyText = typeof converted === 'string' ? converted : '';
      pending.push({ node: pair.value, underSpec: underSpec || (node === root && keyText === 'spec') });
    }
    for (let i = pending.length - 1; i >= 0; i -= 1) stack.push(pending[i]);
  }
  return { unreadable, anchors };
}

/** A new node with the source range of `from`, so lines and offsets still point at the source. */
function copyRange(node: Scalar, from: unknown): Scalar {
  const range = (from as { range?: [number, number, number] } | null)?.range;
  if (range) node.range = [...range];
  node.type = 'PLAIN';
  return node;
}

/** A key as ghodss/yaml makes it a string, or why it cannot be one. */
function keyOf(key: Node | null, anchors: ReadonlyMap<string, Node>): string | { message: string } {
  if (key === null || key === undefined) return { message: 'a mapping key is empty, which Flux cannot read' };
  let target: unknown = key;
  let aliasName: string | undefined;
  if (isAlias(key)) aliasName = key.source;
  else if (isScalar(key) && scalarText(key).startsWith(ALIAS_KEY_MARK)) aliasName = scalarText(key).slice(1);
  if (aliasName !== undefined) {
    target = anchors.get(aliasName);
    if (target === undefined)
      return { message: `the key *${aliasName} names no anchor &${aliasName} before it` };
  }
  if (!isScalar(target)) return { message: 'a mapping key is a map or a list, which Flux cannot read' };
  const text = scalarText(target);
  const converted = goKeyString(text, scalarType(target));
  if (converted === undefined) {
    return {
      message: `the mapping key ${text === '' ? '(empty)' : text} is null or too large, which Flux cannot read as a key`,
    };
  }
  return converted;
}
