/**
 * How go-yaml-refusals.ts places what yaml.v2 refuses: a Refusal (an offset, an error code, the
 * advice), and each parsed document's share of the text (its own text and the gap before it), so a
 * refusal becomes an error of the document whose share holds it. Apart from go-yaml-refusals.ts
 * because each kind of refusal (tab lines, markers, control characters) is found against the
 * shares, and the tab and marker kinds are modules of their own. Pure.
 */
import { isScalar, type Document, type ErrorCode, type LineCounter } from 'yaml';

/** Something yaml.v2 refuses, at an offset of the text. */
export interface Refusal {
  pos: number;
  code: ErrorCode;
  message: string;
}

/** The 1-based line of an offset. */
export function lineAt(lines: LineCounter, pos: number): number {
  return lines.linePos(pos).line;
}

/** A document's share of the text: its own text and the gap before it (comments, directives, `...`). */
export interface Share {
  doc: Document;
  start: number;
  end: number;
}

/** The share holding `pos` (binary search; shares are in text order and do not overlap), if any. */
export function shareAt(parts: readonly Share[], pos: number): Share | undefined {
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
export function inDocument(part: Share, pos: number): boolean {
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
export function sharesOf(docs: readonly (Document | undefined)[], textLength: number): Share[] {
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
