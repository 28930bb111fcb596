/**
 * Scans one file's text for HelmRelease documents and the images in them: which documents to
 * parse, SOPS, syntax errors and Lists here; each release is read by read-release.ts. Pure: text
 * in, data out; bad input becomes problems with a line, never an exception.
 */
import { isSeq, type Document, type LineCounter, type YAMLMap } from 'yaml';
import { error, warning, type Problem } from '../problems.js';
import type { DetectionMode } from './detect-deep.js';
import type { FileScan, HelmRelease } from './types.js';
import { parseWantedFile } from './go-yaml-documents.js';
import { documentsContaining, type DocumentChunk } from './parse-documents.js';
import { readRelease } from './read-release.js';
import { readDocumentAnchors, type DocumentAnchors } from './document-anchors.js';
import { mayBeSopsEncrypted, readSops } from './sops.js';
import { describeBrokenRelease, syntaxErrorProblem } from './syntax-errors.js';
import { helmReleaseFieldsRefusal, listItemsRefusal } from './flux-resource-refusals.js';
import { withHolds } from './hold-places.js';
import {
  findListAnnotations,
  itemHolds,
  listAnnotationMessage,
  type MisplacedAnnotation,
} from './misplaced-annotations.js';
import { aliasingRefusal } from './go-yaml-decode-refusals.js';
import { asMap, asString, getValue } from './yaml-nodes.js';

/**
 * Cheap test for files that cannot hold a HelmRelease, so most files are rejected without a YAML
 * parse. A HelmRelease document must spell `HelmRelease` somewhere (its kind).
 */
export function mayHoldHelmRelease(text: string): boolean {
  return text.includes('HelmRelease');
}

/** How a file is scanned. */
export interface ScanOptions {
  /** The `detection` input: how images are found unless a release's annotation says otherwise. */
  detection?: DetectionMode;
}

/**
 * Finds every HelmRelease in a file and every image in each. `only`, when given, narrows the
 * documents read to those it accepts (the edit step re-reads only the documents it changed).
 */
export function scanFile(
  file: string,
  text: string,
  only?: (chunk: DocumentChunk) => boolean,
  options: ScanOptions = {},
): FileScan {
  // Stryker disable next-line StringLiteral: only 'deep' is ever asked for; any other mode reads as Flux v1
  const detection = options.detection ?? 'flux-v1';
  const scan: FileScan = { file, releases: [], problems: [], ...(detection === 'deep' ? { detection } : {}) };
  if (!mayHoldHelmRelease(text)) return scan;
  let docs: (Document | undefined)[];
  let lines: LineCounter;
  // Documents that do not spell HelmRelease cannot hold one (nor a List of them) and are not parsed
  // (issue 17), so their syntax errors are not reported; a file with SOPS metadata is read whole.
  const holdsHelmRelease = mayBeSopsEncrypted(text) ? () => true : documentsContaining(text, 'HelmRelease');
  try {
    ({ docs, lines } = parseWantedFile(text, (chunk) => holdsHelmRelease(chunk) && (only?.(chunk) ?? true)));
  } catch (e) {
    scan.problems.push(warning(file, 1, `could not parse YAML: ${(e as Error).message}`));
    return scan;
  }
  if (only === undefined) {
    const bom = innerByteOrderMark(text, lines);
    if (bom) scan.problems.push(bom(file));
  }
  const sops = readSops(file, docs, lines);
  if (sops.encrypted) {
    scan.problems.push(...sops.problems);
    return scan;
  }
  // Split once, and only when a document is broken (a file with many broken documents is split once).
  let fileLines: string[] | undefined;
  docs.forEach((doc, index) => {
    if (!doc) return;
    const syntax = syntaxErrorProblem(file, text, doc, lines, () => (fileLines ??= text.split(/\r\n|\r|\n/)));
    if (syntax) {
      scan.problems.push(syntax);
      return;
    }
    try {
      const root = asMap(doc.contents);
      if (!root) return;
      const aliased = documentHas(text, doc, '*');
      // An expansion needs an anchor: a `*` in a glob filter alone costs no walk.
      const aliasing = aliased && documentHas(text, doc, '&') ? aliasingRefusal(doc) : undefined;
      if (aliasing) {
        const release = describeBrokenRelease(doc.range ? text.slice(doc.range[0], doc.range[2]) : text);
        scan.problems.push(
          error(
            file,
            lines.linePos(aliasing.pos).line,
            `${release ?? 'This document'} could not be read as Flux v1 reads it (${aliasing.what}); ` +
              `${release ? 'it gets' : 'the HelmReleases in it get'} no update until this is fixed`,
          ),
        );
        return;
      }
      const anchors = aliased ? readDocumentAnchors(root, lines) : undefined;
      const release = readRelease(file, root, index, lines, scan.problems, detection, anchors);
      // A List's items were checked whole (readListItems). A release with an image is checked here,
      // as the plan edits its document without reading it again; one without is never edited, and
      // the plan reads its document whole when it edits another release of the file.
      const refused = release && release.containers.length > 0 && helmReleaseFieldsRefusal(doc, root);
      if (refused) {
        scan.problems.push(
          error(
            file,
            lines.linePos(refused.pos).line,
            `Flux v1 cannot load HelmRelease ${release.name || '(no name)'} (${refused.what}); it fails the whole file ` +
              'on it, so no HelmRelease in this file gets an update until this is fixed',
          ),
        );
      } else if (release) scan.releases.push(release);
      else if (!isListKind(root, lines)) return;
      else readListItems(file, doc, root, index, lines, scan, detection, anchors);
    } catch (e) {
      // Detection never recurses deeply, but a pure function must not throw on any input: one
      // unreadable document becomes a problem and the file's other documents are still read.
      const line = doc.range ? lines.linePos(doc.range[0]).line : 1;
      const release = describeBrokenRelease(doc.range ? text.slice(doc.range[0], doc.range[2]) : text);
      const why = `it could not be read (${(e as Error).message})`;
      scan.problems.push(
        release === undefined
          ? warning(file, line, `document skipped: ${why}`)
          : error(file, line, `${release} was skipped: ${why}; it gets no update`),
      );
    }
  });
  return scan;
}

/**
 * False when a document's text has no `mark`: no `*`, no alias whose anchors need reading; no `&`,
 * no anchor for an alias to expand.
 */
function documentHas(text: string, doc: Document, mark: '*' | '&'): boolean {
  // Stryker disable next-line ConditionalExpression: a document without a range is read whole; reading its anchors only costs time
  if (!doc.range) return true;
  const at = text.indexOf(mark, doc.range[0]);
  return at !== -1 && at < doc.range[2];
}

/**
 * A List's own Flux annotations, for one of its releases: each that would narrow what gets updated
 * (a lock, a filter) and that the item does not carry itself holds the release; each is said once
 * per List (`said`), an error when it holds, else a warning.
 */
function applyListAnnotations(
  file: string,
  item: YAMLMap,
  release: HelmRelease,
  ofList: readonly MisplacedAnnotation[],
  said: Set<MisplacedAnnotation>,
  lines: LineCounter,
  problems: Problem[],
): void {
  for (const misplaced of ofList) {
    if (itemHolds(item, misplaced.annotation, lines)) continue;
    const message = listAnnotationMessage(misplaced);
    const line = misplaced.annotation.line;
    const narrows = misplaced.effect === 'narrows';
    if (narrows) {
      release.policies = withHolds(release.policies, `a policy annotation is unusable (${message})`, [
        { file, line },
      ]);
    }
    if (said.has(misplaced)) continue;
    said.add(misplaced);
    problems.push(
      narrows
        ? error(
            file,
            line,
            `${message}; the HelmReleases in this List without it in their own annotations get no update until it is fixed`,
          )
        : warning(file, line, message),
    );
  }
}

/** True for a document whose kind ends in `List` (Flux opens its `items`, R0 step 1). */
function isListKind(root: YAMLMap, lines: LineCounter): boolean {
  const kind = asString(getValue(root, 'kind'), lines)?.value;
  return kind !== undefined && kind.endsWith('List');
}

/**
 * True for a List one of whose items is of kind HelmRelease, or is a List that holds one, however
 * deep: a depth cap let a HelmRelease eleven Lists down go without the warning. An explicit stack,
 * not recursion (a deeply nested document must not overflow the call stack); each node is looked
 * at once, so the document's own size bounds the work.
 */
function holdsHelmRelease(list: YAMLMap, lines: LineCounter): boolean {
  const lists = [list];
  for (let next = lists.pop(); next !== undefined; next = lists.pop()) {
    const items = getValue(next, 'items');
    if (!isSeq(items)) continue;
    for (const item of items.items) {
      const map = asMap(item);
      if (!map) continue;
      if (asString(getValue(map, 'kind'), lines)?.value === 'HelmRelease') return true;
      if (isListKind(map, lines)) lists.push(map);
    }
  }
  return false;
}

/**
 * Reads the HelmReleases among the `items` of a `kind: *List` document. Each gets a position
 * between its document's index and the next, so releases stay distinct for edits. None is read
 * when Flux v1 could not read every item (flux-resource-refusals.ts): it failed on the List. A
 * List among the items was one resource to Flux, which never looked at its items, so a HelmRelease
 * there is not read either, and a warning says so.
 */
function readListItems(
  file: string,
  doc: Document,
  root: YAMLMap,
  index: number,
  lines: LineCounter,
  scan: FileScan,
  detection: DetectionMode,
  /** The whole document's anchors: an item's alias may name an anchor of an earlier item. */
  anchors: DocumentAnchors | undefined,
): void {
  const items = getValue(root, 'items');
  if (!isSeq(items)) return;
  const refused = listItemsRefusal(doc, root);
  if (refused) {
    scan.problems.push(
      error(
        file,
        lines.linePos(refused.pos).line,
        `Flux v1 cannot load this List (${refused.what}); no HelmRelease in it gets an update until this is fixed`,
      ),
    );
    return;
  }
  const step = 1 / (items.items.length + 1);
  const ofList = findListAnnotations(root, lines);
  const said = new Set<MisplacedAnnotation>();
  items.items.forEach((item, i) => {
    const map = asMap(item);
    if (!map) return;
    const position = index + (i + 1) * step;
    const release = readRelease(file, map, position, lines, scan.problems, detection, anchors);
    if (release) {
      applyListAnnotations(file, map, release, ofList, said, lines, scan.problems);
      scan.releases.push(release);
    } else if (isListKind(map, lines) && holdsHelmRelease(map, lines)) {
      const line = lines.linePos(map.range?.[0] ?? 0).line;
      scan.problems.push(
        warning(
          file,
          line,
          'this List inside a List is not read: Flux v1 took it as one resource and never looked ' +
            'at its items, so a HelmRelease there is not updated; move its items to the outer List',
        ),
      );
    }
  });
}

/**
 * A byte-order mark at the start of a line inside a document (not its first line, where
 * {@link skipLeadingByteOrderMark} takes it off): go-yaml skips it, the parser here does not, so
 * the key or value it starts would differ from what Flux read. Said once per file.
 */
function innerByteOrderMark(text: string, lines: LineCounter): ((file: string) => Problem) | undefined {
  const marks = /[\n\r]\uFEFF/g;
  for (let found = marks.exec(text); found; found = marks.exec(text)) {
    const lineStart = text.lastIndexOf('\n', found.index - 1) + 1;
    if (/^---[ \t]*\r?$/.test(text.slice(lineStart, found.index + 1).replace(/\n$/, ''))) continue;
    const line = lines.linePos(found.index + 1).line;
    return (file) =>
      warning(
        file,
        line,
        'a byte-order mark (U+FEFF) starts this line inside a document; Flux reads past it, but ' +
          'this Action reads it as part of what follows: remove it',
      );
  }
  return undefined;
}
