/**
 * Tags a document reads through another document's `%TAG` directive (the fifth kind in
 * go-yaml-refusals.ts). yaml.v2 applies a `%TAG` line to the one document after it (parserc.go
 * empties its tag directives at each document's end); the `yaml` package, reading YAML 1.1, keeps
 * the handle for every later document. So in a later document a handle only an earlier one
 * declared failed Flux v1's whole file ("found undefined tag handle"): refused here as yaml.v2
 * refuses it. And a `!` or `!!` an earlier document redefined meant there what it means by
 * default (`!!float 1.0` a float, where the package read a tag of the redefinition and so the
 * string `1.0`): such a document takes its reading alone, as yaml.v2 reads it. Pure but for that
 * replacement, in the documents given.
 *
 *   %TAG !e! tag:example.com,2000:
 *   ---
 *   kind: ConfigMap            <- the %TAG is this document's
 *   ---
 *   kind: HelmRelease
 *   spec: {values: {x: !e!foo 1}}   <- refused: yaml.v2 knows no !e! here
 */
import { Composer, isAlias, visit, type Document, type LineCounter, type Node } from 'yaml';
import { lineAt, type Refusal, type Share } from './go-yaml-shares.js';
import { parseCst } from './yaml-parser.js';

/** The tags every document has without a `%TAG` line. */
const DEFAULT_TAGS: Readonly<Record<string, string>> = { '!': '!', '!!': 'tag:yaml.org,2002:' };

/** The parser's words for a tag whose handle the document does not know: the tag, its handle. */
const UNKNOWN_HANDLE = /^Could not resolve tag: ((!\S*!)[^!\s]*)/;

/** Every node of a document that is not an alias, in text order, keys included. */
function nodesOf(doc: Document): Node[] {
  const nodes: Node[] = [];
  visit(doc, {
    Node(_key, node) {
      if (!isAlias(node)) nodes.push(node);
    },
  });
  return nodes;
}

/**
 * Where the directives of the document starting at `start` (its `---`) begin: the `%` lines, blank
 * lines and comments right before it, never before `from`. An earlier document of nothing (`---`
 * then `...`) in the same share keeps its own.
 */
function ownDirectivesStart(text: string, start: number, from: number): number {
  let at = start;
  while (at > from) {
    const lineStart = Math.max(text.lastIndexOf('\n', at - 2) + 1, from);
    if (!/^(?:%|[ \t]*(?:#|\r?(?:\n|$)))/.test(text.slice(lineStart, at))) break;
    at = lineStart;
  }
  return at;
}

/** True when a document's directives hold a handle, or a meaning of `!` or `!!`, beyond the defaults. */
function hasOtherTags(tags: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(tags ?? {}).some(([handle, prefix]) => DEFAULT_TAGS[handle] !== prefix);
}

/**
 * Each document whose directives hold more than the default tags (taken from an earlier document,
 * or its own) is read again alone, from its own directives, as yaml.v2 reads it: a handle it took
 * and does not know then is a refusal; a tag it reads otherwise then (a `!` or `!!` redefined
 * before an earlier document) gives the document that reading, in place.
 */
export function handleRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  for (const share of parts) {
    if (!hasOtherTags(share.doc.directives?.tags)) continue;
    const composer = new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false });
    const from = ownDirectivesStart(text, share.doc.range![0], share.start);
    const alone = [...composer.compose(parseCst(text.slice(from, share.end), from))];
    const taken = share.doc.directives!.tags;
    // A handle no document declares is the parser's own error, in both readings.
    const unknown = alone
      .flatMap((doc) => doc.errors)
      .find((e) => (UNKNOWN_HANDLE.exec(e.message)?.[2] ?? '') in taken);
    if (unknown) {
      const [, tag, handle] = UNKNOWN_HANDLE.exec(unknown.message)!;
      found.push({
        pos: unknown.pos[0],
        code: 'TAG_RESOLVE_FAILED',
        message:
          `line ${lineAt(lines, unknown.pos[0])}: the tag ${tag} uses the handle ${handle}, which only a %TAG line ` +
          `before an earlier document declares; Flux v1 (yaml.v2) applies a %TAG line to the next document ` +
          `alone: repeat that %TAG line before this document's ---, or write the tag in full (!<...>)`,
      });
      continue;
    }
    // The same text read twice: the same nodes, but for their tags. Any other error of the
    // document is its own, in both readings, and refuses it as it is.
    const [own] = alone;
    if (alone.length !== 1 || own.errors.length > 0) continue;
    const read = nodesOf(share.doc);
    const ownNodes = nodesOf(own);
    if (read.length === ownNodes.length && read.every((node, i) => node.tag === ownNodes[i].tag)) continue;
    share.doc.contents = own.contents;
    share.doc.directives = own.directives;
  }
  return found;
}
