/**
 * YAML aliases and merge keys where a kustomization or a patch says what it puts on a HelmRelease.
 * Kustomize's YAML reader follows them (`commonAnnotations: *locks`, `<<: *base`, `patches: [*p]`),
 * but this tool reads the tree without expanding aliases (an alias bomb costs nothing): read as
 * written, such a value was simply missing, and the lock it carried was lost. Finding one makes
 * the file unreadable instead, which holds what it may be for (failing safe) and says where. Pure.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { ALIAS_KEY_MARK } from '../helmrelease/go-yaml-documents.js';
import { isMergeKey, lineOf } from '../helmrelease/yaml-nodes.js';

/** An alias or merge key that is not followed, and its line. */
export interface Unfollowed {
  line: number;
  /** What it is, for a message: "a YAML alias (*locks)", "a YAML merge key (<<)". */
  what: string;
}

/** An anchor's name for a message: whole unless absurdly long (the file's text is the bound). */
function shortName(name: string): string {
  return name.length <= 40 ? name : `${name.slice(0, 40)}…`;
}

/** A merge key (`<<`) or an alias as a key (`*name:`), or undefined for another key. */
function keyUnfollowed(key: unknown, lines: LineCounter): Unfollowed | undefined {
  if (isMergeKey(key)) return { line: lineOf(key, lines), what: 'a YAML merge key (<<)' };
  if (isScalar(key) && typeof key.value === 'string' && key.value.startsWith(ALIAS_KEY_MARK)) {
    return { line: lineOf(key, lines), what: `a YAML alias (*${shortName(key.value.slice(1))}) as a key` };
  }
  return undefined;
}

/**
 * The first alias or merge key (in the order met) in the trees of `nodes`, or undefined. The walk
 * keeps its own stack, so a deeply nested value cannot overflow the call stack, and visits each
 * parsed node once (aliases are not followed), so it is linear in the file's size.
 */
export function firstUnfollowed(
  nodes: readonly (Node | null | undefined)[],
  lines: LineCounter,
): Unfollowed | undefined {
  const stack: unknown[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node))
      return { line: lineOf(node, lines), what: `a YAML alias (*${shortName(node.source)})` };
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const { key, value } = node.items[i];
        const unfollowed = keyUnfollowed(key, lines);
        if (unfollowed) return unfollowed;
        stack.push(value, key);
      }
    }
  }
  return undefined;
}

/**
 * The first alias or merge key among the keys of `map` (a merge key there may bring in any field)
 * and in the values of its `fields`, or undefined. Other fields are not read, so what they hold is
 * left alone.
 */
export function firstUnfollowedIn(
  map: YAMLMap,
  fields: readonly string[],
  lines: LineCounter,
): Unfollowed | undefined {
  for (const pair of map.items) {
    const unfollowed = keyUnfollowed(pair.key, lines);
    if (unfollowed) return unfollowed;
  }
  const values = map.items
    .filter((pair) => isScalar(pair.key) && fields.includes(String(pair.key.value)))
    .map((pair) => pair.value as Node);
  return firstUnfollowed(values, lines);
}

/** Why a file with `found` is not read, as a clause: "it uses a YAML alias (*locks) at line 4, …". */
export function unfollowedReason(found: Unfollowed): string {
  return `it uses ${found.what} at line ${found.line}, which Kustomize follows and this tool does not`;
}

/** How to make such a file readable, as the end of "… no update until …". */
export const UNFOLLOWED_FIX = 'the value is written out where the alias or merge key stands';

/**
 * Every string scalar under `root`, in order: what a kustomization read through an alias may list
 * as its resources is one of them (an anchored `&base ../../base`), so each is taken as a path,
 * failing safe. Linear, with its own stack.
 */
export function stringScalars(root: Node): string[] {
  const found: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.trim() !== '') found.push(node.value.trim());
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i].value, node.items[i].key);
    }
  }
  return found;
}
