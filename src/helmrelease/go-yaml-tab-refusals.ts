/**
 * Lines starting with a tab that yaml.v2 refuses (the first kind in go-yaml-refusals.ts): found per
 * document share, each line judged by what yaml.v2 read last before it (a flow collection, a quoted,
 * plain or block scalar, and the indentation each allows). Apart from go-yaml-refusals.ts because
 * it is the one kind that needs a scanner's view of the document (its regions and block scalar
 * indentation): nearly half of the refusals' code. Pure.
 */
import { isCollection, isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

import { inDocument, lineAt, shareAt, type Refusal, type Share } from './go-yaml-shares.js';

const TAB_LINE = /^( *)\t.*$/gm;

/** What a block-context scanner is inside of at a point: `[start, end)` of a scalar's value or a flow collection. */
interface Region {
  start: number;
  end: number;
  kind: 'plain' | 'block' | 'quoted' | 'flow';
  /** The column of the enclosing block map or list (yaml.v2's `parser.indent`), -1 at the top. */
  parentIndent: number;
}

/** The column of an offset. */
function columnOf(text: string, pos: number): number {
  return pos - (text.lastIndexOf('\n', pos - 1) + 1);
}

/** The scalars and flow collections of a document, in text order (they do not overlap). */
function regionsOf(doc: Document, text: string): Region[] {
  const regions: Region[] = [];
  // An explicit stack, last in first out, so children are pushed in reverse to come out in order.
  const stack: { node: unknown; parentIndent: number }[] = [{ node: doc.contents, parentIndent: -1 }];
  while (stack.length > 0) {
    const { node, parentIndent } = stack.pop()!;
    if (isPair(node)) {
      stack.push({ node: node.value, parentIndent }, { node: node.key, parentIndent });
    } else if (isCollection(node)) {
      const range = node.range;
      if (!range) continue;
      if (node.flow) {
        regions.push({ start: range[0], end: range[1], kind: 'flow', parentIndent });
        continue;
      }
      const indent = columnOf(text, range[0]);
      const items = isMap(node) || isSeq(node) ? node.items : [];
      for (let i = items.length - 1; i >= 0; i -= 1) stack.push({ node: items[i], parentIndent: indent });
    } else if (isScalar(node) && node.range && node.range[1] > node.range[0]) {
      const [start, end] = node.range;
      const kind =
        node.type === 'PLAIN'
          ? 'plain'
          : node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED'
            ? 'block'
            : 'quoted';
      regions.push({ start, end, kind, parentIndent });
    }
  }
  return regions;
}

/** The region holding `pos` (binary search over regions in text order), if any. */
function regionAt(regions: readonly Region[], pos: number): Region | undefined {
  let low = 0;
  let high = regions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (regions[middle].start <= pos) low = middle + 1;
    else high = middle;
  }
  const region = regions[low - 1];
  return region && pos < region.end ? region : undefined;
}

/** A block scalar's indentation as yaml.v2 finds it: at its first line holding more than spaces. */
interface BlockIndent {
  /** Where that line starts (-1: none). */
  firstLine: number;
  indent: number;
}

/** Finds a block scalar's indentation (yaml.v2's yaml_parser_scan_block_scalar_breaks). */
function blockIndentOf(text: string, region: Region): BlockIndent {
  const headerEnd = text.indexOf('\n', region.start);
  let leadingSpaces = 0;
  for (let at = headerEnd + 1; headerEnd !== -1 && at < text.length;) {
    const end = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
    const line = text.slice(at, end).replace(/\r$/, '');
    const spaces = /^ */.exec(line)![0].length;
    if (spaces < line.length) {
      // The header (`|2-`, `>+1 # c`) may give the indentation, relative to the enclosing block.
      const explicit = /^[|>][+-]?([1-9])/.exec(text.slice(region.start, headerEnd))?.[1];
      const indent =
        explicit !== undefined
          ? Math.max(region.parentIndent, 0) + Number(explicit)
          : Math.max(spaces, leadingSpaces, region.parentIndent + 1, 1);
      return { firstLine: at, indent };
    }
    leadingSpaces = Math.max(leadingSpaces, spaces);
    at = end + 1;
  }
  return { firstLine: -1, indent: 0 };
}

/**
 * True when yaml.v2 reads past a tab starting a line (at `lineStart`, the tab at `column`), the
 * last thing read before the line being in `region`: the line is inside a flow collection or
 * quoted scalar, or continues a plain or block scalar at a column its indentation allows.
 */
function tabLineReadable(
  text: string,
  region: Region,
  blockIndents: Map<Region, BlockIndent>,
  lineStart: number,
  column: number,
): boolean {
  switch (region.kind) {
    case 'flow':
    case 'quoted':
      return lineStart < region.end;
    case 'plain':
      return column >= region.parentIndent + 1;
    case 'block': {
      let found = blockIndents.get(region);
      if (!found) blockIndents.set(region, (found = blockIndentOf(text, region)));
      // Until the indentation is found (this line is the first holding more than spaces), every tab is refused.
      return found.firstLine !== -1 && found.firstLine < lineStart && column >= found.indent;
    }
  }
}

/** The advice for a refused tab line. */
function tabLineMessage(line: number, rest: string, spaces: boolean): string {
  const after = rest.trimStart();
  if (after === '')
    return `line ${line} holds only ${spaces ? 'spaces and ' : ''}a tab, which Flux v1 (yaml.v2) cannot read here: remove the tab`;
  if (after.startsWith('#'))
    return `line ${line} starts with a tab before its comment, which Flux v1 (yaml.v2) cannot read here: indent the comment with spaces, or remove the tab`;
  return `line ${line} is indented with a tab, which Flux v1 (yaml.v2) cannot read here: indent it with spaces`;
}

/** The refusals among lines starting with a tab, at most one per share, in text order. */
export function tabRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  const regionsByDoc = new Map<Document, Region[]>();
  const blockIndents = new Map<Region, BlockIndent>();
  // The last tab line looked at and what was read before it, so a run of tab lines is walked back once.
  let previous = { lineStart: -1, last: -1 };
  TAB_LINE.lastIndex = 0;
  for (let m = TAB_LINE.exec(text); m; m = TAB_LINE.exec(text)) {
    const lineStart = m.index;
    const column = m[1].length;
    const part = shareAt(parts, lineStart);
    if (!part) continue;
    let last = lineStart - 1;
    while (last >= 0 && /[ \t\n\r]/.test(text[last])) {
      if (last < previous.lineStart) {
        last = previous.last;
        break;
      }
      last -= 1;
    }
    previous = { lineStart, last };
    if (inDocument(part, lineStart)) {
      let regions = regionsByDoc.get(part.doc);
      if (!regions) regionsByDoc.set(part.doc, (regions = regionsOf(part.doc, text)));
      const region = last < 0 ? undefined : regionAt(regions, last);
      if (region && tabLineReadable(text, region, blockIndents, lineStart, column)) continue;
    }
    found.push({
      pos: lineStart + column,
      code: 'TAB_AS_INDENT',
      message: tabLineMessage(lineAt(lines, lineStart), m[0].slice(column + 1), column > 0),
    });
    // The document is refused; its other tab lines need no look.
    TAB_LINE.lastIndex = Math.max(TAB_LINE.lastIndex, part.end);
  }
  return found;
}
