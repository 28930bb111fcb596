/**
 * The `yaml` package's `parseAllDocuments` (2.9.1, src/public-api.ts and src/errors.ts), reading
 * through yaml-parser.ts instead of the package's generator parser (issue 17): the package's own
 * `Composer` makes the documents from the same tokens, and each error's message gets its line,
 * column and the excerpt of its line as the package words them (`prettifyError`), so the
 * documents, errors and messages are the package's. `yaml-cst.test.ts` checks them against it.
 * Pure.
 *
 * yaml is Copyright Eemeli Aro <eemeli@gmail.com>, under the ISC license (dist/licenses.txt).
 */
import { Composer, type Document, type LineCounter, type parseAllDocuments, type YAMLError } from 'yaml';
import { parseCst } from './yaml-parser.js';

/** The options of the `yaml` package's `parseAllDocuments`, but its line counter. */
export type ParseOptions = Omit<NonNullable<Parameters<typeof parseAllDocuments>[1]>, 'lineCounter'>;

/**
 * Every document of `source`, as the package's `parseAllDocuments(source, { ...options,
 * lineCounter: lines })` reads them; `lines` is filled with the text's line starts.
 */
export function parseDocuments(source: string, options: ParseOptions, lines: LineCounter): Document[] {
  const composer = new Composer({ ...options, lineCounter: lines });
  const docs = Array.from(composer.compose(parseCst(source, 0, lines.addNewLine))) as Document[];
  if (options.prettyErrors !== false) {
    const prettify = prettifyError(source, lines);
    for (const doc of docs) {
      doc.errors.forEach(prettify);
      doc.warnings.forEach(prettify);
    }
  }
  return docs;
}

/** Adds to an error's message its line and column, and its line with a pointer, as the package does. */
function prettifyError(src: string, lc: LineCounter) {
  return (error: YAMLError): void => {
    if (error.pos[0] === -1) return;
    error.linePos = error.pos.map((pos) => lc.linePos(pos)) as YAMLError['linePos'];
    const { line, col } = lc.linePos(error.pos[0]);
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src.substring(lc.lineStarts[line - 1], lc.lineStarts[line]).replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
      const trimStart = Math.min(ci - 39, lineStr.length - 79);
      lineStr = '…' + lineStr.substring(trimStart);
      ci -= trimStart - 1;
    }
    if (lineStr.length > 80) lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
      // Regexp won't match if start is trimmed
      let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
      if (prev.length > 80) prev = prev.substring(0, 79) + '…\n';
      lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
      let count = 1;
      const end = error.linePos?.[1];
      if (end?.line === line && end.col > col) {
        count = Math.max(1, Math.min(end.col - col, 80 - ci));
      }
      const pointer = ' '.repeat(ci) + '^'.repeat(count);
      error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
  };
}
