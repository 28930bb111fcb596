/**
 * Automerge (issue 19): turns on GitHub's native auto-merge (GraphQL `enablePullRequestAutoMerge`,
 * https://docs.github.com/graphql/reference/mutations#enablepullrequestautomerge) on the pull
 * requests whose every update qualifies. GitHub merges once branch protection is satisfied; this
 * Action never merges itself. Never for a downgrade, never for a pull request the writer skipped
 * (someone else's commits on its branch). When the repository does not allow auto-merge or the
 * token may not, one warning, and the pull requests stay open for review.
 */
import type { PullRequestOutcome } from '../ports.js';
import { warning, type Problem } from '../problems.js';
import type { Update } from '../update.js';
import type { Repository } from './github-call.js';

/** The `automerge` input. */
export const AUTOMERGE_LEVELS = ['none', 'patch', 'minor', 'all'] as const;
export type AutomergeLevel = (typeof AUTOMERGE_LEVELS)[number];
/** The `merge-method` input. */
export const MERGE_METHODS = ['merge', 'squash', 'rebase'] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

/** The update types each level lets through (a downgrade never). */
const QUALIFYING: Record<AutomergeLevel, ReadonlySet<string>> = {
  none: new Set(),
  patch: new Set(['patch']),
  minor: new Set(['patch', 'minor']),
  all: new Set(['patch', 'minor', 'major', 'pre-release', 'build']),
};

/** True when every update of a pull request qualifies for auto-merge at `level`. */
export function qualifiesForAutomerge(updates: readonly Update[], level: AutomergeLevel): boolean {
  return (
    updates.length > 0 &&
    updates.every((u) => !u.downgrade && u.type !== 'downgrade' && QUALIFYING[level].has(u.type))
  );
}

/** Pull requests that exist after the run as this Action left them. */
const WRITTEN = new Set(['created', 'updated', 'unchanged']);

const PULL_QUERY = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) { pullRequest(number: $number) { id state autoMergeRequest { enabledAt } } }
}`;
const ENABLE_MUTATION = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod }) { pullRequest { number } }
}`;

interface PullAnswer {
  repository: { pullRequest: { id: string; state: string; autoMergeRequest: unknown } | null } | null;
}

/**
 * Enables auto-merge on the qualifying pull requests: one query each, and one mutation for each
 * not yet enabled (an unchanged run writes nothing). Returns the problems (at most one warning
 * for a refusal; the rest are not tried after it).
 */
export async function enableAutoMerge(
  repository: Repository,
  outcomes: readonly PullRequestOutcome[],
  level: AutomergeLevel,
  method: MergeMethod,
  log: (message: string) => void,
): Promise<Problem[]> {
  if (level === 'none') return [];
  const { owner, repo: name } = repository;
  for (const outcome of outcomes) {
    if (!WRITTEN.has(outcome.action) || outcome.number === undefined) continue;
    if (!qualifiesForAutomerge(outcome.updates, level)) continue;
    try {
      const found = await repository.github.graphql<PullAnswer>(PULL_QUERY, {
        owner,
        name,
        number: outcome.number,
      });
      const pull = found.repository?.pullRequest;
      if (!pull || pull.state !== 'OPEN' || pull.autoMergeRequest) continue;
      await repository.github.graphql(ENABLE_MUTATION, { id: pull.id, mergeMethod: method.toUpperCase() });
      log(`Auto-merge (${method}) enabled on #${outcome.number}`);
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).replace(
        /^Request failed due to following response errors:\s*-?\s*/,
        '',
      );
      return [
        warning(
          '',
          0,
          `automerge: auto-merge could not be enabled on #${outcome.number} (${message}); the pull requests stay open ` +
            'for review. Turn on "Allow auto-merge" in the repository settings, and give the token ' +
            '`contents: write` and `pull-requests: write`.',
        ),
      ];
    }
  }
  return [];
}
