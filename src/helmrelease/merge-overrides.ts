/**
 * Merge keys (`<<`) in `spec.values`, which detection does not follow: the keys a merge key written
 * after them replaces (yaml.v2 applies merge keys in order, so Flux v1 read the merged value and the
 * one written there is dead), and merges that could bring in image settings. Both are said as
 * warnings at their line. Pure.
 */
import { isAlias, isMap, isSeq, type YAMLMap } from 'yaml';
import { warning } from '../problems.js';
import type { DetectContext } from './detect-images.js';
import { asMap, getValue, isMergeKey, isWrittenBackMergeKey, lineOf } from './yaml-nodes.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * The keys of `map` that a merge key (`<<`) written after them also brings in. yaml.v2 applies
 * merge keys in order, so such a merge replaced the key's value and Flux v1 read the merged one
 * (observed from yaml.v2 2.4.0, scripts/go-yaml): the value written there is dead.
 */
export function overriddenKeys(ctx: DetectContext, map: YAMLMap): ReadonlySet<string> {
  // Alias paths ask again for the same large mappings (issue 12): each is looked at once.
  const known = overriddenCache.get(map);
  if (known) return known;
  const found = findOverriddenKeys(ctx, map);
  overriddenCache.set(map, found);
  return found;
}

const overriddenCache = new WeakMap<YAMLMap, ReadonlySet<string>>();

function findOverriddenKeys(ctx: DetectContext, map: YAMLMap): ReadonlySet<string> {
  if (!map.items.some((pair) => isMergeKey(pair.key))) return NONE;
  const written: string[] = [];
  const overridden = new Set<string>();
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const brought = mergedKeys(ctx, pair.value);
      for (const key of written) if (brought === undefined || brought.has(key)) overridden.add(key);
      continue;
    }
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key === 'string') written.push(key);
  }
  return overridden;
}

/**
 * The keys a merge key's value brings in (through the merges in it too), or undefined when it
 * could bring any: an anchor not known, or merges nested past a small depth.
 */
function mergedKeys(ctx: DetectContext, merged: unknown, depth = 0): Set<string> | undefined {
  const keys = new Set<string>();
  for (const source of isSeq(merged) ? merged.items : [merged]) {
    const target = isAlias(source) ? ctx.anchors?.get(source.source) : source;
    if (target === undefined) return undefined;
    for (const pair of asMap(target)?.items ?? []) {
      if (isMergeKey(pair.key)) {
        const inner = depth < 8 ? mergedKeys(ctx, pair.value, depth + 1) : undefined;
        if (inner === undefined) return undefined;
        for (const key of inner) keys.add(key);
        continue;
      }
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key === 'string') keys.add(key);
    }
  }
  return keys;
}

/** Warns that `where.key` (the first of `keys` a later merge key replaced) is not read, and returns true; or false. */
export function warnOverridden(
  ctx: DetectContext,
  map: YAMLMap,
  keys: readonly string[],
  where: string,
  overridden = overriddenKeys(ctx, map),
): boolean {
  const key = keys.find((k) => overridden.has(k));
  if (key === undefined) return false;
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(getValue(map, key), ctx.lines, map.range?.[0]),
      `${where}.${key} is overridden by the merge key (<<) after it: yaml.v2 applies merge keys in order, ` +
        'so Flux v1 read the merged value; not updated (write the << first to keep what is written)',
    ),
  );
  return true;
}

/** Keys that make a map part of an image: a merge bringing one of these in could bring an image. */
const IMAGE_KEYS = new Set(['image', 'repository', 'tag', 'registry']);

/** True when a merged-in map could hold an image: it (or, at `spec.values`, a map in it) has an image key. */
function couldHoldImage(ctx: DetectContext, merged: unknown, topLevel: boolean): boolean {
  const sources = isSeq(merged) ? merged.items : [merged];
  for (const source of sources) {
    const target = isAlias(source) ? ctx.anchors?.get(source.source) : source;
    const map = asMap(target);
    if (!map) continue;
    for (const pair of map.items) {
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key === 'string' && IMAGE_KEYS.has(key)) return true;
      if (topLevel && isMap(pair.value) && getValue(pair.value, 'image') !== undefined) return true;
      if (isMergeKey(pair.key)) return true; // a merge of a merge: assume it could
    }
  }
  return false;
}

/**
 * YAML merge keys (`<<: *defaults`) are not followed (they would make an edit change every place
 * that shares the anchor), so images that only arrive through one are not seen: say so, when the
 * merged map could hold an image.
 */
export function warnMergeKeys(ctx: DetectContext, map: YAMLMap, where: string, topLevel: boolean): void {
  for (const pair of map.items) {
    const merge = isMergeKey(pair.key) || isWrittenBackMergeKey(pair.key);
    if (!merge || !couldHoldImage(ctx, pair.value, topLevel)) continue;
    ctx.problems.push(
      warning(
        ctx.file,
        lineOf(pair.key, ctx.lines),
        `${where} uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated`,
      ),
    );
  }
}
