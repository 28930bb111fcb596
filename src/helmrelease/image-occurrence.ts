/**
 * Makes an image occurrence of the parts detection reads (an image, its registry and tag as
 * strings), as Flux v1 joined them, and decides which scalar holds the tag: the `tag` key, the tag
 * inside the image string, or none. The parts that are not strings (`tag: 4.0`, an alias) are
 * reported here, where they are read. Pure.
 */
import { isAlias, isScalar, type YAMLMap } from 'yaml';
import { parseImageReference } from '../image/reference.js';
import { warning } from '../problems.js';
import type { DetectContext } from './detect-images.js';
import { scalarText } from './go-yaml-documents.js';
import type { ImageOccurrence, TagLocation, ValueSource } from './types.js';
import { asString, describeNode, getValue, isNull, lineOf } from './yaml-nodes.js';

/** An occurrence before its filter annotation is known. */
export type Detected = Omit<ImageOccurrence, 'filter'>;

/**
 * Joins the parts Flux reads into a reference and decides which scalar holds the tag.
 * Returns undefined (after recording a problem) when the joined text is not an image reference.
 */
export function buildOccurrence(
  ctx: DetectContext,
  container: string,
  source: ImageOccurrence['source'],
  registry: ValueSource | undefined,
  image: ValueSource,
  tag: ValueSource | undefined,
  where: string,
): Detected | undefined {
  const text = joinRegistry(registry, image) + (tag ? `:${tag.value}` : '');
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

/** The registry and the image string (or repository) as Flux joined them, before the tag: `r/repo/img`. */
export function joinRegistry(registry: ValueSource | undefined, image: ValueSource): string {
  return (registry ? `${registry.value}/` : '') + image.value;
}

/**
 * Reads the `tag` (or `registry`) key of an image as a string, or reports one that holds a scalar
 * that is not a string (`tag: 4.0`), as Flux silently ignored it. Maps and lists under `registry`
 * are chart settings, not registries. For a `tag`, `image` is the image as Flux joins it without
 * the tag (registry and image string): when that carries a tag of its own (`app:1.0.0`), Flux uses
 * it, and writing the ignored tag as a string would make `app:1.0.0:150`, no image at all (R3.5).
 */
export function readStringKey(
  ctx: DetectContext,
  map: YAMLMap,
  key: 'tag' | 'registry',
  where: string,
  image?: string,
): ValueSource | undefined {
  const node = getValue(map, key);
  if (node === undefined || node === null) return undefined;
  const value = asString(node, ctx.lines);
  if (value) return value;
  if (!isAlias(node) && (!isScalar(node) || isNull(node))) return undefined; // `tag:` left empty: untagged, reported by the plan.
  // Parsed only here, where it is said: most tags are strings.
  const ownTag = key === 'tag' && image !== undefined ? tagOf(image) : undefined;
  const used = ownTag === undefined ? undefined : ` and the image's own tag (${ownTag}) is used`;
  if (isAlias(node)) {
    ctx.problems.push(
      warning(
        ctx.file,
        lineOf(node, ctx.lines),
        `${where}.${key} is a YAML alias (${String(node.source ? `*${node.source}` : 'an alias')}); aliases are not followed, so it is ignored` +
          (used ??
            (key === 'tag'
              ? ' and the image counts as untagged (write the tag itself here, and where the anchor is, to have ' +
                'both updated: an anchored tag an alias reads is never edited)'
              : '')),
      ),
    );
    return undefined;
  }
  const source = scalarText(node);
  ctx.problems.push(
    warning(
      ctx.file,
      lineOf(node, ctx.lines),
      `${where}.${key} is ${describeNode(node)}, not a string, so it is ignored` +
        (used ??
          (key === 'tag' ? ' and the image counts as untagged (it will not be updated)' : '') +
            `; quote it: ${key}: "${source}"`),
    ),
  );
  return undefined;
}

/** The tag an image reference carries itself (`repo/app:1.0.0`), if it parses and has one. */
function tagOf(image: string): string | undefined {
  const parsed = parseImageReference(image);
  return parsed.ok ? parsed.reference.tag : undefined;
}

/**
 * Marks an untagged occurrence whose map has a `tag` that is not a string (`tag: 4.0`, an alias):
 * readStringKey reported it at the tag's line, so the plan does not report "no tag" again.
 */
export function markIgnoredTag(
  ctx: DetectContext,
  map: YAMLMap,
  found: Detected | undefined,
): Detected | undefined {
  const tagNode = getValue(map, 'tag');
  if (found && found.tag.kind === 'none' && !isNull(tagNode)) {
    // The container's line is the tag's: that is where the fix goes.
    const line = lineOf(tagNode, ctx.lines, found.line);
    const alias = isAlias(tagNode) ? { ignoredTagAlias: true } : {};
    return { ...found, line, tag: { ...found.tag, ignoredTagReported: true, ...alias } };
  }
  return found;
}

/** A key that names a tag but is not the `tag` Flux reads: `imageTag`, `image_tag`, `ImageTag`. */
const UNREAD_TAG_KEY = /^(?!tag$).*tag$/i;

/**
 * Notes, on an untagged occurrence of an image string, the first key beside it that holds a tag
 * under a name Flux does not read (`image: traefik` with `imageTag: 1.7.14`): Flux saw no tag, and
 * only alias annotations naming both paths would have it updated (issue #2663). `where` is the
 * map's place (`spec.values` or `spec.values.<key>`).
 */
export function noteUnreadTagKey(
  map: YAMLMap,
  found: Detected | undefined,
  where: string,
): Detected | undefined {
  if (!found || found.tag.kind !== 'none' || found.tag.ignoredTagReported) return found;
  const pair = map.items.find((item) => {
    const key = isScalar(item.key) ? item.key.value : undefined;
    return typeof key === 'string' && UNREAD_TAG_KEY.test(key) && isScalar(item.value) && !isNull(item.value);
  });
  if (!pair) return found;
  const prefix = where === 'spec.values' ? '' : `${where.slice('spec.values.'.length)}.`;
  const key = String((pair.key as { value: unknown }).value);
  return {
    ...found,
    tag: { ...found.tag, unreadTagKey: { imagePath: `${prefix}image`, tagPath: `${prefix}${key}` } },
  };
}

/**
 * Notes a `digest:` key with a value beside the image's tag (`image: {repository, tag, digest}`):
 * charts then pull by digest, so moving the tag alone would change nothing (the plan holds it).
 */
export function withDigestKey(
  ctx: DetectContext,
  map: YAMLMap,
  found: Detected | undefined,
): Detected | undefined {
  const digest = found && asString(getValue(map, 'digest'), ctx.lines);
  return digest && digest.value.trim() !== '' ? { ...found, digestKey: digest } : found;
}
