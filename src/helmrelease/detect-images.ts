/**
 * Finds the images in a HelmRelease's `spec.values`, exactly as Flux v1 did
 * (`helmrelease.go` `FindHelmReleaseContainers`; FLUX-V1-RULES §3 and §4).
 *
 * `spec.values` itself is tried as a container named `chart-image`, then each direct child key K
 * whose value is a map is tried as a container named K. Nothing deeper, nothing inside lists.
 * A map M is a container when it has `image` and either M.image is a string, or M.image is a map
 * with a string `repository`. The eight shapes (at top level, or under a key):
 *
 *   image: repo/image:version                         image: {repository: repo/image, tag: version}
 *   image: repo/image                                 image: {registry: docker.io,
 *   tag: version                                              repository: repo/image, tag: version}
 *   registry: docker.io                               image: {registry: r, repository: repo/image:v}
 *   image: repo/image                                 image: {repository: repo/image:version}
 *   tag: version                                      registry: r
 *                                                     image: repo/image:version
 *
 * `registry` and `tag` take part only when they are strings: an unquoted `tag: 4.0` is a number
 * in YAML, so the image counts as untagged (and a problem says so).
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { parseImageReference } from '../image/reference.js';
import { warning, type Problem } from '../problems.js';
import type { AliasPaths } from './annotations.js';
import { detectDeepImages, type DetectionMode } from './detect-deep.js';
import type { ImageOccurrence, TagLocation, ValueSource } from './types.js';
import { scalarText } from './go-yaml-documents.js';
import {
  asMap,
  asString,
  describeNode,
  getValue,
  isMergeKey,
  isNull,
  isWrittenBackMergeKey,
  lineOf,
} from './yaml-nodes.js';

/** The container name Flux gives an image found directly under `spec.values`. */
export const CHART_IMAGE = 'chart-image';

/** Context shared by the detection functions of one document. */
export interface DetectContext {
  file: string;
  lines: LineCounter;
  problems: Problem[];
  /** The document's anchors by name (for merge keys), when known. */
  anchors?: ReadonlyMap<string, Node>;
}

type Detected = Omit<ImageOccurrence, 'filter'>;

/**
 * Joins the parts Flux reads into a reference and decides which scalar holds the tag.
 * Returns undefined (after recording a problem) when the joined text is not an image reference.
 */
function buildOccurrence(
  ctx: DetectContext,
  container: string,
  source: ImageOccurrence['source'],
  registry: ValueSource | undefined,
  image: ValueSource,
  tag: ValueSource | undefined,
  where: string,
): Detected | undefined {
  const text = (registry ? `${registry.value}/` : '') + image.value + (tag ? `:${tag.value}` : '');
  const parsed = parseImageReference(text);
  if (!parsed.ok) {
    ctx.problems.push(
      warning(ctx.file, (tag ?? image).range.line, `${where}: ${parsed.reason}; not treated as an image`),
    );
    return undefined;
  }
  const reference = parsed.reference;
  let location: TagLocation;
  if (tag) location = { kind: 'tag', scalar: tag };
  else if (reference.tag !== undefined) location = { kind: 'reference', scalar: image };
  else location = { kind: 'none' };
  return { container, source, reference, tag: location, line: (tag ?? image).range.line };
}

/**
 * Reads the `tag` (or `registry`) key of an image as a string, or reports one that holds a scalar
 * that is not a string (`tag: 4.0`), as Flux silently ignored it. Maps and lists under `registry`
 * are chart settings, not registries.
 */
function readStringKey(
  ctx: DetectContext,
  map: YAMLMap,
  key: 'tag' | 'registry',
  where: string,
): ValueSource | undefined {
  const node = getValue(map, key);
  if (node === undefined || node === null) return undefined;
  const value = asString(node, ctx.lines);
  if (value) return value;
  if (isAlias(node)) {
    ctx.problems.push(
      warning(
        ctx.file,
        lineOf(node, ctx.lines),
        `${where}.${key} is a YAML alias (${String(node.source ? `*${node.source}` : 'an alias')}); aliases are not followed, so it is ignored` +
          (key === 'tag'
            ? ' and the image counts as untagged (write the tag itself here to have it updated)'
            : ''),
      ),
    );
    return undefined;
  }
  if (!isScalar(node) || isNull(node)) return undefined; // `tag:` left empty: untagged, reported by the plan.
  const source = scalarText(node);
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(node, ctx.lines),
      `${where}.${key} is ${describeNode(node)}, not a string, so it is ignored` +
        (key === 'tag' ? ' and the image counts as untagged (it will not be updated)' : '') +
        `; quote it: ${key}: "${source}"`,
    ),
  );
  return undefined;
}

/**
 * Marks an untagged occurrence whose map has a `tag` that is not a string (`tag: 4.0`, an alias):
 * readStringKey reported it at the tag's line, so the plan does not report "no tag" again.
 */
function markIgnoredTag(ctx: DetectContext, map: YAMLMap, found: Detected | undefined): Detected | undefined {
  const tagNode = getValue(map, 'tag');
  if (found && found.tag.kind === 'none' && !isNull(tagNode)) {
    // The container's line is the tag's: that is where the fix goes.
    const line = lineOf(tagNode, ctx.lines, found.line);
    return { ...found, line, tag: { ...found.tag, ignoredTagReported: true } };
  }
  return found;
}

/**
 * Notes a `digest:` key with a value beside the image's tag (`image: {repository, tag, digest}`):
 * charts then pull by digest, so moving the tag alone would change nothing (the plan holds it).
 */
function withDigestKey(ctx: DetectContext, map: YAMLMap, found: Detected | undefined): Detected | undefined {
  const digest = found && asString(getValue(map, 'digest'), ctx.lines);
  return digest && digest.value.trim() !== '' ? { ...found, digestKey: digest } : found;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The keys of `map` that a merge key (`<<`) written after them also brings in. yaml.v2 applies
 * merge keys in order, so such a merge replaced the key's value and Flux v1 read the merged one
 * (observed from yaml.v2 2.4.0, scripts/go-yaml): the value written there is dead.
 */
function overriddenKeys(ctx: DetectContext, map: YAMLMap): ReadonlySet<string> {
  // Alias paths ask again for the same large mappings (issue 12): each is looked at once.
  const known = overriddenCache.get(map);
  if (known) return known;
  const found = findOverriddenKeys(ctx, map);
  overriddenCache.set(map, found);
  return found;
}

const overriddenCache = new WeakMap<YAMLMap, ReadonlySet<string>>();

function findOverriddenKeys(ctx: DetectContext, map: YAMLMap): ReadonlySet<string> {
  if (!map.items.some((pair) => isMergeKey(pair.key))) return NONE;
  const written: string[] = [];
  const overridden = new Set<string>();
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const brought = mergedKeys(ctx, pair.value);
      for (const key of written) if (brought === undefined || brought.has(key)) overridden.add(key);
      continue;
    }
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key === 'string') written.push(key);
  }
  return overridden;
}

/**
 * The keys a merge key's value brings in (through the merges in it too), or undefined when it
 * could bring any: an anchor not known, or merges nested past a small depth.
 */
function mergedKeys(ctx: DetectContext, merged: unknown, depth = 0): Set<string> | undefined {
  const keys = new Set<string>();
  for (const source of isSeq(merged) ? merged.items : [merged]) {
    const target = isAlias(source) ? ctx.anchors?.get(source.source) : source;
    if (target === undefined) return undefined;
    for (const pair of asMap(target)?.items ?? []) {
      if (isMergeKey(pair.key)) {
        const inner = depth < 8 ? mergedKeys(ctx, pair.value, depth + 1) : undefined;
        if (inner === undefined) return undefined;
        for (const key of inner) keys.add(key);
        continue;
      }
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key === 'string') keys.add(key);
    }
  }
  return keys;
}

/** Warns that `where.key` (the first of `keys` a later merge key replaced) is not read, and returns true; or false. */
function warnOverridden(
  ctx: DetectContext,
  map: YAMLMap,
  keys: readonly string[],
  where: string,
  overridden = overriddenKeys(ctx, map),
): boolean {
  const key = keys.find((k) => overridden.has(k));
  if (key === undefined) return false;
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(getValue(map, key), ctx.lines, map.range?.[0]),
      `${where}.${key} is overridden by the merge key (<<) after it: yaml.v2 applies merge keys in order, ` +
        'so Flux v1 read the merged value; not updated (write the << first to keep what is written)',
    ),
  );
  return true;
}

const CONTAINER_KEYS = ['image', 'registry', 'tag'] as const;
const IMAGE_MAP_KEYS = ['repository', 'registry', 'tag'] as const;

/** Tries a map as a container (FLUX-V1-RULES R3.4); `where` names it in messages. */
export function detectContainer(
  ctx: DetectContext,
  map: YAMLMap,
  container: string,
  where: string,
): Detected | undefined {
  const imageNode = getValue(map, 'image') as Node | undefined;
  if (imageNode === undefined) return undefined;
  if (warnOverridden(ctx, map, CONTAINER_KEYS, where)) return undefined;
  const imageString = asString(imageNode, ctx.lines);
  if (imageString) {
    const registry = readStringKey(ctx, map, 'registry', where);
    const tag = readStringKey(ctx, map, 'tag', where);
    return withDigestKey(
      ctx,
      map,
      markIgnoredTag(
        ctx,
        map,
        buildOccurrence(ctx, container, 'detected', registry, imageString, tag, `${where}.image`),
      ),
    );
  }
  const imageMap = asMap(imageNode);
  if (imageMap) {
    if (warnOverridden(ctx, imageMap, IMAGE_MAP_KEYS, `${where}.image`)) return undefined;
    const repositoryNode = getValue(imageMap, 'repository');
    if (repositoryNode === undefined) {
      // `image: {pullPolicy: Always}` is a chart setting; an image map with a tag but no
      // repository is an image Flux cannot see (Flux issues #1961, #1738), so say so.
      const tagNode = getValue(imageMap, 'tag');
      if (tagNode !== undefined) {
        ctx.problems.push(
          warning(
            ctx.file,
            lineOf(tagNode, ctx.lines, imageMap.range?.[0]),
            `${where}.image has a tag but no repository, so it is not detected as an image; ` +
              'use image.repository, or map it with repository.fluxcd.io/<alias> annotations',
          ),
        );
      }
      return undefined;
    }
    const repository = asString(repositoryNode, ctx.lines);
    if (!repository) {
      ctx.problems.push(
        warning(
          ctx.file,
          lineOf(repositoryNode, ctx.lines, imageMap.range?.[0]),
          `${where}.image.repository is ${describeNode(repositoryNode)}, not a string; not treated as an image`,
        ),
      );
      return undefined;
    }
    const registry = readStringKey(ctx, imageMap, 'registry', `${where}.image`);
    const tag = readStringKey(ctx, imageMap, 'tag', `${where}.image`);
    return withDigestKey(
      ctx,
      imageMap,
      markIgnoredTag(
        ctx,
        imageMap,
        buildOccurrence(ctx, container, 'detected', registry, repository, tag, `${where}.image`),
      ),
    );
  }
  if (!isNull(imageNode)) {
    ctx.problems.push(
      warning(
        ctx.file,
        lineOf(imageNode, ctx.lines),
        `${where}.image is ${describeNode(imageNode)}; an image must be a string or a map with a repository`,
      ),
    );
  }
  return undefined;
}

/** Keys that make a map part of an image: a merge bringing one of these in could bring an image. */
const IMAGE_KEYS = new Set(['image', 'repository', 'tag', 'registry']);

/** True when a merged-in map could hold an image: it (or, at `spec.values`, a map in it) has an image key. */
function couldHoldImage(ctx: DetectContext, merged: unknown, topLevel: boolean): boolean {
  const sources = isSeq(merged) ? merged.items : [merged];
  for (const source of sources) {
    const target = isAlias(source) ? ctx.anchors?.get(source.source) : source;
    const map = asMap(target);
    if (!map) continue;
    for (const pair of map.items) {
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key === 'string' && IMAGE_KEYS.has(key)) return true;
      if (topLevel && isMap(pair.value) && getValue(pair.value, 'image') !== undefined) return true;
      if (isMergeKey(pair.key)) return true; // a merge of a merge: assume it could
    }
  }
  return false;
}

/**
 * YAML merge keys (`<<: *defaults`) are not followed (they would make an edit change every place
 * that shares the anchor), so images that only arrive through one are not seen: say so, when the
 * merged map could hold an image.
 */
function warnMergeKeys(ctx: DetectContext, map: YAMLMap, where: string, topLevel: boolean): void {
  for (const pair of map.items) {
    const merge = isMergeKey(pair.key) || isWrittenBackMergeKey(pair.key);
    if (!merge || !couldHoldImage(ctx, pair.value, topLevel)) continue;
    ctx.problems.push(
      warning(
        ctx.file,
        lineOf(pair.key, ctx.lines),
        `${where} uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated`,
      ),
    );
  }
}

/**
 * Detects the `chart-image` container and one container per direct child map of `values`; with
 * `deep`, also the shapes at any depth below them (detect-deep.ts).
 */
export function detectValueImages(
  ctx: DetectContext,
  values: YAMLMap,
  mode: DetectionMode = 'flux-v1',
): Detected[] {
  const found: Detected[] = [];
  warnMergeKeys(ctx, values, 'spec.values', true);
  const top = detectContainer(ctx, values, CHART_IMAGE, 'spec.values');
  if (top) found.push(top);
  const overridden = overriddenKeys(ctx, values);
  for (const pair of values.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    // yaml.v2 merges a merge key away: it names no container.
    if (typeof key !== 'string' || isMergeKey(pair.key) || isWrittenBackMergeKey(pair.key)) continue;
    const child = asMap(pair.value);
    if (!child) continue;
    if (warnOverridden(ctx, values, [key], 'spec.values', overridden)) continue;
    warnMergeKeys(ctx, child, `spec.values.${key}`, false);
    const occurrence = detectContainer(ctx, child, key, `spec.values.${key}`);
    if (occurrence) found.push(occurrence);
  }
  if (mode === 'deep') found.push(...detectDeepImages(ctx, values, found));
  return found;
}

/** Resolves a dot path relative to `values` to a string scalar, or a sentence saying why not. */
/** Key-to-value indexes of the large mappings alias paths go through, built on first use. */
const pathIndexes = new WeakMap<YAMLMap, Map<unknown, Node | undefined>>();

/**
 * `getValue(map, key)` for alias paths: thousands of aliases into a mapping of thousands of keys
 * must not cost a scan of the mapping each (issue 12: scanning stays linear in the file's size).
 * Detection runs after the keys were normalised, and nothing changes them afterwards.
 */
function valueAt(map: YAMLMap, key: string): Node | undefined {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: how small a mapping is read without an index changes only the cost.
  if (map.items.length <= 16) return getValue(map, key);
  let index = pathIndexes.get(map);
  // Stryker disable next-line ConditionalExpression: building the index again gives the same index.
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = pair.key;
      // The first pair wins, as in getValue.
      if (isScalar(k) && !index.has(k.value))
        index.set(k.value, (pair.value ?? undefined) as Node | undefined);
    }
    pathIndexes.set(map, index);
  }
  return index.get(key);
}

function resolvePath(
  ctx: DetectContext,
  values: YAMLMap,
  path: string,
): { ok: true; value: ValueSource } | { ok: false; why: string } {
  let node: unknown = values;
  for (const segment of path.split('.')) {
    const map = asMap(node);
    if (!map) return { ok: false, why: `spec.values.${path} passes through ${describeNode(node)}` };
    node = valueAt(map, segment);
    if (node === undefined) return { ok: false, why: `spec.values.${path} does not exist` };
    if (overriddenKeys(ctx, map).has(segment)) {
      return {
        ok: false,
        why: `spec.values.${path} is overridden by the merge key (<<) after it (yaml.v2 applies merge keys in order, so Flux v1 read the merged value)`,
      };
    }
  }
  const value = asString(node, ctx.lines);
  if (!value) return { ok: false, why: `spec.values.${path} is ${describeNode(node)}, not a string` };
  return { ok: true, value };
}

/**
 * Builds the container an alias describes (FLUX-V1-RULES R4.2, R4.3), or undefined (after
 * recording a problem) when the alias cannot be used.
 */
export function detectAliasImage(
  ctx: DetectContext,
  values: YAMLMap | undefined,
  alias: AliasPaths,
): Detected | undefined {
  const name = alias.alias;
  if (!alias.repository) {
    const given = alias.tag ?? alias.registry;
    const parts = [alias.registry && 'registry', alias.tag && 'tag'].filter(Boolean).join(' and ');
    ctx.problems.push(
      warning(
        ctx.file,
        given?.line ?? 0,
        `alias "${name}" has a ${parts} path but no repository.fluxcd.io/${name}; the alias is ignored`,
      ),
    );
    return undefined;
  }
  if (!values) {
    ctx.problems.push(
      warning(
        ctx.file,
        alias.repository.line,
        `alias "${name}": the release has no spec.values; the alias is ignored`,
      ),
    );
    return undefined;
  }
  const resolved: Partial<Record<'repository' | 'registry' | 'tag', ValueSource>> = {};
  for (const part of ['registry', 'repository', 'tag'] as const) {
    const given = alias[part];
    if (!given) continue;
    const result = resolvePath(ctx, values, given.path);
    if (!result.ok) {
      ctx.problems.push(
        warning(ctx.file, given.line, `alias "${name}": ${part} path ${result.why}; the alias is ignored`),
      );
      return undefined;
    }
    resolved[part] = result.value;
  }
  const occurrence = buildOccurrence(
    ctx,
    name,
    'alias',
    resolved.registry,
    resolved.repository!,
    resolved.tag,
    `alias "${name}"`,
  );
  return occurrence;
}
