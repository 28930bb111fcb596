/**
 * Reads what deciding a requested branch needs besides the base's text, for every branch that has
 * no open pull request of ours proposing exactly its updates (all of them on a first run), in one
 * GraphQL request per {@link BRANCHES_PER_QUERY} branches: the branch's head commit and the closed
 * pull requests from a branch of that name (`ref(qualifiedName:)` and `pullRequests(headRefName:)`
 * under aliases). Through REST that is two reads per pull request (`git/ref` and `pulls?head=`).
 * See https://docs.github.com/graphql/reference/objects#repository.
 *
 * What this cannot answer is left to the REST reads: a branch with more closed pull requests than
 * one page holds, and every branch of a request that failed.
 */
import type { BranchCommit, ListedPull } from './read-state.js';
import { call, fullName, type Repository } from './github-call.js';

/** Branches per request: each brings a page of closed pull requests with their bodies. */
export const BRANCHES_PER_QUERY = 25;

/** Closed pull requests read per branch; a branch with more is read through REST. */
export const CLOSED_PER_BRANCH = 10;

/** What was read of one branch. */
export interface KnownBranch {
  /** Its head commit; null when the branch does not exist. */
  head: BranchCommit | null;
  /** The closed pull requests from a branch of its name, when one page held them all. */
  closed?: ListedPull[];
}

interface CommitTarget {
  __typename: string;
  oid?: string;
  message?: string;
  authoredDate?: string;
  committedDate?: string;
  parents?: { nodes: ({ oid: string } | null)[] | null };
}

interface ClosedNode {
  number: number;
  url: string;
  body: string;
  merged: boolean;
  headRefName: string;
  headRepository: { nameWithOwner: string } | null;
}

type Answer = {
  repository: Record<
    string,
    | { target: CommitTarget | null }
    | { pageInfo: { hasNextPage: boolean }; nodes: (ClosedNode | null)[] | null }
    | null
  > | null;
};

/**
 * The known branches of `branches`, by name. A request that fails is logged and its branches are
 * left out (their reads then go through REST): this read only saves requests.
 */
export async function readBranches(
  repository: Repository,
  branches: readonly string[],
  log: (message: string) => void = () => {},
): Promise<Map<string, KnownBranch>> {
  const known = new Map<string, KnownBranch>();
  const unique = [...new Set(branches)];
  for (let start = 0; start < unique.length; start += BRANCHES_PER_QUERY) {
    const chunk = unique.slice(start, start + BRANCHES_PER_QUERY);
    let data: Answer;
    try {
      data = await call(`POST /graphql (branches of ${fullName(repository)})`, async () => ({
        data: await repository.github.graphql<Answer>(branchesQuery(chunk.length), {
          owner: repository.owner,
          repo: repository.repo,
          ...Object.fromEntries(
            chunk.flatMap((branch, i) => [
              [`b${i}`, `refs/heads/${branch}`],
              [`c${i}`, branch],
            ]),
          ),
        }),
      }));
    } catch (e) {
      log(
        `Could not read ${chunk.length} branches in one request, reading them one by one: ${e instanceof Error ? e.message : String(e)}`,
      );
      continue;
    }
    chunk.forEach((branch, i) => {
      const ref = data.repository?.[`b${i}`] as { target: CommitTarget | null } | null | undefined;
      const closed = data.repository?.[`c${i}`] as
        { pageInfo: { hasNextPage: boolean }; nodes: (ClosedNode | null)[] | null } | null | undefined;
      const target = ref?.target;
      const head: BranchCommit | null =
        target?.__typename === 'Commit' && target.oid && target.message !== undefined
          ? {
              sha: target.oid,
              parents: (target.parents?.nodes ?? []).flatMap((p) => (p ? [p.oid] : [])),
              message: target.message,
              authoredDate: target.authoredDate ?? '',
              committedDate: target.committedDate ?? '',
            }
          : null;
      // A ref that is not a commit (never made by us) is read through REST, which says what it is.
      if (ref && !head) return;
      known.set(branch, {
        head,
        ...(closed && !closed.pageInfo.hasNextPage
          ? { closed: (closed.nodes ?? []).flatMap((node) => (node ? [listedPull(node)] : [])) }
          : {}),
      });
    });
  }
  return known;
}

/** A closed pull request in the REST list's shape, which `readClosedMatch` reads. */
function listedPull(node: ClosedNode): ListedPull {
  return {
    number: node.number,
    html_url: node.url,
    body: node.body,
    merged_at: node.merged ? 'merged' : null,
    head: {
      ref: node.headRefName,
      repo: node.headRepository ? { full_name: node.headRepository.nameWithOwner } : null,
    },
  };
}

/** One query for `count` branches; values travel as variables, never spliced into the query text. */
function branchesQuery(count: number): string {
  const declarations = ['$owner: String!', '$repo: String!'];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    declarations.push(`$b${i}: String!`, `$c${i}: String!`);
    fields.push(
      `b${i}: ref(qualifiedName: $b${i}) { target { __typename ... on Commit { oid message authoredDate committedDate parents(first: 2) { nodes { oid } } } } }`,
      `c${i}: pullRequests(headRefName: $c${i}, states: [CLOSED, MERGED], first: ${CLOSED_PER_BRANCH}, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { hasNextPage } nodes { number url body merged headRefName headRepository { nameWithOwner } } }`,
    );
  }
  return `query Branches(${declarations.join(', ')}) {\n  repository(owner: $owner, name: $repo) {\n    ${fields.join('\n    ')}\n  }\n}`;
}
