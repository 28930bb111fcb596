/**
 * Flux annotations written somewhere other than `metadata.annotations`: under `metadata.labels`,
 * a top-level or `spec.annotations`, `spec.values` or its `podAnnotations`/`annotations`, or one
 * level off by indentation (`metadata.fluxcd.io/locked`); not deeper in the values (the chart's).
 * Flux v1 read policies, filters and aliases only from `metadata.annotations` (R2.1), so it
 * ignored these without a word: a lock or a filter written there let the release be updated as if
 * it were not written at all. Pure: nodes in, calls out.
 *
 * A key that narrows what is updated (`locked`, `ignore`, a filter, this Action's own
 * `minimum-release-age`) blocks the release; one that could only widen it if it were read
 * (`automated`, an alias) is a warning, since ignoring it updates less, not more. The same key with
 * the same value in `metadata.annotations` as well is no mistake: it is read from there.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { isDefaultFilter } from '../filters/parse-filter.js';
import { lockOrIgnoreHolds, readAnnotations, type Annotation } from './annotations.js';
import { getValue } from './yaml-nodes.js';

/**
 * How ignoring a misplaced key changes what is updated: `narrows` when it would update more than
 * its author allowed, `widens` when it would update less or the same (a lock that is off, a
 * `glob:*` filter: ignored or read, the release is updated alike).
 */
type Effect = 'narrows' | 'widens';

/** Deepest level of nesting looked at; a release's real values are far shallower. */
const MAX_DEPTH = 64;

/**
 * The maps of `spec.values` looked into, besides its own keys: where a release's annotations are
 * put by a slip. Deeper values are the chart's: a chart that makes Kubernetes objects from its
 * values (a "raw" chart) may carry Flux annotations for them on purpose, so they are not read.
 */
const VALUES_ANNOTATION_MAPS = new Set(['annotations', 'podAnnotations']);

/** What ignoring `key` does, or undefined when it is no annotation Flux or this Action reads. */
function effectOfKey(key: string): Effect | undefined {
  // Most keys of a release's values have no slash: they are passed over without a pattern.
  if (!key.includes('/')) return undefined;
  if (/^(?:fluxcd\.io|flux\.weave\.works)\/(?:locked|ignore)$/.test(key)) return 'narrows';
  if (/^(?:filter\.fluxcd\.io\/|(?:fluxcd\.io|flux\.weave\.works)\/tag\.)./.test(key)) return 'narrows';
  if (/^helmrelease-image-updater\.io\/./.test(key)) return 'narrows';
  if (/^(?:fluxcd\.io|flux\.weave\.works)\/automated$/.test(key)) return 'widens';
  if (/^(?:registry|repository|tag)\.fluxcd\.io\/./.test(key)) return 'widens';
  return undefined;
}

/** What to do about one misplaced key. */
export interface MisplacedAnnotation {
  annotation: Annotation;
  /** Where it is, as a path: `metadata.labels`, `spec.values.podAnnotations`, `the top level`. */
  where: string;
  effect: Effect;
}

/**
 * Every Flux (or this Action's) annotation key in the HelmRelease document `root` outside
 * `metadata.annotations`, unless `metadata.annotations` holds the same key with the same value.
 */
export function findMisplacedAnnotations(
  root: YAMLMap,
  annotations: readonly Annotation[],
  lines: LineCounter,
): MisplacedAnnotation[] {
  const placed = new Map(annotations.map((a) => [a.key, a.value]));
  const metadata = getValue(root, 'metadata');
  const annotationsNode = isMap(metadata) ? getValue(metadata, 'annotations') : undefined;
  const found: MisplacedAnnotation[] = [];
  const visit = (node: Node | null | undefined, path: string, depth: number): void => {
    // A map there is read as the annotations; anything else is looked into (a list of maps is a
    // common slip: `- fluxcd.io/locked: "true"`).
    if (depth > MAX_DEPTH || node == null || isAlias(node) || (isMap(node) && node === annotationsNode))
      return;
    if (isSeq(node)) {
      for (const item of node.items) visit(item as Node, `${path}[]`, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    const keyed = node.items.some(
      (pair) => isScalar(pair.key) && typeof pair.key.value === 'string' && effectOfKey(pair.key.value),
    );
    if (keyed) {
      for (const annotation of readAnnotations(node, lines)) {
        const effect = effectOfKey(annotation.key);
        if (effect === undefined || placed.get(annotation.key) === annotation.value) continue;
        found.push({
          annotation,
          where: describePath(path),
          effect: effect === 'narrows' && narrowsNothing(annotation) ? 'widens' : effect,
        });
      }
    }
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (effectOfKey(key) !== undefined) continue;
      if (path === 'spec.values' && !VALUES_ANNOTATION_MAPS.has(key)) continue;
      visit(pair.value as Node, path === '' ? key : `${path}.${key}`, depth + 1);
    }
  };
  visit(root, '', 0);
  return found;
}

/** True for a lock or ignore that is plainly off, or a filter that lets every tag through. */
function narrowsNothing(annotation: Annotation): boolean {
  if (/^(?:filter\.fluxcd\.io\/|(?:fluxcd\.io|flux\.weave\.works)\/tag\.)./.test(annotation.key)) {
    return annotation.isString && isDefaultFilter(annotation.value);
  }
  return lockOrIgnoreHolds(annotation) === false;
}

/** A path as the message names it: `metadata.labels`, `a list item of metadata.annotations`. */
function describePath(path: string): string {
  if (path === '') return 'the top level';
  return path.endsWith('[]') ? `a list item of ${path.slice(0, -2)}` : path;
}

/** The message for a misplaced key, saying where it is and where it goes. */
export function misplacedMessage({ annotation, where, effect }: MisplacedAnnotation): string {
  const ignored =
    effect === 'narrows'
      ? 'so the release would be updated as if it were not written'
      : 'so it does nothing there';
  return (
    `${annotation.key} is under ${where}, but Flux v1 reads its annotations only from metadata.annotations ` +
    `and ignores it elsewhere, ${ignored}; move it to metadata.annotations, or remove it`
  );
}

/**
 * The Flux (or this Action's) annotations of a `kind: List`'s own `metadata.annotations` or
 * `metadata.labels`. Flux v1 read each item as a resource of its own, with its own annotations,
 * and never gave it the List's: a lock or a filter written there let every release of the List be
 * updated as if it were not written. `itemHas` says whether an item holds the same key with the
 * same value itself, which is no mistake for that item (the caller asks per item).
 */
export function findListAnnotations(list: YAMLMap, lines: LineCounter): MisplacedAnnotation[] {
  const metadata = getValue(list, 'metadata');
  if (!isMap(metadata)) return [];
  const found: MisplacedAnnotation[] = [];
  for (const field of ['annotations', 'labels']) {
    const node = getValue(metadata, field);
    if (!isMap(node)) continue;
    for (const annotation of readAnnotations(node, lines)) {
      const effect = effectOfKey(annotation.key);
      if (effect === undefined) continue;
      found.push({
        annotation,
        where: `the List's metadata.${field}`,
        effect: effect === 'narrows' && narrowsNothing(annotation) ? 'widens' : effect,
      });
    }
  }
  return found;
}

/** The message for a key of a List's own metadata, saying where it goes. */
export function listAnnotationMessage({ annotation, where, effect }: MisplacedAnnotation): string {
  const ignored =
    effect === 'narrows'
      ? 'so the HelmReleases in it would be updated as if it were not written'
      : 'so it does nothing there';
  return (
    `${annotation.key} is under ${where}, but Flux v1 reads each item's own metadata.annotations and ` +
    `never the List's, ${ignored}; move it to the metadata.annotations of each HelmRelease it is for, or remove it`
  );
}

/** True when `item`'s own metadata.annotations holds `annotation`'s key with the same value. */
export function itemHolds(item: YAMLMap, annotation: Annotation, lines: LineCounter): boolean {
  const metadata = getValue(item, 'metadata');
  const node = isMap(metadata) ? getValue(metadata, 'annotations') : undefined;
  if (!isMap(node)) return false;
  return readAnnotations(node, lines).some((a) => a.key === annotation.key && a.value === annotation.value);
}
