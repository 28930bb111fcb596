/**
 * Text that gopkg.in/yaml.v2 (Flux v1) refuses and the `yaml` package reads. Each kind was observed
 * from yaml.v2 2.4.0 (scripts/go-yaml, pinned in go-yaml-fidelity.test.ts); Flux v1's ParseMultidoc
 * then refused the whole file ("scanning multidoc: yaml: ..."), so a release in such a document was
 * never updated by Flux and must not be here either. Pure.
 *
 *   a tab starting a line      in block context, a line whose first character after its spaces is
 *                              a tab ("found character that cannot start any token"), unless
 *     `    \t`                 - the line is inside a flow collection or a quoted scalar;
 *                              - it follows a plain scalar and the tab is past the scalar's block
 *                                (column > the enclosing map's or list's column; else "found a tab
 *                                character that violates indentation");
 *                              - it is inside a block scalar whose indentation is known and the tab
 *                                is at or past it (else "found a tab character where an indentation
 *                                space is expected"; before the first content line, always)
 *   control characters         anywhere, comments and quotes too: U+0000-0008, 000B, 000C,
 *                              000E-001F, 007F-0084, 0086-009F, FFFE, FFFF ("control characters are
 *                              not allowed"); tab, line breaks and NEL are allowed
 *   directives                 `%YAML` other than 1.1 ("found incompatible YAML document"; the
 *     `%YAML 1.2`              numbers are read as numbers: `1.01` is 1.1, `1.10` is not), a second
 *                              `%YAML` before one document, a name other than YAML or TAG
 *   `...` then content         after a document end marker, only `---`, a directive, another `...`
 *                              or the end of the file may follow ("did not find expected <document
 *                              start>"); a `...` before any document is refused too
 *
 * A cheap test of the whole text comes first (a character class, `indexOf`s), so a file with none
 * of them costs that and nothing else (issue 17). A refusal becomes an error of the document
 * whose text holds it (one between documents: of the document after it), which scan-file.ts reports
 * as it reports a syntax error: a HelmRelease is held, another document warned about.
 */
import {
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  YAMLParseError,
  type Document,
  type ErrorCode,
  type LineCounter,
} from 'yaml';

/** Something yaml.v2 refuses, at an offset of the text. */
export interface Refusal {
  pos: number;
  code: ErrorCode;
  message: string;
}

// The characters yaml.v2's reader refuses (readerc.go: it allows tab, LF, CR, 0x20-0x7E, NEL,
// 0xA0-0xD7FF, 0xE000-0xFFFD and beyond 0xFFFF). Lone surrogates cannot come from UTF-8 text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;
const TAB_FIRST = /^ *\t/m;
const TAB_LINE = /^( *)\t.*$/gm;
const DIRECTIVE_OR_END = /^(?:%.*|\.\.\.(?=[ \t\r\n]|$).*)$/gm;
const DOCUMENT_START = /^---(?:[ \t\r\n]|$)/;

/** The 1-based line of an offset. */
function lineAt(lines: LineCounter, pos: number): number {
  return lines.linePos(pos).line;
}

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

/** A refusal for a directive line (`%...`), or undefined when yaml.v2 accepts it. `seenYaml`: a `%YAML` came before it for the same document. */
function directiveRefusal(lineText: string, line: number, seenYaml: boolean): string | undefined {
  const name = /^%([A-Za-z0-9_-]*)/.exec(lineText)![1];
  const after = lineText.slice(name.length + 1);
  if (name === 'TAG' && /^(?:[ \t]|$)/.test(after)) return undefined;
  if (name !== 'YAML' || !/^(?:[ \t]|$)/.test(after)) {
    return `line ${line}: ${lineText.split(/[ \t]/)[0]} is no directive Flux v1 (yaml.v2) knows (it knows %YAML and %TAG): remove the line`;
  }
  if (seenYaml) {
    return `line ${line} is a second %YAML directive for one document, which Flux v1 (yaml.v2) cannot read: remove one`;
  }
  const version = /^[ \t]+(\d{1,9})\.(\d{1,9})(?:[ \t]+(?:#.*)?|[ \t]*)$/.exec(after);
  if (version && Number(version[1]) === 1 && Number(version[2]) === 1) return undefined;
  return (
    `line ${line}: ${lineText.replace(/[ \t]+#.*$/, '').trim()} asks for a YAML version Flux v1 (yaml.v2) cannot read ` +
    `(it reads YAML 1.1 only): remove the directive, or write %YAML 1.1`
  );
}

/** A document's share of the text: its own text and the gap before it (comments, directives, `...`). */
interface Share {
  doc: Document;
  start: number;
  end: number;
}

/** The share holding `pos` (binary search; shares are in text order and do not overlap), if any. */
function shareAt(parts: readonly Share[], pos: number): Share | undefined {
  let low = 0;
  let high = parts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (parts[middle].end <= pos) low = middle + 1;
    else high = middle;
  }
  const part = parts[low];
  return part && part.start <= pos ? part : undefined;
}

/** True when `pos` is in the document's own text, not in the gap before it. */
function inDocument(part: Share, pos: number): boolean {
  return part.doc.range![0] <= pos && pos < part.doc.range![2];
}

/** A document of nothing: no node, or an empty scalar (what the parser makes of a lone `...`). */
function isEmpty(doc: Document): boolean {
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.range?.[0] === contents.range?.[1]);
}

/**
 * Each parsed document's share of the text: from the end of the document before it (the start of
 * the text for the first) to its own end (the end of the text for the last). A document of nothing
 * (a lone `...` or `---`) has no share: its text goes to the next document. After an unparsed
 * document (a split file), a share starts where its document's text does.
 */
function sharesOf(docs: readonly (Document | undefined)[], textLength: number): Share[] {
  const out: Share[] = [];
  let carry: number | undefined = 0;
  for (const doc of docs) {
    if (!doc?.range) carry = undefined;
    else if (isEmpty(doc)) carry ??= doc.range[0];
    else {
      out.push({ doc, start: Math.min(carry ?? doc.range[0], doc.range[0]), end: doc.range[2] });
      carry = doc.range[2];
    }
  }
  const last = out[out.length - 1];
  if (last && carry !== undefined) last.end = textLength;
  return out;
}

/** The refusals among directives and document end markers (`...`) between documents, in text order. */
function markerRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  // Where the last %YAML line was, for a second one before the same document.
  let lastYaml = -1;
  let anyDocumentBefore = (end: number) => /^[ \t]*[^\s#]/m.test(text.slice(0, end));
  DIRECTIVE_OR_END.lastIndex = 0;
  for (let m = DIRECTIVE_OR_END.exec(text); m; m = DIRECTIVE_OR_END.exec(text)) {
    const at = m.index;
    const part = shareAt(parts, at);
    if (text[at] === '%') {
      // A `%` line inside a document is the parser's business (a syntax error here, mostly).
      if (!part || inDocument(part, at)) continue;
      const lineText = m[0].replace(/\r$/, '');
      const second =
        lastYaml !== -1 && !/^[ \t]*[^\s#%]/m.test(text.slice(lastYaml, at).replace(/^.*\n?/, ''));
      const message = directiveRefusal(lineText, lineAt(lines, at), second);
      if (message) found.push({ pos: at, code: 'BAD_DIRECTIVE', message });
      if (/^%YAML(?:[ \t]|$)/.test(lineText)) lastYaml = at;
      continue;
    }
    lastYaml = -1;
    // A `...` before any document (only blank lines and comments before it) is refused.
    if (!anyDocumentBefore(at)) {
      found.push({
        pos: at,
        code: 'UNEXPECTED_TOKEN',
        message: `line ${lineAt(lines, at)}: the document end marker "..." comes before any document, which Flux v1 (yaml.v2) cannot read: remove it`,
      });
    }
    anyDocumentBefore = () => true;
    // What follows the marker, past blank lines, comments and further markers.
    const lineEnd = text.indexOf('\n', at);
    const next = /(?:[ \t]*(?:#.*)?(?:\n|$)|\.\.\.(?:[ \t\r].*)?(?:\n|$))*/y;
    next.lastIndex = lineEnd === -1 ? text.length : lineEnd + 1;
    next.exec(text);
    const follows = next.lastIndex;
    // The markers skipped over have the same follower: one look for the run.
    DIRECTIVE_OR_END.lastIndex = Math.max(DIRECTIVE_OR_END.lastIndex, follows);
    if (
      follows >= text.length ||
      text[follows] === '%' ||
      DOCUMENT_START.test(text.slice(follows, follows + 4))
    )
      continue;
    found.push({
      pos: follows,
      code: 'UNEXPECTED_TOKEN',
      message:
        `line ${lineAt(lines, follows)} starts a document after the end marker "..." on line ${lineAt(lines, at)} ` +
        `without "---", which Flux v1 (yaml.v2) cannot read: add a "---" line before it, or remove the "..."`,
    });
  }
  return found;
}

/** The refusals among lines starting with a tab, at most one per share, in text order. */
function tabRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
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

/** The control characters yaml.v2 refuses, at most one per share, in text order. */
function controlRefusals(text: string, lines: LineCounter, parts: readonly Share[]): Refusal[] {
  const found: Refusal[] = [];
  CONTROL_CHARACTERS.lastIndex = 0;
  for (let m = CONTROL_CHARACTERS.exec(text); m; m = CONTROL_CHARACTERS.exec(text)) {
    const part = shareAt(parts, m.index);
    if (!part) continue;
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    found.push({
      pos: m.index,
      code: 'UNEXPECTED_TOKEN',
      message:
        `line ${lineAt(lines, m.index)} holds the control character U+${code}, which Flux v1 (yaml.v2) cannot read anywhere ` +
        `in a file, comments and quotes too: remove it, or write it as "\\u${code}" inside double quotes`,
    });
    // The document is refused: on to the next one.
    CONTROL_CHARACTERS.lastIndex = part.end;
  }
  return found;
}

/**
 * Adds to each parsed document (in place) the first thing yaml.v2 refuses in its share of `text`
 * (the prepared text it was parsed from; see {@link sharesOf}) as a YAMLParseError, in position
 * order among its errors. Returns after a cheap test when the text holds none of the four kinds.
 */
export function addGoYamlRefusals(
  text: string,
  docs: readonly (Document | undefined)[],
  lines: LineCounter,
): void {
  // The pre-check (issue 17): three passes that find nothing in most files, measured cheaper than one
  // regex of the three alternatives (4.5 against 6.6 ms over the bench's 1.6 M characters of HelmRelease files).
  const control = ANY_CONTROL_CHARACTER.test(text);
  const tabs = text.includes('\t') && TAB_FIRST.test(text);
  const markers = text[0] === '%' || text.startsWith('...') || text.includes('\n%') || text.includes('\n...');
  if (!control && !tabs && !markers) return;
  const parts = sharesOf(docs, text.length);
  if (parts.length === 0) return;
  const refusals = [
    ...(control ? controlRefusals(text, lines, parts) : []),
    ...(markers ? markerRefusals(text, lines, parts) : []),
    ...(tabs ? tabRefusals(text, lines, parts) : []),
  ].sort((a, b) => a.pos - b.pos);
  let next = 0;
  for (const { doc, start, end } of parts) {
    while (next < refusals.length && refusals[next].pos < start) next += 1;
    if (next >= refusals.length || refusals[next].pos >= end) continue;
    const first = refusals[next];
    const error = new YAMLParseError([first.pos, first.pos + 1], first.code, first.message);
    // Before the parser's own error at the same place: its advice says how to fix it for Flux v1.
    const at = doc.errors.findIndex((e) => e.pos[0] >= first.pos);
    doc.errors.splice(at === -1 ? doc.errors.length : at, 0, error);
  }
}
