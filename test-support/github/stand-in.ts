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
 * Plain TypeScript without jest globals, so `tsx` scripts can start it too.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { GitStore, type CommitObject, type Person, type TreeEntry } from './git-store.js';
import { compileOperation, type CompiledOperation } from './openapi-validator.js';
import { connection, runGraphql } from './graphql.js';
import { defineIssueRoutes, type IssueState } from './issues-endpoints.js';
import { clientClosesIdleSockets } from '../idle-sockets.js';

/** Access levels of a token, per permission (like a GitHub App installation token). */
export interface TokenPermissions {
  contents: 'read' | 'write';
  pull_requests: 'read' | 'write';
  issues: 'read' | 'write';
}

/** The token every stand-in accepts with write access, unless told otherwise. */
export const WRITE_TOKEN = 'ghs_stand_in_write_token';
/** A token that can read everything and write nothing. */
export const READ_ONLY_TOKEN = 'ghs_stand_in_read_only_token';

/** A fault to inject into matching requests. */
export interface Fault {
  /** Matches the operation id (`git/create-commit`, `pulls/create`); every operation when absent. */
  operationId?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /**
   * `lost-response`: the request is carried out, then answered 502, as when GitHub did the work but
   * the answer never arrived (a dropped connection, a killed run).
   */
  kind: 'bad-gateway' | 'lost-response' | 'secondary-rate-limit' | { status: number; message: string };
}

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
}

/** A pull request as the stand-in keeps it. */
export interface PullState {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  merged: boolean;
  head: string;
  /** The head SHA when the pull request was closed (open ones follow the branch). */
  closedHeadSha?: string;
  base: string;
  labels: string[];
  assignees: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  /** Submitted reviews, oldest first. */
  reviews: { login: string; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' }[];
  createdAt: string;
  updatedAt: string;
  /** Set by the GraphQL mutation `enablePullRequestAutoMerge`. */
  autoMerge?: { mergeMethod: string; enabledAt: string };
}

interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

/** A release as the stand-in keeps it (newest first in `RepoState.releases`). */
export interface ReleaseState {
  id: number;
  tag: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  createdAt: string;
}

export interface RepoState {
  releases: ReleaseState[];
  id: number;
  owner: string;
  name: string;
  store: GitStore;
  defaultBranch: string;
  pulls: PullState[];
  /** Issues (`issues-endpoints.ts`); numbered with the pull requests. */
  issues: IssueState[];
  labels: Map<string, Label>;
  collaborators: Set<string>;
  teams: Set<string>;
  /** The repository setting *Allow auto-merge* (GitHub's default: off). */
  allowAutoMerge: boolean;
}

/** What a handler returns. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Context {
  repo: RepoState;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown>;
  rawBody: unknown;
}

export type Handler = (context: Context) => Promise<Answer>;

/** Which permission an operation needs, and at which level. */
export type Need = [keyof TokenPermissions, 'read' | 'write'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';
const NOT_FOUND = (): HttpError => new HttpError(404, 'Not Found');
const RATE_LIMIT = 5000;

/** Starts a stand-in on 127.0.0.1 (ephemeral port). */
export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  const root = await mkdtemp(join(tmpdir(), 'github-stand-in-'));
  const standIn = new GitHubStandIn(root);
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
  private readonly tokens = new Map<string, TokenPermissions>([
    [WRITE_TOKEN, { contents: 'write', pull_requests: 'write', issues: 'write' }],
    [READ_ONLY_TOKEN, { contents: 'read', pull_requests: 'read', issues: 'read' }],
  ]);
  private readonly faults: (Fault & { remaining: number })[] = [];
  private readonly hooks: { operationId: string; hook: (body: unknown) => Promise<void> }[] = [];
  private readonly routes: { operation: CompiledOperation; need: Need; handler: Handler }[] = [];
  private server: Server | undefined;
  private queue: Promise<void> = Promise.resolve();
  private nextId = 1000;
  private remaining = RATE_LIMIT;
  private clock = Date.parse('2026-01-01T00:00:00Z');
  /**
   * The most nodes a GraphQL connection gives per page (GitHub: 100); tests lower it to page through
   * a few pull requests instead of hundreds.
   */
  graphqlPageSize = 100;
  /** Base URL of the API (`http://127.0.0.1:PORT`), to pass as Octokit's `baseUrl`. */
  url = '';

  constructor(private readonly root: string) {
    this.defineRoutes();
  }

  /** Starts listening. */
  async listen(): Promise<void> {
    this.server = clientClosesIdleSockets(
      createServer((req, res) => {
        this.handle(req, res).catch((error: unknown) => {
          this.violations.push(`stand-in crashed on ${req.method} ${req.url}: ${String(error)}`);
          if (!res.headersSent) res.writeHead(500).end();
        });
      }),
    );
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** Stops the server and removes the repositories. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await rm(this.root, { recursive: true, force: true });
  }

  // ---------------------------------------------------------------- test helpers

  /** Adds a token with the given permissions. */
  addToken(token: string, permissions: TokenPermissions): void {
    this.tokens.set(token, permissions);
  }

  /** Makes the next matching requests fail. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /**
   * Runs `hook` once, just before the next request of an operation (`graphql` for GraphQL) is handled (after it was
   * validated), to stage a race: e.g. another run opening the same pull request first. The hook
   * must use the helpers, not HTTP (requests are handled one at a time).
   */
  beforeNext(operationId: string, hook: (body: unknown) => Promise<void>): void {
    this.hooks.push({ operationId, hook });
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
    repo.pulls.push({
      number,
      title: pull.title,
      body: pull.body ?? null,
      state: 'open',
      merged: false,
      head: pull.head,
      base: pull.base,
      labels: [],
      assignees: [],
      requestedReviewers: [],
      requestedTeams: [],
      reviews: [],
      createdAt: now,
      updatedAt: now,
    });
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
    this.faults.length = 0;
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
    });
    const sha = await this.commitFiles(owner, name, defaultBranch, files, {
      message: 'Initial commit',
      author: { name: 'Owner', email: 'owner@example.com' },
    });
    return { sha };
  }

  /**
   * Commits changes to a branch (creating it from the default branch when missing): `null` deletes
   * a file. Used to move the base on or push a "foreign" commit onto a pull request branch.
   */
  async commitFiles(
    owner: string,
    name: string,
    branch: string,
    files: Record<string, string | null>,
    options: { message?: string; author?: Person } = {},
  ): Promise<string> {
    const repo = this.repo(owner, name);
    const store = repo.store;
    const parent =
      (await store.resolveRef(`refs/heads/${branch}`)) ??
      (await store.resolveRef(`refs/heads/${repo.defaultBranch}`));
    const flat = parent ? await store.flattenTree((await store.readCommit(parent)).tree) : new Map();
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else
        flat.set(path, {
          mode: '100644',
          type: 'blob',
          sha: await store.writeBlob(Buffer.from(content, 'utf8')),
        });
    }
    const tree = await store.buildTree(flat);
    const author = options.author ?? { name: 'Someone Else', email: 'someone@example.com' };
    const sha = await store.writeCommit(tree, parent ? [parent] : [], options.message ?? 'Change files', {
      ...author,
      date: this.nextDate(),
    });
    await store.updateRef(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** Merges a pull request (a merge commit on the base), as the merge button does. */
  async mergePullRequest(owner: string, name: string, number: number): Promise<string> {
    const repo = this.repo(owner, name);
    const pull = this.pull(repo, number);
    const baseSha = await repo.store.resolveRef(`refs/heads/${pull.base}`);
    const headSha = await repo.store.resolveRef(`refs/heads/${pull.head}`);
    if (!baseSha || !headSha) throw new Error('base or head branch is missing');
    const tree = await repo.store.mergeTrees(baseSha, headSha);
    if (!tree) throw new Error(`pull request #${number} has conflicts`);
    const sha = await repo.store.writeCommit(tree, [baseSha, headSha], `Merge pull request #${number}`, {
      name: 'Owner',
      email: 'owner@example.com',
      date: this.nextDate(),
    });
    await repo.store.updateRef(`refs/heads/${pull.base}`, sha);
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
    const store = this.repo(owner, name).store;
    const sha = (await store.resolveRef(`refs/heads/${ref}`)) ?? ref;
    const files: Record<string, string> = {};
    for (const [path, entry] of await store.flattenTree((await store.readCommit(sha)).tree)) {
      files[path] = (await store.readBlob(entry.sha)).toString('utf8');
    }
    return files;
  }

  /** The files that differ between two refs: path to `{ before, after }` (undefined when absent). */
  async diff(
    owner: string,
    name: string,
    from: string,
    to: string,
  ): Promise<Record<string, { before: string | undefined; after: string | undefined }>> {
    const before = await this.readFiles(owner, name, from);
    const after = await this.readFiles(owner, name, to);
    const changes: Record<string, { before: string | undefined; after: string | undefined }> = {};
    for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[path] !== after[path]) changes[path] = { before: before[path], after: after[path] };
    }
    return changes;
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

  // ---------------------------------------------------------------- HTTP plumbing

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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const log: LoggedRequest = { method, path: url.pathname, operationId: undefined, status: 0 };
    this.requests.push(log);
    // One request at a time: GitHub's checks ("already exists", fast-forward) are atomic, and
    // handlers await git between check and change, so concurrent requests must not interleave.
    const turn = this.queue.then(() => this.answer(req, method, url, raw, log));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    const answer = await turn;
    log.status = answer.status;
    this.remaining = Math.max(0, this.remaining - 1);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `STANDIN:${this.requests.length}`,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(RATE_LIMIT - this.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...answer.headers,
    };
    if (answer.status === 204 || answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
    } else {
      res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
    }
  }

  private async answer(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: string,
    log: LoggedRequest,
  ): Promise<Answer> {
    if (method === 'POST' && url.pathname === '/graphql') return this.answerGraphql(req, raw, log);
    const route = this.routes.find(
      (r) => r.operation.method === method && r.operation.pattern.test(url.pathname),
    );
    if (!route) {
      this.violations.push(`${method} ${url.pathname}: no such operation in the stand-in`);
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    }
    const { operation } = route;
    log.operationId = operation.operationId;

    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)?.[1];
    if (!token) return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS } };
    const permissions = this.tokens.get(token);
    if (!permissions) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };

    const match = operation.pattern.exec(url.pathname)!;
    const params: Record<string, string> = {};
    operation.pathParameterNames.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1]);
    });
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    let body: unknown;
    const hasBody = raw.length > 0;
    if (hasBody) {
      try {
        body = JSON.parse(raw);
      } catch {
        this.violations.push(`${method} ${url.pathname}: body is not JSON`);
        return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
      }
    }
    const problems = operation.validate(params, query, body, hasBody);
    if (problems.length > 0) {
      this.violations.push(`${operation.operationId} ${method} ${url.pathname}: ${problems.join('; ')}`);
      return {
        status: 422,
        body: {
          message: `Invalid request.\n\n${problems.join('\n')}`,
          documentation_url: DOCS,
          status: '422',
        },
      };
    }

    const hookIndex = this.hooks.findIndex((h) => h.operationId === operation.operationId);
    if (hookIndex >= 0) {
      const [{ hook }] = this.hooks.splice(hookIndex, 1);
      await hook(body);
    }

    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operationId === undefined || f.operationId === operation.operationId),
    );
    if (fault?.kind === 'lost-response') {
      fault.remaining--;
      await this.handleRoute(route, repoKey(params), permissions, params, query, body);
      return { status: 502, body: { message: 'Server Error' } };
    }
    if (fault) {
      fault.remaining--;
      if (fault.kind === 'bad-gateway') return { status: 502, body: { message: 'Server Error' } };
      if (fault.kind === 'secondary-rate-limit') {
        return {
          status: 403,
          headers: { 'retry-after': '1' },
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID STANDIN.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
            status: '403',
          },
        };
      }
      return { status: fault.kind.status, body: { message: fault.kind.message, documentation_url: DOCS } };
    }

    return this.handleRoute(route, repoKey(params), permissions, params, query, body);
  }

  /** Runs a validated request's handler: the repository, the permission, then the operation. */
  private async handleRoute(
    route: { need: Need; handler: Handler },
    key: string,
    permissions: TokenPermissions,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
  ): Promise<Answer> {
    const repo = this.repos.get(key);
    if (!repo) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };

    const [permission, level] = route.need;
    if (level === 'write' && permissions[permission] !== 'write') {
      return {
        status: 403,
        headers: { 'x-accepted-github-permissions': `${permission}=write` },
        body: { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' },
      };
    }

    try {
      return await route.handler({
        repo,
        params,
        query,
        body: (body && typeof body === 'object' ? body : {}) as Record<string, unknown>,
        rawBody: body,
      });
    } catch (error) {
      if (error instanceof HttpError) {
        const payload: Record<string, unknown> = { message: error.message, documentation_url: DOCS };
        if (error.errors) payload.errors = error.errors;
        payload.status = String(error.status);
        return { status: error.status, body: payload };
      }
      throw error;
    }
  }

  /** `POST /graphql`: validated against GitHub's schema, run over {@link graphqlRoot}. */
  private async answerGraphql(req: IncomingMessage, raw: string, log: LoggedRequest): Promise<Answer> {
    log.operationId = 'graphql';
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
    }
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operationId === undefined || f.operationId === 'graphql'),
    );
    if (fault) {
      fault.remaining--;
      if (typeof fault.kind === 'object') {
        return { status: fault.kind.status, body: { message: fault.kind.message, documentation_url: DOCS } };
      }
      return { status: 502, body: { message: 'Server Error' } };
    }
    let request: unknown;
    try {
      request = JSON.parse(raw);
    } catch {
      this.violations.push('graphql: body is not JSON');
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    }
    const hookIndex = this.hooks.findIndex((h) => h.operationId === 'graphql');
    if (hookIndex >= 0) {
      const [{ hook }] = this.hooks.splice(hookIndex, 1);
      await hook(request);
    }
    const answer = await runGraphql(request, this.graphqlRoot());
    this.violations.push(...answer.violations);
    return { status: 200, body: answer.body };
  }

  /** The `Query` fields the writer reads and the `Mutation` fields it calls, over the stand-in's state. */
  private graphqlRoot(): Record<string, unknown> {
    return {
      enablePullRequestAutoMerge: ({ input }: { input: { pullRequestId: string; mergeMethod?: string } }) => {
        for (const repo of this.repos.values()) {
          const pull = repo.pulls.find((p) => `PR_${repo.id}_${p.number}` === input.pullRequestId);
          if (!pull) continue;
          // GitHub's messages for the refusals the writer must survive.
          if (!repo.allowAutoMerge)
            throw new Error('Pull request Auto merge is not allowed for this repository');
          if (pull.state !== 'open')
            throw new Error('Pull request is not in the correct state to enable auto-merge');
          pull.autoMerge ??= {
            mergeMethod: input.mergeMethod ?? 'MERGE',
            enabledAt: new Date().toISOString(),
          };
          return {
            pullRequest: this.graphqlPull(repo, pull, pull.merged ? 'MERGED' : pull.state.toUpperCase()),
          };
        }
        throw new Error(`Could not resolve to a node with the global id of '${input.pullRequestId}'`);
      },
      repository: ({ owner, name }: { owner: string; name: string }) => {
        const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
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
                return entry ? { oid: entry.sha, path: entry.path, name: entry.path.split('/').pop() } : null;
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
              target: await this.graphqlCommit(repo, sha),
            };
          },
          pullRequest: ({ number }: { number: number }) => {
            const pull = repo.pulls.find((p) => p.number === number);
            return pull
              ? this.graphqlPull(repo, pull, pull.merged ? 'MERGED' : pull.state.toUpperCase())
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
            const stateOf = (p: PullState): string => (p.merged ? 'MERGED' : p.state.toUpperCase());
            // Numbers grow with creation time, so CREATED_AT orders by number.
            const ordered = args.orderBy?.direction === 'DESC' ? [...repo.pulls].reverse() : repo.pulls;
            const pulls = ordered.filter(
              (p) =>
                (!args.states || args.states.includes(stateOf(p))) &&
                (args.baseRefName === undefined || p.base === args.baseRefName) &&
                (args.headRefName === undefined || p.head === args.headRefName),
            );
            return connection(
              pulls.map((p) => this.graphqlPull(repo, p, stateOf(p))),
              { ...args, first: Math.min(args.first ?? 100, this.graphqlPageSize) },
            );
          },
        };
      },
    };
  }

  /** A pull request as a GraphQL `PullRequest`. */
  private graphqlPull(repo: RepoState, pull: PullState, state: string): Record<string, unknown> {
    const page =
      <T>(items: T[]) =>
      (args: { first?: number; after?: string }) =>
        connection(items, args);
    return {
      id: `PR_${repo.id}_${pull.number}`,
      autoMergeRequest: pull.autoMerge ?? null,
      number: pull.number,
      url: this.htmlUrl(repo, `/pull/${pull.number}`),
      title: pull.title,
      body: pull.body ?? '',
      state,
      merged: pull.merged,
      baseRefName: pull.base,
      headRefName: pull.head,
      headRepository: { nameWithOwner: `${repo.owner}/${repo.name}` },
      labels: page(pull.labels.map((name) => ({ name }))),
      assignees: page(pull.assignees.map((login) => ({ login }))),
      reviewRequests: page([
        ...pull.requestedReviewers.map((login) => ({ requestedReviewer: { __typename: 'User', login } })),
        ...pull.requestedTeams.map((slug) => ({ requestedReviewer: { __typename: 'Team', slug } })),
      ]),
      headRef: async () => {
        const sha =
          pull.state === 'open' ? await repo.store.resolveRef(`refs/heads/${pull.head}`) : undefined;
        if (!sha) return null;
        return { name: pull.head, target: await this.graphqlCommit(repo, sha) };
      },
    };
  }

  /** A commit as a GraphQL `Commit` (what the writer reads of one: id, message, parents). */
  private async graphqlCommit(repo: RepoState, sha: string): Promise<Record<string, unknown>> {
    const commit = await repo.store.readCommit(sha);
    return {
      __typename: 'Commit',
      oid: sha,
      message: commit.message.replace(/\n$/, ''),
      parents: (args: { first?: number; after?: string }) =>
        connection(
          commit.parents.map((oid) => ({ __typename: 'Commit', oid })),
          args,
        ),
    };
  }

  private route(method: string, template: string, need: Need, handler: Handler): void {
    this.routes.push({ operation: compileOperation(method, template), need, handler });
  }

  // ---------------------------------------------------------------- JSON shapes

  private apiUrl(repo: RepoState, path: string): string {
    return `${this.url}/repos/${repo.owner}/${repo.name}${path}`;
  }

  private htmlUrl(repo: RepoState, path = ''): string {
    return `${this.url}/${repo.owner}/${repo.name}${path}`;
  }

  private repoJson(repo: RepoState): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: false,
      owner: { login: repo.owner, id: 1, type: 'Organization' },
      html_url: this.htmlUrl(repo),
      url: this.apiUrl(repo, ''),
      default_branch: repo.defaultBranch,
      visibility: 'public',
    };
  }

  private refJson(repo: RepoState, ref: string, sha: string): Record<string, unknown> {
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64')}`,
      url: this.apiUrl(repo, `/git/${ref}`),
      object: { type: 'commit', sha, url: this.apiUrl(repo, `/git/commits/${sha}`) },
    };
  }

  private commitJson(repo: RepoState, commit: CommitObject): Record<string, unknown> {
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha}`,
      url: this.apiUrl(repo, `/git/commits/${commit.sha}`),
      html_url: this.htmlUrl(repo, `/commit/${commit.sha}`),
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ''),
      tree: { sha: commit.tree, url: this.apiUrl(repo, `/git/trees/${commit.tree}`) },
      parents: commit.parents.map((sha) => ({
        sha,
        url: this.apiUrl(repo, `/git/commits/${sha}`),
        html_url: this.htmlUrl(repo, `/commit/${sha}`),
      })),
      verification: { verified: true, reason: 'valid', signature: null, payload: null, verified_at: null },
    };
  }

  private releaseJson(repo: RepoState, release: ReleaseState): Record<string, unknown> {
    return {
      id: release.id,
      node_id: `RE_${release.id}`,
      url: this.apiUrl(repo, `/releases/${release.id}`),
      html_url: this.htmlUrl(repo, `/releases/tag/${encodeURIComponent(release.tag)}`),
      assets_url: this.apiUrl(repo, `/releases/${release.id}/assets`),
      upload_url: `${this.url}/uploads/repos/${repo.owner}/${repo.name}/releases/${release.id}/assets{?name,label}`,
      tarball_url: this.apiUrl(repo, `/tarball/${release.tag}`),
      zipball_url: this.apiUrl(repo, `/zipball/${release.tag}`),
      tag_name: release.tag,
      target_commitish: repo.defaultBranch,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      created_at: release.createdAt,
      published_at: release.draft ? null : release.createdAt,
      author: { login: 'maintainer', id: 7, type: 'User' },
      assets: [],
    };
  }

  private labelJson(repo: RepoState, label: Label): Record<string, unknown> {
    return {
      id: label.id,
      node_id: `LA_${label.id}`,
      url: this.apiUrl(repo, `/labels/${encodeURIComponent(label.name)}`),
      name: label.name,
      color: label.color,
      description: label.description,
      default: false,
    };
  }

  private async pullJson(repo: RepoState, pull: PullState): Promise<Record<string, unknown>> {
    const headSha =
      pull.state === 'open'
        ? ((await repo.store.resolveRef(`refs/heads/${pull.head}`)) ?? pull.closedHeadSha)
        : pull.closedHeadSha;
    const baseSha = await repo.store.resolveRef(`refs/heads/${pull.base}`);
    const user = (login: string): Record<string, unknown> => ({ login, id: login.length, type: 'User' });
    return {
      id: repo.id * 1000 + pull.number,
      node_id: `PR_${repo.id}_${pull.number}`,
      number: pull.number,
      url: this.apiUrl(repo, `/pulls/${pull.number}`),
      html_url: this.htmlUrl(repo, `/pull/${pull.number}`),
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      labels: pull.labels.map((name) => this.labelJson(repo, repo.labels.get(name.toLowerCase())!)),
      assignees: pull.assignees.map(user),
      requested_reviewers: pull.requestedReviewers.map(user),
      requested_teams: pull.requestedTeams.map((slug) => ({ slug, name: slug, id: slug.length })),
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.state === 'closed' ? pull.updatedAt : null,
      merged_at: pull.merged ? pull.updatedAt : null,
      merged: pull.merged,
      draft: false,
      head: {
        label: `${repo.owner}:${pull.head}`,
        ref: pull.head,
        sha: headSha ?? null,
        repo: this.repoJson(repo),
      },
      base: {
        label: `${repo.owner}:${pull.base}`,
        ref: pull.base,
        sha: baseSha ?? null,
        repo: this.repoJson(repo),
      },
    };
  }

  /** Resolves a ref as the contents/trees APIs take it (branch, tag, `heads/x`, SHA). */
  private async resolveCommitish(repo: RepoState, ref: string | undefined): Promise<string> {
    const name = ref ?? repo.defaultBranch;
    for (const candidate of [`refs/heads/${name}`, `refs/tags/${name}`, `refs/${name}`, name]) {
      const sha = await repo.store.resolveRef(candidate);
      if (sha) return sha;
    }
    throw new HttpError(404, `No commit found for the ref ${name}`);
  }

  private async fullRefSha(repo: RepoState, ref: string): Promise<string | undefined> {
    const sha = await repo.store.resolveRef(ref);
    // rev-parse also resolves SHAs and abbreviations; only real refs count here.
    if (!sha) return undefined;
    const refs = await repo.store.listRefs(ref);
    return refs.some((r) => r.ref === ref) ? sha : undefined;
  }

  // ---------------------------------------------------------------- routes

  private defineRoutes(): void {
    const R = '/repos/{owner}/{repo}';
    const asString = (value: unknown): string => (typeof value === 'string' ? value : '');

    this.route('GET', R, ['contents', 'read'], async ({ repo }) => ({
      status: 200,
      body: this.repoJson(repo),
    }));

    // ---- refs
    this.route('GET', `${R}/git/ref/{ref}`, ['contents', 'read'], async ({ repo, params }) => {
      const ref = `refs/${params.ref}`;
      const sha = await this.fullRefSha(repo, ref);
      if (!sha) throw NOT_FOUND();
      return { status: 200, body: this.refJson(repo, ref, sha) };
    });
    this.route('GET', `${R}/git/matching-refs/{ref}`, ['contents', 'read'], async ({ repo, params }) => {
      const prefix = `refs/${params.ref}`;
      const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const refs = (await repo.store.listRefs(dir)).filter((r) => r.ref.startsWith(prefix));
      return { status: 200, body: refs.map((r) => this.refJson(repo, r.ref, r.sha)) };
    });
    this.route('POST', `${R}/git/refs`, ['contents', 'write'], async ({ repo, body }) => {
      const ref = asString(body.ref);
      const sha = asString(body.sha);
      if (!/^refs\/[^/]+\/.+/.test(ref) || !(await this.validRef(repo, ref))) {
        throw new HttpError(422, `${ref} is not a valid ref name.`);
      }
      if (await repo.store.resolveRef(ref)) throw new HttpError(422, 'Reference already exists');
      if ((await repo.store.objectType(sha)) !== 'commit') throw new HttpError(422, 'Object does not exist');
      await repo.store.updateRef(ref, sha);
      return { status: 201, body: this.refJson(repo, ref, sha) };
    });
    this.route('PATCH', `${R}/git/refs/{ref}`, ['contents', 'write'], async ({ repo, params, body }) => {
      const ref = `refs/${params.ref}`;
      const current = await this.fullRefSha(repo, ref);
      if (!current) throw new HttpError(422, 'Reference does not exist');
      const sha = asString(body.sha);
      if ((await repo.store.objectType(sha)) !== 'commit') throw new HttpError(422, 'Object does not exist');
      if (body.force !== true && !(await repo.store.isAncestor(current, sha))) {
        throw new HttpError(422, 'Update is not a fast forward');
      }
      await repo.store.updateRef(ref, sha);
      return { status: 200, body: this.refJson(repo, ref, sha) };
    });
    this.route('DELETE', `${R}/git/refs/{ref}`, ['contents', 'write'], async ({ repo, params }) => {
      const ref = `refs/${params.ref}`;
      const sha = await this.fullRefSha(repo, ref);
      if (!sha) throw new HttpError(422, 'Reference does not exist');
      await repo.store.deleteRef(ref);
      // GitHub closes the open pull requests of a deleted head branch.
      for (const pull of repo.pulls) {
        if (pull.state === 'open' && `refs/heads/${pull.head}` === ref) {
          pull.state = 'closed';
          pull.closedHeadSha = sha;
        }
      }
      return { status: 204 };
    });

    // ---- blobs, trees, commits
    this.route('POST', `${R}/git/blobs`, ['contents', 'write'], async ({ repo, body }) => {
      const encoding = body.encoding === 'base64' ? 'base64' : 'utf8';
      const sha = await repo.store.writeBlob(Buffer.from(asString(body.content), encoding));
      return { status: 201, body: { sha, url: this.apiUrl(repo, `/git/blobs/${sha}`) } };
    });
    this.route('GET', `${R}/git/blobs/{file_sha}`, ['contents', 'read'], async ({ repo, params }) => {
      if ((await repo.store.objectType(params.file_sha)) !== 'blob') throw NOT_FOUND();
      const content = await repo.store.readBlob(params.file_sha);
      return {
        status: 200,
        body: {
          sha: params.file_sha,
          node_id: `B_${params.file_sha}`,
          size: content.length,
          url: this.apiUrl(repo, `/git/blobs/${params.file_sha}`),
          content: wrapBase64(content),
          encoding: 'base64',
        },
      };
    });
    this.route('POST', `${R}/git/trees`, ['contents', 'write'], async ({ repo, body }) => {
      const store = repo.store;
      let flat = new Map<string, { mode: string; type: TreeEntry['type']; sha: string }>();
      if (body.base_tree !== undefined) {
        const base = asString(body.base_tree);
        if ((await store.objectType(base)) !== 'tree')
          throw new HttpError(422, 'base_tree is not a valid tree oid');
        flat = await store.flattenTree(base);
      }
      const entries = (body.tree ?? []) as {
        path: string;
        mode: string;
        type: string;
        sha?: string | null;
        content?: string;
      }[];
      for (const entry of entries) {
        if (entry.sha !== undefined && entry.content !== undefined) {
          throw new HttpError(422, 'Must supply either tree.sha or tree.content, not both');
        }
        if (entry.type === 'tree') throw new HttpError(422, 'The stand-in only takes blob entries');
        if (entry.content !== undefined) {
          flat.set(entry.path, {
            mode: entry.mode,
            type: 'blob',
            sha: await store.writeBlob(Buffer.from(entry.content, 'utf8')),
          });
        } else if (entry.sha === null) {
          flat.delete(entry.path);
        } else {
          const type = await store.objectType(entry.sha ?? '');
          if (type !== entry.type)
            throw new HttpError(422, 'GitRPC::BadObjectState', [{ message: 'Invalid tree info' }]);
          flat.set(entry.path, { mode: entry.mode, type: entry.type as TreeEntry['type'], sha: entry.sha! });
        }
      }
      const sha = await store.buildTree(flat);
      return { status: 201, body: await this.treeJson(repo, sha, false) };
    });
    this.route('GET', `${R}/git/trees/{tree_sha}`, ['contents', 'read'], async ({ repo, params, query }) => {
      let sha = params.tree_sha;
      const type = await repo.store.objectType(sha);
      if (type === 'commit') sha = (await repo.store.readCommit(sha)).tree;
      else if (type !== 'tree') {
        const commit = await this.resolveCommitish(repo, sha).catch(() => {
          throw NOT_FOUND();
        });
        sha = (await repo.store.readCommit(commit)).tree;
      }
      return { status: 200, body: await this.treeJson(repo, sha, query.recursive !== undefined) };
    });
    this.route('POST', `${R}/git/commits`, ['contents', 'write'], async ({ repo, body }) => {
      const tree = asString(body.tree);
      if ((await repo.store.objectType(tree)) !== 'tree') throw new HttpError(422, 'Tree SHA does not exist');
      const parents = (body.parents ?? []) as string[];
      for (const parent of parents) {
        if ((await repo.store.objectType(parent)) !== 'commit') {
          throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
        }
      }
      const author = (body.author as Person | undefined) ?? undefined;
      const committer = (body.committer as Person | undefined) ?? author;
      const date = this.nextDate();
      const sha = await repo.store.writeCommit(
        tree,
        parents,
        asString(body.message),
        author ? { date, ...author } : undefined,
        committer ? { date, ...committer } : undefined,
      );
      return { status: 201, body: this.commitJson(repo, await repo.store.readCommit(sha)) };
    });
    this.route('GET', `${R}/git/commits/{commit_sha}`, ['contents', 'read'], async ({ repo, params }) => {
      if ((await repo.store.objectType(params.commit_sha)) !== 'commit') throw NOT_FOUND();
      return { status: 200, body: this.commitJson(repo, await repo.store.readCommit(params.commit_sha)) };
    });

    // ---- contents
    this.route('GET', `${R}/contents/{path}`, ['contents', 'read'], async ({ repo, params, query }) => {
      const commit = await this.resolveCommitish(repo, query.ref);
      const tree = (await repo.store.readCommit(commit)).tree;
      const path = params.path.replace(/^\/+|\/+$/g, '');
      const all = await repo.store.listTree(tree, true);
      const entry = all.find((e) => e.path === path);
      if (!entry) throw NOT_FOUND();
      const item = (e: TreeEntry): Record<string, unknown> => ({
        type: e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file',
        name: e.path.split('/').pop(),
        path: e.path,
        sha: e.sha,
        size: e.size ?? 0,
        url: this.apiUrl(
          repo,
          `/contents/${e.path}?ref=${encodeURIComponent(query.ref ?? repo.defaultBranch)}`,
        ),
        html_url: this.htmlUrl(repo, `/blob/${query.ref ?? repo.defaultBranch}/${e.path}`),
        git_url: this.apiUrl(repo, `/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`),
        download_url: null,
        _links: { self: this.apiUrl(repo, `/contents/${e.path}`), git: null, html: null },
      });
      if (entry.type === 'tree') {
        const children = all.filter(
          (e) => e.path.startsWith(`${path}/`) && !e.path.slice(path.length + 1).includes('/'),
        );
        return { status: 200, body: children.map(item) };
      }
      const content = await repo.store.readBlob(entry.sha);
      return { status: 200, body: { ...item(entry), encoding: 'base64', content: wrapBase64(content) } };
    });

    // ---- pulls
    this.route('GET', `${R}/pulls`, ['pull_requests', 'read'], async ({ repo, query }) => {
      if (query.head !== undefined && !query.head.includes(':')) {
        // GitHub silently ignores a head filter without `owner:` and returns every pull request.
        this.violations.push(`pulls/list: head filter "${query.head}" must be "owner:branch"`);
      }
      const state = query.state ?? 'open';
      let pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
      if (query.head?.includes(':')) {
        const [owner, branch] = [
          query.head.slice(0, query.head.indexOf(':')),
          query.head.slice(query.head.indexOf(':') + 1),
        ];
        pulls =
          owner.toLowerCase() === repo.owner.toLowerCase() ? pulls.filter((p) => p.head === branch) : [];
      }
      if (query.base !== undefined) pulls = pulls.filter((p) => p.base === query.base);
      const direction =
        query.direction ?? (query.sort === undefined || query.sort === 'created' ? 'desc' : 'asc');
      pulls = [...pulls].sort((a, b) => (direction === 'desc' ? b.number - a.number : a.number - b.number));
      const perPage = Math.min(Number(query.per_page ?? 30), 100);
      const page = Number(query.page ?? 1);
      const slice = pulls.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      const last = Math.max(1, Math.ceil(pulls.length / perPage));
      if (page < last) {
        const link = (p: number): string => {
          const next = new URLSearchParams(query);
          next.set('page', String(p));
          return `${this.apiUrl(repo, '/pulls')}?${next.toString()}`;
        };
        headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`;
      }
      return { status: 200, headers, body: await Promise.all(slice.map((p) => this.pullJson(repo, p))) };
    });
    this.route('POST', `${R}/pulls`, ['pull_requests', 'write'], async ({ repo, body }) => {
      let head = asString(body.head);
      if (head.includes(':')) {
        const owner = head.slice(0, head.indexOf(':'));
        if (owner.toLowerCase() !== repo.owner.toLowerCase()) {
          throw new HttpError(422, 'Validation Failed', [
            { resource: 'PullRequest', field: 'head', code: 'invalid' },
          ]);
        }
        head = head.slice(head.indexOf(':') + 1);
      }
      const base = asString(body.base);
      const headSha = await repo.store.resolveRef(`refs/heads/${head}`);
      const baseSha = await repo.store.resolveRef(`refs/heads/${base}`);
      if (!headSha) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'invalid' },
        ]);
      }
      if (!baseSha) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'invalid' },
        ]);
      }
      if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        throw new HttpError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${repo.owner}:${head}.`,
          },
        ]);
      }
      if ((await repo.store.commitsBetween(baseSha, headSha)).length === 0) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
        ]);
      }
      if (typeof body.title !== 'string' || body.title === '') {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ]);
      }
      const now = this.nextDate();
      const pull: PullState = {
        number: nextNumber(repo),
        title: body.title,
        body: typeof body.body === 'string' ? body.body : null,
        state: 'open',
        merged: false,
        head,
        base,
        labels: [],
        assignees: [],
        requestedReviewers: [],
        requestedTeams: [],
        reviews: [],
        createdAt: now,
        updatedAt: now,
      };
      repo.pulls.push(pull);
      return { status: 201, body: await this.pullJson(repo, pull) };
    });
    this.route('GET', `${R}/pulls/{pull_number}`, ['pull_requests', 'read'], async ({ repo, params }) => ({
      status: 200,
      body: await this.pullJson(repo, this.pull(repo, Number(params.pull_number))),
    }));
    this.route(
      'GET',
      `${R}/pulls/{pull_number}/reviews`,
      ['pull_requests', 'read'],
      async ({ repo, params, query }) => {
        const pull = this.pull(repo, Number(params.pull_number));
        const perPage = Math.min(Number(query.per_page ?? 30), 100);
        const page = Number(query.page ?? 1);
        const reviews = pull.reviews.map((review, i) => ({
          id: repo.id * 100000 + pull.number * 100 + i,
          node_id: `PRR_${repo.id}_${pull.number}_${i}`,
          user: { login: review.login, id: review.login.length, type: 'User' },
          body: '',
          state: review.state,
          html_url: this.htmlUrl(repo, `/pull/${pull.number}#pullrequestreview-${i}`),
          pull_request_url: this.apiUrl(repo, `/pulls/${pull.number}`),
          author_association: 'COLLABORATOR',
          commit_id: null,
          _links: {
            html: { href: this.htmlUrl(repo, `/pull/${pull.number}#pullrequestreview-${i}`) },
            pull_request: { href: this.apiUrl(repo, `/pulls/${pull.number}`) },
          },
        }));
        return { status: 200, body: reviews.slice((page - 1) * perPage, page * perPage) };
      },
    );
    this.route(
      'PATCH',
      `${R}/pulls/{pull_number}`,
      ['pull_requests', 'write'],
      async ({ repo, params, body }) => {
        const pull = this.pull(repo, Number(params.pull_number));
        if (typeof body.title === 'string') pull.title = body.title;
        if (typeof body.body === 'string') pull.body = body.body;
        if (typeof body.base === 'string') pull.base = body.base;
        if (body.state === 'closed' && pull.state === 'open') {
          pull.closedHeadSha = await repo.store.resolveRef(`refs/heads/${pull.head}`);
          pull.state = 'closed';
        } else if (body.state === 'open' && pull.state === 'closed' && !pull.merged) {
          if (!(await repo.store.resolveRef(`refs/heads/${pull.head}`))) {
            throw new HttpError(422, 'Validation Failed', [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: 'state cannot be changed. The head branch was deleted.',
              },
            ]);
          }
          pull.state = 'open';
        }
        pull.updatedAt = this.nextDate();
        return { status: 200, body: await this.pullJson(repo, pull) };
      },
    );
    this.route(
      'POST',
      `${R}/pulls/{pull_number}/requested_reviewers`,
      ['pull_requests', 'write'],
      async ({ repo, params, body }) => {
        const pull = this.pull(repo, Number(params.pull_number));
        const reviewers = (body.reviewers ?? []) as string[];
        const teams = (body.team_reviewers ?? []) as string[];
        if (reviewers.some((r) => !repo.collaborators.has(r)) || teams.some((t) => !repo.teams.has(t))) {
          throw new HttpError(
            422,
            `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
          );
        }
        pull.requestedReviewers = [...new Set([...pull.requestedReviewers, ...reviewers])];
        pull.requestedTeams = [...new Set([...pull.requestedTeams, ...teams])];
        return { status: 201, body: await this.pullJson(repo, pull) };
      },
    );

    // ---- issues (the pull request's issue side) and labels
    this.route(
      'POST',
      `${R}/issues/{issue_number}/labels`,
      ['pull_requests', 'write'],
      async ({ repo, params, rawBody }) => {
        const pull = this.pull(repo, Number(params.issue_number));
        const names = labelNames(rawBody);
        for (const name of names) {
          // GitHub creates unknown labels on the fly.
          if (!repo.labels.has(name.toLowerCase())) {
            repo.labels.set(name.toLowerCase(), {
              id: this.nextId++,
              name,
              color: 'ededed',
              description: null,
            });
          }
          if (!pull.labels.some((l) => l.toLowerCase() === name.toLowerCase())) pull.labels.push(name);
        }
        return {
          status: 200,
          body: pull.labels.map((l) => this.labelJson(repo, repo.labels.get(l.toLowerCase())!)),
        };
      },
    );
    this.route(
      'POST',
      `${R}/issues/{issue_number}/assignees`,
      ['pull_requests', 'write'],
      async ({ repo, params, body }) => {
        const pull = this.pull(repo, Number(params.issue_number));
        // GitHub silently drops assignees who cannot be assigned.
        for (const login of (body.assignees ?? []) as string[]) {
          if (repo.collaborators.has(login) && !pull.assignees.includes(login)) pull.assignees.push(login);
        }
        const json = await this.pullJson(repo, pull);
        return {
          status: 201,
          body: {
            ...json,
            url: this.apiUrl(repo, `/issues/${pull.number}`),
            pull_request: { url: json.url },
          },
        };
      },
    );
    // Releases, newest first, paginated like GitHub (30 a page by default, at most 100).
    this.route('GET', `${R}/releases`, ['contents', 'read'], async ({ repo, query }) => {
      const perPage = Math.min(Number(query.per_page ?? 30), 100);
      const page = Number(query.page ?? 1);
      const slice = repo.releases.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < repo.releases.length) {
        const next = new URLSearchParams(query);
        next.set('page', String(page + 1));
        headers.link = `<${this.apiUrl(repo, '/releases')}?${next.toString()}>; rel="next"`;
      }
      return { status: 200, headers, body: slice.map((r) => this.releaseJson(repo, r)) };
    });
    // Compare two refs (`base...head`): 404 "Not Found" when either is missing, as GitHub answers.
    this.route('GET', `${R}/compare/{basehead}`, ['contents', 'read'], async ({ repo, params }) => {
      const match = /^(.+?)\.\.\.(.+)$/.exec(params.basehead);
      if (!match) throw NOT_FOUND();
      const resolve = async (ref: string): Promise<string> => {
        for (const candidate of [`refs/tags/${ref}`, `refs/heads/${ref}`]) {
          const sha = await this.fullRefSha(repo, candidate);
          if (sha) return sha;
        }
        throw NOT_FOUND();
      };
      const [base, head] = [await resolve(match[1]!), await resolve(match[2]!)];
      const commit = this.commitJson(repo, await repo.store.readCommit(head));
      return {
        status: 200,
        body: {
          url: this.apiUrl(repo, `/compare/${params.basehead}`),
          html_url: this.htmlUrl(repo, `/compare/${params.basehead}`),
          permalink_url: this.htmlUrl(repo, `/compare/${base}...${head}`),
          diff_url: this.htmlUrl(repo, `/compare/${params.basehead}.diff`),
          patch_url: this.htmlUrl(repo, `/compare/${params.basehead}.patch`),
          base_commit: this.commitJson(repo, await repo.store.readCommit(base)),
          merge_base_commit: commit,
          status: base === head ? 'identical' : 'ahead',
          ahead_by: base === head ? 0 : 1,
          behind_by: 0,
          total_commits: base === head ? 0 : 1,
          commits: [],
          files: [],
        },
      };
    });

    this.route('GET', `${R}/labels/{name}`, ['issues', 'read'], async ({ repo, params }) => {
      const label = repo.labels.get(params.name.toLowerCase());
      if (!label) throw NOT_FOUND();
      return { status: 200, body: this.labelJson(repo, label) };
    });
    this.route('POST', `${R}/labels`, ['issues', 'write'], async ({ repo, body }) => {
      const name = asString(body.name);
      if (repo.labels.has(name.toLowerCase())) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'Label', code: 'already_exists', field: 'name' },
        ]);
      }
      const color = typeof body.color === 'string' ? body.color.replace(/^#/, '') : 'ededed';
      if (!/^[0-9a-fA-F]{6}$/.test(color)) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'Label', code: 'invalid', field: 'color' },
        ]);
      }
      const label = {
        id: this.nextId++,
        name,
        color,
        description: typeof body.description === 'string' ? body.description : null,
      };
      repo.labels.set(name.toLowerCase(), label);
      return { status: 201, body: this.labelJson(repo, label) };
    });
    this.defineIssueRoutes();
  }

  /** The issues routes, kept in their own file. */
  private defineIssueRoutes(): void {
    defineIssueRoutes({
      route: (method, template, need, handler) => this.route(method, template, need, handler),
      fail: (status, message, errors) => new HttpError(status, message, errors),
      nextNumber,
      nextDate: () => this.nextDate(),
      label: (repo, name) => {
        if (!repo.labels.has(name.toLowerCase())) {
          repo.labels.set(name.toLowerCase(), {
            id: this.nextId++,
            name,
            color: 'ededed',
            description: null,
          });
        }
        return this.labelJson(repo, repo.labels.get(name.toLowerCase())!);
      },
      apiUrl: (repo, path) => this.apiUrl(repo, path),
      htmlUrl: (repo, path) => this.htmlUrl(repo, path),
    });
  }

  private async validRef(repo: RepoState, ref: string): Promise<boolean> {
    try {
      await repo.store.git(['check-ref-format', ref]);
      return true;
    } catch {
      return false;
    }
  }

  private async treeJson(repo: RepoState, sha: string, recursive: boolean): Promise<Record<string, unknown>> {
    const entries = await repo.store.listTree(sha, recursive);
    return {
      sha,
      url: this.apiUrl(repo, `/git/trees/${sha}`),
      truncated: false,
      tree: entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url: this.apiUrl(repo, `/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`),
      })),
    };
  }
}

/** The next number of a repository's issues and pull requests, which share one sequence. */
function nextNumber(repo: RepoState): number {
  return repo.pulls.length + repo.issues.length + 1;
}

/** The repositories map's key of a request's `owner` and `repo` parameters. */
function repoKey(params: Record<string, string>): string {
  return `${params.owner}/${params.repo}`.toLowerCase();
}

/** Base64 with a newline every 60 characters, as GitHub sends file contents. */
function wrapBase64(content: Buffer): string {
  const text = content.toString('base64');
  return `${text.replace(/(.{60})/g, '$1\n')}\n`;
}

/** The label names of an "add labels" body, which may take several shapes. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown } | undefined)?.labels ?? []);
  return (list as unknown[]).map((l) =>
    typeof l === 'string' ? l : String((l as { name?: string }).name ?? ''),
  );
}
