/**
 * The dot paths of alias annotations (`repository.fluxcd.io/<alias>: sub.image.repository`),
 * resolved through `spec.values` as Flux v1 did (FLUX-V1-RULES R4.2): maps only, no escaping, a
 * string at the end. Pure.
 */
import { isScalar, type Node, type YAMLMap } from 'yaml';
import type { DetectContext } from './detect-images.js';
import { overriddenKeys } from './merge-overrides.js';
import type { ValueSource } from './types.js';
import { asMap, asString, describeNode, getValue } from './yaml-nodes.js';

/** Key-to-value indexes of the large mappings alias paths go through, built on first use. */
const pathIndexes = new WeakMap<YAMLMap, Map<unknown, Node | undefined>>();

/**
 * `getValue(map, key)` for alias paths: thousands of aliases into a mapping of thousands of keys
 * must not cost a scan of the mapping each (issue 12: scanning stays linear in the file's size).
 * Detection runs after the keys were normalised, and nothing changes them afterwards.
 */
function valueAt(map: YAMLMap, key: string): Node | undefined {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: how small a mapping is read without an index changes only the cost.
  if (map.items.length <= 16) return getValue(map, key);
  let index = pathIndexes.get(map);
  // Stryker disable next-line ConditionalExpression: building the index again gives the same index.
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = pair.key;
      // The first pair wins, as in getValue.
      if (isScalar(k) && !index.has(k.value))
        index.set(k.value, (pair.value ?? undefined) as Node | undefined);
    }
    pathIndexes.set(map, index);
  }
  return index.get(key);
}

/** Resolves a dot path relative to `values` to a string scalar, or a sentence saying why not. */
export function resolvePath(
  ctx: DetectContext,
  values: YAMLMap,
  path: string,
): { ok: true; value: ValueSource } | { ok: false; why: string } {
  let node: unknown = values;
  for (const segment of path.split('.')) {
    const map = asMap(node);
    if (!map) return { ok: false, why: `spec.values.${path} passes through ${describeNode(node)}` };
    node = valueAt(map, segment);
    if (node === undefined) return { ok: false, why: `spec.values.${path} does not exist` };
    if (overriddenKeys(ctx, map).has(segment)) {
      return {
        ok: false,
        why: `spec.values.${path} is overridden by the merge key (<<) after it (yaml.v2 applies merge keys in order, so Flux v1 read the merged value)`,
      };
    }
  }
  const value = asString(node, ctx.lines);
  if (!value) return { ok: false, why: `spec.values.${path} is ${describeNode(node)}, not a string` };
  return { ok: true, value };
}
