/**
 * A map's fields as yaml.v2 decoded them (aliases resolved, the last of a repeated key, merge keys
 * merged in its order), for the checks that read a document as Flux v1's structs did
 * (flux-resource-refusals.ts, helm-release-json-refusals.ts). Pure.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml';

import { scalarText } from './go-yaml-documents.js';
import { isMergeKey, isWrittenBackMergeKey } from './yaml-nodes.js';

/** What a node is, for a message: `a list`, `a map`, `the value abc`. */
export function describe(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  const text = isScalar(node) ? scalarText(node) : '';
  return text === '' ? 'an empty string' : `the value ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
}

/** A field's value as yaml.v2 kept it, and where it is written. */
export interface Field {
  node?: Node;
  pos: number;
}

/**
 * The fields of `map` as yaml.v2 kept them, each an alias resolved, at the place it is written (an
 * alias's, not its anchor's): in text order, the last of a repeated key, a merge key (`<<`) bringing
 * in its map's fields where it stands (of a list of maps, the first's win); a quoted `"<<"` merged
 * first, as the write-back unquoted it and wrote it before the other keys (observed, scripts/go-yaml).
 */
export function fields(doc: Document, map: YAMLMap, depth = 0): Map<string, Field> {
  const out = new Map<string, Field>();
  const merge = (value: unknown) => {
    const source = isAlias(value) ? value.resolve(doc) : value;
    // go-yaml-decode-refusals.ts refuses a merge of anything else; depth stops an anchor merged
    // into itself.
    if (isMap(source) && depth < 20) for (const [k, f] of fields(doc, source, depth + 1)) out.set(k, f);
    else if (isSeq(source)) for (const item of [...source.items].reverse()) merge(item);
  };
  for (const pair of map.items) if (isWrittenBackMergeKey(pair.key)) merge(pair.value);
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) merge(pair.value);
    else if (isScalar(pair.key) && !isWrittenBackMergeKey(pair.key)) {
      const value = pair.value as Node | null;
      const node = (isAlias(value) ? value.resolve(doc) : value) as Node | null | undefined;
      out.set(scalarText(pair.key), {
        node: node ?? undefined,
        pos: value?.range?.[0] ?? map.range?.[0] ?? 0,
      });
    }
  }
  return out;
}

/** The value of `key` in `map` as yaml.v2 kept it ({@link fields}). */
export function field(doc: Document, map: YAMLMap, key: string): Field {
  return fields(doc, map).get(key) ?? { pos: map.range?.[0] ?? 0 };
}
