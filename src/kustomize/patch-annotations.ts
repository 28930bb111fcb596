/**
 * The annotations a Kustomize patch puts on what it patches, and which of them narrow a
 * HelmRelease's updates. Pure.
 *
 * A patch's text is a JSON6902 patch when it is a list of operations (Kustomize tries that first),
 * else one or more strategic merge patches:
 *
 *   - op: add                                         apiVersion: helm.fluxcd.io/v1
 *     path: /metadata/annotations/fluxcd.io~1locked   kind: HelmRelease
 *     value: "true"                                   metadata:
 *   - op: replace                                       name: app
 *     path: /metadata/annotations                       annotations:
 *     value: {filter.fluxcd.io/app: "semver:~1.0"}        fluxcd.io/locked: "true"
 *
 * An operation that copies or moves a value onto an annotation (`from:`) sets a value not known
 * here: it counts as one that holds.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { findNearMisses } from '../helmrelease/annotation-near-misses.js';
import {
  lockOrIgnoreHolds,
  readAnnotation,
  readAnnotations,
  readFilters,
  type Annotation,
} from '../helmrelease/annotations.js';
import { parseFile } from '../helmrelease/go-yaml-documents.js';
import { isDefaultFilter } from '../filters/parse-filter.js';
import { unescapePointer, writtenValuePaths } from '../helmrelease/patch-values.js';
import { notYaml } from './kustomization.js';
import {
  firstUnfollowed,
  firstUnfollowedIn,
  UNFOLLOWED_FIX,
  unfollowedReason,
  type Unfollowed,
} from './unfollowed-aliases.js';
import { MINIMUM_RELEASE_AGE_ANNOTATION } from '../helmrelease/release-age.js';
import { asGoString, asMap, getValue, lineOf } from '../helmrelease/yaml-nodes.js';

/** What one document of a patch sets: its annotations, and what it names (strategic merge only). */
export interface PatchedAnnotations {
  annotations: Annotation[];
  /** The labels it sets, read as annotations: a Flux policy among them was meant as one. */
  labels: Annotation[];
  /** The `spec.values` paths it writes (see patch-values.ts). */
  valuePaths: ReadonlySet<string>;
  kind?: string;
  name?: string;
  namespace?: string;
}

/**
 * A patch's documents, or why it is `unreadable` (a clause) and how to make it readable: its text
 * is not YAML (Kustomize fails on it), or what it sets is written through an alias or merge key
 * (Kustomize follows it, unfollowed-aliases.ts).
 */
export type PatchReading =
  { documents: PatchedAnnotations[] } | { unreadable: string; fix: string; unfollowed?: Unfollowed };

const NOT_YAML_FIX = 'the patch is valid YAML';

/**
 * The annotations each document of a patch's text sets, with their lines in `text` (an operation's
 * line for a JSON6902 patch).
 */
export function readPatchAnnotations(text: string): PatchReading {
  let parsed: ReturnType<typeof parseFile>;
  try {
    parsed = parseFile(text);
  } catch (e) {
    return { unreadable: notYaml((e as Error).message, '()'), fix: NOT_YAML_FIX };
  }
  const documents: PatchedAnnotations[] = [];
  for (const doc of parsed.docs) {
    if (doc.errors.length > 0) {
      return { unreadable: notYaml(doc.errors[0].message, '()'), fix: NOT_YAML_FIX };
    }
    const contents = doc.contents as Node | null;
    const unfollowed = isSeq(contents)
      ? firstUnfollowed([contents], parsed.lines)
      : isMap(contents)
        ? firstUnfollowedIn(contents, ['kind', 'metadata'], parsed.lines)
        : undefined;
    if (unfollowed) return { unreadable: unfollowedReason(unfollowed), fix: UNFOLLOWED_FIX, unfollowed };
    if (isSeq(contents)) {
      const refused = refusedOperation(contents.items as Node[]);
      if (refused) return { unreadable: refused, fix: OPERATION_FIX };
      documents.push({
        annotations: readOperations(contents.items as Node[], parsed.lines),
        labels: readLabelOperations(contents.items as Node[], parsed.lines),
        valuePaths: writtenValuePaths(contents),
      });
      continue;
    }
    const root = asMap(contents);
    if (!root) continue;
    const metadata = asMap(getValue(root, 'metadata'));
    const optional = (key: string, value: string | undefined) =>
      value === undefined ? {} : { [key]: value };
    documents.push({
      annotations: readAnnotations(metadata && asMap(getValue(metadata, 'annotations')), parsed.lines),
      labels: readAnnotations(metadata && asMap(getValue(metadata, 'labels')), parsed.lines),
      valuePaths: writtenValuePaths(root),
      ...optional('kind', asGoString(getValue(root, 'kind'))),
      ...optional('name', metadata && asGoString(getValue(metadata, 'name'))),
      ...optional('namespace', metadata && asGoString(getValue(metadata, 'namespace'))),
    });
  }
  return { documents };
}

/**
 * The fields of a JSON6902 operation and its operations, as Kustomize's JSON patch library
 * (evanphx/json-patch) reads them: keys of a map, matched exactly, not decoded into a struct, so
 * `Op:` or `Path:` is not read and the patch fails ("missing path", "Unexpected kind"), and nothing
 * the kustomization builds is applied until it is fixed.
 */
const OPERATION_FIELDS = ['op', 'path', 'value', 'from'];
const OPERATIONS = ['add', 'remove', 'replace', 'move', 'copy', 'test'];
const OPERATION_FIX = 'each operation is written with op, path, value and from, in lower case (RFC 6902)';

/** Why Kustomize cannot apply one of a JSON6902 patch's operations, as a clause; none when it can. */
function refusedOperation(operations: readonly Node[]): string | undefined {
  for (const [index, item] of operations.entries()) {
    const op = asMap(item);
    const which = `its operation ${index + 1}`;
    if (!op) return `${which} is not a map of op, path and value, which Kustomize cannot apply`;
    for (const pair of op.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && OPERATION_FIELDS.includes(key)) continue;
      const meant = key === undefined ? undefined : OPERATION_FIELDS.find((f) => f === key.toLowerCase());
      return `${which} has ${key ?? 'a key that is not text'}, which Kustomize's JSON patch does not read${meant ? ` (did you mean ${meant}?)` : ''}`;
    }
    const name = asGoString(getValue(op, 'op'));
    if (name === undefined || !OPERATIONS.includes(name)) {
      return `${which} has op ${name ?? '(none)'}, which Kustomize cannot apply (it applies ${OPERATIONS.join(', ')})`;
    }
    if (asGoString(getValue(op, 'path')) === undefined) {
      return `${which} has no path, which Kustomize cannot apply`;
    }
  }
  return undefined;
}

const ANNOTATIONS_PATH = '/metadata/annotations';

/** The annotations a JSON6902 patch's operations add or replace. */
function readOperations(operations: readonly Node[], lines: LineCounter): Annotation[] {
  const found: Annotation[] = [];
  for (const item of operations) {
    const op = asMap(item);
    if (!op) continue;
    const name = asGoString(getValue(op, 'op'));
    const path = asGoString(getValue(op, 'path'));
    if (path === undefined) continue;
    const line = lineOf(op, lines);
    if (name === 'remove') {
      // Removing the automated annotation (or all of them) leaves the release not automated.
      const key = path.startsWith(`${ANNOTATIONS_PATH}/`)
        ? unescapePointer(path.slice(ANNOTATIONS_PATH.length + 1))
        : path === ANNOTATIONS_PATH || path === '/metadata'
          ? 'fluxcd.io/automated'
          : undefined;
      if (key !== undefined && AUTOMATED_KEY.test(key)) found.push(removed(key, line));
      continue;
    }
    if (!['add', 'replace', 'copy', 'move'].includes(name ?? '')) continue;
    // copy and move take their value from elsewhere in the object: unknown here.
    const value = name === 'copy' || name === 'move' ? undefined : getValue(op, 'value');
    const known = name === 'add' || name === 'replace';
    if (path.startsWith(`${ANNOTATIONS_PATH}/`)) {
      const key = unescapePointer(path.slice(ANNOTATIONS_PATH.length + 1));
      found.push(known ? readAnnotation(key, value, line) : unknownValue(key, line));
    } else if (path === ANNOTATIONS_PATH || path === '/metadata') {
      const map =
        path === '/metadata' ? asMap(value) && asMap(getValue(asMap(value)!, 'annotations')) : value;
      if (isMap(map)) {
        // The map replaces the release's own: without an automated annotation it has none.
        const written = readAnnotations(map, lines).map((a) => ({ ...a, line }));
        found.push(...written);
        if (!written.some((a) => AUTOMATED_KEY.test(a.key))) found.push(removed('fluxcd.io/automated', line));
      }
      // A whole annotations map copied from elsewhere may hold anything.
      else if (!known) found.push(unknownValue(`${path} (copied)`, line));
    }
  }
  return found;
}

const LABELS_PATH = '/metadata/labels';

/**
 * The labels a JSON6902 patch's operations add or replace, read as annotations. A label copied or
 * moved from elsewhere is one whose value is not known; a whole labels map copied is not read
 * (Flux ignores labels: only a policy written as one is said).
 */
function readLabelOperations(operations: readonly Node[], lines: LineCounter): Annotation[] {
  const found: Annotation[] = [];
  for (const item of operations) {
    const op = asMap(item);
    const name = op && asGoString(getValue(op, 'op'));
    const path = op && asGoString(getValue(op, 'path'));
    if (!op || path === undefined || !['add', 'replace', 'copy', 'move'].includes(name ?? '')) continue;
    const line = lineOf(op, lines);
    const known = name === 'add' || name === 'replace';
    if (path.startsWith(`${LABELS_PATH}/`)) {
      const key = unescapePointer(path.slice(LABELS_PATH.length + 1));
      found.push(known ? readAnnotation(key, getValue(op, 'value'), line) : unknownValue(key, line));
    } else if (known && (path === LABELS_PATH || path === '/metadata')) {
      const value = getValue(op, 'value');
      const map = path === '/metadata' ? asMap(value) && asMap(getValue(asMap(value)!, 'labels')) : value;
      if (isMap(map)) found.push(...readAnnotations(map, lines).map((a) => ({ ...a, line })));
    }
  }
  return found;
}

/** The keys of Flux's automated policy. */
const AUTOMATED_KEY = /^(?:fluxcd\.io|flux\.weave\.works)\/automated$/;

/** An annotation a patch removes, said so in its key. */
function removed(key: string, line: number): Annotation {
  return { key: `${key} (removed)`, value: '', isString: false, isNull: true, source: '', line };
}

/** An annotation whose value is not known (copied or moved): read as one that means neither true nor false. */
function unknownValue(key: string, line: number): Annotation {
  return { key, value: '?', isString: true, isNull: false, source: '?', line };
}

/** An annotation that narrows a HelmRelease's updates, and the container it is for when it is a filter. */
export interface NarrowingAnnotation {
  annotation: Annotation;
  /** The container a tag filter is for; absent when it narrows every container. */
  container?: string;
}

/**
 * The annotations that narrow what a HelmRelease may be updated to, in order: a `locked` or
 * `ignore` that is not plainly off (a value that means neither true nor false holds, failing safe),
 * a tag filter other than `glob:*` (for its container), a minimum release age other than 0, a misspelling of one of
 * them, a value copied from elsewhere, and, when only automated releases are updated
 * (`requireAutomated`), an `automated` other than "true" or its removal. `fluxcd.io/locked:
 * "false"` or `fluxcd.io/automated: "true"` narrow nothing.
 */
export function narrowingAnnotations(
  annotations: readonly Annotation[],
  requireAutomated: boolean,
): NarrowingAnnotation[] {
  const filterContainers = new Map(
    [...readFilters(annotations, '', []).entries()].map(([container, f]) => [f.key, container]),
  );
  const nearMisses = new Set(
    findNearMisses(annotations)
      .filter((m) => m.blocks)
      .map((m) => m.annotation),
  );
  const found: NarrowingAnnotation[] = [];
  for (const a of annotations) {
    const container = filterContainers.get(a.key);
    // glob:* lets every tag through, as no filter does: it narrows nothing.
    if (container !== undefined && !nearMisses.has(a) && isDefaultFilter(a.value)) continue;
    if (container !== undefined && !nearMisses.has(a)) found.push({ annotation: a, container });
    else if (narrows(a, requireAutomated, container !== undefined || nearMisses.has(a))) {
      found.push({ annotation: a });
    }
  }
  return found;
}

/** Whether one annotation (not a filter's) narrows; `flagged` when it is a misspelling or a filter. */
function narrows(a: Annotation, requireAutomated: boolean, flagged: boolean): boolean {
  if (a.key.endsWith(' (copied)') || flagged) return true;
  if (a.key === MINIMUM_RELEASE_AGE_ANNOTATION) return a.value.trim() !== '0';
  const automated = AUTOMATED_KEY.test(a.key.replace(/ \(removed\)$/, ''));
  if (automated) return requireAutomated && !(a.isString && a.value === 'true');
  return lockOrIgnoreHolds(a) ?? false;
}

/** Names of Flux's policy and filter annotations and this Action's own. */
const MAY_NARROW = /locked|ignore|filter\.fluxcd\.io|tag\.|minimum-release-age/;

/** True when text that cannot be read may hold an annotation that narrows updates. */
export function mayNarrow(text: string): boolean {
  return MAY_NARROW.test(text);
}
