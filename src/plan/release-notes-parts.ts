/**
 * The release notes parts of a pull request body. The notes are read from GitHub once, when a pull
 * request is written; a re-run that proposes the same change keeps the parts from the body it
 * wrote, so an unchanged run costs no request to the source repositories. Pure.
 *
 * A body with one image (or one source and tag change) has one part, marked as these constants
 * say. A grouped body has one part under each image's section, its start marker keyed by a hash
 * of the source and tags ({@link RELEASE_NOTES_START} with the key before ` -->`), so each part
 * is put back under its own image even when the sections come in another order.
 *
 * Outside code, notes hold no `<`, so no comment; their fenced code is kept as written, and
 * {@link notesPart} moves a line of it that would end a part.
 */
import { shortHash } from './branch-name.js';

export const RELEASE_NOTES_START = '<!-- release-notes -->';
export const RELEASE_NOTES_END = '<!-- /release-notes -->';

/** A part's start line: the plain marker, or the marker keyed by a hash. */
const PART_START = /^<!-- release-notes(?: ([0-9a-f]{8}))? -->$/gm;

/** The start marker of a part: keyed in a body with several parts. */
function partStart(key: string | undefined): string {
  return key === undefined ? RELEASE_NOTES_START : `<!-- release-notes ${shortHash(key)} -->`;
}

/** A line of the notes that {@link partsOf} would read as the end of their part. */
const READS_AS_END = new RegExp(`^(?=${RELEASE_NOTES_END})`, 'gm');

/**
 * The part, markers included, of the lines between them. A release's fenced code is kept as
 * written, so a line of it that starts like the end marker is moved a space to the right, where
 * it ends nothing.
 */
export function notesPart(key: string | undefined, lines: readonly string[]): string {
  return [partStart(key), lines.join('\n').replace(READS_AS_END, ' '), RELEASE_NOTES_END].join('\n');
}

/** Each part of a body with its place: `key` is its hash, '' for a plain one. */
function partsOf(body: string): { key: string; start: number; end: number }[] {
  const parts: { key: string; start: number; end: number }[] = [];
  let from = 0;
  for (const match of body.matchAll(PART_START)) {
    if (match.index < from) continue;
    const end = body.indexOf(`\n${RELEASE_NOTES_END}`, match.index);
    if (end < 0) break;
    const after = end + 1 + RELEASE_NOTES_END.length;
    parts.push({ key: match[1] ?? '', start: match.index, end: after });
    from = after;
  }
  return parts;
}

/** The release notes parts of a body this Action wrote, markers included, by their keys. */
export function releaseNotesParts(body: string): Map<string, string> {
  return new Map(partsOf(body).map((p) => [p.key, body.slice(p.start, p.end)]));
}

/**
 * `body` with each release notes part replaced by the part of the same key in `parts` (from
 * {@link releaseNotesParts}); undefined when `body` has none or one of its parts has no
 * counterpart (the notes are then read afresh).
 */
export function withReleaseNotesParts(body: string, parts: ReadonlyMap<string, string>): string | undefined {
  const own = partsOf(body);
  if (own.length === 0 || own.some((p) => !parts.has(p.key))) return undefined;
  let out = '';
  let at = 0;
  for (const p of own) {
    out += body.slice(at, p.start) + parts.get(p.key)!;
    at = p.end;
  }
  return out + body.slice(at);
}
