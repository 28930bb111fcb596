/**
 * What a document's syntax error is reported as: the first error (a repeated key counts), at the
 * line where the fix goes, with advice for the usual mistakes, as an error when the document is a
 * HelmRelease (it gets no update) and a warning otherwise. Pure.
 */
import type { Document, LineCounter } from 'yaml';
import { error, warning, type Problem } from '../problems.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { TooManyValuesError } from './node-count.js';

/** A short, recognisable description of a document's HelmRelease for a syntax error, or undefined. */
export function describeBrokenRelease(source: string): string | undefined {
  if (!/^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?HelmRelease\b/m.test(source)) return undefined;
  const name = /^[ \t]+name:[ \t]*["']?([\w.-]+)/m.exec(source)?.[1];
  return name === undefined ? 'a HelmRelease' : `HelmRelease ${name}`;
}

/**
 * The longest line {@link syntaxAdvice} looks at. The advice quotes the line back, and its pattern
 * backtracks: a 80,000-character line took 5.5 s to match (the time grows with the square of the
 * length, so one 4 MiB line would hang the run); a longer line gets the syntax error alone.
 */
const MAX_ADVICE_LINE = 1000;

/**
 * Advice for a `key: a: b` line (a value holding ": " unquoted), or ''. A value opening a flow
 * collection (`image: {repository: x,` left open) is not advised: quoting it is not the fix. A
 * comment after the value (` # ...`) stays out of the quotes.
 */
function syntaxAdvice(lineText: string | undefined): string {
  const m =
    lineText === undefined || lineText.length > MAX_ADVICE_LINE
      ? null
      : /^\s*(?:- )?([^\s:#][^:#]*?):\s+([^\s"'[{][^#]*?:\s.*?)\s*(?:\s#.*)?$/.exec(lineText);
  if (!m) return '';
  const [, key, value] = m;
  const filter = /^(semver|glob|regexp?):\s+(.*)$/.exec(value);
  if (key.includes('/') && filter) {
    return (
      `; a filter holding ": " must be quoted, and the space after "${filter[1]}:" would make it match nothing: ` +
      `write ${key}: "${filter[1]}:${filter[2]}"`
    );
  }
  return `; a value holding ": " must be quoted: ${key}: "${value}"`;
}

/**
 * The line to report for a syntax error: for an unclosed quote or flow collection the parser
 * stops where it gave up (often the next line, or the end of the file), but the fix goes where it
 * opened, so that line is named.
 */
function syntaxErrorLine(
  text: string,
  docStart: number,
  pos: number,
  message: string,
  fallback: number,
): number {
  const lines = text.slice(docStart, pos).split(/\r\n|\r|\n/);
  const firstLine = fallback - (lines.length - 1);
  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  if (quote !== undefined) {
    for (let i = lines.length - 1; i >= 0; i -= 1) if (lines[i].includes(quote)) return firstLine + i;
    return fallback;
  }
  const flow = /Flow (?:sequence|map) .*end with an? ([\]}])/.exec(message)?.[1];
  if (flow === undefined) return fallback;
  const open = flow === ']' ? '[' : '{';
  let depth = 0;
  let opened = fallback;
  lines.forEach((line, i) => {
    let quoted: string | undefined;
    // Stryker disable next-line EqualityOperator: line[line.length] is undefined, which no branch below takes
    for (let c = 0; c < line.length; c += 1) {
      const ch = line[c];
      if (quoted) {
        if (ch === quoted) quoted = undefined;
      } else if (ch === '"' || ch === "'") quoted = ch;
      else if (ch === '#' && (c === 0 || /\s/.test(line[c - 1]))) break;
      else if (ch === open) {
        if (depth === 0) opened = firstLine + i;
        depth += 1;
      } else if (ch === flow && depth > 0) depth -= 1;
    }
  });
  return depth > 0 ? opened : fallback;
}

/** V8's message for a recursion too deep: a document nested past what the parser's stack holds. */
export const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/** A line git writes around a merge conflict: `<<<<<<< HEAD`, `=======`, `>>>>>>> branch`, at column 0. */
const CONFLICT_MARKER = /^(?:<{7}|={7}|>{7})(?:[ \t]|$)/;

/**
 * The first line of a document (1-based, in the file) that is a merge conflict marker, or undefined.
 * Only asked of a broken document: a committed conflict reads as an unrelated syntax error
 * ("Implicit keys need to be on a single line") at or after the marker, so the marker is named instead.
 */
function conflictMarkerLine(
  doc: Document,
  lines: LineCounter,
  fileLines: () => string[],
): number | undefined {
  if (!doc.range) return undefined;
  const first = lines.linePos(doc.range[0]).line;
  const last = lines.linePos(doc.range[2]).line;
  const all = fileLines();
  for (let line = first; line <= last && line <= all.length; line += 1) {
    if (CONFLICT_MARKER.test(all[line - 1])) return line;
  }
  return undefined;
}

/**
 * The first syntax error of a document, or undefined when it has none. A repeated key counts only
 * `withDuplicateKeys` (yaml.v2 keeps the last of them, so Flux v1 reads such a document).
 */
function firstSyntaxError(
  doc: Document,
  lines: LineCounter,
  withDuplicateKeys: boolean,
): { pos: number; message: string } | undefined {
  const first = doc.errors[0];
  const duplicate = withDuplicateKeys ? firstDuplicateKey(doc) : undefined;
  if (duplicate !== undefined && (!first || duplicate.pos < first.pos[0])) {
    // Worded as the `yaml` package words its own DUPLICATE_KEY error, with the key and both lines.
    const { line } = lines.linePos(duplicate.pos);
    const earlier = lines.linePos(duplicate.earlierPos).line;
    return {
      pos: duplicate.pos,
      message:
        `Map keys must be unique: ${duplicate.key} is written at line ${earlier} and again at line ${line}; ` +
        'keep one of them',
    };
  }
  return first && { pos: first.pos[0], message: first.message.split('\n')[0].replace(/:$/, '') };
}

/** A document's first syntax error: the line where the fix goes, and what is wrong, in words. */
export interface DocumentSyntaxError {
  line: number;
  /** `YAML syntax error: …` with advice for the usual mistakes, or why it nests too deeply. */
  what: string;
  /**
   * True when the document is past a bound of this tool's (it nests too deeply, or holds more values
   * than a file's parse makes), not a YAML error: yaml.v2, and so Flux v1, may read it.
   */
  pastBound?: true;
}

/**
 * The first syntax error of a document, or undefined when it has none. `fileLines` gives the
 * file's lines (split once per file, and only when a document is broken). A repeated key counts
 * unless `withDuplicateKeys` is false.
 */
export function syntaxErrorOf(
  text: string,
  doc: Document,
  lines: LineCounter,
  fileLines: () => string[],
  withDuplicateKeys = true,
): DocumentSyntaxError | undefined {
  const syntax = firstSyntaxError(doc, lines, withDuplicateKeys);
  if (!syntax) return undefined;
  const message = syntax.message.replace(/ at line \d+, column \d+$/, '');
  const conflict = conflictMarkerLine(doc, lines, fileLines);
  if (conflict !== undefined) {
    const marker = fileLines()[conflict - 1].slice(0, 7);
    return {
      line: conflict,
      what:
        `YAML syntax error: ${message}; line ${conflict} is a merge conflict marker (${marker}) left in the file: ` +
        'resolve the conflict (keep one side, and remove the <<<<<<<, ======= and >>>>>>> lines)',
    };
  }
  const docStart = doc.range ? doc.range[0] : 0;
  if (doc.errors[0] instanceof TooManyValuesError && syntax.pos === doc.errors[0].pos[0]) {
    return { line: lines.linePos(syntax.pos).line, what: message, pastBound: true };
  }
  const line = syntaxErrorLine(text, docStart, syntax.pos, message, lines.linePos(syntax.pos).line);
  // `yaml` catches its own stack overflow on very deep nesting (10,000 `[`) and reports it
  // as an error of the document; say what it means rather than "Maximum call stack size".
  if (STACK_OVERFLOW.test(message)) {
    return {
      line,
      what: `YAML nests too deeply to be read (${message.replace(STACK_OVERFLOW, 'stack overflow')})`,
      pastBound: true,
    };
  }
  return { line, what: `YAML syntax error: ${message}${syntaxAdvice(fileLines()[line - 1])}` };
}

/**
 * The problem for a document that has a syntax error, or undefined when it has none. `fileLines`
 * gives the file's lines (split once per file, and only when a document is broken).
 */
export function syntaxErrorProblem(
  file: string,
  text: string,
  doc: Document,
  lines: LineCounter,
  fileLines: () => string[],
): Problem | undefined {
  const syntax = syntaxErrorOf(text, doc, lines, fileLines);
  if (!syntax) return undefined;
  const { line, what } = syntax;
  const source = doc.range ? text.slice(doc.range[0], doc.range[2]) : text;
  const release = describeBrokenRelease(source);
  return release === undefined
    ? warning(file, line, `${what}, document skipped`)
    : error(file, line, `${release} could not be read (${what}); it gets no update until this is fixed`);
}
