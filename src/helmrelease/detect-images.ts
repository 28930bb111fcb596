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
 *
 * Its parts: image-occurrence.ts joins what is read into an occurrence, merge-overrides.ts says
 * which keys a merge key (`<<`) replaced, value-paths.ts resolves alias paths, detect-deep.ts finds
 * the shapes at any depth (`detection: deep`).
 */
import { isAlias, type Alias, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { lastAnchorBefore, type DocumentAnchors } from './document-anchors.js';
import { warning, type Problem } from '../problems.js';
import type { AliasPaths } from './annotations.js';
import { detectDeepImages, type DetectionMode } from './detect-deep.js';
import {
  buildOccurrence,
  joinRegistry,
  markIgnoredTag,
  noteUnreadTagKey,
  readStringKey,
  withDigestKey,
  type Detected,
} from './image-occurrence.js';
import { overriddenKeys, warnMergeKeys, warnOverridden } from './merge-overrides.js';
import type { ValueSource } from './types.js';
import { resolvePath } from './value-paths.js';
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
  /** The whole YAML document's anchors and the anchored nodes its aliases name, when it has aliases. */
  document?: DocumentAnchors;
  /** Subsections of `spec.values` written as an alias of a map with an image (`web: *img`), by key: the anchor. */
  aliasedSections?: Map<string, string>;
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
    const tag = readStringKey(ctx, map, 'tag', where, joinRegistry(registry, imageString));
    return withDigestKey(
      ctx,
      map,
      noteUnreadTagKey(
        map,
        markIgnoredTag(
          ctx,
          map,
          buildOccurrence(ctx, container, 'detected', registry, imageString, tag, `${where}.image`),
        ),
        where,
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
    const tag = readStringKey(ctx, imageMap, 'tag', `${where}.image`, joinRegistry(registry, repository));
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
    if (isAlias(pair.value)) warnAliasedSection(ctx, key, pair.value);
    if (!child) continue;
    if (warnOverridden(ctx, values, [key], 'spec.values', overridden)) continue;
    warnMergeKeys(ctx, child, `spec.values.${key}`, false);
    const occurrence = detectContainer(ctx, child, key, `spec.values.${key}`);
    if (occurrence) found.push(occurrence);
  }
  if (mode === 'deep') found.push(...detectDeepImages(ctx, values, found));
  return found;
}

/**
 * A subsection written as an alias (`web: *img`) of a map with an image is a container for Flux v1
 * (yaml.v2 expanded it), but aliases are not followed here: it is not detected, and the anchored map
 * it reuses is never edited (its container's update is refused). Said at its line, and remembered
 * for a filter that names it.
 */
function warnAliasedSection(ctx: DetectContext, key: string, alias: Alias): void {
  const start = alias.range?.[0] ?? 0;
  const target = ctx.document
    ? lastAnchorBefore(ctx.document.byName.get(alias.source) ?? [], start)
    : ctx.anchors?.get(alias.source);
  const map = asMap(target);
  if (!map || getValue(map, 'image') === undefined) return;
  (ctx.aliasedSections ??= new Map()).set(key, alias.source);
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(alias, ctx.lines),
      `spec.values.${key} is a YAML alias (*${alias.source}); aliases are not followed, so container ${key} is ` +
        `not detected, and the image of the map anchored &${alias.source} is not updated while the alias reuses it ` +
        `(write ${key}'s values out in full to have both updated)`,
    ),
  );
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
