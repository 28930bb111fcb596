/**
 * What the workflow's event says about the run before any work: a `pull_request` event (or a review
 * of one) from a fork gets a read-only token and no secrets ("Pull requests from forks": see
 * https://docs.github.com/actions/security-for-github-actions/security-guides/automatic-token-authentication#permissions-for-the-github_token),
 * so no pull request can be written, and the checkout is the fork's untrusted merge commit. Pure:
 * the shell reads the event file.
 */

/** The events whose runs for a fork's pull request get a read-only token. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment']);

/** The parts of an event payload read here. */
interface PullRequestPayload {
  pull_request?: { head?: { repo?: { full_name?: unknown } | null } | null } | null;
}

/**
 * The fork (`owner/name`) a run's pull request comes from, or undefined when the run is not for a
 * pull request from another repository. A head repository that no longer exists (a deleted fork)
 * counts as a fork: it is not this repository.
 */
export function forkOfPullRequest(
  eventName: string | undefined,
  payload: unknown,
  repository: string,
): string | undefined {
  if (!eventName || !PULL_REQUEST_EVENTS.has(eventName)) return undefined;
  const pull = (payload as PullRequestPayload | undefined)?.pull_request;
  if (!pull) return undefined;
  const head = pull.head?.repo?.full_name;
  if (typeof head !== 'string') return 'a deleted fork';
  return head.toLowerCase() === repository.toLowerCase() ? undefined : head;
}

/** Why a run for a fork's pull request stops before any work, saying what to do instead. */
export function forkStopMessage(eventName: string, fork: string): string {
  return (
    `This run is for a pull request from ${fork} (${eventName} event): GitHub gives such runs a ` +
    'read-only token, so no pull request can be written. Run this Action on schedule, ' +
    'workflow_dispatch or push to the base branch, or with dry-run: true on pull requests.'
  );
}
