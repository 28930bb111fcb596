/**
 * Tag handles a document takes from an earlier document's `%TAG` directive (the fifth kind in
 * go-yaml-refusals.ts). yaml.v2 applies a `%TAG` line to the one document after it (parserc.go
 * empties its tag directives at each document's end), so a later document that uses the handle
 * failed Flux v1's whole file ("found undefined tag handle"); the `yaml` package, reading YAML
 * 1.1, keeps the handle for every later document and reads it. Pure.
 *
 *   %TAG !e! tag:example.com,2000:
 *   ---
 *   kind: ConfigMap            <- the %TAG is this document's
 *   ---
 *   kind: HelmRelease
 *   spec: {values: {x: !e!foo 1}}   <- refused: yaml.v2 knows no !e! here
 */
import { Composer, type LineCounter } from 'yaml';
import { lineAt, type Refusal, type Share } from './go-yaml-shares.js';
import { parseCst } from './yaml-parser.js';

/** The handles every document has without a `%TAG` line. */
const DEFAULT_HANDLES = new Set(['!', '!!']);

/** The parser's words for a tag whose handle the document does not know: the tag, its handle. */
const UNKNOWN_HANDLE = /^Could not resolve tag: ((!\S*!)[^!\s]*)/;

/**
 * The first use of an inherited tag handle in each document after the first: each document that
 * has a handle beyond `!` and `!!` is read again alone, from its own share of the text (its own
 * directives and nothing before them), as yaml.v2 reads it.
 */
export function handleRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  for (const share of parts.slice(1)) {
    const handles = Object.keys(share.doc.directives?.tags ?? {});
    if (handles.every((handle) => DEFAULT_HANDLES.has(handle))) continue;
    const composer = new Composer({ version: '1.1', schema: 'failsafe', uniqueKeys: false });
    const alone = [...composer.compose(parseCst(text.slice(share.start, share.end), share.start))];
    const unknown = alone.flatMap((doc) => doc.errors).find((e) => UNKNOWN_HANDLE.test(e.message));
    if (!unknown) continue;
    const [, tag, handle] = UNKNOWN_HANDLE.exec(unknown.message)!;
    found.push({
      pos: unknown.pos[0],
      code: 'TAG_RESOLVE_FAILED',
      message:
        `line ${lineAt(lines, unknown.pos[0])}: the tag ${tag} uses the handle ${handle}, which only a %TAG line ` +
        `before an earlier document declares; Flux v1 (yaml.v2) applies a %TAG line to the next document ` +
        `alone: repeat that %TAG line before this document's ---, or write the tag in full (!<...>)`,
    });
  }
  return found;
}
