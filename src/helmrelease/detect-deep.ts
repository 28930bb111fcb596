/**
 * Deep detection (opt-in, issue 18): the same eight value shapes as Flux v1 (detect-images.ts),
 * tried on every map at any depth of `spec.values`, lists included. Nothing else counts as an
 * image: no key-name heuristics, so a map is an image only when it holds one of the shapes.
 *
 * Names: the images Flux v1 finds keep their Flux v1 names (`chart-image`, the subsection key);
 * every other one is named by the dotted path to the map holding the shape, a list item by its
 * `name` key when that is a string without dots, unique among its siblings, and by its index
 * otherwise:
 *
 *   controllers:                      controllers.main.containers.app  (image.repository + tag)
 *     main:
 *       containers:
 *         app: {image: {repository: ghcr.io/x/app, tag: 1.2.3}}
 *   sidecars:
 *     - name: proxy                    sidecars.proxy
 *       image: envoyproxy/envoy:v1.30.1
 *     - image: busybox:1.36            sidecars.1
 *
 * YAML aliases and merge keys are not followed (an anchor is read, and edited, where it is
 * defined), so an image is found once, at the one place its tag is written.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { warning } from '../problems.js';
import type { Annotation } from './annotations.js';
import { detectContainer, type DetectContext } from './detect-images.js';
import type { ImageOccurrence } from './types.js';
import { asMap, getValue, isMergeKey, isWrittenBackMergeKey } from './yaml-nodes.js';

/** How images are found: Flux v1's rules, or the same shapes at any depth. */
export type DetectionMode = 'flux-v1' | 'deep';

/** The detection modes, for parsing inputs and annotations. */
export const DETECTION_MODES: readonly DetectionMode[] = ['flux-v1', 'deep'];

/** The per-HelmRelease annotation that overrides the `detection` input. */
export const DETECTION_ANNOTATION = 'helmrelease-image-updater.io/detection';

type Detected = Omit<ImageOccurrence, 'filter'>;

/** A map to try, with its path below `spec.values`. */
interface Place {
  node: Node;
  path: string[];
}

/** The names of a list's items: their `name` when usable for all that have one, else the index. */
function itemNames(items: readonly unknown[]): string[] {
  const names = items.map((item) => {
    const map = asMap(item);
    const name = map && getValue(map, 'name');
    return isScalar(name) && typeof name.value === 'string' && name.value !== '' && !name.value.includes('.')
      ? name.value
      : undefined;
  });
  const counts = new Map<string, number>();
  for (const n of names) if (n !== undefined) counts.set(n, (counts.get(n) ?? 0) + 1);
  return names.map((n, i) => (n !== undefined && counts.get(n) === 1 && !/^\d+$/.test(n) ? n : String(i)));
}

/**
 * The images below the places Flux v1 looks at (`spec.values` and its direct child maps), named by
 * path. `known` are the Flux v1 occurrences: a path that takes a name already used is not added,
 * with a warning, as it would not be updated. No path reads a scalar a Flux v1 occurrence reads:
 * those read `spec.values` and its direct child maps, which are never tried here, and aliases and
 * merge keys, the only ways to reach one scalar twice, are not followed.
 */
export function detectDeepImages(
  ctx: DetectContext,
  values: YAMLMap,
  known: readonly Detected[],
): Detected[] {
  const names = new Set(known.map((k) => k.container));
  const found: Detected[] = [];
  // An explicit stack, not recursion: nesting is as deep as the file makes it.
  const stack: Place[] = [{ node: values, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const children: Place[] = [];
    if (isMap(node)) {
      // Flux v1 already tried spec.values and its direct child maps.
      if (path.length >= 2) {
        const name = path.join('.');
        // Problems of a map that turns out not to be an image are not reported: deep mode looks at
        // every map, and most are chart settings, not images.
        const problems = ctx.problems;
        const local = { ...ctx, problems: [] as typeof problems };
        const occurrence = detectContainer(local, node, name, `spec.values.${name}`);
        if (occurrence) {
          problems.push(...local.problems);
          if (names.has(name)) {
            problems.push(
              warning(
                ctx.file,
                occurrence.line,
                `spec.values.${name} is named ${name} by deep detection, a name already taken; it is not updated`,
              ),
            );
          } else {
            names.add(name);
            found.push(occurrence);
          }
        }
      }
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || typeof key.value !== 'string' || isMergeKey(key) || isWrittenBackMergeKey(key))
          continue;
        const value = pair.value;
        if (isMap(value) || isSeq(value)) children.push({ node: value, path: [...path, key.value] });
      }
    } else {
      // Only maps and lists are put on the stack.
      const items = (node as YAMLSeq).items;
      const itemNamesOf = itemNames(items);
      items.forEach((item, i) => {
        if (isMap(item) || isSeq(item))
          children.push({ node: item as Node, path: [...path, itemNamesOf[i]] });
      });
    }
    // Reversed onto the stack, so places are visited in source order.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]);
  }
  return found;
}

/**
 * The filter for a container in deep mode: its own, else the one on the longest dotted prefix of
 * its name (`controllers.main` for `controllers.main.containers.app`).
 */
export function filterByPrefix<T>(filters: ReadonlyMap<string, T>, container: string): T | undefined {
  const own = filters.get(container);
  if (own !== undefined) return own;
  for (let end = container.lastIndexOf('.'); end > 0; end = container.lastIndexOf('.', end - 1)) {
    const filter = filters.get(container.slice(0, end));
    if (filter !== undefined) return filter;
  }
  return undefined;
}

/**
 * A test, built once per release, of whether a filter's name is a container's name or a dotted
 * prefix of one. The names are sorted once and each filter is a binary search: names starting with
 * `app.` sit together in sorted order (a scan of every container per filter made 10,000 filters
 * naming none of 10,000 containers cost 10^8 comparisons).
 */
export function namesContainerOrPrefix(containers: Iterable<string>): (filterName: string) => boolean {
  const sorted = [...containers].sort();
  /** The first name not below `text` (code-unit order, as `sort` uses), or undefined. */
  const firstFrom = (text: string): string | undefined => {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle] < text) low = middle + 1;
      else high = middle;
    }
    return sorted[low];
  };
  // `app-x` sorts between `app` and `app.x`, so the name and the prefix are looked up apart.
  return (filterName) =>
    firstFrom(filterName) === filterName ||
    (firstFrom(`${filterName}.`)?.startsWith(`${filterName}.`) ?? false);
}

/**
 * The release's detection mode: its `helmrelease-image-updater.io/detection` annotation, else the
 * input. An unknown value blocks the release (`block`): guessing could find images its author
 * never meant to have updated, or miss ones they did.
 */
export function readDetectionMode(
  annotations: readonly Annotation[],
  fallback: DetectionMode,
  block: (line: number, message: string) => void,
): DetectionMode {
  const annotation = annotations.find((a) => a.key === DETECTION_ANNOTATION);
  if (annotation === undefined) return fallback;
  if (annotation.isString && (DETECTION_MODES as readonly string[]).includes(annotation.value))
    return annotation.value as DetectionMode;
  block(
    annotation.line,
    `${DETECTION_ANNOTATION} is "${annotation.source}"; write ${DETECTION_MODES.map((m) => `"${m}"`).join(' or ')}`,
  );
  return fallback;
}
