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
export function readStringKey(
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
            ? ' and the image counts as untagged (write the tag itself here, and where the anchor is, to have ' +
              'both updated: an anchored tag an alias reads is never edited)'
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
