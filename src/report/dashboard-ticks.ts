/**
 * The boxes a person ticks on the dashboard issue: each box's key (a pull request's branch and the
 * tags it proposes, so a tick applies to exactly what was shown), the hidden tag that carries the
 * key through a person's edit, reading the ticked boxes back from the body, and what they ask of one
 * pull request at the next run. Pure; the body they sit in is `dashboard-text.ts`.
 */
import type { Update } from '../update.js';

/** What a ticked box asks for. */
export type TickKind = 'retry' | 'open-now';

/** The boxes ticked in a dashboard body, by kind: the keys of {@link dashboardKey}. */
export type DashboardTicks = Record<TickKind, ReadonlySet<string>>;

/** No box ticked. */
export const NO_TICKS: DashboardTicks = { retry: new Set(), 'open-now': new Set() };

/** GitHub refuses an issue body over this many characters. */
export const GITHUB_ISSUE_BODY_LIMIT = 65_536;

/**
 * The key of a box: the pull request's branch and the tags it proposes, so a tick applies to
 * exactly what was shown (a newer tag meanwhile is a new box). URI-encoded: no space, no `-->`.
 */
export function dashboardKey(branch: string, updates: readonly Pick<Update, 'to'>[]): string {
  const tags = [...new Set(updates.map((u) => u.to))].sort();
  return encodeURIComponent(`${branch}@${tags.join(',')}`);
}

/** A box's hidden tag, which carries its kind and key through a person's edit. */
export function boxTag(kind: TickKind, key: string): string {
  return `<!-- helmrelease-image-updater:${kind} ${key} -->`;
}

const BOX_RE =
  /^[ \t]*[-*+][ \t]+\[([ xX])\][ \t]+<!-- helmrelease-image-updater:(retry|open-now) (\S+) -->/gm;

/** The ticked boxes of a dashboard body (GitHub's `- [x]`, as a click in the issue writes it). */
export function parseDashboardTicks(body: string): DashboardTicks {
  const ticks = { retry: new Set<string>(), 'open-now': new Set<string>() };
  // A body GitHub accepted is at most 65,536 characters (twice that with CRLF line ends after a
  // person's edit); anything longer is not ours to read.
  for (const match of body.slice(0, 2 * GITHUB_ISSUE_BODY_LIMIT).matchAll(BOX_RE)) {
    if (match[1] !== ' ') ticks[match[2] as TickKind].add(match[3]!);
  }
  return ticks;
}

const ANY_BOX_RE = /^[ \t]*[-*+][ \t]+\[[xX]\][ \t]+<!-- helmrelease-image-updater:([^\s>]+)[ \t]/gm;

/**
 * The kinds of ticked boxes in a dashboard body that carry our tag but that this version does not
 * write (a newer version's), each once, at most 3, each plain and short (a body is anyone's text);
 * `dashboard`, the issue's own marker, is no box.
 */
export function unknownTickedKinds(body: string): string[] {
  const kinds = new Set<string>();
  for (const match of body.slice(0, 2 * GITHUB_ISSUE_BODY_LIMIT).matchAll(ANY_BOX_RE)) {
    const kind = match[1]!;
    if (Object.hasOwn(NO_TICKS, kind) || kind === 'dashboard') continue;
    if (/^[\w-]{1,40}$/.test(kind)) kinds.add(kind);
    if (kinds.size === 3) break;
  }
  return [...kinds];
}

/** What the ticked boxes ask of one pull request (the writer's `ticked` option). */
export function tickedFor(ticks: DashboardTicks): (request: {
  branch: string;
  updates: readonly Pick<Update, 'to'>[];
}) => {
  retry: boolean;
  openNow: boolean;
} {
  return (request) => {
    const key = dashboardKey(request.branch, request.updates);
    return { retry: ticks.retry.has(key), openNow: ticks['open-now'].has(key) };
  };
}
