/**
 * Reads what deciding a requested branch needs besides the base's text, for every branch that has
 * no open pull request of ours proposing exactly its updates (all of them on a first run), in one
 * GraphQL request per {@link BRANCHES_PER_QUERY} branches: the branch's head commit and the closed
 * pull requests from a branch of that name (`ref(qualifiedName:)` and `pullRequests(headRefName:)`
 * under aliases). Through REST that is two reads per pull request (`git/ref` and `pulls?head=`).
 * See https://docs.github.com/graphql/reference/objects#repository.
 *
 * The same request reads the branch's open pull requests (`pullRequests(headRefName:, states:
 * [OPEN])`): one a person opened from the branch (no marker of ours) makes the branch theirs, and
 * the writer must not move it, which it would do before opening its own found that pull request.
 * So does one of ours into another base (a second workflow with another `base-branch` and the same
 * prefix): moved onto this base, the branch would carry this base's commits into that one.
 *
 * With the branch prefix, the same request also reads the closed pull requests of the branches of
 * the same container (or release) in other files (`refs(refPrefix:)`, each ref's
 * `associatedPullRequests`): the branch name hashes the file's path, so a tag a person refused
 * before the file moved is found there. A branch a person deleted with their pull request is not
 * listed, so its refusal is not found this way.
 *
 * The same request reads the closed pull requests of the branches the request's updates have under
 * the other `group-by` values (`regroupedBranches`): a tag a person refused before `group-by`
 * changed stays refused. Those names are known, so a branch deleted with its pull request is found.
 *
 * What this cannot answer is left to the REST reads: a branch with more closed pull requests than
 * one page holds, and every branch of a request that failed (but for GitHub's rate limit, which
 * stops the writes).
 */
import { parseBranchName, sanitizeBranchPrefix } from '../plan/branch-name.js';
import type { BranchCommit } from './branch-head.js';
import type { ListedPull } from './read-state.js';
import { firstOthersOpen, type OthersOpen } from './others-open.js';
import { call, fullName, GitHubStopError, type Repository } from './github-call.js';

/** Branches per request: each brings a page of closed pull requests with their bodies. */
export const BRANCHES_PER_QUERY = 25;

/** Closed pull requests read per branch; a branch with more is read through REST. */
export const CLOSED_PER_BRANCH = 10;

/**
 * Open pull requests read per branch: GitHub keeps one open per branch and base, so more than a
 * few from one branch means several bases, and the first not of ours is enough to leave it alone.
 */
export const OPEN_PER_BRANCH = 5;

/**
 * Branches of other `group-by` values read per branch; a branch with more (a group of many
 * containers) has them read through REST, so one request stays small.
 */
export const REGROUPED_PER_BRANCH = 6;

/** Branches of the same container (or release) in other files read per branch. */
export const SIBLINGS_PER_BRANCH = 20;

/** What was read of one branch. */
export interface KnownBranch {
  /** Its head commit; null when the branch does not exist. */
  head: BranchCommit | null;
  /** The closed pull requests from a branch of its name, when one page held them all. */
  closed?: ListedPull[];
  /**
   * The closed pull requests from the branches of the same container (or release) in other files
   * that still exist (read only with the prefix; not for `group-by: image`, whose branch names no
   * file).
   */
  elsewhere?: ListedPull[];
  /**
   * The closed pull requests of the branches its updates have under the other `group-by` values,
   * when they were asked for and one page of each held them all.
   */
  regrouped?: ListedPull[];
  /**
   * An open pull request from the branch (in this repository) that is not ours on this base: a
   * person opened it (no marker of ours), or ours into another base (`base`). The branch is not moved.
   */
  othersOpen?: OthersOpen;
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
    | { nodes: (OpenNode | null)[] | null }
    | SiblingRefs
    | null
  > | null;
};

/** An open pull request from a branch, as much as tells whose it is and where it goes. */
interface OpenNode {
  number: number;
  url: string;
  body: string;
  baseRefName: string;
  headRepository: { nameWithOwner: string } | null;
}

/** The refs of a container's branches in other files, each with its closed pull requests. */
interface SiblingRefs {
  nodes: ({ associatedPullRequests: { nodes: (ClosedNode | null)[] | null } | null } | null)[] | null;
}

/** Where the branches of the same container (or release) in other files are: `refs` arguments. */
export function siblingRefs(
  prefix: string,
  branch: string,
): { refPrefix: string; query: string } | undefined {
  const key = parseBranchName(prefix, branch);
  if (!key || key.kind === 'image') return undefined;
  const head = sanitizeBranchPrefix(prefix);
  const namespace = `refs/heads/${head}${branch.slice(head.length).split('/')[0]}/`;
  if (key.kind === 'release') return { refPrefix: namespace, query: `${key.name}-` };
  return { refPrefix: `${namespace}${key.name}/`, query: `${key.container}-` };
}

/** True when `other` is the branch of the same container (or release) as `branch`, in another file. */
function isSibling(prefix: string, branch: string, other: string): boolean {
  if (other === branch) return false;
  const a = parseBranchName(prefix, branch);
  const b = parseBranchName(prefix, other);
  if (!a || !b || a.kind !== b.kind || a.kind === 'image' || b.kind === 'image') return false;
  const sameContainer = a.kind === 'release' || (b.kind === 'container' && a.container === b.container);
  return a.namespace === b.namespace && a.name === b.name && sameContainer;
}

/**
 * The known branches of `branches`, by name. A request that fails is logged and its branches are
 * left out (their reads then go through REST): this read only saves requests.
 */
export async function readBranches(
  repository: Repository,
  branches: readonly string[],
  log: (message: string) => void = () => {},
  /** The branch prefix: the closed pull requests of the branches' siblings are read too. */
  prefix?: string,
  /** The base the run writes to: an open pull request of ours into another keeps its branch as it is. */
  base?: string,
  /** For a branch, the branches of its updates under the other `group-by` values (`regroupedBranches`). */
  regrouped: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<Map<string, KnownBranch>> {
  const known = new Map<string, KnownBranch>();
  const unique = [...new Set(branches)];
  for (let start = 0; start < unique.length; start += BRANCHES_PER_QUERY) {
    const chunk = unique.slice(start, start + BRANCHES_PER_QUERY);
    const siblings = chunk.map((branch) => (prefix === undefined ? undefined : siblingRefs(prefix, branch)));
    const regroupedNames = chunk.map((branch) => {
      const names = regrouped.get(branch) ?? [];
      return names.length <= REGROUPED_PER_BRANCH ? names : undefined;
    });
    let data: Answer;
    try {
      data = await call(`POST /graphql (branches of ${fullName(repository)})`, async () => ({
        data: await repository.github.graphql<Answer>(
          branchesQuery(
            siblings,
            regroupedNames.map((names) => names?.length ?? 0),
          ),
          {
            owner: repository.owner,
            repo: repository.repo,
            ...Object.fromEntries(
              chunk.flatMap((branch, i) => [
                [`b${i}`, `refs/heads/${branch}`],
                [`c${i}`, branch],
                ...(siblings[i]
                  ? [[`p${i}`, siblings[i].refPrefix] as const, [`q${i}`, siblings[i].query] as const]
                  : []),
                ...(regroupedNames[i] ?? []).map((name, k) => [`g${i}_${k}`, name] as const),
              ]),
            ),
          },
        ),
      }));
    } catch (e) {
      // Every read one by one would be refused too (the client's gates make none): the writes stop.
      if (e instanceof GitHubStopError) throw e;
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
      const refs = data.repository?.[`s${i}`] as SiblingRefs | null | undefined;
      const elsewhere = (refs?.nodes ?? [])
        .flatMap((node) => node?.associatedPullRequests?.nodes ?? [])
        .flatMap((node) =>
          node && isSibling(prefix ?? '', branch, node.headRefName) ? [listedPull(node)] : [],
        );
      const pages = (regroupedNames[i] ?? []).map(
        (_, k) =>
          data.repository?.[`g${i}_${k}`] as
            { pageInfo: { hasNextPage: boolean }; nodes: (ClosedNode | null)[] | null } | null | undefined,
      );
      // One page too many (or not answered): the facts' REST reads read them all.
      const regroupedRead =
        regroupedNames[i] !== undefined && pages.every((page) => page && !page.pageInfo.hasNextPage);
      const regroupedPulls = pages.flatMap((page) =>
        (page?.nodes ?? []).flatMap((node) => (node ? [listedPull(node)] : [])),
      );
      const open = data.repository?.[`o${i}`] as { nodes: (OpenNode | null)[] | null } | null | undefined;
      const others = firstOthersOpen(
        (open?.nodes ?? []).flatMap((node) =>
          node
            ? [{ ...node, base: node.baseRefName, headRepository: node.headRepository?.nameWithOwner }]
            : [],
        ),
        fullName(repository),
        base,
      );
      known.set(branch, {
        head,
        ...(others ? { othersOpen: others } : {}),
        ...(closed && !closed.pageInfo.hasNextPage
          ? { closed: (closed.nodes ?? []).flatMap((node) => (node ? [listedPull(node)] : [])) }
          : {}),
        ...(elsewhere.length ? { elsewhere } : {}),
        ...(regroupedRead ? { regrouped: regroupedPulls } : {}),
      });
    });
  }
  return known;
}

/** A closed pull request in the REST list's shape, which `readClosedRefusals` reads. */
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

/**
 * One query for a branch per entry of `siblings` (with where its siblings are, when they are read);
 * values travel as variables, never spliced into the query text.
 */
function branchesQuery(
  siblings: readonly ({ refPrefix: string } | undefined)[],
  /** How many branches of other `group-by` values each entry has (`g<i>_<k>`). */
  regrouped: readonly number[],
): string {
  const declarations = ['$owner: String!', '$repo: String!'];
  const fields: string[] = [];
  const pull = 'number url body merged headRefName headRepository { nameWithOwner }';
  for (const [i, sibling] of siblings.entries()) {
    declarations.push(`$b${i}: String!`, `$c${i}: String!`);
    fields.push(
      `b${i}: ref(qualifiedName: $b${i}) { target { __typename ... on Commit { oid message authoredDate committedDate parents(first: 2) { nodes { oid } } } } }`,
      `c${i}: pullRequests(headRefName: $c${i}, states: [CLOSED, MERGED], first: ${CLOSED_PER_BRANCH}, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { hasNextPage } nodes { ${pull} } }`,
      `o${i}: pullRequests(headRefName: $c${i}, states: [OPEN], first: ${OPEN_PER_BRANCH}) { nodes { number url body baseRefName headRepository { nameWithOwner } } }`,
    );
    for (let k = 0; k < (regrouped[i] ?? 0); k++) {
      declarations.push(`$g${i}_${k}: String!`);
      fields.push(
        `g${i}_${k}: pullRequests(headRefName: $g${i}_${k}, states: [CLOSED, MERGED], first: ${CLOSED_PER_BRANCH}, orderBy: {field: CREATED_AT, direction: DESC}) { pageInfo { hasNextPage } nodes { ${pull} } }`,
      );
    }
    if (!sibling) continue;
    declarations.push(`$p${i}: String!`, `$q${i}: String!`);
    // Closed without merging only: a merged tag is on the base, so no request proposes it.
    fields.push(
      `s${i}: refs(refPrefix: $p${i}, query: $q${i}, first: ${SIBLINGS_PER_BRANCH}) { nodes { associatedPullRequests(states: [CLOSED], first: ${CLOSED_PER_BRANCH}, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { ${pull} } } } }`,
    );
  }
  return `query Branches(${declarations.join(', ')}) {\n  repository(owner: $owner, name: $repo) {\n    ${fields.join('\n    ')}\n  }\n}`;
}
