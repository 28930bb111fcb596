/**
 * Which of a HelmRelease's `spec.values` a Kustomize patch document writes, as paths of keys joined
 * by `/`: a strategic merge patch's leaves (a scalar, a list, an empty map), a JSON6902 patch's
 * `add` and `replace` operations. What a patch writes replaces the base's value in the object
 * Kustomize builds, so an image tag the patch writes is the one deployed, not the base's. Pure and
 * bounded (depth and count).
 *
 *   spec:                               - op: replace
 *     values:                             path: /spec/values/image/tag
 *       image: {tag: 1.2.0}               value: 1.2.0
 *   -> image/tag                        -> image/tag
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { MAX_NAMES_SUGGESTED_FROM, meantFilterKey, readAliases, type Annotation } from './annotations.js';
import type { HelmRelease, ImageOccurrence } from './types.js';
import { asGoString, asMap, getValue } from './yaml-nodes.js';

/** How deep the values are walked; a release's values are far shallower. */
const MAX_DEPTH = 64;
/** How many paths one document gives; past it the walk stops (what is not listed is not replaced). */
const MAX_PATHS = 10_000;

/** The value paths a patch document (a strategic merge map or a JSON6902 list) writes. */
export function writtenValuePaths(contents: Node | null): Set<string> {
  const paths = new Set<string>();
  if (isSeq(contents)) {
    for (const item of contents.items as Node[]) {
      const op = asMap(item);
      const name = op && asGoString(getValue(op, 'op'));
      const path = op && asGoString(getValue(op, 'path'));
      if ((name !== 'add' && name !== 'replace') || path === undefined) continue;
      if (path.startsWith('/spec/values/')) {
        const keys = path.slice('/spec/values/'.length).split('/').map(unescapePointer);
        walk(getValue(op!, 'value'), keys.join('/'), keys.length, paths);
      } else if (path === '/spec/values') walk(getValue(op!, 'value'), '', 0, paths);
    }
    return paths;
  }
  const root = asMap(contents);
  const spec = root && asMap(getValue(root, 'spec'));
  return writtenValues(spec && getValue(spec, 'values'));
}

/** The paths a strategic merge patch's `spec.values` writes: its leaves. */
export function writtenValues(values: Node | undefined): Set<string> {
  const paths = new Set<string>();
  if (values !== undefined) walk(values, '', 0, paths);
  return paths;
}

/** Adds the leaves under `node`, at `path`. */
function walk(node: Node | undefined, path: string, depth: number, paths: Set<string>): void {
  if (paths.size >= MAX_PATHS) return;
  if (!isMap(node) || node.items.length === 0 || depth >= MAX_DEPTH) {
    if (path !== '') paths.add(path);
    return;
  }
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key !== undefined)
      walk(pair.value as Node | undefined, path === '' ? key : `${path}/${key}`, depth + 1, paths);
  }
}

/** A JSON pointer's reference token as text (RFC 6901: `~1` is `/`, `~0` is `~`). */
export function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Whether a patch writing `paths` writes the tag of a container Flux v1 detects in a release's
 * values (`chart-image` at the top, else under its own key): the image itself, its `tag`, or the
 * `tag` beside it.
 */
export function writesTagOf(paths: ReadonlySet<string>, container: string): boolean {
  const prefix = container === 'chart-image' ? '' : `${container}/`;
  return paths.has(`${prefix}image`) || paths.has(`${prefix}image/tag`) || paths.has(`${prefix}tag`);
}

/**
 * Whether a patch writing the values `paths` writes the tag of `container` of `release`: only a
 * container Flux v1 detects (not an alias's, nor one deep detection found) is where it looks.
 */
export function writesDetectedTag(
  paths: ReadonlySet<string>,
  release: HelmRelease,
  container: ImageOccurrence,
): boolean {
  return (
    release.detection === undefined &&
    container.source === 'detected' &&
    writesTagOf(paths, container.container)
  );
}

/**
 * Whether annotations narrowing `forContainers` (a filter's container, or undefined for one that
 * narrows every container) reach a container of `release` whose tag the patch does not write. A
 * filter narrows its container and, as deep detection reads it, every container its name is a
 * dotted prefix of. One whose name is nowhere (`named` says whether any release of the workspace
 * has such a container, or the patch declares it as an alias) narrows every container: it is a
 * mistake (`filter.fluxcd.io/chart-imag`), and read as written the container it was meant for would
 * get any tag; in the release's own file such a filter blocks the release too.
 */
export function narrowsAContainer(
  release: HelmRelease,
  forContainers: readonly (string | undefined)[],
  writes: (container: ImageOccurrence) => boolean,
  named: (filterName: string) => boolean,
): boolean {
  const own = containerNames([release]);
  const filters = new Set(forContainers);
  const narrowsEvery = forContainers.some(
    (container) => container === undefined || (!own.has(container) && !named(container)),
  );
  return release.containers.some(
    (c) => !writes(c) && (narrowsEvery || dottedPrefixes(c.container).some((prefix) => filters.has(prefix))),
  );
}

/**
 * The names of the releases' containers and every dotted prefix of them (`a.b.c`, `a.b`, `a`): what
 * a filter may name.
 */
export function containerNames(releases: Iterable<Pick<HelmRelease, 'containers'>>): Set<string> {
  const names = new Set<string>();
  for (const release of releases) {
    for (const { container } of release.containers)
      for (const prefix of dottedPrefixes(container)) names.add(prefix);
  }
  return names;
}

/** The aliases a patch's annotations declare (`repository.fluxcd.io/<alias>` and the like). */
export function declaredAliases(annotations: readonly Annotation[]): ReadonlySet<string> {
  return new Set(readAliases(annotations).map((a) => a.alias));
}

/**
 * Why a kustomization's or a patch's filter that names no container holds, with the container of
 * the releases it is put on that it was likely meant for, as in the release's own file
 * (read-release.ts).
 */
export function unnamedFilterClause(
  filter: { key: string; container: string },
  releases: readonly Pick<HelmRelease, 'containers'>[],
): string {
  const names = new Set<string>();
  // meantFilterKey compares with a few names only: past that, collecting more is wasted.
  for (const release of releases) {
    for (const { container } of release.containers) names.add(container);
    if (names.size > MAX_NAMES_SUGGESTED_FROM) break;
  }
  const meant = meantFilterKey(filter.key, filter.container, names);
  return (
    `${filter.key} names no container of any HelmRelease` +
    (meant === undefined ? '' : ` (did you mean ${meant}?)`) +
    ', so the container it was meant for would get any tag (glob:*)'
  );
}

function dottedPrefixes(name: string): string[] {
  const prefixes = [name];
  for (let dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1))
    prefixes.push(name.slice(0, dot));
  return prefixes;
}
