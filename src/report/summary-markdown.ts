/**
 * The job summary's Markdown pieces: text from files and registries made inert, images and tags in
 * code type, file links to the repository's blob at the run's commit, and an update as one line.
 * Pure.
 */
import { encodePath, showInvisible } from '../plan/markdown.js';
import type { Update } from '../update.js';

/** Where the summary's file links point. */
export interface SummaryLinks {
  /** `https://github.com` or the GHES server URL. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The commit the workspace holds (`GITHUB_SHA`), or a branch name. */
  ref: string;
}

/**
 * Text from files and registries made inert in Markdown: no HTML, no links or emphasis, no table
 * pipes, one line, and bidirectional and zero-width characters shown as their `\uXXXX` escapes.
 * Backslash escapes render as the plain character.
 */
export function escapeText(text: string): string {
  return showInvisible(text.replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;')
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ');
}

/** An image or tag in code type (an HTML element, so the text is escaped like any other). */
export function code(text: string): string {
  return `<code>${escapeText(text)}</code>`;
}

/** The repository's page: `https://github.com/acme/gitops` (a GHES server URL may end in `/`). */
function repositoryUrl(links: SummaryLinks): string {
  const server = links.serverUrl.replace(/\/+$/, '');
  return `${server}/${encodePath(links.owner)}/${encodePath(links.repo)}`;
}

/** `[file:line](url)`, or the escaped text when there are no links. */
export function fileLink(links: SummaryLinks | undefined, file: string, line: number): string {
  const text = escapeText(line > 0 ? `${file}:${line}` : file);
  if (!links) return text;
  const url = `${repositoryUrl(links)}/blob/${encodePath(links.ref)}/${encodePath(file)}${line > 0 ? `#L${line}` : ''}`;
  return `[${text}](${url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

/** `data/mongodb (chart-image)`. */
export function where(item: { release: string; container: string }): string {
  return `${escapeText(item.release)} (${escapeText(item.container)})`;
}

/** `` `bitnami/mongodb` 4.0.3 → **4.0.4** `` (a downgrade says so). */
function bump(update: Update): string {
  const to = `**${escapeText(update.to)}**`;
  return `${code(update.repository)} ${escapeText(update.from)} → ${to} (${update.type})`;
}

/** One update as a list item's text. */
export function updateLine(update: Update, links: SummaryLinks | undefined): string {
  const line = `${bump(update)} · ${where(update)} · ${fileLink(links, update.file, update.line)}`;
  // The minimum release age proposed an older tag: say which newer one waits, and until when.
  return update.heldBack ? `${line}<br>${escapeText(update.heldBack)}` : line;
}

/** Escaped text with each `#123` it names linked to that pull request, when there are links. */
export function linkedNumbers(text: string, links: SummaryLinks | undefined): string {
  if (!links) return text;
  const base = `${repositoryUrl(links)}/pull`;
  return text.replace(
    /(^|[\s(,])#(\d+)\b/g,
    (_all, before: string, n: string) => `${before}[#${n}](${base}/${n})`,
  );
}
