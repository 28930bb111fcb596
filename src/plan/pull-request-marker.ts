/**
 * The hidden marker in a pull request body: the writer trusts only pull requests that carry it,
 * and reads back which updates they propose.
 */
import { createHash } from 'node:crypto';
import type { Update } from './types.js';
import { WRITTEN_BY_START } from './pull-request-footer.js';

/** The marker's opening; the writer only trusts pull requests whose body contains it. */
export const MARKER_PREFIX = '<!-- helmrelease-image-updater:';
const MARKER_SUFFIX = '-->';

/** One update as recorded in the marker. */
export interface MarkerUpdate {
  file: string;
  release: string;
  container: string;
  repository: string;
  from: string;
  to: string;
}

/** The machine-readable content of the hidden marker. */
export interface PullRequestMarker {
  version: typeof MARKER_VERSION;
  /** The branch the pull request was opened from. */
  branch: string;
  updates: MarkerUpdate[];
  /** Set when a pull request for newer tags replaced this one (so its tags may come back). */
  supersededBy?: number;
  /**
   * Set when it was closed because the base branch already had every tag it proposed (a person
   * made the bump): it records no decision against them, so its tags may come back.
   */
  obsolete?: true;
  /**
   * {@link textStamp} of the title and body this Action last wrote: a title or body that no longer
   * matches it was edited by a person, and is kept until the pull request proposes other tags.
   */
  written?: string;
}

/** The marker content for a group of updates. */
export function markerOf(branch: string, updates: readonly Update[]): PullRequestMarker {
  return {
    version: MARKER_VERSION,
    branch,
    updates: updates.map((u) => ({
      file: u.file,
      release: u.release,
      container: u.container,
      repository: u.repository,
      from: u.from,
      to: u.to,
    })),
  };
}

/** Renders the marker as an HTML comment; `<`, `>` and `&` are JSON-escaped so it cannot end early. */
export function renderMarker(marker: PullRequestMarker): string {
  const json = JSON.stringify(marker).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${MARKER_PREFIX} ${json} ${MARKER_SUFFIX}`;
}

/**
 * The marker within `max` characters: when every update does not fit (hundreds of containers in
 * one group, or names of absurd length), the first ones that fit. Such a pull request is still
 * recognised as ours; a closed one then matches none of its updates, so its tags may be proposed
 * again (never anything the filters do not allow).
 */
export function renderBoundedMarker(marker: PullRequestMarker, max: number): string {
  const full = renderMarker(marker);
  if (full.length <= max) return full;
  const branch = marker.branch.slice(0, 1000);
  // JSON is additive: the empty marker plus each entry and a comma between entries.
  const empty = renderMarker({ ...marker, branch, updates: [] }).length;
  let length = empty;
  const kept: MarkerUpdate[] = [];
  for (const update of marker.updates) {
    const entry = renderMarker({ ...marker, branch, updates: [update] }).length - empty;
    const next = length + entry + (kept.length > 0 ? 1 : 0);
    if (next > max) break;
    kept.push(update);
    length = next;
  }
  return renderMarker({ ...marker, branch, updates: kept });
}

/** Replaces the marker in a body (appending one when there is none). */
export function replaceMarker(body: string, marker: PullRequestMarker): string {
  const start = body.indexOf(MARKER_PREFIX);
  const end = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (start < 0 || end < 0) return `${body}\n\n${renderMarker(marker)}\n`;
  return `${body.slice(0, start)}${renderMarker(marker)}${body.slice(end + MARKER_SUFFIX.length)}`;
}

/** The body without its marker (the marker records the stamp of the rest). */
function withoutMarker(body: string): string {
  const start = body.indexOf(MARKER_PREFIX);
  const end = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (start < 0 || end < 0) return body;
  return body.slice(0, start) + body.slice(end + MARKER_SUFFIX.length);
}

/** A short digest of a pull request's title and body, its marker and the run that wrote it left out. */
export function textStamp(title: string, body: string): string {
  return createHash('sha256')
    .update(`${title}\n${withoutWrittenBy(withoutMarker(body))}`)
    .digest('hex')
    .slice(0, 16);
}

/** The body with its marker recording the stamp of the title and body it is written with. */
export function stampBody(title: string, body: string): string {
  const marker = parseMarker(body);
  return marker ? replaceMarker(body, { ...marker, written: textStamp(title, body) }) : body;
}

/**
 * Whether an open pull request's title and body must be rewritten to the planned ones: they differ,
 * and either nobody edited them since this Action wrote them (its generated text is refreshed: a
 * line number, a "Not taken" line) or the planned marker proposes other tags (a newer tag, a base
 * moved to another one). A person's retitle or note is kept while the tags stay the same. The line
 * naming the run that wrote the text is not a difference on its own.
 */
export function mustRewriteText(
  open: { title: string; body: string; marker: PullRequestMarker },
  planned: { title: string; body: string },
): boolean {
  if (open.title === planned.title && withoutWrittenBy(open.body) === withoutWrittenBy(planned.body))
    return false;
  const written = open.marker.written;
  if (written === undefined) return true;
  const editedByPerson = textStamp(open.title, open.body) !== written;
  return !editedByPerson || !sameTags(open.marker, parseMarker(planned.body));
}

/**
 * The body without the line naming the run that wrote it: each run names itself, and a rerun that
 * changes nothing else must not rewrite every pull request (the line names the run that last
 * changed the text).
 */
function withoutWrittenBy(body: string): string {
  return body
    .split('\n')
    .filter((line) => !line.startsWith(WRITTEN_BY_START))
    .join('\n');
}

/** True when two markers propose the same tags for the same containers (in any order). */
function sameTags(a: PullRequestMarker, b: PullRequestMarker | undefined): boolean {
  if (!b || a.updates.length !== b.updates.length) return false;
  const key = (u: MarkerUpdate) =>
    JSON.stringify([u.file, u.release, u.container, u.repository, u.from, u.to]);
  const keys = new Set(a.updates.map(key));
  return b.updates.every((u) => keys.has(key(u)));
}

/** The JSON of the marker in a body, or undefined when there is none (or it is not JSON). */
function markerValue(body: string | null | undefined): unknown {
  if (!body) return undefined;
  const start = body.indexOf(MARKER_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (end < 0) return undefined;
  try {
    return JSON.parse(body.slice(start + MARKER_PREFIX.length, end));
  } catch {
    return undefined;
  }
}

/**
 * Reads the marker back from a pull request body, or undefined when there is none, it is broken, or
 * a newer version of this Action wrote it ({@link parseNewerMarker}): only a marker whose every
 * field this version knows is one it may rewrite, move, label or close.
 */
export function parseMarker(body: string | null | undefined): PullRequestMarker | undefined {
  const value = markerValue(body);
  return isMarker(value) ? value : undefined;
}

/** The fields this version writes in a marker, and in each of its updates. */
const MARKER_FIELDS: ReadonlySet<string> = new Set([
  'version',
  'branch',
  'updates',
  'supersededBy',
  'obsolete',
  'written',
]);
const UPDATE_FIELDS = ['file', 'release', 'container', 'repository', 'from', 'to'] as const;

/** The version of the marker this Action writes; a higher one was written by a newer version. */
export const MARKER_VERSION = 1;

/** Shape check for a parsed marker (bodies can be edited by people). */
function isMarker(value: unknown): value is PullRequestMarker {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.version !== MARKER_VERSION || typeof v.branch !== 'string' || !Array.isArray(v.updates)) return false;
  if (v.supersededBy !== undefined && typeof v.supersededBy !== 'number') return false;
  if (v.written !== undefined && typeof v.written !== 'string') return false;
  if (v.obsolete !== undefined && v.obsolete !== true) return false;
  return readableUpdates(v.updates) !== undefined && unknownFields(v).length === 0;
}

/**
 * A marker a newer version of this Action wrote: a higher `version`, or fields this version does not
 * know. This version cannot tell what it records (a pin, a decision), so it never rewrites, moves,
 * labels or closes that pull request, and opens none beside it for the containers it proposes.
 */
export interface NewerMarker {
  /** What makes it newer, for the warning: `its marker is version 2`. */
  why: string;
  /** Its updates, when they read as this version's do (extra fields aside); else unknown. */
  updates: MarkerUpdate[] | undefined;
}

/** The newer version's marker in a body, or undefined when it holds none (ours, or none at all). */
export function parseNewerMarker(body: string | null | undefined): NewerMarker | undefined {
  const value = markerValue(body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  // A version below ours, or none, was never written by any version: a broken marker.
  if (typeof v.version !== 'number' || !Number.isInteger(v.version) || v.version < MARKER_VERSION)
    return undefined;
  const updates = readableUpdates(v.updates);
  if (v.version > MARKER_VERSION) return { why: `its marker is version ${v.version}`, updates };
  const unknown = unknownFields(v);
  if (unknown.length === 0) return undefined;
  return { why: `its marker has fields this version does not know: ${namedFields(unknown)}`, updates };
}

/** The updates of a marker when each has this version's fields as text, else undefined. */
function readableUpdates(value: unknown): MarkerUpdate[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const readable = value.every(
    (u: unknown) =>
      typeof u === 'object' &&
      u !== null &&
      UPDATE_FIELDS.every((k) => typeof (u as Record<string, unknown>)[k] === 'string'),
  );
  if (!readable) return undefined;
  return (value as Record<string, string>[]).map((u) => ({
    file: u.file!,
    release: u.release!,
    container: u.container!,
    repository: u.repository!,
    from: u.from!,
    to: u.to!,
  }));
}

/** The fields of a marker (and of its updates, as `updates[].name`) this version does not write. */
function unknownFields(marker: Record<string, unknown>): string[] {
  const unknown = new Set(Object.keys(marker).filter((k) => !MARKER_FIELDS.has(k)));
  if (Array.isArray(marker.updates)) {
    for (const u of marker.updates as unknown[]) {
      if (typeof u !== 'object' || u === null) continue;
      for (const k of Object.keys(u)) {
        if (!(UPDATE_FIELDS as readonly string[]).includes(k)) unknown.add(`updates[].${k}`);
      }
    }
  }
  return [...unknown];
}

/** At most three field names, each plain and short (a body is anyone's text), and how many more. */
function namedFields(fields: readonly string[]): string {
  const plain = fields.filter((f) => /^[\w.[\]-]{1,40}$/.test(f));
  const shown = plain.slice(0, 3);
  const more = fields.length - shown.length;
  return [...shown, ...(more > 0 ? [`${more} more`] : [])].join(', ');
}
