/**
 * Parses only the documents of a file that may hold what the caller is looking for (issue 17): a
 * ConfigMap or CRD next to a HelmRelease in the same file is not worth a full YAML parse. Document
 * boundaries are found without parsing: a line that starts with `---` followed by a space, a tab or
 * the line's end always starts a document, even inside a quoted or block scalar or a flow collection
 * (YAML 1.2 §9.1.4; the `yaml` package's lexer ends each of those there). Each wanted document is
 * parsed on its own, with offsets into the whole text, so every node's range and every error's
 * position are what a parse of the whole file would give.
 *
 * Files where documents are not that simple to delimit (directives `%YAML`/`%TAG`, which belong to
 * the document after them, or the document end marker `...`, after which a document may start
 * without `---`) are parsed whole.
 */
import { Composer, LineCounter, type Document } from 'yaml';
import { flowDepthOverflow, tooDeepDocument } from './flow-depth.js';
import { tooManyValuesDocument, valuesOverflow } from './node-count.js';
import { parseDocuments, type ParseOptions } from './yaml-documents.js';
import { parseCst } from './yaml-parser.js';

export type { ParseOptions } from './yaml-documents.js';

/** A stretch of the text holding at most one document: `[start, end)`. */
export interface DocumentChunk {
  start: number;
  end: number;
}

/** A line starting with `---` or `...` followed by a space, a tab, a line break or the end. */
function isMarkerAt(text: string, at: number, marker: '---' | '...'): boolean {
  if (!text.startsWith(marker, at)) return false;
  const next = text[at + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}

/**
 * The file's stretches, each up to the next `---` line: the first (before any `---`) holds a
 * document only when it has content, every other one holds exactly one. Undefined when the file has
 * directives or document end markers.
 */
export function splitDocuments(text: string): DocumentChunk[] | undefined {
  const starts: number[] = [0];
  for (let at = 0; at < text.length;) {
    // A byte order mark may start a line before a directive or `...` (it starts the stream or a document).
    const from = text[at] === '\uFEFF' ? at + 1 : at;
    const c = text[from];
    if (c === '%' || (c === '.' && isMarkerAt(text, from, '...'))) return undefined;
    if (text[at] === '-' && at > 0 && isMarkerAt(text, at, '---')) starts.push(at);
    const newline = text.indexOf('\n', at);
    if (newline === -1) break;
    at = newline + 1;
  }
  return starts.map((start, i) => ({ start, end: i + 1 < starts.length ? starts[i + 1] : text.length }));
}

/** True when the first stretch (before any `---`) holds a document: a line that is not blank or a comment. */
function hasContent(text: string, chunk: DocumentChunk): boolean {
  // A byte order mark, spaces, tabs, line breaks and comment lines make no document.
  let at = chunk.start;
  while (at < chunk.end) {
    const c = text[at];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') at += 1;
    else if (c === '#') {
      const newline = text.indexOf('\n', at);
      at = newline === -1 || newline > chunk.end ? chunk.end : newline + 1;
    } else return true;
  }
  return false;
}

/** A line counter of every line of `text`, as a parse with one would fill it. */
export function linesOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  return lines;
}

/** The documents of a file, in order; a document that was not wanted is `undefined`. */
export interface ParsedDocuments {
  docs: (Document | undefined)[];
  lines: LineCounter;
}

/**
 * Parses the documents of `text` whose stretch `wanted` accepts, leaving the others unparsed. The
 * result has one entry per document of the file, as `parseAllDocuments` would count them.
 */
export function parseWantedDocuments(
  text: string,
  options: ParseOptions,
  wanted: (chunk: DocumentChunk) => boolean,
): ParsedDocuments {
  const chunks = splitDocuments(text);
  const parseWhole = (): ParsedDocuments => {
    const lines = new LineCounter();
    return { docs: parseDocuments(text, options, lines), lines };
  };
  // Nested deeper than yaml.v2 reads (flow-depth.ts): such a document is refused unparsed, each
  // document on its own when the file's documents can be told apart, else the whole file.
  // So are the documents past the values one file's parse may make (node-count.ts).
  if (!chunks) {
    const tooDeep = flowDepthOverflow(text);
    const [tooMany] = tooDeep === undefined ? valuesOverflow(text, [{ start: 0, end: text.length }]) : [];
    if (tooDeep === undefined && tooMany === undefined) return parseWhole();
    const lines = linesOf(text);
    const doc =
      tooDeep === undefined
        ? tooManyValuesDocument(0, text.length, tooMany!, lines)
        : tooDeepDocument(0, text.length, tooDeep, lines);
    return { docs: [doc], lines };
  }
  const wants = chunks.map(wanted);
  // Each wanted document looked at once, whether the file is then parsed whole or by documents.
  const tooDeep = chunks.map((chunk, i) =>
    wants[i] ? flowDepthOverflow(text, chunk.start, chunk.end) : undefined,
  );
  const wantedChunks = chunks.filter((_, i) => wants[i]);
  const overflows = valuesOverflow(text, wantedChunks);
  const tooMany = new Map(wantedChunks.map((chunk, i) => [chunk, overflows[i]]));
  if (
    wants.every(Boolean) &&
    tooDeep.every((at) => at === undefined) &&
    overflows.every((at) => at === undefined)
  )
    return parseWhole();
  const lines = linesOf(text);
  const docs: (Document | undefined)[] = [];
  chunks.forEach((chunk, i) => {
    if (!wants[i]) {
      if (i > 0 || hasContent(text, chunk)) docs.push(undefined);
      return;
    }
    const deep = tooDeep[i];
    if (deep !== undefined) {
      docs.push(tooDeepDocument(chunk.start, chunk.end, deep, lines));
      return;
    }
    const many = tooMany.get(chunk);
    if (many !== undefined) {
      docs.push(tooManyValuesDocument(chunk.start, chunk.end, many, lines));
      return;
    }
    const composer = new Composer(options);
    const last = i === chunks.length - 1;
    // Token offsets (and so node ranges and error positions) count from the start of the text.
    const tokens = parseCst(text.slice(chunk.start, chunk.end), chunk.start);
    for (const doc of composer.compose(tokens)) {
      for (const error of [...doc.errors, ...doc.warnings]) {
        // As the package's prettifyError. Only a directive without `---` gives an error no position,
        // and a file with directives is parsed whole.
        // Stryker disable next-line ConditionalExpression,UnaryOperator: no error reaching here is at -1 (above)
        if (error.pos[0] === -1) continue;
        // A quote left open before a `---` line: the whole-file parse, finding a closing quote
        // further on, ends the scalar at the document's last line break and reports it there.
        if (!last && error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
          error.pos = [Math.min(error.pos[0], chunk.end - 1), Math.min(error.pos[1], chunk.end)];
        }
        // What the package's own parse adds to a message when it is given a line counter.
        error.linePos = [lines.linePos(error.pos[0]), lines.linePos(error.pos[1])];
        const { line, col } = error.linePos[0];
        error.message += ` at line ${line}, column ${col}`;
      }
      docs.push(doc);
    }
  });
  return { docs, lines };
}

/** Where `word` occurs in `text`, in order. */
function occurrences(text: string, word: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) found.push(at);
  return found;
}

/** A `wanted` test for {@link parseWantedDocuments}: the stretches in which `word` occurs. */
export function documentsContaining(text: string, word: string): (chunk: DocumentChunk) => boolean {
  return documentsAt(occurrences(text, word));
}

/** A `wanted` test for {@link parseWantedDocuments}: the stretches holding one of `offsets` (ascending). */
export function documentsAt(offsets: readonly number[]): (chunk: DocumentChunk) => boolean {
  return ({ start, end }) => {
    // The first offset at or after `start` (binary search).
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (offsets[middle] < start) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length && offsets[low] < end;
  };
}
