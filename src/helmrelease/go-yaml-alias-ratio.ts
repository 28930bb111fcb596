/**
 * yaml.v2's bound on alias expansion ("document contains excessive aliasing"), which failed a
 * whole file for Flux v1 (FLUX-V1-RULES §0 step 1): decoding a document, yaml.v2 counts every node
 * it decodes, an alias's node once more for each time the alias is decoded (through aliases in it
 * too), and refuses the document as soon as more than 100 of over 1,000 come through aliases and
 * their share passes what the total allows: 99% up to 400,000, scaling down to 10% at 4,000,000
 * (decode.go, `allowedAliasRatio`, 2.4.0). A billion laughs is refused early, but so is a small
 * document that aliases a large anchor many times. Detection never expands an alias, so this counts
 * the expansions with each node's size remembered. Pure.
 */
import { isMap, isSeq, type Node } from 'yaml';

import { isMergeKey } from './yaml-nodes.js';

/** The share of aliased nodes yaml.v2 allows after `decoded` nodes (decode.go). */
function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000);
}

/** True when yaml.v2 stops at these counts. */
function excessive(decoded: number, aliased: number): boolean {
  return aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded);
}

/**
 * The first node of a document whose decoding yaml.v2 refused for excessive aliasing, or
 * undefined. `root` is the document's contents; `aliasTarget` is the node an alias (or an alias
 * key) names, undefined for any other node (or for an alias naming no anchor, refused elsewhere).
 */
export function excessiveAliasing(
  root: unknown,
  aliasTarget: (node: unknown) => Node | undefined,
): Node | undefined {
  const sizes = new Map<unknown, number>();
  /** The nodes yaml.v2 decodes for `node`, aliases expanded (iteratively: documents nest deeply). */
  const size = (top: unknown): number => {
    const stack: { node: unknown; expanded: boolean }[] = [{ node: top, expanded: false }];
    const open = new Set<unknown>();
    while (stack.length > 0) {
      const entry = stack[stack.length - 1];
      const { node } = entry;
      if (sizes.has(node) || node === null || node === undefined) {
        stack.pop();
        continue;
      }
      const children = childrenOf(node, aliasTarget);
      if (!entry.expanded) {
        entry.expanded = true;
        open.add(node);
        // An anchor inside itself is refused by yaml.v2 on its own; it counts once here.
        for (const child of children) if (!open.has(child)) stack.push({ node: child, expanded: false });
        continue;
      }
      stack.pop();
      open.delete(node);
      let total = isMergeSeq(node) ? 0 : 1;
      for (const child of children) total += sizes.get(child) ?? 1;
      sizes.set(node, total);
    }
    return sizes.get(top) ?? 1;
  };

  // The decode in yaml.v2's order, outside any alias: the document's node counts one.
  let decoded = 1;
  let aliased = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || node === undefined) {
      decoded += 1;
      continue;
    }
    const target = aliasTarget(node);
    if (target !== undefined) {
      decoded += 1;
      const expansion = size(target);
      decoded += expansion;
      aliased += expansion;
      // Within an expansion both counts grow by one a node, so the share only rises and the
      // allowed share only falls: refused during it is refused at its end.
      if (excessive(decoded, aliased)) return node as Node;
      continue;
    }
    if (!isMergeSeq(node)) decoded += 1;
    if (excessive(decoded, aliased)) return node as Node;
    const children = childrenOf(node, aliasTarget);
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]);
  }
  return undefined;
}

/** A merge key's list of maps: yaml.v2 decodes its items, last first, but not the list itself. */
class MergeSeq {
  constructor(readonly items: readonly unknown[]) {}
}

function isMergeSeq(node: unknown): node is MergeSeq {
  return node instanceof MergeSeq;
}

/** What yaml.v2 decodes next for `node`, in its order. */
function childrenOf(node: unknown, aliasTarget: (node: unknown) => Node | undefined): unknown[] {
  const target = aliasTarget(node);
  if (target !== undefined) return [target];
  if (isMergeSeq(node)) return [...node.items].reverse();
  if (isSeq(node)) return node.items;
  if (!isMap(node)) return [];
  const children: unknown[] = [];
  for (const pair of node.items) {
    // A merge key itself is not decoded; its value is, a list's maps one by one.
    if (isMergeKey(pair.key)) {
      children.push(isSeq(pair.value) ? mergeSeqOf(pair.value) : pair.value);
    } else children.push(pair.key, pair.value);
  }
  return children;
}

/** One MergeSeq per list, so that its size is remembered like any node's. */
const mergeSeqs = new WeakMap<object, MergeSeq>();
function mergeSeqOf(list: { items: unknown[] } & object): MergeSeq {
  let seq = mergeSeqs.get(list);
  if (!seq) mergeSeqs.set(list, (seq = new MergeSeq(list.items)));
  return seq;
}
