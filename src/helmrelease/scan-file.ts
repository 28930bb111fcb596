/**
 * Scans one file's text for HelmRelease documents and the images in them. Pure: text in, data
 * out; bad input becomes problems with a line, never an exception.
 *
 * A little over the house's ~400 lines: this is where a release is put together from its parts
 * (documents, policies, filters, detection mode, aliases, release age), each read by a module of
 * its own; what is left here is the order they are applied in, which reads best in one place.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type YAMLMap } from 'yaml';
import { parseFilter } from '../filters/parse-filter.js';
import { error, warning, type Problem } from '../problems.js';
import { findNearMisses, readAliases, readAnnotations, readFilters, readPolicies } from './annotations.js';
import { CHART_IMAGE, detectAliasImage, detectValueImages, type DetectContext } from './detect-images.js';
import {
  filterByPrefix,
  namesContainerOrPrefix,
  readDetectionMode,
  type DetectionMode,
} from './detect-deep.js';
import { firstDuplicateKey } from './duplicate-keys.js';
import { readMinimumReleaseAge } from './release-age.js';
import type { FileScan, HelmRelease, ImageOccurrence } from './types.js';
import { normaliseKeys, parseWantedFile } from './go-yaml-documents.js';
import { documentsContaining, type DocumentChunk } from './parse-documents.js';
import { mayBeSopsEncrypted, readSops } from './sops.js';
import { asGoString, asMap, asString, describeNode, getValue, isNull, lineOf } from './yaml-nodes.js';

/** The apiVersions whose `kind: HelmRelease` documents are read (Flux v1, and Flux v2 as an extension). */
export const HELMRELEASE_API_VERSIONS: readonly string[] = [
  'helm.fluxcd.io/v1',
  'flux.weave.works/v1beta1',
  'helm.toolkit.fluxcd.io/v2beta1',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2',
];

/**
 * Cheap test for files that cannot hold a HelmRelease, so most files are rejected without a YAML
 * parse. A HelmRelease document must spell `HelmRelease` somewhere (its kind).
 */
export function mayHoldHelmRelease(text: string): boolean {
  return text.includes('HelmRelease');
}

/** True for a missing key or one left empty (`values:` reads as a null scalar). */
const isEmpty = isNull;

/** Orders containers as Flux does: `chart-image` first, then by name. */
function compareContainers(a: ImageOccurrence, b: ImageOccurrence): number {
  // Stryker disable next-line ConditionalExpression: containers come from a Map by name, so no two are equal
  if (a.container === b.container) return 0;
  if (a.container === CHART_IMAGE) return -1;
  if (b.container === CHART_IMAGE) return 1;
  // Stryker disable next-line EqualityOperator: no two names are equal (above)
  return a.container < b.container ? -1 : 1;
}

/** Reads one HelmRelease document, or returns undefined when the document is not one. */
function readRelease(
  file: string,
  root: YAMLMap,
  documentIndex: number,
  lines: LineCounter,
  problems: Problem[],
  // Stryker disable next-line StringLiteral: every caller passes the mode
  defaultDetection: DetectionMode = 'flux-v1',
) {
  skipLeadingByteOrderMark(root);
  const kind = asString(getValue(root, 'kind'), lines);
  if (kind?.value !== 'HelmRelease') return undefined;
  const line = kind.range.line;
  const { unreadable, anchors } = normaliseKeys(root);
  if (unreadable) {
    const metadata = asMap(getValue(root, 'metadata'));
    const name = asString(metadata && getValue(metadata, 'name'), lines)?.value;
    problems.push(
      error(
        file,
        lineOf(unreadable.node, lines, 0),
        `HelmRelease ${name ?? '(no name)'} could not be read as Flux v1 reads it (${unreadable.message}); it gets no update until this is fixed`,
      ),
    );
    return undefined;
  }
  const apiVersion = asString(getValue(root, 'apiVersion'), lines)?.value ?? '';
  // Flux v1 never looked at apiVersion (R1.1), and the spec's own examples omit it: a missing
  // apiVersion is accepted, another API's HelmRelease kind is not.
  if (apiVersion !== '' && !HELMRELEASE_API_VERSIONS.includes(apiVersion)) {
    problems.push(
      warning(
        file,
        line,
        `HelmRelease with apiVersion "${apiVersion}" is skipped; known apiVersions: ${HELMRELEASE_API_VERSIONS.join(', ')}`,
      ),
    );
    return undefined;
  }
  const metadata = asMap(getValue(root, 'metadata'));
  // String fields: ghodss/yaml turned a number or boolean into its text (`name: 123` is "123").
  const name = asGoString(metadata && getValue(metadata, 'name')) ?? '';
  const namespace = asGoString(metadata && getValue(metadata, 'namespace'));
  const annotationsNode = metadata && getValue(metadata, 'annotations');
  if (!isEmpty(annotationsNode) && !isMap(annotationsNode)) {
    problems.push(
      warning(
        file,
        lineOf(annotationsNode, lines, line),
        `metadata.annotations is ${describeNode(annotationsNode)}, not a map`,
      ),
    );
  }
  const annotations = readAnnotations(asMap(annotationsNode), lines);
  const policies = readPolicies(annotations, file, problems);
  const filters = readFilters(annotations, file, problems);
  /** Unusable policy annotations: each is an error at its line, and the release gets no update. */
  const blockers: string[] = [];
  const block = (at: number, message: string) => {
    blockers.push(message);
    problems.push(error(file, at, `${message}; this HelmRelease gets no update until it is fixed`));
  };
  for (const miss of findNearMisses(annotations)) {
    const key = miss.annotation.key;
    if (miss.blocks) {
      block(
        miss.annotation.line,
        `${key} looks like a misspelling of ${miss.meant}, which Flux v1 would ignore`,
      );
    } else {
      problems.push(
        warning(
          file,
          miss.annotation.line,
          `${key} looks like a misspelling of ${miss.meant}; Flux v1 ignores it`,
        ),
      );
    }
  }

  const ctx: DetectContext = { file, lines, problems, anchors };
  const specNode = getValue(root, 'spec');
  const spec = asMap(specNode);
  let values: YAMLMap | undefined;
  if (!isEmpty(specNode) && !spec) {
    problems.push(
      warning(
        file,
        lineOf(specNode, lines, line),
        `spec is ${describeNode(specNode)}, not a map; no images read`,
      ),
    );
  } else if (spec) {
    const valuesNode = getValue(spec, 'values');
    values = asMap(valuesNode);
    if (!isEmpty(valuesNode) && !values) {
      problems.push(
        warning(
          file,
          lineOf(valuesNode, lines, line),
          `spec.values is ${describeNode(valuesNode)}, not a map; no images read`,
        ),
      );
    }
  }

  const detection = readDetectionMode(annotations, defaultDetection, block);
  const minimumReleaseAgeMs = readMinimumReleaseAge(annotations, block);
  if (minimumReleaseAgeMs !== undefined) policies.minimumReleaseAgeMs = minimumReleaseAgeMs;
  const deep = detection === 'deep';
  const byName = new Map<string, Omit<ImageOccurrence, 'filter'>>();
  if (values)
    for (const found of detectValueImages(ctx, values, detection)) byName.set(found.container, found);
  // Aliases are applied last, so an alias named like a detected container replaces it (R4.4).
  for (const alias of readAliases(annotations)) {
    const found = detectAliasImage(ctx, values, alias);
    if (found) byName.set(found.container, found);
  }
  const containers: ImageOccurrence[] = [];
  for (const c of byName.values())
    containers.push({ ...c, filter: deep ? filterByPrefix(filters, c.container) : filters.get(c.container) });
  containers.sort(compareContainers);

  // Named once, and at most the first ten: a release with thousands of containers and of filters
  // naming none of them must not cost thousands of lists of thousands of names.
  let names: string | undefined;
  const containerNames = () =>
    (names ??=
      containers
        .slice(0, 10)
        .map((c) => c.container)
        .join(', ') + (containers.length > 10 ? ` and ${containers.length - 10} more` : ''));
  let namesOrPrefix: ((filterName: string) => boolean) | undefined;
  for (const [container, filter] of filters) {
    if (
      !byName.has(container) &&
      !(deep && (namesOrPrefix ??= namesContainerOrPrefix(byName.keys()))(container))
    ) {
      const hint = container.startsWith('tag.')
        ? ` (write filter.fluxcd.io/${container.slice(4)} or fluxcd.io/tag.${container.slice(4)}, not both prefixes)`
        : '';
      block(
        filter.line,
        `${filter.key} names no container of this HelmRelease${hint}, so the container it was meant for ` +
          `would get any tag (glob:*); ` +
          (containers.length ? `its containers are: ${containerNames()}` : 'it has no detected images'),
      );
      continue;
    }
    // An invalid semver constraint or regex matches everything in Flux (R6.5): a loosened
    // policy. A filter that matches nothing only stops its own container, so the plan warns.
    const parsed = parseFilter(filter.value);
    if (parsed.kind !== 'glob' && !parsed.valid)
      block(filter.line, `${filter.key}: ${parsed.problem ?? 'invalid'}`);
  }
  if (blockers.length > 0) {
    policies.blocked = `a policy annotation is unusable (${blockers[0]})`;
  }
  const release: HelmRelease = {
    file,
    documentIndex,
    namespace,
    name,
    apiVersion,
    line,
    policies,
    containers,
    ...(deep ? { detection } : {}),
  };
  return release;
}

/** A short, recognisable description of a document's HelmRelease for a syntax error, or undefined. */
function describeBrokenRelease(source: string): string | undefined {
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

const STACK_OVERFLOW = /Maximum call stack size exceeded/;

/** The first syntax error of a document (a repeated key counts), or undefined when it has none. */
function firstSyntaxError(doc: Document, lines: LineCounter): { pos: number; message: string } | undefined {
  const first = doc.errors[0];
  const duplicate = firstDuplicateKey(doc);
  if (duplicate !== undefined && (!first || duplicate < first.pos[0])) {
    // Worded as the `yaml` package words its own DUPLICATE_KEY error.
    const { line, col } = lines.linePos(duplicate);
    return { pos: duplicate, message: `Map keys must be unique at line ${line}, column ${col}` };
  }
  return first && { pos: first.pos[0], message: first.message.split('\n')[0].replace(/:$/, '') };
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
    const syntax = firstSyntaxError(doc, lines);
    if (syntax) {
      const message = syntax.message.replace(/ at line \d+, column \d+$/, '');
      const docStart = doc.range ? doc.range[0] : 0;
      const line = syntaxErrorLine(text, docStart, syntax.pos, message, lines.linePos(syntax.pos).line);
      const source = doc.range ? text.slice(doc.range[0], doc.range[2]) : text;
      const release = describeBrokenRelease(source);
      // `yaml` catches its own stack overflow on very deep nesting (10,000 `[`) and reports it
      // as an error of the document; say what it means rather than "Maximum call stack size".
      const what = STACK_OVERFLOW.test(message)
        ? `YAML nests too deeply to be read (${message.replace(STACK_OVERFLOW, 'stack overflow')})`
        : `YAML syntax error: ${message}${syntaxAdvice((fileLines ??= text.split(/\r\n|\r|\n/))[line - 1])}`;
      scan.problems.push(
        release === undefined
          ? warning(file, line, `${what}, document skipped`)
          : error(
              file,
              line,
              `${release} could not be read (${what}); it gets no update until this is fixed`,
            ),
      );
      return;
    }
    try {
      const root = asMap(doc.contents);
      if (!root) return;
      const release = readRelease(file, root, index, lines, scan.problems, detection);
      if (release) scan.releases.push(release);
      else if (!isListKind(root, lines)) return;
      else readListItems(file, root, index, lines, scan, detection);
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

/** How deep Lists inside Lists are opened. */
const MAX_LIST_DEPTH = 8;

/** True for a document whose kind ends in `List` (Flux opens its `items`, R0 step 1). */
function isListKind(root: YAMLMap, lines: LineCounter): boolean {
  const kind = asString(getValue(root, 'kind'), lines)?.value;
  return kind !== undefined && kind.endsWith('List');
}

/**
 * Reads the HelmReleases among the `items` of a `kind: *List` document. Each gets a position
 * between its document's index and the next, so releases stay distinct for edits.
 */
function readListItems(
  file: string,
  root: YAMLMap,
  index: number,
  lines: LineCounter,
  scan: FileScan,
  detection: DetectionMode,
  width = 1,
  depth = 0,
): void {
  const items = getValue(root, 'items');
  if (!isSeq(items)) return;
  const step = width / (items.items.length + 1);
  items.items.forEach((item, i) => {
    const map = asMap(item);
    if (!map) return;
    const position = index + (i + 1) * step;
    const release = readRelease(file, map, position, lines, scan.problems, detection);
    if (release) scan.releases.push(release);
    // Flux read a List inside a List the same way; the depth bound keeps a hostile file cheap.
    else if (depth < MAX_LIST_DEPTH && isListKind(map, lines)) {
      readListItems(file, map, position, lines, scan, detection, step, depth + 1);
    }
  });
}

/**
 * Files joined together carry a byte-order mark after each `---` (U+FEFF then `kind:`). go-yaml
 * skips one at the start of a line, so Flux read that document; the YAML parser here makes it part
 * of the first key, which is taken off again here.
 */
function skipLeadingByteOrderMark(root: YAMLMap): void {
  const key = root.items[0]?.key;
  if (isScalar(key) && typeof key.value === 'string' && key.value.startsWith('\uFEFF')) {
    key.value = key.value.slice(1);
  }
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
