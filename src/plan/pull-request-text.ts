/**
 * Title, commit message and body of a pull request, and the hidden marker the writer reads back to
 * recognise its own pull requests.
 *
 * Everything that came from a file or a registry (names, tags, filters, labels) is escaped before
 * it goes into Markdown: table cells cannot be broken by `|`, HTML cannot be injected, and `@name`
 * or `#123` in a tag cannot ping people or link issues.
 */
import { parseImageReference } from '../image/reference.js';
import type { Update } from './types.js';

/** The default title template: `Update bitnami/mongodb to 4.0.4 in data/mongodb (chart-image)`. */
export const DEFAULT_TITLE_TEMPLATE = '{action} {repository} to {to} in {release} ({container})';

/** The placeholders a title or commit message template may use. */
export const TEMPLATE_PLACEHOLDERS = [
  'action',
  'repository',
  'image',
  'from',
  'to',
  'release',
  'container',
  'file',
] as const;

/** Name of a template placeholder. */
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** The marker's opening; the writer only trusts pull requests whose body contains it. */
export const MARKER_PREFIX = '<!-- helmrelease-image-updater:';
const MARKER_SUFFIX = '-->';

/** The trailer that marks commits made by this Action (so a foreign commit can be told apart). */
export const COMMIT_TRAILER = 'Updated-by: helmrelease-image-updater';

/** GitHub refuses bodies longer than 65536 characters; this leaves room for the text around the table. */
const BODY_BUDGET = 60000;

/** GitHub refuses titles longer than this. */
const MAX_TITLE_LENGTH = 256;

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
  version: 1;
  /** The branch the pull request was opened from. */
  branch: string;
  updates: MarkerUpdate[];
  /** Set when a pull request for newer tags replaced this one (so its tags may come back). */
  supersededBy?: number;
}

/** What the body needs besides the updates. */
export interface BodyContext {
  /** `https://github.com` or the GHES server URL. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The base branch the file links point at. */
  base: string;
  branch: string;
}

/** Repository as written in the file, without the tag or digest (`bitnami/mongodb`). */
export function writtenRepository(update: Update): string {
  const parsed = parseImageReference(update.image);
  if (!parsed.ok) return update.repository;
  const { registry, path } = parsed.reference;
  return registry ? `${registry}/${path}` : path;
}

/** Distinct values in first-seen order. */
function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The values each placeholder stands for, for a group of updates. */
function placeholderValues(updates: readonly Update[]): Record<TemplatePlaceholder, string> {
  const join = (pick: (u: Update) => string): string => distinct(updates.map(pick)).join(', ');
  return {
    action: updates.every((u) => u.downgrade) ? 'Downgrade' : 'Update',
    repository: join(writtenRepository),
    image: join((u) => u.newImage),
    from: join((u) => u.from),
    to: join((u) => u.to),
    release: join((u) => u.release),
    container: join((u) => u.container),
    file: join((u) => u.file),
  };
}

/** Fills `{placeholder}`s; unknown ones are left as written. */
export function renderTemplate(template: string, updates: readonly Update[]): string {
  const values = placeholderValues(updates);
  return template.replace(/\{([a-z]+)\}/g, (whole, name: string) =>
    (TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as TemplatePlaceholder] : whole,
  );
}

/**
 * The pull request title. A downgrade always says so: through `{action}` when the template has it,
 * otherwise by a `(downgrade)` suffix.
 */
export function renderTitle(updates: readonly Update[], template = DEFAULT_TITLE_TEMPLATE): string {
  let title = renderTemplate(template, updates).replace(/\s+/g, ' ').trim();
  if (!template.includes('{action}') && updates.some((u) => u.downgrade)) title += ' (downgrade)';
  return title.length > MAX_TITLE_LENGTH ? `${title.slice(0, MAX_TITLE_LENGTH - 1)}…` : title;
}

/** The commit message: the title (or its own template), one line per update, and the trailer. */
export function renderCommitMessage(updates: readonly Update[], template = DEFAULT_TITLE_TEMPLATE): string {
  // Names come from files (a quoted YAML key may hold a newline): each update stays on one line,
  // so no value can add lines such as `Signed-off-by:` or a second trailer to the message.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const line = (text: string): string => text.replace(/[\s\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  const lines = updates.map(
    (u) =>
      `- ${line(u.release)} (${line(u.container)}) in ${line(u.file)}: ${line(u.image)} -> ${line(u.newImage)}${u.downgrade ? ' (downgrade)' : ''}`,
  );
  return `${renderTitle(updates, template)}\n\n${lines.join('\n')}\n\n${COMMIT_TRAILER}\n`;
}

/** Escapes text for a Markdown table cell or paragraph: no HTML, no table breaks, no mentions. */
export function escapeMarkdown(text: string): string {
  // One pass, so the entities it writes are not escaped again.
  return text.replace(
    /[&<>@#\\`*_[\]{}()|~!]|\r\n|\r|\n/g,
    (c) => HTML_ESCAPES[c] ?? (c.trim() === '' ? ' ' : `\\${c}`),
  );
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '@': '&#64;',
  '#': '&#35;',
};

/** Percent-encodes each segment of a repository path for a URL. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** A URL safe to put inside `[text](url)`, or undefined when it is not http(s). */
export function safeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.href.replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/ /g, '%20');
}

/** Link to a file at a line on the base branch. */
export function fileLink(context: BodyContext, file: string, line: number): string {
  const server = context.serverUrl.replace(/\/+$/, '');
  return `${server}/${encodePath(context.owner)}/${encodePath(context.repo)}/blob/${encodePath(context.base)}/${encodePath(file)}#L${line}`;
}

/** Link to a source repository's releases page, for hosts known to have one. */
export function releasesLink(source: string): string | undefined {
  const url = safeUrl(source);
  if (!url) return undefined;
  const parsed = new URL(url);
  if (parsed.hostname !== 'github.com' && parsed.hostname !== 'gitlab.com') return undefined;
  const path = parsed.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length < 2) return undefined;
  return `${parsed.origin}/${parts.slice(0, parsed.hostname === 'github.com' ? 2 : parts.length).join('/')}${parsed.hostname === 'gitlab.com' ? '/-/releases' : '/releases'}`;
}

/** The marker content for a group of updates. */
export function markerOf(branch: string, updates: readonly Update[]): PullRequestMarker {
  return {
    version: 1,
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

/** Replaces the marker in a body (appending one when there is none). */
export function replaceMarker(body: string, marker: PullRequestMarker): string {
  const start = body.indexOf(MARKER_PREFIX);
  const end = start < 0 ? -1 : body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (start < 0 || end < 0) return `${body}\n\n${renderMarker(marker)}\n`;
  return `${body.slice(0, start)}${renderMarker(marker)}${body.slice(end + MARKER_SUFFIX.length)}`;
}

/** Reads the marker back from a pull request body, or undefined when there is none (or it is broken). */
export function parseMarker(body: string | null | undefined): PullRequestMarker | undefined {
  if (!body) return undefined;
  const start = body.indexOf(MARKER_PREFIX);
  if (start < 0) return undefined;
  const end = body.indexOf(MARKER_SUFFIX, start + MARKER_PREFIX.length);
  if (end < 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.slice(start + MARKER_PREFIX.length, end));
    if (!isMarker(value)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** Shape check for a parsed marker (bodies can be edited by people). */
function isMarker(value: unknown): value is PullRequestMarker {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || typeof v.branch !== 'string' || !Array.isArray(v.updates)) return false;
  if (v.supersededBy !== undefined && typeof v.supersededBy !== 'number') return false;
  return v.updates.every(
    (u: unknown) =>
      typeof u === 'object' &&
      u !== null &&
      ['file', 'release', 'container', 'repository', 'from', 'to'].every(
        (k) => typeof (u as Record<string, unknown>)[k] === 'string',
      ),
  );
}

/** The pull request body: a table for reviewers, source links, and the hidden marker. */
export function renderBody(updates: readonly Update[], context: BodyContext): string {
  const e = escapeMarkdown;
  const downgrade = updates.some((u) => u.downgrade);
  const lines: string[] = [];
  lines.push(
    downgrade
      ? 'This pull request **downgrades** container images in Flux HelmReleases (the filter now chooses a lower or older tag).'
      : 'This pull request updates container images in Flux HelmReleases.',
    '',
    '| HelmRelease | File | Container | Image | From | To | Filter | Chosen by |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  // GitHub refuses bodies over 65536 characters; a huge group lists its first rows only (the
  // commit message and the marker still name every update).
  const marker = renderMarker(markerOf(context.branch, updates));
  const tableBudget = BODY_BUDGET - marker.length;
  let tableLength = 0;
  for (const [index, u] of updates.entries()) {
    if (tableLength > tableBudget) {
      lines.push('', `…and ${updates.length - index} more (see the commit message).`);
      break;
    }
    const link = fileLink(context, u.file, u.line);
    const chosen = u.created ? `${u.chosenBy}, built ${u.created}` : u.chosenBy;
    const row = `| ${e(u.release)} | [${e(u.file)}:${u.line}](${link}) | ${e(u.container)} | ${e(writtenRepository(u))} | ${e(u.from)} | ${e(u.to)}${u.downgrade ? ' (downgrade)' : ''} | ${e(u.filter)} | ${e(chosen)} |`;
    lines.push(row);
    tableLength += row.length;
  }
  const sources = distinct(
    updates.flatMap((u) => (u.source ? [`${writtenRepository(u)}\u0000${u.source}`] : [])),
  );
  if (sources.length > 0) {
    lines.push('', '**Source**', '');
    for (const entry of sources) {
      const [repository, source] = entry.split('\u0000');
      const url = safeUrl(source);
      if (!url) {
        lines.push(`- ${e(repository)}: ${e(source)}`);
        continue;
      }
      const releases = releasesLink(source);
      lines.push(`- ${e(repository)}: [${e(source)}](${url})${releases ? ` ([releases](${releases}))` : ''}`);
    }
  }
  lines.push(
    '',
    '---',
    `Opened by helmrelease-image-updater from branch ${e(context.branch)}. Closing this pull request without merging keeps the Action from proposing the same tag again.`,
    '',
    marker,
    '',
  );
  return lines.join('\n');
}
