/**
 * Reads our open pull requests on the base in one GraphQL request per 100: each with its marker,
 * labels, review requests, the reviewers who reviewed, assignees and its head commit (id, message,
 * dates, parents), so an unchanged re-run needs no further read per pull request (the REST API
 * would take a branch, a commit and a file read each).
 * See https://docs.github.com/graphql/reference/objects#pullrequest.
 */
import { parseMarker, parseNewerMarker } from '../plan/pull-request-text.js';
import type { NewerPull } from './newer-pulls.js';
import type { OpenPull } from './pull-request-facts.js';
import { call, fullName, GitHubError, type Repository } from './github-call.js';

/** The most pages of 100 open pull requests read (10,000 pull requests). */
export const MAX_OPEN_PULL_PAGES = 100;

/** The query; `first: 100` is GitHub's maximum page size for every connection. */
export const OPEN_PULLS_QUERY = `query OpenPullRequests($owner: String!, $repo: String!, $base: String!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequests(states: OPEN, baseRefName: $base, first: 100, after: $cursor, orderBy: {field: CREATED_AT, direction: ASC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        url
        title
        body
        headRefName
        headRepository { nameWithOwner }
        author { login }
        labels(first: 100) { nodes { name } }
        assignees(first: 100) { nodes { login } }
        reviewRequests(first: 100) {
          nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } }
        }
        latestReviews(first: 100) { nodes { author { login } } }
        headRef { target { __typename ... on Commit { oid message authoredDate committedDate parents(first: 2) { nodes { oid } } } } }
      }
    }
  }
}`;

interface PullNode {
  number: number;
  url: string;
  title: string;
  body: string;
  headRefName: string;
  headRepository: { nameWithOwner: string } | null;
  /** Who opened it; null for a deleted account. */
  author?: { login: string } | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  assignees: { nodes: ({ login: string } | null)[] | null } | null;
  reviewRequests: {
    nodes:
      ({ requestedReviewer: { __typename: string; login?: string; slug?: string } | null } | null)[] | null;
  } | null;
  /** The latest review of each reviewer; null where a server does not answer the field. */
  latestReviews?: { nodes: ({ author: { login: string } | null } | null)[] | null } | null;
  headRef: {
    target: {
      __typename: string;
      oid?: string;
      message?: string;
      authoredDate?: string;
      committedDate?: string;
      parents?: { nodes: ({ oid: string } | null)[] | null };
    } | null;
  } | null;
}

interface OpenPullsPage {
  repository: {
    pullRequests: {
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: (PullNode | null)[] | null;
    };
  } | null;
}

/** A GraphQL answer with errors beside its data, as Octokit's `GraphqlResponseError` carries it. */
interface PartialAnswer {
  data?: OpenPullsPage | null;
  errors: { type?: unknown; path?: readonly unknown[] }[];
}

/**
 * The pull requests (their indexes in the page's nodes) whose team review requests GitHub would not
 * resolve, when those are all an answer's errors; undefined for any other error. A token without
 * the organization's `members: read` (GITHUB_TOKEN never has it) gets FORBIDDEN for every team
 * asked to review (by CODEOWNERS, a person, or a token that may), beside the rest of the page
 * (https://github.com/cli/cli/issues/14317): failing the read on it failed every run's writes.
 */
export function unreadableTeamRequests(
  caught: unknown,
): { page: OpenPullsPage; pulls: Set<number> } | undefined {
  const answer = caught as Partial<PartialAnswer> | null;
  if (!answer?.data?.repository || !Array.isArray(answer.errors) || answer.errors.length === 0)
    return undefined;
  const pulls = new Set<number>();
  for (const error of answer.errors) {
    const path = error?.path ?? [];
    const shaped =
      error?.type === 'FORBIDDEN' &&
      path.length === 8 &&
      ['repository', 'pullRequests', 'nodes'].every((part, i) => path[i] === part) &&
      typeof path[3] === 'number' &&
      path[4] === 'reviewRequests' &&
      path[5] === 'nodes' &&
      typeof path[6] === 'number' &&
      path[7] === 'requestedReviewer';
    if (!shaped) return undefined;
    pulls.add(path[3] as number);
  }
  return { page: answer.data, pulls };
}

/**
 * Our open pull requests on `base` (head branch in this repository under `prefix`, with our marker),
 * and those from such a branch whose marker a newer version of this Action wrote (`newer`).
 */
export async function readOpenPulls(
  repository: Repository,
  base: string,
  prefix: string,
): Promise<{ ours: OpenPull[]; newer: NewerPull[] }> {
  const ours: OpenPull[] = [];
  const newer: NewerPull[] = [];
  let cursor: string | null = null;
  const cursors = new Set<string>();
  for (let page = 0; page < MAX_OPEN_PULL_PAGES; page++) {
    const variables = { owner: repository.owner, repo: repository.repo, base, cursor };
    let teamsUnread = new Set<number>();
    const data: OpenPullsPage = await call(
      `POST /graphql (open pull requests of ${fullName(repository)})`,
      async () => ({
        data: await repository.github
          .graphql<OpenPullsPage>(OPEN_PULLS_QUERY, variables)
          .catch((caught: unknown) => {
            const partial = unreadableTeamRequests(caught);
            if (!partial) throw caught;
            teamsUnread = partial.pulls;
            return partial.page;
          }),
      }),
    );
    const pulls = data.repository?.pullRequests;
    if (!pulls)
      throw new GitHubError(`GraphQL: no repository ${fullName(repository)}`, 404, 'POST /graphql', '');
    for (const [index, node] of (pulls.nodes ?? []).entries()) {
      const pull = node && toOpenPull(node, repository, prefix, teamsUnread.has(index));
      if (pull) ours.push(pull);
      const newerPull = node && !pull && toNewerPull(node, repository, prefix);
      if (newerPull) newer.push(newerPull);
    }
    if (!pulls.pageInfo.hasNextPage) return { ours, newer };
    // A next page without a new cursor would start over (null) or read a page again: 100 reads of
    // the same pull requests, ended by a count that was never true.
    const next = pulls.pageInfo.endCursor;
    if (next === null || cursors.has(next)) {
      throw new GitHubError(
        `GraphQL: the open pull requests of ${fullName(repository)} on ${base} have a next page, but ${next === null ? 'no cursor to it' : 'the cursor of a page read already'}; not reading further`,
        0,
        'POST /graphql',
        '',
      );
    }
    cursors.add(next);
    cursor = next;
  }
  throw new GitHubError(
    `More than ${MAX_OPEN_PULL_PAGES * 100} open pull requests on ${base} in ${fullName(repository)}; not reading further`,
    0,
    'POST /graphql',
    '',
  );
}

/** A head branch of ours: in this repository, under `prefix`. */
function fromOurBranch(node: PullNode, repository: Repository, prefix: string): boolean {
  return (
    node.headRefName.startsWith(prefix) &&
    node.headRepository?.nameWithOwner.toLowerCase() === fullName(repository).toLowerCase()
  );
}

/** A pull request from a branch of ours whose marker a newer version wrote, or undefined. */
function toNewerPull(node: PullNode, repository: Repository, prefix: string): NewerPull | undefined {
  if (!fromOurBranch(node, repository, prefix)) return undefined;
  const marker = parseNewerMarker(node.body);
  return marker && { number: node.number, url: node.url, branch: node.headRefName, marker };
}

/**
 * Our pull request as plain data, or undefined when it is not ours. `teamsUnread`: GitHub would not
 * say which teams were asked to review it.
 */
function toOpenPull(
  node: PullNode,
  repository: Repository,
  prefix: string,
  teamsUnread = false,
): OpenPull | undefined {
  if (!fromOurBranch(node, repository, prefix)) return undefined;
  const marker = parseMarker(node.body);
  if (!marker) return undefined;
  const requested = (node.reviewRequests?.nodes ?? []).map((n) => n?.requestedReviewer);
  const target = node.headRef?.target;
  return {
    number: node.number,
    url: node.url,
    title: node.title,
    body: node.body,
    branch: node.headRefName,
    marker,
    decorations: {
      ...(node.author ? { author: node.author.login } : {}),
      labels: (node.labels?.nodes ?? []).flatMap((n) => (n ? [n.name] : [])),
      reviewers: requested.flatMap((r) => (r?.__typename === 'User' && r.login ? [r.login] : [])),
      teams: requested.flatMap((r) => (r?.__typename === 'Team' && r.slug ? [r.slug] : [])),
      ...(teamsUnread ? { teamsUnread } : {}),
      assignees: (node.assignees?.nodes ?? []).flatMap((n) => (n ? [n.login] : [])),
      // Who reviewed already, so an unchanged re-run asks nobody again without a read per pull
      // request; unknown (the REST read decides) when the field did not answer.
      ...(node.latestReviews?.nodes
        ? { reviewed: node.latestReviews.nodes.flatMap((n) => (n?.author ? [n.author.login] : [])) }
        : {}),
    },
    ...(target?.__typename === 'Commit' && target.oid && target.message !== undefined
      ? {
          head: {
            sha: target.oid,
            parents: (target.parents?.nodes ?? []).flatMap((p) => (p ? [p.oid] : [])),
            message: target.message,
            authoredDate: target.authoredDate ?? '',
            committedDate: target.committedDate ?? '',
            blobs: new Map(),
          },
        }
      : {}),
  };
}
