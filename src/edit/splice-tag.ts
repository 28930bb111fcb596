/**
 * Rewrites the one scalar that holds an image's tag, changing nothing else (FLUX-V1-RULES R8.3,
 * [ACTION]): quotes, comments, indentation, line endings and other documents stay byte for byte.
 */
import { parse } from 'yaml';
import { resolvePlainScalar } from '../helmrelease/go-scalars.js';
import type { ImageOccurrence } from '../helmrelease/types.js';

/** A replacement of `[start, end)` in a file's text. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * True when `value` written as a plain scalar would not read back as that same string, under
 * yaml.v2 (Flux v1, Helm), the `yaml` package's YAML 1.1 or YAML 1.2 (Flux v2): `1.10`, `0x1`, `1e3`, `true`, `no`,
 * `null`, `~`, `2024-01-01`, `012`, `1_000`, `190:20:30`.
 */
export function needsQuoting(value: string): boolean {
  // Flux v1 (yaml.v2) must read it as a string too: `0e_0` is the float 0 there.
  if (resolvePlainScalar(value).type !== 'str') return true;
  for (const version of ['1.1', '1.2'] as const) {
    let read: unknown;
    try {
      read = parse(`k: ${value}\n`, { version });
    } catch {
      return true;
    }
    // Stryker disable next-line OptionalChaining: a text starting `k:` that parses is always a mapping, never null
    if ((read as { k?: unknown } | null)?.k !== value) return true;
  }
  return false;
}

/**
 * The splice that gives `occurrence` the tag `newTag`, or a sentence saying why it cannot be made.
 * A separate tag scalar is rewritten whole, keeping its quote style (a plain one is double-quoted
 * when the new tag would otherwise stop being a string, unless its `!!str` or `!` tag keeps it
 * one); in an image string only the tag is changed.
 */
export function spliceForTag(
  text: string,
  occurrence: ImageOccurrence,
  newTag: string,
): { ok: true; splice: Splice } | { ok: false; reason: string } {
  const { tag } = occurrence;
  const scalar = tag.scalar;
  // A pin (`1.2.3@sha256:…`) is rewritten with its digest: `newTag` then carries the new one.
  const { digest } = occurrence.reference;
  if (digest && !/@sha256:[0-9a-f]{64}$/.test(newTag))
    return { ok: false, reason: 'the image is pinned by digest and the new tag has none' };
  // Stryker disable next-line LogicalOperator: kind 'none' is exactly a tag without a scalar (detect-images.ts)
  if (tag.kind === 'none' || !scalar) return { ok: false, reason: 'the image has no tag to update' };
  const { start, end } = scalar.range;
  const source = text.slice(start, end);
  if (scalar.style === 'block') {
    return {
      ok: false,
      reason: 'the tag is written as a YAML block scalar, which this tool does not rewrite',
    };
  }
  if (tag.kind === 'tag') {
    let written: string;
    if (scalar.style === 'single') written = `'${newTag}'`;
    else if (scalar.style === 'double') written = `"${newTag}"`;
    // A plain tag tagged `!!str` (or `!`) stays a string whatever its text: no quotes are added.
    else written = needsQuoting(newTag) && !scalar.taggedString ? `"${newTag}"` : newTag;
    return { ok: true, splice: { start, end, text: written } };
  }
  // The tag ends the image string: `repo:1.2`, `'repo:1.2'`, `"repo:1.2"`.
  // A 'reference' tag always has a tag (detect-images.ts).
  const oldTag = occurrence.reference.tag! + (digest ? `@${digest}` : '');
  const close = scalar.style === 'plain' ? 0 : 1;
  const tagEnd = end - close;
  const tagStart = tagEnd - oldTag.length;
  if (tagStart <= start || text.slice(tagStart, tagEnd) !== oldTag || text[tagStart - 1] !== ':') {
    return { ok: false, reason: `the tag is not written literally at the end of ${JSON.stringify(source)}` };
  }
  return { ok: true, splice: { start: tagStart, end: tagEnd, text: newTag } };
}

/**
 * Applies splices to a text in one pass (the text is copied once, whatever their number), or
 * returns undefined when two of them overlap.
 */
export function applySplices(text: string, splices: readonly Splice[]): string | undefined {
  const ordered = [...splices].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const s of ordered) {
    if (s.start < at) return undefined;
    parts.push(text.slice(at, s.start), s.text);
    at = s.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
