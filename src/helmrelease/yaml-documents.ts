/**
 * The `yaml` package's `parseAllDocuments` (2.9.1, src/public-api.ts and src/errors.ts), reading
 * through yaml-parser.ts instead of the package's generator parser (issue 17): the package's own
 * `Composer` makes the documents from the same tokens, and each error's message gets its line,
 * column and the excerpt of its line as the package words them (`prettifyError`, here in time
 * linear in the errors), so the documents, errors and messages are the package's.
 * `yaml-cst.test.ts` checks them against it. Pure.
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

/**
 * Adds to an error's message its line and column, and its line with a pointer, as the package does,
 * but reading only the part of a line the message shows: the package copies the whole line (and
 * the line before) for every error, and a line of 100,000 repeated anchors (`&a &a …`, an error
 * each) took 46 s to read, where this takes the time of its parse.
 */
function prettifyError(src: string, lc: LineCounter) {
  /** Each line's length without the line break characters it ends with, by line number. */
  const lengths = new Map<number, number>();
  const lineLength = (line: number): number => {
    let length = lengths.get(line);
    if (length === undefined) {
      const start = lc.lineStarts[line - 1];
      let end = lc.lineStarts[line] ?? src.length;
      while (end > start && (src[end - 1] === '\n' || src[end - 1] === '\r')) end -= 1;
      length = end - start;
      lengths.set(line, length);
    }
    return length;
  };
  return (error: YAMLError): void => {
    if (error.pos[0] === -1) return;
    error.linePos = error.pos.map((pos) => lc.linePos(pos)) as YAMLError['linePos'];
    const { line, col } = lc.linePos(error.pos[0]);
    error.message += ` at line ${line}, column ${col}`;
    const start = lc.lineStarts[line - 1];
    const length = lineLength(line);
    let ci = col - 1;
    let lineStr: string;
    // At most 80 characters of the line, keeping the column near the middle.
    if (ci >= 60 && length > 80) {
      const trimStart = Math.min(ci - 39, length - 79);
      lineStr =
        length - trimStart > 79
          ? '…' + src.substring(start + trimStart, start + trimStart + 78) + '…'
          : '…' + src.substring(start + trimStart, start + length);
      ci -= trimStart - 1;
    } else {
      lineStr = length > 80 ? src.substring(start, start + 79) + '…' : src.substring(start, start + length);
    }
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
      const prevStart = lc.lineStarts[line - 2];
      lineStr =
        (start - prevStart > 80
          ? src.substring(prevStart, prevStart + 79) + '…\n'
          : src.substring(prevStart, start)) + lineStr;
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
