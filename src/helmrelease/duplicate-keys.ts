/**
 * Duplicate mapping keys, found in one pass. Flux v1 read HelmReleases with go-yaml v2 called
 * without its strict mode, which keeps the last of repeated keys (observed from yaml.v2 2.4.0,
 * scripts/go-yaml); a document with one is refused here all the same, on purpose: a repeated key is
 * a mistake, and the last one silently winning could pick a filter or an image nobody meant. The `yaml` package can check this itself (`uniqueKeys: true`), but it
 * compares each key with every earlier one of its mapping: 80,000 keys took 366 s (issue 12).
 * This walk keeps a set per mapping instead, so the check costs one visit per node.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import { keyIdentity } from './go-yaml-keys.js';

/** A key that repeats an earlier key of its mapping: where each starts, and the key as written. */
export interface DuplicateKey {
  /** The source offset of the repeating key. */
  pos: number;
  /** The source offset of the key it repeats (the first of them). */
  earlierPos: number;
  /** The key as written, at most {@link KEY_SHOWN} characters. */
  key: string;
}

/** The most of a repeated key a message quotes. */
const KEY_SHOWN = 100;

/**
 * The earliest key that repeats an earlier key of its mapping, or undefined.
 * Keys are equal when yaml.v2 reads them as the same value (`keyIdentity`: `1` and `"1"` differ,
 * two merge keys `<<` never collide); keys that are collections or aliases never equal another key. Aliases are not followed (an alias bomb costs nothing).
 */
export function firstDuplicateKey(doc: Document): DuplicateKey | undefined {
  let first: DuplicateKey | undefined;
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    // Stryker disable next-line ConditionalExpression,LogicalOperator: none of these is a pair, map or list, so the branches below pass them by too; this only exits early
    if (!node || isAlias(node) || isScalar(node)) continue;
    // Stryker disable next-line ConditionalExpression,BlockStatement: the parser puts pairs only in maps (a flow list's `a: 1` is a map), whose pairs are walked below; no pair is pushed
    if (isPair(node)) {
      pending.push(node.key, node.value);
    } else if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          // Keys are typed as yaml.v2 types them; `.nan` and merge keys never repeat.
          const value = keyIdentity(key);
          if (value !== undefined) {
            // Stryker disable next-line OptionalChaining: a parsed key always has a range
            const start = key.range?.[0];
            const earlier = seen.get(value);
            if (earlier !== undefined) {
              // Stryker disable next-line EqualityOperator: two keys never start at the same offset
              if (start !== undefined && (first === undefined || start < first.pos)) {
                const written = key.source || String(key.value ?? '') || '(an empty key)';
                first = { pos: start, earlierPos: earlier, key: written.slice(0, KEY_SHOWN) };
              }
            } else if (start !== undefined) {
              seen.set(value, start);
            }
          }
        }
        pending.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) pending.push(item);
    }
  }
  return first;
}
