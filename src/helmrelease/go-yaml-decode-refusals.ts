/**
 * What yaml.v2's first pass refused in any document of a file: ParseMultidoc decoded each document
 * into interface{} before reading it as a resource, and that decode failed the whole file
 * ("scanning multidoc"; FLUX-V1-RULES §0 step 1) on, observed from yaml.v2 2.4.0 (scripts/go-yaml),
 *
 *   an alias naming no anchor before it     `x: *nope`, `*nope : b`, an anchor written later or in
 *                                           another document ("unknown anchor 'nope' referenced")
 *   a map or a list as a mapping key        `? [a]`, `{[a]: b}`, `? {a: 1}`, an alias key naming a
 *                                           list ("invalid map key")
 *   a merge key (`<<`) on anything but a    `<<: abc`, `<<: ~`, `<<: [a]`, `<<: *scalar` ("map merge
 *   map, an alias of one, or a list of them requires map or sequence of maps as the value")
 *
 * anywhere in the document, where the `yaml` package reads each without an error. A quoted `"<<"`
 * is an ordinary key here (flux-resource-refusals.ts has what the write-back makes of it). Pure.
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

import { lastAnchorBefore, rangeStart, rememberAnchor, type AnchoredNode } from './document-anchors.js';
import { ALIAS_KEY_MARK, scalarText } from './go-yaml-documents.js';
import type { ResourceRefusal } from './flux-resource-refusals.js';
import { excessiveAliasing } from './go-yaml-alias-ratio.js';
import { isMergeKey } from './yaml-nodes.js';

/** The anchor name of an alias, or of an alias key (`*a :`, or `*a:` marked by prepareText). */
function aliasName(node: unknown): string | undefined {
  if (isAlias(node)) return node.source;
  if (isScalar(node) && scalarText(node).startsWith(ALIAS_KEY_MARK)) return scalarText(node).slice(1);
  return undefined;
}

/** Where a refusal is: the node's start. */
const at = (node: unknown, what: string): ResourceRefusal => ({ pos: rangeStart(node), what });

/** The first thing in `doc` that yaml.v2's decode into interface{} refused, in text order, or undefined. */
export function decodeRefusal(doc: Document): ResourceRefusal | undefined {
  const anchors = new Map<string, AnchoredNode[]>();
  const aliases: Node[] = [];
  const keys: Node[] = [];
  const merges: Node[] = [];
  visit(doc, {
    Node(_key, node) {
      rememberAnchor(anchors, node);
      if (isAlias(node)) aliases.push(node);
    },
    Pair(_key, pair) {
      const key = pair.key as Node | null;
      if (isMergeKey(key)) merges.push((pair.value ?? key) as Node);
      else if (key !== null && aliasName(key) !== undefined && !isAlias(key)) aliases.push(key);
      if (isMap(key) || isSeq(key) || aliasName(key) !== undefined) keys.push(key as Node);
    },
  });
  const named = anchorLookup(anchors);
  const target = (node: unknown): unknown => (aliasName(node) === undefined ? node : named(node));
  const refusals: ResourceRefusal[] = [];
  for (const alias of aliases) {
    if (target(alias) !== undefined) continue;
    const name = aliasName(alias) as string;
    refusals.push(
      at(
        alias,
        `the alias *${name} names no anchor &${name} before it in this document: write the value out`,
      ),
    );
  }
  for (const key of keys) {
    const named = target(key);
    if (isMap(named) || isSeq(named)) {
      refusals.push(at(key, `a mapping key is ${isMap(named) ? 'a map' : 'a list'}: write a single value`));
    }
  }
  // An alias is checked above; one naming no anchor is refused there, not here.
  const mapOrAliasOfOne = (node: unknown) => {
    const named = target(node);
    return named === undefined || isMap(named);
  };
  for (const value of merges) {
    const source = target(value);
    if (isSeq(source) && !isAlias(value) ? source.items.every(mapOrAliasOfOne) : mapOrAliasOfOne(value)) {
      continue;
    }
    refusals.push(
      at(
        value,
        'a merge key (<<) takes a map, an alias of one, or a list of them: merge a map, or remove it',
      ),
    );
  }
  if (aliases.length > 0) {
    const excess = excessiveAliasing(doc.contents, named);
    if (excess) refusals.push(at(excess, EXCESSIVE_ALIASING));
  }
  refusals.sort((a, b) => a.pos - b.pos);
  return refusals[0];
}

/** Why yaml.v2 refused a document whose aliases expand too far (go-yaml-alias-ratio.ts). */
export const EXCESSIVE_ALIASING =
  'its aliases repeat their anchors past what yaml.v2 reads ("document contains excessive aliasing"): ' +
  'write the values out, or use fewer aliases of large anchors';

/**
 * Why yaml.v2 refused `doc` for its aliases' expansion, or undefined: for a document the scan reads
 * (a HelmRelease's, which decodeRefusal is not asked about).
 */
export function aliasingRefusal(doc: Document): ResourceRefusal | undefined {
  const anchors = new Map<string, AnchoredNode[]>();
  let anyAlias = false;
  visit(doc, {
    Node(_key, node) {
      rememberAnchor(anchors, node);
      if (isAlias(node)) anyAlias = true;
    },
    Pair(_key, pair) {
      if (aliasName(pair.key) !== undefined) anyAlias = true;
    },
  });
  if (!anyAlias) return undefined;
  const excess = excessiveAliasing(doc.contents, anchorLookup(anchors));
  return excess && at(excess, EXCESSIVE_ALIASING);
}

/**
 * The node an alias (or an alias key) names, from a document's anchors by name (sorted here): the
 * last of that name before it; undefined for any other node, or an alias naming no anchor.
 */
function anchorLookup(anchors: Map<string, AnchoredNode[]>): (node: unknown) => Node | undefined {
  for (const list of anchors.values()) list.sort((a, b) => a.start - b.start);
  return (node) => {
    const name = aliasName(node);
    return name === undefined ? undefined : lastAnchorBefore(anchors.get(name) ?? [], rangeStart(node));
  };
}
