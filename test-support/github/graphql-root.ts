/**
 * The objects the stand-in's GraphQL endpoint (`graphql.ts`) runs queries and mutations over: the
 * `Query` fields the writer reads (a repository's refs, objects and pull requests, paged as GitHub
 * pages connections) and the `Mutation` it calls (`enablePullRequestAutoMerge`, refused with
 * GitHub's messages when the repository does not allow it or the pull request is not open).
 */
import { connection, GitHubFieldError } from './graphql.js';
import { ACTIONS_BOT, type PullState, type RepoState } from './stand-in-state.js';

/** What the GraphQL objects read of the stand-in. */
export interface GraphqlHost {
  repos: ReadonlyMap<string, RepoState>;
  /** The most nodes a connection gives per page (read at each request: tests change it). */
  pageSize(): number;
  htmlUrl(repo: RepoState, path: string): string;
  /**
   * Whether the request's token may resolve teams (the organization's `members: read`); without
   * it a team review request's `requestedReviewer` is null with a FORBIDDEN error, as on GitHub.
   */
  mayReadTeams: boolean;
}

/** The `Query` fields the writer reads and the `Mutation` fields it calls, over the stand-in's state. */
export function graphqlRoot(host: GraphqlHost): Record<string, unknown> {
  return {
    enablePullRequestAutoMerge: ({ input }: { input: { pullRequestId: string; mergeMethod?: string } }) => {
      for (const repo of host.repos.values()) {
        const pull = repo.pulls.find((p) => `PR_${repo.id}_${p.number}` === input.pullRequestId);
        if (!pull) continue;
        // GitHub's messages (type UNPROCESSABLE) for the refusals the writer must survive.
        if (!repo.allowAutoMerge)
          throw new GitHubFieldError(
            'Pull request Auto merge is not allowed for this repository',
            'UNPROCESSABLE',
          );
        if (pull.state !== 'open')
          throw new GitHubFieldError(
            'Pull request is not in the correct state to enable auto-merge',
            'UNPROCESSABLE',
          );
        // A base that requires no check: the pull request could be merged now, and GitHub only
        // enables auto-merge on one that waits for something.
        if (!repo.requiresChecks)
          throw new GitHubFieldError('Pull request Pull request is in clean status', 'UNPROCESSABLE');
        pull.autoMerge ??= {
          mergeMethod: input.mergeMethod ?? 'MERGE',
          enabledAt: new Date().toISOString(),
        };
        return {
          pullRequest: graphqlPull(host, repo, pull, pull.merged ? 'MERGED' : pull.state.toUpperCase()),
        };
      }
      throw new Error(`Could not resolve to a node with the global id of '${input.pullRequestId}'`);
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = host.repos.get(`${owner}/${name}`.toLowerCase());
      if (!repo) return null;
      return {
        nameWithOwner: `${repo.owner}/${repo.name}`,
        object: async ({ oid }: { oid: string }) => {
          const type = await repo.store.objectType(oid).catch(() => undefined);
          if (type !== 'commit') return null;
          const commit = await repo.store.readCommit(oid);
          return {
            __typename: 'Commit',
            oid,
            file: async ({ path }: { path: string }) => {
              const entry = (await repo.store.listTree(commit.tree, true)).find((e) => e.path === path);
              return entry
                ? { oid: entry.sha, path: entry.path, name: entry.path.split('/').pop(), type: entry.type }
                : null;
            },
          };
        },
        ref: async ({ qualifiedName }: { qualifiedName: string }) => {
          // GitHub takes `refs/heads/x` or a bare branch name.
          const name = qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`;
          const sha = await repo.store.resolveRef(name);
          if (!sha) return null;
          const match = /^(refs\/(?:heads|tags)\/)(.*)$/.exec(name);
          return {
            name: match ? match[2] : name,
            prefix: match ? match[1] : 'refs/',
            target: await graphqlCommit(repo, sha),
          };
        },
        // GitHub's `refs`: the refs under `refPrefix` (named without it) whose name contains `query`,
        // each with the pull requests from that branch (`associatedPullRequests`).
        refs: async (args: { refPrefix: string; query?: string; first?: number; after?: string }) => {
          const refs = (await repo.store.listRefs(args.refPrefix)).filter((r) =>
            r.ref.startsWith(args.refPrefix),
          );
          const nodes = refs
            .map((r) => ({ ...r, name: r.ref.slice(args.refPrefix.length) }))
            .filter((r) => args.query === undefined || r.name.includes(args.query))
            .map((r) => ({
              name: r.name,
              prefix: args.refPrefix,
              associatedPullRequests: (page: { states?: string[]; first?: number; after?: string }) => {
                const branch = r.ref.slice('refs/heads/'.length);
                const pulls = [...repo.pulls]
                  .reverse()
                  .filter((p) => p.head === branch && (!page.states || page.states.includes(stateOf(p))));
                return connection(
                  pulls.map((p) => graphqlPull(host, repo, p, stateOf(p))),
                  { ...page, first: Math.min(page.first ?? 100, host.pageSize()) },
                );
              },
            }));
          return connection(nodes, { ...args, first: Math.min(args.first ?? 100, host.pageSize()) });
        },
        pullRequest: ({ number }: { number: number }) => {
          const pull = repo.pulls.find((p) => p.number === number);
          return pull
            ? graphqlPull(host, repo, pull, pull.merged ? 'MERGED' : pull.state.toUpperCase())
            : null;
        },
        pullRequests: (args: {
          states?: string[];
          baseRefName?: string;
          headRefName?: string;
          first?: number;
          after?: string;
          orderBy?: { field: string; direction: 'ASC' | 'DESC' };
        }) => {
          // Numbers grow with creation time, so CREATED_AT orders by number.
          const ordered = args.orderBy?.direction === 'DESC' ? [...repo.pulls].reverse() : repo.pulls;
          const pulls = ordered.filter(
            (p) =>
              (!args.states || args.states.includes(stateOf(p))) &&
              (args.baseRefName === undefined || p.base === args.baseRefName) &&
              (args.headRefName === undefined || p.head === args.headRefName),
          );
          return connection(
            pulls.map((p) => graphqlPull(host, repo, p, stateOf(p))),
            { ...args, first: Math.min(args.first ?? 100, host.pageSize()) },
          );
        },
      };
    },
  };
}

/** A pull request's GraphQL `PullRequestState`. */
function stateOf(pull: PullState): string {
  return pull.merged ? 'MERGED' : pull.state.toUpperCase();
}

/** A pull request as a GraphQL `PullRequest`. */
function graphqlPull(
  host: GraphqlHost,
  repo: RepoState,
  pull: PullState,
  state: string,
): Record<string, unknown> {
  const page =
    <T>(items: T[]) =>
    (args: { first?: number; after?: string }) =>
      connection(items, args);
  return {
    id: `PR_${repo.id}_${pull.number}`,
    autoMergeRequest: pull.autoMerge ?? null,
    number: pull.number,
    url: host.htmlUrl(repo, `/pull/${pull.number}`),
    title: pull.title,
    body: pull.body ?? '',
    state,
    merged: pull.merged,
    baseRefName: pull.base,
    headRefName: pull.head,
    headRepository: { nameWithOwner: `${repo.owner}/${repo.name}` },
    author: {
      __typename: (pull.author ?? ACTIONS_BOT).endsWith('[bot]') ? 'Bot' : 'User',
      login: pull.author ?? ACTIONS_BOT,
    },
    labels: page(pull.labels.map((name) => ({ name }))),
    assignees: page(pull.assignees.map((login) => ({ login }))),
    reviewRequests: page([
      ...pull.requestedReviewers.map((login) => ({ requestedReviewer: { __typename: 'User', login } })),
      ...pull.requestedTeams.map((slug) => ({
        requestedReviewer: host.mayReadTeams
          ? { __typename: 'Team', slug }
          : () => {
              throw new GitHubFieldError('Resource not accessible by integration', 'FORBIDDEN');
            },
      })),
    ]),
    // GitHub's `latestReviews`: each reviewer's latest review, in the order they first reviewed.
    latestReviews: page(
      [...new Set(pull.reviews.map((review) => review.login))].map((login) => ({
        author: { __typename: 'User', login },
      })),
    ),
    headRef: async () => {
      const sha = pull.state === 'open' ? await repo.store.resolveRef(`refs/heads/${pull.head}`) : undefined;
      if (!sha) return null;
      return { name: pull.head, target: await graphqlCommit(repo, sha) };
    },
  };
}

/** A commit as a GraphQL `Commit` (what the writer reads of one: id, message, dates, parents). */
async function graphqlCommit(repo: RepoState, sha: string): Promise<Record<string, unknown>> {
  const commit = await repo.store.readCommit(sha);
  return {
    __typename: 'Commit',
    oid: sha,
    message: commit.message.replace(/\n$/, ''),
    authoredDate: commit.author.date,
    committedDate: commit.committer.date,
    parents: (args: { first?: number; after?: string }) =>
      connection(
        commit.parents.map((oid) => ({ __typename: 'Commit', oid })),
        args,
      ),
  };
}
