/**
 * The job summary's pull request items: each outcome's link, verb and reason, the updates it
 * carries, and the pull requests it superseded or closed as obsolete. Pure.
 *
 *   - [#13](…) opened: `bitnami/redis` 6.2.0 → **7.0.0** (major) · data/redis (chart-image) · [….yaml:9](…)
 */
import { safeUrl } from '../plan/markdown.js';
import { plural } from '../plural.js';
import type { PullRequestOutcome } from '../ports.js';
import { supersedesReason } from '../supersedes-text.js';
import { code, escapeText, linkedNumbers, updateLine, type SummaryLinks } from './summary-markdown.js';

/** The pull request's link, or its number, or nothing (dry runs). */
function pullRequestRef(pr: PullRequestOutcome): string {
  if (pr.number === undefined) return '';
  const url = pr.url ? safeUrl(pr.url) : undefined;
  return url ? `[#${pr.number}](${url})` : `#${pr.number}`;
}

/** How each pull request outcome reads in the summary. */
const PULL_REQUEST_VERBS: Record<string, string> = {
  created: 'opened',
  updated: 'updated',
  unchanged: 'open, nothing new',
  'would-create': 'would open',
  'would-update': 'would update',
};

/**
 * The outcomes whose reason is shown beside them: what a dry run would do, and the pull requests
 * an opened or updated one replaced (`supersedes #31`).
 */
const REASON_SHOWN: ReadonlySet<string> = new Set(['created', 'updated', 'would-create', 'would-update']);

/**
 * The part of an outcome's reason shown beside it. An unchanged one shows only what it replaced
 * (`supersedes #31`, `would supersede #31`, in the writer's words: it carries an old grouped one
 * when that one's other containers got pull requests of their own); the rest of its reason, its
 * decorations brought up to date, is not news.
 */
function shownReason(pr: PullRequestOutcome, dryRun: boolean): string | undefined {
  if (REASON_SHOWN.has(pr.action)) return pr.reason;
  if (pr.action !== 'unchanged' || !pr.supersedes?.length) return undefined;
  return supersedesReason(pr.supersedes, dryRun);
}

/**
 * The pull requests closed as superseded (a dry run: to be closed), each once: those the outcomes
 * of the ones that replaced them name, less any with an outcome of its own (counted under that).
 */
export function supersededNumbers(prs: readonly PullRequestOutcome[]): Set<number> {
  const own = new Set(prs.flatMap((pr) => (pr.number === undefined ? [] : [pr.number])));
  return new Set(prs.flatMap((pr) => pr.supersedes ?? []).filter((n) => !own.has(n)));
}

/**
 * A pull request as a list item; its updates follow on the same line or, for several, below (one
 * without updates, left open by a run whose plan lacks it, is named by its branch).
 */
export function pullRequestItem(
  pr: PullRequestOutcome,
  links: SummaryLinks | undefined,
  dryRun: boolean,
): string {
  const head = [pullRequestRef(pr), PULL_REQUEST_VERBS[pr.action] ?? escapeText(pr.action)]
    .filter(Boolean)
    .join(' ');
  const reason = shownReason(pr, dryRun);
  const why = reason ? ` (${linkedNumbers(escapeText(reason), links)})` : '';
  // One the run left open that its plan no longer names carries no updates: its branch says which.
  if (pr.updates.length === 0) return `- ${head}${why}: ${code(pr.branch)}`;
  if (pr.updates.length === 1) return `- ${head}${why}: ${updateLine(pr.updates[0]!, links)}`;
  return [
    `- ${head}${why}: ${plural(pr.updates.length, 'container')}`,
    ...pr.updates.map((u) => `  - ${updateLine(u, links)}`),
  ].join('\n');
}

/** A pull request closed (or to be closed) as obsolete: its number and why; it carries no update. */
export function obsoleteItem(pr: PullRequestOutcome): string {
  const ref = pullRequestRef(pr);
  return `- ${ref ? `${ref} ` : ''}${code(pr.branch)}: ${escapeText(pr.reason ?? pr.action)}`;
}

/** One list item per update of each outcome, with the outcome's reason. */
export function reasonItems(prs: readonly PullRequestOutcome[], links: SummaryLinks | undefined): string[] {
  return prs.flatMap((pr) =>
    pr.updates.map((u) => {
      const ref = pullRequestRef(pr);
      const reason = escapeText(pr.reason ?? pr.action);
      // "#17 proposed this and was closed": link the number where the reason names it.
      const named = pr.number !== undefined && reason.includes(`#${pr.number}`);
      const text = named ? reason.replace(`#${pr.number}`, ref) : `${ref ? `${ref}: ` : ''}${reason}`;
      return `- ${updateLine(u, links)}<br>${text}`;
    }),
  );
}
