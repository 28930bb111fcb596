/**
 * The anchors of one YAML document and the aliases that name them, over the whole document: a
 * `kind: List` is one document for yaml.v2, which expanded its aliases before Flux v1 split it into
 * items, so an alias in one item may name an anchor in an earlier one (FLUX-V1-RULES §0 step 1).
 * Detection never follows an alias, but an edit of an anchored node changes what every alias of it
 * reads: `tag: &t 2.0.0` with `tag: *t` in another container, or another release of the List, or an
 * anchored map merged (`<<: *app`) or reused (`web: *app`) elsewhere. Such a tag is never edited
 * ({@link reusedAround} finds it). Pure.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { ALIAS_KEY_MARK, scalarText } from './go-yaml-documents.js';
import type { SharedAnchor } from './types.js';

/** An anchored node, where it starts. */
export interface AnchoredNode {
  start: number;
  node: Node;
}

/** An anchored node that an alias of the same document names. */
export interface ReusedAnchor {
  anchor: string;
  /** The anchored node's text, `[start, end)`. */
  start: number;
  end: number;
  /** Whether the anchored node is a scalar (else a map or a list holding the text). */
  scalar: boolean;
  /** The line of the first alias that names it. */
  aliasLine: number;
}

/** A document's anchors, and the anchored nodes its aliases name. */
export interface DocumentAnchors {
  /** Every anchored node (values and keys) by name, in text order (a map before its first key). */
  byName: ReadonlyMap<string, readonly AnchoredNode[]>;
  /** The anchored nodes that some alias names, in text order. */
  reused: readonly ReusedAnchor[];
}

/** Where a node starts in the text (0 when it has no range). */
export function rangeStart(node: unknown): number {
  return (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}

/**
 * The anchor with the greatest start below `start` in `sorted` (ascending by start), the last of
 * several with that start (a map and its first key: yaml.v2 registers the key's anchor after the
 * map's), or undefined: the anchor yaml.v2 resolves an alias at `start` to.
 */
export function lastAnchorBefore(sorted: readonly AnchoredNode[], start: number): Node | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].start < start) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : sorted[low - 1].node;
}

/** The anchor name an alias key refers to (`*app :`, or `*app:` marked by prepareText), or undefined. */
function aliasKeyName(key: unknown): string | undefined {
  if (isAlias(key)) return key.source;
  if (isScalar(key) && scalarText(key).startsWith(ALIAS_KEY_MARK)) return scalarText(key).slice(1);
  return undefined;
}

/** Adds `node` to `byName` under its anchor, when it carries one. */
export function rememberAnchor(byName: Map<string, AnchoredNode[]>, node: unknown): void {
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (!anchor) return;
  const list = byName.get(anchor) ?? [];
  list.push({ start: rangeStart(node), node: node as Node });
  byName.set(anchor, list);
}

/** Reads a document's anchors and aliases (before its keys are normalised: alias keys are still marked). */
export function readDocumentAnchors(contents: unknown, lines: LineCounter): DocumentAnchors {
  const byName = new Map<string, AnchoredNode[]>();
  const aliases: { name: string; start: number }[] = [];
  const remember = (node: unknown) => rememberAnchor(byName, node);
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const stack: unknown[] = [contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      aliases.push({ name: node.source, start: rangeStart(node) });
      continue;
    }
    remember(node);
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const name = aliasKeyName(pair.key);
        if (name !== undefined) aliases.push({ name, start: rangeStart(pair.key) });
        else remember(pair.key);
        stack.push(pair.value);
      }
    }
  }
  // A stable sort keeps the walk's order for equal starts: a map before its first key.
  for (const list of byName.values()) list.sort((a, b) => a.start - b.start);
  const reused = new Map<Node, ReusedAnchor>();
  aliases.sort((a, b) => a.start - b.start);
  for (const alias of aliases) {
    const node = lastAnchorBefore(byName.get(alias.name) ?? [], alias.start);
    if (!node?.range || reused.has(node)) continue;
    reused.set(node, {
      anchor: alias.name,
      start: node.range[0],
      end: node.range[1],
      scalar: isScalar(node),
      aliasLine: lines.linePos(alias.start).line,
    });
  }
  return { byName, reused: [...reused.values()].sort((a, b) => a.start - b.start) };
}

/**
 * The innermost anchored node an alias names that holds the text `[start, end)` (the scalar itself,
 * or a map or list around it), or undefined: an edit of that text would change what the alias reads.
 */
export function reusedAround(
  anchors: DocumentAnchors | undefined,
  start: number,
  end: number,
): ReusedAnchor | undefined {
  const reused = anchors?.reused ?? [];
  // The last that starts at or before `start`; of those holding the text, the one starting last is
  // the innermost (anchored nodes nest or are apart).
  let low = 0;
  let high = reused.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (reused[middle].start <= start) low = middle + 1;
    else high = middle;
  }
  for (let i = low - 1; i >= 0; i -= 1) if (end <= reused[i].end) return reused[i];
  return undefined;
}

/** Why a tag an alias reuses is not updated, and how to have it updated. */
export function sharedAnchorReason(shared: SharedAnchor): string {
  const text = shared.of === 'tag' ? 'tag' : 'digest key';
  const where = shared.scalar
    ? `its ${text} is anchored (&${shared.anchor})`
    : `its ${text} is inside a map or list anchored &${shared.anchor}`;
  const fix = shared.scalar
    ? `write the ${text} itself in each place instead of &${shared.anchor} and *${shared.anchor}`
    : `write the values out in each place instead of &${shared.anchor} and *${shared.anchor}`;
  return `${where} and reused at line ${shared.aliasLine} (*${shared.anchor}), so an edit would change what that line reads too; ${fix} to have it updated`;
}
