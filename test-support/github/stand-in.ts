/**
 * A strict stand-in for the GitHub REST API, for tests.
 *
 * - Each repository lives in a real bare git repository (`GitStore`), so blobs, trees, commits and
 *   refs are real git objects and tests can assert on trees and diffs.
 * - Every request is validated against GitHub's OpenAPI description; an invalid one is answered
 *   400/422 *and* recorded in `violations`, which tests assert to be empty.
 * - It answers like GitHub where it matters: 422 "A pull request already exists for owner:branch",
 *   422 "Update is not a fast forward", 404, 401 "Bad credentials", 403 "Resource not accessible by
 *   integration" for a token without the permission, rate-limit headers, and injectable faults
 *   (502, secondary rate limit with `retry-after`).
 *
 * This file holds the server and the helpers tests set up and inspect state with. The rest lives
 * beside it: the state (`stand-in-state.ts`), the dispatch of each request through validation,
 * authentication, faults and rate limit (`dispatch.ts`, `routing.ts`), the endpoints by area
 * (`*-endpoints.ts`), their JSON (`rest-json.ts`) and GraphQL (`graphql.ts`, `graphql-root.ts`).
 *
 * Plain TypeScript without jest globals, so `tsx` scripts can start it too.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { RequestDispatcher } from './dispatch.js';
import { defineDecorationRoutes } from './decorations-endpoints.js';
import { GitStore, type CommitObject, type Person } from './git-store.js';
import { defineGitDataRoutes } from './git-data-endpoints.js';
import { graphqlRoot } from './graphql-root.js';
import { defineIssueRoutes, type IssueState } from './issues-endpoints.js';
import { definePullRoutes } from './pulls-endpoints.js';
import { defineRepositoryRoutes } from './repository-endpoints.js';
import { changedFiles, commitFilesOnto, mergePullRequestBranches, readFilesAt } from './repository-files.js';
import { RestJson } from './rest-json.js';
import { HttpError, NOT_FOUND, type EndpointHost } from './routing.js';
import { ensureLabel, nextNumber, openPull } from './stand-in-state.js';
import type { Fault, LoggedRequest, PullState, RepoState, TokenPermissions } from './stand-in-state.js';
import { clientClosesIdleSockets } from '../idle-sockets.js';

export { READ_ONLY_TOKEN, WRITE_TOKEN } from './stand-in-state.js';
export type { Fault, LoggedRequest, PullState, ReleaseState } from './stand-in-state.js';
export type { RepoState, TokenPermissions } from './stand-in-state.js';
export type { Answer, Context, Handler, Need } from './routing.js';

/**
 * Starts a stand-in on 127.0.0.1 (ephemeral port); `enterprise` serves it as GitHub Enterprise
 * Server does: REST under `/api/v3` (its `url`), GraphQL at `/api/graphql`, web pages at the root
 * (its `serverUrl`).
 */
export async function startGitHubStandIn(options: { enterprise?: boolean } = {}): Promise<GitHubStandIn> {
  const root = await mkdtemp(join(tmpdir(), 'github-stand-in-'));
  const standIn = new GitHubStandIn(root, options.enterprise ?? false);
  await standIn.listen();
  return standIn;
}

/** The running stand-in: its URL, its state and the test helpers. */
export class GitHubStandIn {
  /** Requests that broke the OpenAPI description (or the stand-in's own rules); tests expect none. */
  readonly violations: string[] = [];
  /** Every request, in order. */
  readonly requests: LoggedRequest[] = [];
  private readonly repos = new Map<string, RepoState>();
  private readonly dispatcher = new RequestDispatcher({
    violations: this.violations,
    requests: this.requests,
    repos: this.repos,
    enterprise: () => this.enterprise,
    graphqlRoot: (permissions) =>
      graphqlRoot({
        mayReadTeams: permissions.members === 'read',
        repos: this.repos,
        pageSize: () => this.graphqlPageSize,
        htmlUrl: (repo, path) => this.json.htmlUrl(repo, path),
      }),
  });
  private readonly json = new RestJson(
    () => this.url,
    () => this.serverUrl,
  );
  private server: Server | undefined;
  private nextId = 1000;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  /**
   * The most nodes a GraphQL connection gives per page (GitHub: 100); tests lower it to page through
   * a few pull requests instead of hundreds.
   */
  graphqlPageSize = 100;
  /**
   * Base URL of the API (`http://127.0.0.1:PORT`, or `…/api/v3` for an enterprise stand-in), to
   * pass as Octokit's `baseUrl` (the runner's `GITHUB_API_URL`).
   */
  url = '';
  /** Where web pages are (`http://127.0.0.1:PORT`): the runner's `GITHUB_SERVER_URL`. */
  serverUrl = '';

  constructor(
    private readonly root: string,
    private readonly enterprise = false,
  ) {
    const host = this.endpointHost();
    defineRepositoryRoutes(host);
    defineGitDataRoutes(host);
    definePullRoutes(host);
    defineDecorationRoutes(host);
    defineIssueRoutes(host);
  }

  /** Starts listening. */
  async listen(): Promise<void> {
    this.server = clientClosesIdleSockets(
      createServer((req, res) => {
        this.dispatcher.handle(req, res).catch((error: unknown) => {
          this.violations.push(`stand-in crashed on ${req.method} ${req.url}: ${String(error)}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serverUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    this.url = this.enterprise ? `${this.serverUrl}/api/v3` : this.serverUrl;
  }

  /** Stops the server and removes the repositories. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await rm(this.root, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- test helpers

  /** Adds a token with the given permissions. */
  addToken(token: string, permissions: TokenPermissions): void {
    this.dispatcher.addToken(token, permissions);
  }

  /** Makes the next matching requests fail. */
  injectFault(fault: Fault): void {
    this.dispatcher.injectFault(fault);
  }

  /**
   * Runs `hook` once, just before the next request of an operation (`graphql` for GraphQL) is handled (after it was
   * validated), to stage a race: e.g. another run opening the same pull request first. The hook
   * must use the helpers, not HTTP (requests are handled one at a time).
   */
  beforeNext(operationId: string, hook: (body: unknown) => Promise<void>): void {
    this.dispatcher.beforeNext(operationId, hook);
  }

  /** Opens a pull request directly (as another run or a person would). */
  async openPullRequest(
    owner: string,
    name: string,
    pull: { head: string; base: string; title: string; body?: string },
  ): Promise<number> {
    const repo = this.repo(owner, name);
    const now = this.nextDate();
    const number = nextNumber(repo);
    repo.pulls.push(
      openPull(number, { title: pull.title, body: pull.body ?? null, head: pull.head, base: pull.base }, now),
    );
    return number;
  }

  /** Submits a review as `login`, which (as on GitHub) ends the request for that user's review. */
  submitReview(
    owner: string,
    name: string,
    number: number,
    login: string,
    state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' = 'APPROVED',
  ): void {
    const pull = this.pull(this.repo(owner, name), number);
    pull.requestedReviewers = pull.requestedReviewers.filter((r) => r !== login);
    pull.reviews.push({ login, state });
  }

  /** Creates a label directly (as a person or another run would). */
  createLabel(owner: string, name: string, label: string): void {
    this.repo(owner, name).labels.set(label.toLowerCase(), {
      id: this.nextId++,
      name: label,
      color: 'ededed',
      description: null,
    });
  }

  /** Points a branch at a commit directly. */
  async setBranch(owner: string, name: string, branch: string, sha: string): Promise<void> {
    await this.repo(owner, name).store.updateRef(`refs/heads/${branch}`, sha);
  }

  /** Drops every pending fault. */
  clearFaults(): void {
    this.dispatcher.clearFaults();
  }

  /** Requests that changed something (anything but GET/HEAD and GraphQL queries). */
  writeRequests(): LoggedRequest[] {
    // GraphQL queries are POSTs that read (the stand-in runs no mutations).
    return this.requests.filter(
      (r) => r.method !== 'GET' && r.method !== 'HEAD' && r.operationId !== 'graphql',
    );
  }

  /** Forgets logged requests (violations are kept). */
  clearLog(): void {
    this.requests.length = 0;
  }

  /**
   * Creates a repository whose default branch holds `files` in one commit. Collaborators (who may
   * be asked for reviews or assigned) and teams default to a few names.
   */
  async createRepository(
    owner: string,
    name: string,
    files: Record<string, string>,
    options: {
      defaultBranch?: string;
      collaborators?: string[];
      teams?: string[];
      allowAutoMerge?: boolean;
      /** The base branch requires a status check (default true; see `RepoState.requiresChecks`). */
      requiresChecks?: boolean;
    } = {},
  ): Promise<{ sha: string }> {
    const key = `${owner}/${name}`.toLowerCase();
    const store = await GitStore.init(join(this.root, `${owner}--${name}-${this.nextId}.git`));
    const defaultBranch = options.defaultBranch ?? 'main';
    this.repos.set(key, {
      id: this.nextId++,
      owner,
      name,
      store,
      defaultBranch,
      pulls: [],
      issues: [],
      releases: [],
      labels: new Map(),
      collaborators: new Set(options.collaborators ?? ['alice', 'bob', 'carol']),
      teams: new Set(options.teams ?? ['platform', 'reviewers']),
      allowAutoMerge: options.allowAutoMerge ?? false,
      requiresChecks: options.requiresChecks ?? true,
      archived: false,
      actionsMayCreatePulls: true,
    });
    const sha = await this.commitFiles(owner, name, defaultBranch, files, {
      message: 'Initial commit',
      author: { name: 'Owner', email: 'owner@example.com' },
    });
    return { sha };
  }

  /** Archives a repository, or turns off *Allow GitHub Actions to create and approve pull requests*. */
  setRepository(
    owner: string,
    name: string,
    settings: Partial<Pick<RepoState, 'archived' | 'actionsMayCreatePulls'>>,
  ): void {
    Object.assign(this.repo(owner, name), settings);
  }

  /**
   * Commits changes to a branch (creating it from the default branch when missing): `null` deletes
   * a file. Used to move the base on or push a "foreign" commit onto a pull request branch; an
   * `author` with its own date and another `committer` make an amend, a rebase or a cherry-pick.
   * A file given as bytes is committed as they are (not UTF-8, say).
   */
  async commitFiles(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string | Uint8Array | null>,
    options: { message?: string; author?: Person; committer?: Person } = {},
  ): Promise<string> {
    const repo = this.repo(owner, name);
    return commitFilesOnto(repo.store, repo.defaultBranch, branch, files, options, () => this.nextDate());
  }

  /** Merges a pull request (a merge commit on the base), as the merge button does. */
  async mergePullRequest(owner: string, name: string, number: number): Promise<string> {
    const repo = this.repo(owner, name);
    const pull = this.pull(repo, number);
    const { sha, headSha } = await mergePullRequestBranches(repo.store, pull.base, pull.head, number, () =>
      this.nextDate(),
    );
    pull.state = 'closed';
    pull.merged = true;
    pull.closedHeadSha = headSha;
    return sha;
  }

  /** Closes a pull request without merging it. */
  async closePullRequest(owner: string, name: string, number: number): Promise<void> {
    const repo = this.repo(owner, name);
    const pull = this.pull(repo, number);
    pull.closedHeadSha = await repo.store.resolveRef(`refs/heads/${pull.head}`);
    pull.state = 'closed';
  }

  /** Deletes a branch (as "delete branch" after a merge does). */
  async deleteBranch(owner: string, name: string, branch: string): Promise<void> {
    await this.repo(owner, name).store.deleteRef(`refs/heads/${branch}`);
  }

  /** The SHA of a branch, or undefined. */
  async branchSha(owner: string, name: string, branch: string): Promise<string | undefined> {
    return this.repo(owner, name).store.resolveRef(`refs/heads/${branch}`);
  }

  /** Every branch of a repository. */
  async branches(owner: string, name: string): Promise<string[]> {
    return (await this.repo(owner, name).store.listRefs('refs/heads/')).map((r) =>
      r.ref.slice('refs/heads/'.length),
    );
  }

  /** Reads a commit object. */
  async readCommit(owner: string, name: string, sha: string): Promise<CommitObject> {
    return this.repo(owner, name).store.readCommit(sha);
  }

  /** Every file at a ref (branch name or SHA), as text. */
  async readFiles(owner: string, name: string, ref: string): Promise<Record<string, string>> {
    return readFilesAt(this.repo(owner, name).store, ref);
  }

  /** The files that differ between two refs: path to `{ before, after }` (undefined when absent). */
  async diff(
    owner: string,
    name: string,
    from: string,
    to: string,
  ): Promise<Record<string, { before: string | undefined; after: string | undefined }>> {
    return changedFiles(await this.readFiles(owner, name, from), await this.readFiles(owner, name, to));
  }

  /** A snapshot of a repository's pull requests. */
  pulls(owner: string, name: string): PullState[] {
    return this.repo(owner, name).pulls.map((p) => ({ ...p }));
  }

  /**
   * Publishes a release (the newest so far), tagging the default branch's head with `tag` unless
   * `tagged` is false (a release whose tag is missing, as after a deleted tag).
   */
  async addRelease(
    owner: string,
    name: string,
    release: {
      tag: string;
      name?: string;
      body?: string;
      draft?: boolean;
      prerelease?: boolean;
      tagged?: boolean;
    },
  ): Promise<void> {
    const repo = this.repo(owner, name);
    if (release.tagged !== false) {
      const head = await repo.store.resolveRef(`refs/heads/${repo.defaultBranch}`);
      if (head) await repo.store.updateRef(`refs/tags/${release.tag}`, head);
    }
    repo.releases.unshift({
      id: this.nextId++,
      tag: release.tag,
      name: release.name ?? null,
      body: release.body ?? null,
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      createdAt: this.nextDate(),
    });
  }

  /** A repository's issues, live: a test edits a body as a person would. */
  issues(owner: string, name: string): IssueState[] {
    return this.repo(owner, name).issues;
  }

  /** A repository's labels' names. */
  labels(owner: string, name: string): string[] {
    return [...this.repo(owner, name).labels.values()].map((l) => l.name);
  }

  // ---------------------------------------------------------------- plumbing

  /** What the endpoint groups are lent: routing, numbering, the clock and the JSON shapes. */
  private endpointHost(): EndpointHost {
    const nextId = (): number => this.nextId++;
    return {
      route: (method, template, need, handler) => this.dispatcher.route(method, template, need, handler),
      fail: (status, message, errors) => new HttpError(status, message, errors),
      nextNumber,
      nextDate: () => this.nextDate(),
      nextId,
      label: (repo, name) => this.json.labelJson(repo, ensureLabel(repo, name, nextId)),
      apiUrl: (repo, path) => this.json.apiUrl(repo, path),
      htmlUrl: (repo, path) => this.json.htmlUrl(repo, path),
      pull: (repo, number) => this.pull(repo, number),
      json: this.json,
      violations: this.violations,
    };
  }

  private repo(owner: string, name: string): RepoState {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  }

  private pull(repo: RepoState, number: number): PullState {
    const pull = repo.pulls.find((p) => p.number === number);
    if (!pull) throw NOT_FOUND();
    return pull;
  }

  /** A strictly increasing clock, so commits made in the same second still differ and sort. */
  private nextDate(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}
