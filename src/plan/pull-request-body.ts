/**
 * The pull request body, written for a reviewer reading top-down in GitHub's ~880 px column (no
 * wide tables):
 *
 * 1. what changes: image, from -> to, update type, HelmRelease, container, the file at the line
 *    on the base branch, and the platforms when they change (a lost one first of all);
 * 2. why this tag: the filter and the rule that chose it, with the build time;
 * 3. what was not taken and why (`5.0.0`: outside ~4.0);
 * 4. the source repository's release notes between the two tags, collapsed, and a compare link
 *    (with several images, each image's come right after its own sections 1-3);
 * 5. the footer (`pull-request-footer.ts`): how the Action keeps the pull request, what closing it
 *    does, the annotation that skips this version for good, the run that wrote it, and the marker.
 *
 * Bounded (GitHub refuses bodies over 65,536 characters with a 422): every value from outside is
 * capped on its own, each part has a budget, and parts that do not fit are left out with a note,
 * never the marker. {@link MAX_BODY_LENGTH} is checked by a property test with hostile inputs.
 */
import { NO_FILTER_ANNOTATION } from '../filters/parse-filter.js';
import { capText, code, encodePath, escapeMarkdown, safeUrl, literal, MAX_FIELD } from './markdown.js';
import {
  githubRepository,
  MAX_RELEASES,
  releaseNotesKey,
  renderReleases,
  type ReleaseNotes,
} from './release-notes-text.js';
import { platformsText } from './platforms-text.js';
import { suffixChangeText } from './tag-suffix.js';
import { registryPage } from './registry-page.js';
import { plural } from '../plural.js';
import { markerOf, renderBoundedMarker } from './pull-request-marker.js';
import { notesPart } from './release-notes-parts.js';
import { footerLines, type FooterContext } from './pull-request-footer.js';

export { ignoreVersionHint } from './pull-request-footer.js';
import type { Update } from './types.js';

/** GitHub's limit on a pull request body. */
export const GITHUB_BODY_LIMIT = 65536;
/** What a body may use: the limit with a margin. */
export const MAX_BODY_LENGTH = 62000;

/**
 * Budgets of the body's parts. The marker comes first (the writer needs it); the update sections
 * (each with the one line its notes shrink to) get at most {@link MAX_UPDATES_PART} of what is left,
 * the release notes the rest.
 */
const MAX_MARKER = 40000;
const MAX_UPDATES_PART = 26000;
/** Room kept for the "…and N more" lines. */
const MORE_LINES = 400;
/** The most characters of a source's name shown. */
const MAX_SOURCE = 300;

/** What the body needs besides the updates. */
export interface BodyContext extends FooterContext {
  /** `https://github.com` or the GHES server URL. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** Release notes by {@link releaseNotesKey}; absent when they were not fetched. */
  releaseNotes?: ReadonlyMap<string, ReleaseNotes>;
}

/** A value from outside, capped and escaped for prose. */
function text(value: string): string {
  return escapeMarkdown(capText(value, MAX_FIELD));
}

/** Repository as written in the file, without the tag or digest (`bitnami/mongodb`). */
export function writtenRepository(update: Pick<Update, 'image' | 'repository'>): string {
  const at = update.image.indexOf('@');
  const name = at >= 0 ? update.image.slice(0, at) : update.image;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name || update.repository;
}

/** Link to a file at a line on the base branch. */
export function fileLink(context: BodyContext, file: string, line: number): string {
  const server = context.serverUrl.replace(/\/+$/, '');
  return `${server}/${encodePath(context.owner)}/${encodePath(context.repo)}/blob/${encodePath(context.base)}/${encodePath(file)}#L${line}`;
}

/**
 * A github.com URL that names an issue, a pull request or a discussion, through
 * `redirect.github.com`: linked as written, a source label naming one (`…/victim/repo/issues/1`)
 * would put a "mentioned this" backlink on it from every pull request of every repository that
 * runs the image (Renovate's `massageMarkdownLinks` does the same). Any other URL is kept, such as
 * a monorepo's folder (`…/bitnami/containers/tree/main/bitnami/mongodb`).
 */
function withoutBacklink(url: string): string {
  return url.replace(
    /^https?:\/\/(?:www\.)?github\.com(?=\/[^/]+\/[^/]+\/(?:issues|pull|pulls|discussions)(?:[/?#]|$))/i,
    'https://redirect.github.com',
  );
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

/** `2026-11-01T10:00:00Z` -> `2026-11-01 10:00 UTC`. */
function formatDate(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : capText(iso, 40);
}

/** "3 days" / "5 hours" between two ISO times, or undefined. */
function duration(from: string, to: string): string | undefined {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms)) return undefined;
  const hours = Math.round(Math.abs(ms) / 3_600_000);
  const amount = hours >= 48 ? `${Math.round(hours / 24)} days` : hours === 1 ? '1 hour' : `${hours} hours`;
  return ms >= 0 ? `${amount} after` : `${amount} before`;
}

/** The rule that chose the tag, with the build time and age, in one sentence. */
function whyLine(u: Update): string {
  // `glob:*` here would read as an annotation someone wrote; say there is none, as explain does.
  const filter = u.noFilterAnnotation ? NO_FILTER_ANNOTATION : `filter ${literal(u.filter)}`;
  const parts = [`**Why ${literal(u.to)}:** ${text(u.chosenBy)} (${filter}).`];
  if (u.created && !u.chosenBy.includes(u.created)) parts.push(`Built ${formatDate(u.created)}.`);
  if (u.created && u.fromCreated) {
    const gap = duration(u.fromCreated, u.created);
    if (gap) parts.push(`That is ${gap} the image of ${literal(u.from)}.`);
  }
  return parts.join(' ');
}

/** `sha256:0123456789ab`: a digest's first 12 hex digits, as `docker images` shows them. */
function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1');
}

/**
 * A pin that moves with its tag: the digest the file holds now and the one it will hold, which the
 * heading's tags alone do not say (Renovate's table shows both). The reviewer can check the new one
 * against the registry (`docker buildx imagetools inspect`) before merging.
 */
function pinLine(u: Update, toDigest: string): string {
  const to = `${literal(shortDigest(toDigest))}, the digest the registry serves for ${literal(u.to)}`;
  return u.pinnedDigest
    ? `Pinned by digest: from ${literal(shortDigest(u.pinnedDigest))} to ${to}`
    : `Pinned by digest: to ${to}`;
}

/** The section of one update. */
function updateSection(u: Update, context: BodyContext): string[] {
  const action = u.downgrade ? '**Downgrade**' : 'Update';
  const platforms = platformsText(u);
  // A re-pushed tag keeps its name: `from 4.0.3 to 4.0.3` alone would say nothing changed.
  const repushed = u.fromDigest !== undefined && u.toDigest !== undefined;
  const from = repushed ? `${u.from}@${shortDigest(u.fromDigest!)}` : u.from;
  const to = repushed ? `${u.to}@${shortDigest(u.toDigest!)}` : u.to;
  const suffix = suffixChangeText(u.from, u.to);
  const page = registryPage(u.repository);
  const lines = [
    `### ${action} ${literal(writtenRepository(u))} from ${literal(from)} to ${literal(to)} (${u.type}${repushed ? ', digest changed' : ''})`,
    '',
    ...(platforms.warning ? [platforms.warning, ''] : []),
    `- HelmRelease ${literal(u.release)}, container ${literal(u.container)}`,
    `- [${text(u.file)} line ${u.line}](${fileLink(context, capText(u.file, 1000), u.line)}) on ${literal(context.base)}`,
    ...(!repushed && u.toDigest ? [`- ${pinLine(u, u.toDigest)}`] : []),
    ...(suffix ? [`- ${suffix}`] : []),
    ...(platforms.line ? [`- ${platforms.line}`] : []),
    ...(page
      ? [`- [${text(writtenRepository(u))} on ${page.name}](${page.url}): its tags and their dates`]
      : []),
    '',
    whyLine(u),
  ];
  if (u.downgrade) {
    lines.push(
      '',
      'The filter now chooses a lower version or an older build than the current tag (as Flux v1 would).',
    );
  }
  if (u.notTaken.length > 0) {
    lines.push('', '**Not taken:**');
    for (const n of u.notTaken.slice(0, 4)) lines.push(`- ${literal(n.tag)}: ${text(n.reason)}`);
  }
  lines.push('');
  return lines;
}

/** The release notes part for one source and tag change. */
function notesSection(u: Update, context: BodyContext): string[] {
  if (!u.source) {
    return [
      `No release notes for ${literal(writtenRepository(u))}: the image has no ${code('org.opencontainers.image.source')} label. Its maintainers can add one (${code('LABEL org.opencontainers.image.source=https://github.com/<owner>/<repo>')}, or ${code('docker/metadata-action')}).`,
      '',
    ];
  }
  const url = safeUrl(capText(u.source, 2000));
  if (!url || url.length > 2000) return [`Source: ${text(u.source)}`, ''];
  const notes = context.releaseNotes?.get(releaseNotesKey(u.source, u.from, u.to));
  const github = githubRepository(url);
  const releases = releasesLink(url);
  const parsed = new URL(url);
  const name = github
    ? `${github.owner}/${github.repo}`
    : capText(`${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`, MAX_SOURCE);
  const head = `**Release notes** of [${escapeMarkdown(name)}](${github ? withoutBacklink(url) : url})`;
  if (!notes || !github) {
    return [`${head}${releases ? `: [releases](${releases})` : ''}`, ''];
  }
  const compare = notes.compareUrl
    ? ` · [compare ${escapeMarkdown(`${u.from}...${u.to}`)}](${notes.compareUrl})`
    : '';
  if (notes.problem)
    return [`${head}: could not be read (${text(notes.problem)}) · [releases](${releases})${compare}`, ''];
  if (notes.releases.length === 0) {
    return [
      `${head}: no GitHub release between ${literal(u.from)} and ${literal(u.to)} · [releases](${releases})${compare}`,
      '',
    ];
  }
  const lines = [`${head}${compare}`, '', ...renderReleases(notes)];
  const more = notes.more + Math.max(0, notes.releases.length - MAX_RELEASES);
  if (more > 0) lines.push(`…and ${more} earlier (see [releases](${releases})).`, '');
  return lines;
}

/** The key that tells one image's release notes from another's (source and tags, or the image). */
function notesKey(u: Update): string {
  return u.source ? releaseNotesKey(u.source, u.from, u.to) : `none\n${writtenRepository(u)}`;
}

/** What a section's notes part says when its notes do not fit (the part is kept for re-runs). */
const NOTES_LEFT_OUT = '**Release notes** left out for length.';

/**
 * The pull request body: what changes, why, what was not taken, release notes, and the marker.
 * Each image's release notes follow its own section, so a reviewer of a grouped pull request
 * reads every image's notes beside its change; an image whose notes an earlier section already
 * shows (the same source and tags) points there.
 */
export function renderBody(updates: readonly Update[], context: BodyContext): string {
  const marker = renderBoundedMarker(markerOf(context.branch, updates), MAX_MARKER);
  // The footer holds the marker: counted once.
  const footer = footerLines(updates, context, marker).join('\n');
  const room = MAX_BODY_LENGTH - footer.length - MORE_LINES;
  const several = new Set(updates.map(notesKey)).size > 1;

  /** A part at its smallest: the line that says its notes were left out (keyed when several). */
  const leftOutPart = (key: string) => notesPart(several ? key : undefined, [NOTES_LEFT_OUT, '']);
  /** A shown section, and the key of the notes part under it when it has one. */
  const shown: { section: string; key?: string }[] = [];
  const firstOf = new Map<string, Update>();
  let used = 0;
  const updatesBudget = Math.min(MAX_UPDATES_PART, Math.floor(room * 0.6));
  for (const u of updates) {
    const key = notesKey(u);
    const first = firstOf.get(key);
    const lines = updateSection(u, context);
    if (first) lines.push(sameNotesLine(first), '');
    const section = lines.join('\n');
    // The part's smallest form is counted with its section, so that every shown image keeps its
    // part (a re-run puts back the notes by the parts' keys).
    const smallest = first ? 0 : leftOutPart(key).length + 1;
    if (used + section.length + 1 + smallest > updatesBudget) break;
    shown.push(first ? { section } : { section, key });
    if (!first) firstOf.set(key, u);
    used += section.length + 1 + smallest;
  }

  // The notes: in the sections' order, each as long as the room left allows (its releases, or
  // just the links, or the line that says they were left out, which `used` already counts).
  const notes = new Map<string, string>();
  let notesRoom = room - used;
  for (const { key } of shown) {
    if (key === undefined) continue;
    const u = firstOf.get(key)!;
    const smallest = leftOutPart(key);
    let part = smallest;
    for (const ctx of [context, { ...context, releaseNotes: undefined }]) {
      const candidate = notesPart(several ? key : undefined, notesSection(u, ctx));
      if (candidate.length - smallest.length <= notesRoom) {
        part = candidate;
        break;
      }
    }
    notesRoom -= part.length - smallest.length;
    notes.set(key, part);
  }

  const lines: string[] = [];
  for (const { section, key } of shown) {
    lines.push(section);
    if (key !== undefined) lines.push(notes.get(key)!);
  }
  if (shown.length < updates.length) {
    const rest = updates.slice(shown.length);
    const notesLeft = new Set(rest.map(notesKey).filter((key) => !firstOf.has(key))).size;
    const left =
      notesLeft > 0 ? ` Release notes of ${plural(notesLeft, 'more image')} left out for length.` : '';
    lines.push(`…and ${plural(rest.length, 'more update')} (the commit message lists every one).${left}`, '');
  }
  lines.push(footer);
  return lines.join('\n');
}

/** Where a section whose image's notes an earlier section shows finds them. */
function sameNotesLine(first: Update): string {
  return `**Release notes:** as for container ${literal(first.container)} of ${literal(first.release)} above.`;
}
