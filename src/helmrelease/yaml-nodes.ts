/**
 * Small readers over the `yaml` package's document tree. Detection reads the tree (never
 * `toJS()`), so every value keeps its exact source range for byte-exact edits, and YAML aliases
 * are never expanded (an alias bomb costs nothing).
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { goStringValue, shortTag } from './go-scalars.js';
import { scalarText, scalarType } from './go-yaml-documents.js';
import type { ScalarStyle, ValueSource } from './types.js';

/** The value node under `key` in a mapping node, or undefined. */
export function getValue(map: YAMLMap, key: string): Node | undefined {
  for (const pair of map.items) {
    const k = pair.key;
    if (isScalar(k) && k.value === key) return (pair.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

/** The node as a mapping, or undefined. */
export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? (node as YAMLMap) : undefined;
}

const STYLE_OF: Record<string, ScalarStyle> = {
  PLAIN: 'plain',
  QUOTE_SINGLE: 'single',
  QUOTE_DOUBLE: 'double',
  BLOCK_LITERAL: 'block',
  BLOCK_FOLDED: 'block',
};

/**
 * The node as a string value with its source, or undefined when it is not a string. Values are
 * typed as Flux v1 typed them (yaml.v2, go-scalars.ts): `4.0`, `150`, `no` are not strings;
 * `e123456`, `1:20` and dates are. A `!!binary` value is not read: yaml.v2 decoded its base64, so
 * its text is not what Flux read (and an edit of it would be nonsense).
 */
export function asString(node: unknown, lines: LineCounter): ValueSource | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  if (scalarType(node).type !== 'str' || isBinary(node)) return undefined;
  const [start, end] = node.range;
  const style = STYLE_OF[node.type ?? 'PLAIN'];
  return {
    value: scalarText(node),
    range: { start, end, line: lines.linePos(start).line },
    style,
    ...(style === 'plain' && isStringTag(node) ? { taggedString: true as const } : {}),
  };
}

/** True for a scalar tagged `!!str` (or `!<tag:yaml.org,2002:str>`) or `!` (the non-specific tag). */
function isStringTag(node: { tag?: string }): boolean {
  return node.tag !== undefined && ['!!str', '!'].includes(shortTag(node.tag));
}

/**
 * A scalar as Flux read it into a string field of a Go struct (`metadata.name`), after yaml.v2 wrote
 * the document back (ParseMultidoc): strings as they are, numbers and booleans as Go prints them;
 * undefined for null, collections and aliases.
 */
export function asGoString(node: unknown): string | undefined {
  // Stryker disable next-line ConditionalExpression: a collection or alias reads as an empty plain scalar, which is null: undefined either way.
  if (!isScalar(node)) return undefined;
  const type = scalarType(node);
  return type.type === 'null' ? undefined : goStringValue(scalarText(node), type);
}

/**
 * True for a YAML merge key: a plain `<<` (yaml.v2's `isMerge`: a quoted "<<" is an ordinary key).
 */
export function isMergeKey(key: unknown): boolean {
  return (
    isScalar(key) &&
    key.value === '<<' &&
    (key.type === 'PLAIN' || key.type === undefined) &&
    (key.tag === undefined || shortTag(key.tag) === '!!merge')
  );
}

/**
 * True for a `<<` key that is not plain (`"<<"`, `!!str <<`). yaml.v2 reads it as an ordinary key,
 * but Flux v1 wrote every document back before reading it, unquoted, so it then merged like `<<`,
 * applied before the other keys, which are written back sorted (observed from yaml.v2 2.4.0,
 * scripts/go-yaml).
 */
export function isWrittenBackMergeKey(key: unknown): boolean {
  return isScalar(key) && key.value === '<<' && !isMergeKey(key);
}

/** True for a missing node or a null scalar (`tag:`, `tag: ~`, `tag: null`). */
export function isNull(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && scalarType(node).type === 'null');
}

/** True for a `!!binary` scalar. */
function isBinary(node: { tag?: string }): boolean {
  return node.tag !== undefined && shortTag(node.tag) === '!!binary';
}

/** A short description of a node's type for messages ("a number", "a list", ...). */
export function describeNode(node: unknown): string {
  if (node === undefined || node === null) return 'empty';
  if (isAlias(node)) return 'a YAML alias';
  if (isScalar(node) && isBinary(node)) return 'a !!binary value (base64, which Flux decoded)';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const text = scalarText(node);
    switch (scalarType(node).type) {
      case 'null':
        return 'null';
      case 'int':
      case 'float':
        return `the number ${text}`;
      case 'bool':
        return `the boolean ${text}`;
      case 'str':
        return 'a string';
    }
  }
  return 'not a string';
}

/** The 1-based line of a node's start, or of a fallback offset. */
export function lineOf(node: unknown, lines: LineCounter, fallback = 0): number {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return lines.linePos(range ? range[0] : fallback).line;
}
