/**
 * When the base moved on since our open pull requests were made, tells for each of them which of
 * its files the base still holds as the head's parent held them, so the `conflicted` rule (rebuild
 * only when the base's copy of a file changed) costs no read per pull request.
 *
 * Two ways to ask, in as few requests as the pull requests' parents allow:
 * - one comparison per parent (`GET /compare/{parent}...{base}`): the files that changed since;
 *   most pull requests of a repository sit on the few bases the runs that made them started
 *   from, so after a base move a rerun of hundreds costs one or two requests;
 * - one GraphQL request per 100 pull requests for the rest: their files' blob ids at each parent
 *   and at the base (`Commit.file(path:)`, https://docs.github.com/graphql/reference/objects#commit).
 * The parents with the most pull requests are compared while that saves requests. A comparison that
 * cannot answer for certain (the parent not behind the base, 300 files or more, which GitHub cuts
 * to 300, or a failed request) leaves its pull requests to the GraphQL request.
 */
import { groupBy } from '../group-by.js';
import type { BaseMove, OpenPull } from './pull-request-facts.js';
import { isOurCommit } from './our-commit.js';
import { readBlobIds } from './blob-ids.js';
import { call, fullName, repoParams, type Repository } from './github-call.js';

/** Pull requests per GraphQL request. */
const PULLS_PER_QUERY = 100;
/** The most files a comparison lists (https://docs.github.com/rest/commits/commits#compare-two-commits). */
const COMPARE_MAX_FILES = 300;

const filesOf = (pull: OpenPull): string[] => pull.marker.updates.map((u) => u.file);
const parentOf = (pull: OpenPull): string => pull.head!.parents[0]!;

/**
 * For the pull requests whose head is our commit on another parent than `baseSha`: which of their
 * files the base holds unchanged since that parent.
 */
export async function readBaseMoves(
  repository: Repository,
  baseSha: string,
  pulls: readonly OpenPull[],
): Promise<Map<string, BaseMove>> {
  const moved = pulls.filter((pull) => pull.head && isOurCommit(pull.head) && parentOf(pull) !== baseSha);
  const moves = new Map<string, BaseMove>();
  const byParent = [...groupBy(moved, parentOf).values()].sort((a, b) => b.length - a.length);
  const compared = comparedParents(byParent, moved.length);
  const left: OpenPull[] = [];
  for (const [index, group] of byParent.entries()) {
    const changed =
      index < compared ? await changedSince(repository, parentOf(group[0]!), baseSha) : undefined;
    if (!changed) {
      left.push(...group);
      continue;
    }
    // Our commit edits its parent's copy of each file, so a file the comparison does not name is
    // at the base as it was at the parent.
    for (const pull of group) {
      moves.set(pull.branch, { unchanged: new Set(filesOf(pull).filter((file) => !changed.has(file))) });
    }
  }
  for (let start = 0; start < left.length; start += PULLS_PER_QUERY) {
    for (const [branch, move] of await readBlobMoves(
      repository,
      baseSha,
      left.slice(start, start + PULLS_PER_QUERY),
    )) {
      moves.set(branch, move);
    }
  }
  return moves;
}

/**
 * How many of the parent groups (largest first) to compare: the count that makes the fewest
 * requests, one a comparison plus one a hundred pull requests left; on a tie, fewer comparisons.
 */
export function comparedParents(groups: readonly (readonly unknown[])[], total: number): number {
  let best = 0;
  let bestCost = Math.ceil(total / PULLS_PER_QUERY);
  let covered = 0;
  for (const [index, group] of groups.entries()) {
    covered += group.length;
    const cost = index + 1 + Math.ceil((total - covered) / PULLS_PER_QUERY);
    if (cost < bestCost) [best, bestCost] = [index + 1, cost];
  }
  return best;
}

/**
 * The paths that differ between `parent` and `base` (either side of a rename), when the
 * comparison tells them for certain: `parent` an ancestor of `base`, and fewer files than GitHub
 * cuts a comparison to. Undefined otherwise, or when the request fails.
 */
async function changedSince(
  repository: Repository,
  parent: string,
  base: string,
): Promise<Set<string> | undefined> {
  let comparison;
  try {
    comparison = await call(`GET /repos/${fullName(repository)}/compare/${parent}...${base}`, () =>
      // One commit a page: the files come with the first page whatever its size.
      repository.github.rest.repos.compareCommitsWithBasehead({
        ...repoParams(repository),
        basehead: `${parent}...${base}`,
        per_page: 1,
      }),
    );
  } catch {
    return undefined;
  }
  // The list is optional in GitHub's description: an answer without it tells nothing.
  const { files } = comparison;
  if (comparison.status !== 'ahead' || comparison.merge_base_commit.sha !== parent) return undefined;
  if (files === undefined || files.length >= COMPARE_MAX_FILES) return undefined;
  const changed = new Set<string>();
  for (const file of files) {
    changed.add(file.filename);
    if (file.previous_filename !== undefined) changed.add(file.previous_filename);
  }
  return changed;
}

/** The moves of up to 100 pull requests from their files' blob ids at their parents and the base. */
async function readBlobMoves(
  repository: Repository,
  baseSha: string,
  chunk: readonly OpenPull[],
): Promise<Map<string, BaseMove>> {
  // Each commit once, with the union of the paths asked of it.
  const paths = new Map<string, Set<string>>([[baseSha, new Set()]]);
  for (const pull of chunk) {
    for (const file of filesOf(pull)) {
      paths.get(baseSha)!.add(file);
      if (!paths.has(parentOf(pull))) paths.set(parentOf(pull), new Set());
      paths.get(parentOf(pull))!.add(file);
    }
  }
  const blobAt = await readBlobIds(repository, paths);
  const moves = new Map<string, BaseMove>();
  for (const pull of chunk) {
    const unchanged = filesOf(pull).filter((file) => {
      const blob = blobAt(baseSha, file);
      return blob !== undefined && blobAt(parentOf(pull), file) === blob;
    });
    moves.set(pull.branch, { unchanged: new Set(unchanged) });
  }
  return moves;
}
