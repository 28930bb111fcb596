/**
 * Mapping keys as Flux v1 read them: yaml.v2 typed each key (`1` and `"1"` are two keys, `0x1F` and
 * `31` one), then ghodss/yaml turned every key into a JSON string. {@link normaliseKeys} rewrites a
 * HelmRelease's keys into those strings in place and says why Flux could not have read the document
 * at all (a key ghodss refuses, two keys that become one, annotations reached through aliases or
 * merge keys); {@link keyIdentity} is what makes two keys the same key for duplicate-keys.ts. Each
 * rule was observed from yaml.v2 2.4.0 (scripts/go-yaml). Pure.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  type Alias,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { explicitTagProblem, goKeyString, isJsonScalar } from './go-scalars.js';
import { ALIAS_KEY_MARK, scalarText, scalarType } from './go-yaml-documents.js';
import { isMergeKey, isWrittenBackMergeKey } from './yaml-nodes.js';
import {
  lastAnchorBefore,
  rangeStart,
  rememberAnchor,
  type AnchoredNode,
  type DocumentAnchors,
} from './document-anchors.js';

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
 * Turns every mapping key of `root` (a HelmRelease) into the string ghodss/yaml makes of it, in
 * place (an alias key becomes the string of the scalar its anchor names: the last anchor of that
 * name before it; of a map and its first key anchored alike, the key, which yaml.v2 registers
 * last). Returns the anchors (the last in the text of each name) and why Flux could not read the
 * document: a key ghodss refuses, an alias naming no anchor before it, an explicit tag yaml.v2
 * refuses (`!!float yes`), an infinite number or NaN anywhere (ghodss turns the whole document
 * into JSON, which cannot hold one), or annotations this reader does not read as yaml.v2 did (see
 * {@link annotationsProblem}). Each was observed from yaml.v2 2.4.0 (scripts/go-yaml).
 *
 * `document`, for an item of a `kind: List`, holds the anchors of the whole document: yaml.v2 read
 * the List as one document, so an alias may name an anchor in an earlier item (or before `items`).
 */
export function normaliseKeys(
  root: Node,
  document?: DocumentAnchors,
): {
  unreadable: Unreadable | undefined;
  anchors: Map<string, Node>;
} {
  const anchors = new Map<string, Node>();
  const anchorsByName = new Map<string, AnchoredNode[]>();
  const aliasKeys: { pair: Pair; name: string; start: number }[] = [];
  const aliasValues: Alias[] = [];
  const merges: Pair[] = [];
  const maps: YAMLMap[] = [];
  const fromAliasKey = new WeakSet<object>();
  const problems: Unreadable[] = [];
  const annotations = annotationsProblem(root);
  if (annotations) problems.push(annotations);
  const remember = (node: unknown) => rememberAnchor(anchorsByName, node);
  const checkTag = (node: Scalar) => {
    const problem = explicitTagProblem(scalarText(node), node.tag);
    if (problem !== undefined) problems.push({ node, message: problem });
  };
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    // Stryker disable next-line ConditionalExpression: null and undefined carry no anchor and are no scalar, list or map, so the lines below pass them by too; this only exits early
    if (node === null || node === undefined) continue;
    if (isAlias(node)) {
      aliasValues.push(node);
      continue;
    }
    remember(node);
    if (isScalar(node)) {
      if (node.tag !== undefined) checkTag(node);
      if (!isJsonScalar(scalarType(node))) {
        problems.push({
          node,
          message: `${scalarText(node)} is an infinite number or NaN, which Flux cannot read; quote it`,
        });
      }
      continue;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
      continue;
    }
    // Stryker disable next-line ConditionalExpression: nodes are scalars, aliases, lists or maps, so one that gets here is a map
    if (!isMap(node)) continue;
    maps.push(node);
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      remember(key);
      if (isMergeKeyNode(key)) merges.push(pair);
      const alias = aliasName(key);
      if (alias !== undefined) {
        aliasKeys.push({ pair, name: alias, start: rangeStart(key) });
      } else {
        if (isScalar(key) && key.tag !== undefined) checkTag(key);
        const converted = keyOf(key);
        if (typeof converted === 'string') {
          (key as Scalar).value = converted;
        } else {
          problems.push({ node: (key ?? node) as Node, message: converted.message });
        }
      }
      stack.push(pair.value);
    }
  }
  // In text order (a stable sort keeps the walk's order for equal starts: a map before its first
  // key), so each alias (key, value or merged) finds its anchor by binary search: a scan of every
  // anchor of the name per alias key made 40,000 alias keys to one anchor name redefined 40,000
  // times cost 8.9 s (the square of the count).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: only the anchor searches below need the lists sorted; a stable sort changes no other result
  if (aliasKeys.length > 0 || aliasValues.length > 0 || merges.length > 0) {
    for (const list of anchorsByName.values()) list.sort((a, b) => a.start - b.start);
  }
  // The anchor an alias names: in this node, else before it in its document (an earlier List item's:
  // one in this node before the alias would have been found first).
  const anchorOf = (name: string, start: number): Node | undefined =>
    // Stryker disable next-line ArrayDeclaration: a list holding no anchor (nothing with a start) finds no anchor, as the empty list does
    lastAnchorBefore(anchorsByName.get(name) ?? [], start) ??
    (document && lastAnchorBefore(document.byName.get(name) ?? [], Math.min(start, rangeStart(root))));
  // yaml.v2 refuses a merge key whose value is not a map, an alias of one, or a list of those ("map
  // merge requires map or sequence of maps as the value"). An alias naming no anchor is reported below.
  const mapOrAliasOfOne = (node: unknown) => {
    if (!isAlias(node)) return isMap(node);
    const target = anchorOf(node.source, rangeStart(node));
    return target === undefined || isMap(target);
  };
  for (const pair of merges) {
    const value = pair.value;
    if (isSeq(value) ? value.items.every(mapOrAliasOfOne) : mapOrAliasOfOne(value)) continue;
    problems.push({
      node: (value ?? pair.key) as Node,
      message: 'a merge key (<<) takes a map or a list of maps, which Flux cannot read otherwise',
    });
  }
  for (const alias of aliasValues) {
    // yaml.v2 refuses an alias to an anchor not yet seen ("unknown anchor 'x' referenced").
    if (anchorOf(alias.source, rangeStart(alias)) === undefined) {
      problems.push({
        node: alias,
        message: `the alias *${alias.source} names no anchor &${alias.source} before it`,
      });
    }
  }
  for (const { pair, name, start } of aliasKeys) {
    const target = anchorOf(name, start);
    const converted =
      target === undefined
        ? { message: `the key *${name} names no anchor &${name} before it` }
        : keyOf(target);
    if (typeof converted === 'string') {
      const key = copyRange(new Scalar(converted), pair.key);
      fromAliasKey.add(key);
      pair.key = key;
    } else problems.push({ node: pair.key as Node, message: converted.message });
  }
  for (const map of maps) {
    const problem = collidingKeys(map, fromAliasKey);
    if (problem) problems.push(problem);
  }
  for (const [name, list] of anchorsByName) {
    anchors.set(name, list.reduce((a, b) => (b.start >= a.start ? b : a)).node);
  }
  // A merge key's alias may name an anchor of an earlier List item.
  for (const alias of aliasValues) {
    if (anchors.has(alias.source)) continue;
    const before = anchorOf(alias.source, rangeStart(alias));
    if (before) anchors.set(alias.source, before);
  }
  // The first problem in the text is the one reported.
  problems.sort((a, b) => rangeStart(a.node) - rangeStart(b.node));
  return { unreadable: problems[0], anchors };
}

/**
 * Why Flux read a HelmRelease's annotations otherwise than this reader does, or undefined. yaml.v2
 * refuses an annotation that is a map or a list ("cannot unmarshal !!map into string"); it follows
 * aliases, which this reader does not, and applies a merge key (`<<`) in order, so one written
 * after a key replaces it (in `metadata`, the whole annotations map). A policy or filter brought
 * in that way would be missed, so such a release is not read.
 */
function annotationsProblem(root: Node): Unreadable | undefined {
  if (!isMap(root)) return undefined;
  const metadata = valueOf(root, 'metadata');
  if (!isMap(metadata)) return undefined;
  for (const field of ['name', 'namespace']) {
    // yaml.v2 reads them into strings: a map or a list is refused, as for an annotation.
    const value = valueOf(metadata, field);
    if (isMap(value) || isSeq(value)) {
      return {
        node: value,
        message: `metadata.${field} is ${isMap(value) ? 'a map' : 'a list'}, which Flux cannot read`,
      };
    }
  }
  const merge = metadata.items.find((pair) => isMergeKeyNode(pair.key));
  if (merge) return { node: merge.key as Node, message: UNFOLLOWED('metadata uses a YAML merge key (<<)') };
  const annotations = valueOf(metadata, 'annotations');
  if (isAlias(annotations))
    return { node: annotations, message: UNFOLLOWED('metadata.annotations is a YAML alias') };
  if (!isMap(annotations)) return undefined;
  for (const pair of annotations.items) {
    const key = isScalar(pair.key) ? scalarText(pair.key) : '';
    if (isMergeKeyNode(pair.key)) {
      return {
        node: pair.key as Node,
        message: UNFOLLOWED('metadata.annotations uses a YAML merge key (<<)'),
      };
    }
    const value = pair.value as Node | null;
    if (isAlias(value)) return { node: value, message: UNFOLLOWED(`the annotation ${key} is a YAML alias`) };
    if (isMap(value) || isSeq(value)) {
      return {
        node: value,
        message: `the annotation ${key} is ${isMap(value) ? 'a map' : 'a list'}, which Flux cannot read`,
      };
    }
  }
  return undefined;
}

const UNFOLLOWED = (what: string) =>
  `${what}, which Flux v1 follows and this Action does not; write the annotations out`;

/** The value under a plain string key, before keys are normalised. */
function valueOf(map: YAMLMap, key: string): Node | null | undefined {
  return map.items.find((pair) => isScalar(pair.key) && pair.key.value === key)?.value as
    Node | null | undefined;
}

/**
 * A `<<` key, plain or not: Flux v1 wrote each document back before reading it, unquoted, so a
 * quoted `"<<"` merged too (yaml-nodes.ts's `isMergeKey` and `isWrittenBackMergeKey`).
 */
function isMergeKeyNode(key: unknown): boolean {
  return isMergeKey(key) || isWrittenBackMergeKey(key);
}

/**
 * Two keys of `map` that yaml.v2 keeps apart (`1` and `"1"`, `1.0` and `1`, `yes` and `"true"`) but
 * ghodss/yaml makes one JSON key: Go's map order then picks which value Flux read, at random
 * (observed from yaml.v2 2.4.0, scripts/go-yaml). Keys that yaml.v2 itself takes as equal are found
 * by duplicate-keys.ts before this.
 */
function collidingKeys(map: YAMLMap, fromAliasKey: WeakSet<object>): Unreadable | undefined {
  if (map.items.length < 2) return undefined;
  const seen = new Map<unknown, Scalar>();
  for (const pair of map.items) {
    const key = pair.key;
    if (!isScalar(key) || isMergeKeyNode(key)) continue;
    const earlier = seen.get(key.value);
    if (earlier === undefined) {
      seen.set(key.value, key);
      continue;
    }
    const name = String(key.value);
    // An alias key repeating its own anchor's key is a repeated key, which yaml.v2 keeps the last of;
    // refused as duplicate-keys.ts refuses any repeated key.
    const message =
      fromAliasKey.has(key) || fromAliasKey.has(earlier)
        ? `the key "${name}" is repeated through an alias key, and repeated keys are refused`
        : `two keys of a map both become the key "${name}" for Flux, which keeps one of them at random`;
    return { node: key, message };
  }
  return undefined;
}

/** The anchor name an alias key refers to (`*app :`, or `*app:` marked by prepareText), or undefined. */
function aliasName(key: Node | null): string | undefined {
  if (isAlias(key)) return key.source;
  if (isScalar(key) && scalarText(key).startsWith(ALIAS_KEY_MARK)) return scalarText(key).slice(1);
  return undefined;
}

/** A new node with the source range of `from`, so lines and offsets still point at the source. */
function copyRange(node: Scalar, from: unknown): Scalar {
  // Stryker disable next-line OptionalChaining: `from` is an alias key whose anchor was found before it, so it has a range (one without starts at 0, before every anchor)
  const range = (from as { range?: [number, number, number] } | null)?.range;
  // Stryker disable next-line ConditionalExpression: as above, an alias key that resolved always has a range
  if (range) node.range = [...range];
  node.type = 'PLAIN';
  return node;
}

/** A key (or an alias key's target) as ghodss/yaml makes it a string, or why it cannot be one. */
function keyOf(key: unknown): string | { message: string } {
  if (key === null || key === undefined) return { message: 'a mapping key is empty, which Flux cannot read' };
  if (!isScalar(key)) return { message: 'a mapping key is a map or a list, which Flux cannot read' };
  const text = scalarText(key);
  const converted = goKeyString(text, scalarType(key));
  if (converted === undefined) {
    return {
      message: `the mapping key ${text === '' ? '(empty)' : text} is null or too large, which Flux cannot read as a key`,
    };
  }
  return converted;
}
