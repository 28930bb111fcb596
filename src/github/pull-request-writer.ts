/**
 * Turns groups of planned updates into pull requests on GitHub (or GitHub Enterprise Server).
 *
 * - Commits go through the Git Data API (tree and commit on top of the base branch's head, then
 *   create or force-update the branch), so no push credentials are needed and GitHub signs them.
 *   Nothing is ever committed to the base branch.
 * - The edit is applied to the *base branch's* text (read through the contents API), not the
 *   workspace's, so a workspace at another commit cannot smuggle other changes in.
 * - Re-runs are idempotent: when an open pull request already proposes exactly this change on the
 *   current base, no write call is made at all. A newer tag updates the same branch and the pull
 *   request's title and body; a base that moved on gets the branch rebuilt on it.
 * - A branch whose head was not made by this Action (someone pushed to it) is never overwritten.
 * - A tag whose pull request was closed without merging is not proposed again; merged ones are done.
 *
 * Expected API conditions are matched here and nowhere else (422 "already exists" leads to
 * finding and updating; 403 on a write becomes a {@link GitHubPermissionError} naming the missing
 * permission).
 */
import type { PullRequestOutcome, PullRequestPort } from '../ports.js';
import { error as errorProblem, warning, type Problem } from '../problems.js';
import {
  groupUpdates,
  sanitizeBranchPrefix,
  type GroupBy,
  type PullRequestRequest,
} from '../plan/branch-name.js';
import {
  COMMIT_TRAILER,
  DEFAULT_TITLE_TEMPLATE,
  parseMarker,
  renderBody,
  renderCommitMessage,
  renderTitle,
  replaceMarker,
  type PullRequestMarker,
} from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import type { GitHubClient } from './octokit.js';

/** Applies updates to a file's text (the lead's `applyUpdates` from `src/edit/apply-updates.ts`). */
export type ApplyUpdates = (
  file: string,
  baseText: string,
  updates: readonly Update[],
) => { ok: true; text: string } | { ok: false; reason: string };

/** What happened to one pull request. */
export type PullRequestAction =
  'created' | 'updated' | 'unchanged' | 'skipped' | 'held-back' | 'would-create' | 'would-update' | 'failed';

/** The outcome for one pull request. */
export interface PullRequestResult extends PullRequestOutcome {
  action: PullRequestAction;
}

/** How the writer works. */
export interface PullRequestWriterOptions {
  github: GitHubClient;
  owner: string;
  repo: string;
  /** The branch pull requests target (default: the repository's default branch). */
  base?: string;
  /** Prefix of every branch this Action creates; only branches under it are considered ours. */
  branchPrefix: string;
  /** The most open pull requests this Action keeps (default 10); more are held back. */
  maxPullRequests?: number;
  labels?: readonly string[];
  reviewers?: readonly string[];
  teamReviewers?: readonly string[];
  assignees?: readonly string[];
  /** Read and report what would be done, but make no write call. */
  dryRun?: boolean;
  titleTemplate?: string;
  commitMessageTemplate?: string;
  /** `https://github.com` or the GHES server URL, for links in the body (default github.com). */
  serverUrl?: string;
  applyUpdates: ApplyUpdates;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** The default cap on open pull requests. */
export const DEFAULT_MAX_PULL_REQUESTS = 10;
/** Color of labels the writer creates. */
const LABEL_COLOR = '0e8a16';

/** A GitHub API failure, converted from Octokit's RequestError at this boundary. */
export class GitHubError extends Error {
  constructor(
    message: string,
    /** HTTP status (0 when there was no response). */
    readonly status: number,
    /** `METHOD /path` of the call that failed. */
    readonly endpoint: string,
    /** GitHub's `errors[].message`s and `message`, for matching expected conditions. */
    readonly details: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GitHubError';
  }
}

/** The token lacks a permission (or is invalid): the run cannot write any pull request. */
export class GitHubPermissionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHubPermissionError';
  }
}

/** The permission a write endpoint needs, for the error message. */
function permissionFor(endpoint: string): string {
  if (/\/git\//.test(endpoint)) return 'contents: write';
  return 'pull-requests: write';
}

/** Wraps an Octokit call: RequestError becomes GitHubError; 401 and 403 on writes are fatal. */
async function call<T>(endpoint: string, work: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await work()).data;
  } catch (caught) {
    const e = caught as { status?: unknown; message?: string; response?: { data?: unknown } };
    const status = typeof e.status === 'number' ? e.status : 0;
    const data = (e.response?.data ?? {}) as { message?: string; errors?: { message?: string }[] };
    const details = [data.message ?? '', ...(data.errors ?? []).map((x) => x.message ?? '')].join('\n');
    const message = `${endpoint} failed${status ? ` (${status})` : ''}: ${data.message ?? e.message ?? String(caught)}`;
    if (status === 401) {
      throw new GitHubPermissionError(
        `GitHub rejected the token (${data.message ?? 'Bad credentials'}); check the "token" input.`,
        { cause: caught },
      );
    }
    const write = !endpoint.startsWith('GET ');
    if (status === 403 && write && !/rate limit/i.test(details)) {
      const permission = permissionFor(endpoint);
      throw new GitHubPermissionError(
        `GitHub refused ${endpoint} (403 ${data.message ?? 'Forbidden'}). The token needs "${permission}"; ` +
          'give the workflow `permissions: { contents: write, pull-requests: write }` and, for GITHUB_TOKEN, allow ' +
          'GitHub Actions to create pull requests (Settings > Actions > General).',
        { cause: caught },
      );
    }
    throw new GitHubError(message, status, endpoint, details, { cause: caught });
  }
}

/** Our branches hold exactly one commit of ours (it carries the trailer) on top of the base. */
function isOurCommit(commit: { parents: readonly unknown[]; message: string }): boolean {
  return commit.parents.length === 1 && commit.message.includes(COMMIT_TRAILER);
}

/** True for a "not found" answer. */
function isNotFound(error: unknown): boolean {
  return error instanceof GitHubError && error.status === 404;
}

type PullRequest = Awaited<ReturnType<GitHubClient['rest']['pulls']['get']>>['data'];
type ListedPullRequest = Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data'][number];
/** The fields the writer reads, common to listed and fetched pull requests. */
type AnyPull = Pick<PullRequest, 'number' | 'html_url' | 'title' | 'body' | 'merged_at'> & {
  head: { ref: string; repo: { full_name: string } | null };
};

/** State shared by the pull requests of one run. */
interface RunState {
  base: string;
  baseSha: string;
  /** Our open pull requests on this base, by head branch. */
  open: Map<string, AnyPull>;
  openCount: number;
  labelsReady: Promise<string[]> | undefined;
}

/**
 * Writes one pull request per request, in order. A failure of one is reported (result `failed`
 * and a problem) and the others go ahead; a missing permission rejects the whole call with a
 * {@link GitHubPermissionError}.
 */
export async function writePullRequests(
  requests: readonly PullRequestRequest[],
  options: PullRequestWriterOptions,
): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
  const writer = new Writer(options);
  return writer.run(requests);
}

/** Builds the port the orchestrator uses: groups updates, then writes them. */
export function createPullRequestPort(
  options: PullRequestWriterOptions & { groupBy: GroupBy },
): PullRequestPort {
  return {
    write: (updates) =>
      writePullRequests(groupUpdates(updates, options.groupBy, options.branchPrefix), options),
  };
}

class Writer {
  private readonly results: PullRequestResult[] = [];
  private readonly problems: Problem[] = [];
  private readonly repoParams: { owner: string; repo: string };
  private readonly prefix: string;
  private readonly log: (message: string) => void;

  constructor(private readonly options: PullRequestWriterOptions) {
    this.repoParams = { owner: options.owner, repo: options.repo };
    this.prefix = sanitizeBranchPrefix(options.branchPrefix);
    this.log = options.log ?? ((): void => undefined);
  }

  private get github(): GitHubClient {
    return this.options.github;
  }

  async run(
    requests: readonly PullRequestRequest[],
  ): Promise<{ results: PullRequestResult[]; problems: Problem[] }> {
    if (requests.length === 0) return { results: [], problems: [] };
    const state = await this.loadState();
    for (const request of requests) {
      let result: PullRequestResult;
      try {
        result = await this.writeOne(request, state);
      } catch (caught) {
        if (caught instanceof GitHubPermissionError) throw caught;
        const message = caught instanceof Error ? caught.message : String(caught);
        result = this.result(request, 'failed', { reason: message });
        this.problem(
          'error',
          request.updates,
          `Could not write the pull request for ${request.branch}: ${message}`,
        );
      }
      this.log(`${request.branch}: ${result.action}${result.reason ? ` (${result.reason})` : ''}`);
      this.results.push(result);
    }
    return { results: this.results, problems: this.problems };
  }

  /** Reads the base and our open pull requests once per run. */
  private async loadState(): Promise<RunState> {
    const { github, repoParams } = this;
    let base = this.options.base;
    if (!base) {
      const repository = await call(`GET /repos/${this.fullName()}`, () => github.rest.repos.get(repoParams));
      base = repository.default_branch;
    }
    const ref = await call(`GET /repos/${this.fullName()}/git/ref/heads/${base}`, () =>
      github.rest.git.getRef({ ...repoParams, ref: `heads/${base}` }),
    ).catch((e: unknown) => {
      if (!isNotFound(e)) throw e;
      throw new GitHubError(
        `The base branch "${base}" does not exist in ${this.fullName()}; check the "base-branch" input.`,
        404,
        (e as GitHubError).endpoint,
        (e as GitHubError).details,
        { cause: e },
      );
    });
    const open = new Map<string, AnyPull>();
    const pulls = await call(`GET /repos/${this.fullName()}/pulls`, async () => ({
      data: (await github.paginate(github.rest.pulls.list, {
        ...repoParams,
        state: 'open',
        base,
        per_page: 100,
      })) as ListedPullRequest[],
    }));
    for (const pull of pulls) {
      if (this.isOurs(pull)) open.set(pull.head.ref, pull);
    }
    return { base, baseSha: ref.object.sha, open, openCount: open.size, labelsReady: undefined };
  }

  private fullName(): string {
    return `${this.options.owner}/${this.options.repo}`;
  }

  /** A pull request from a branch of this repository under our prefix, with our marker. */
  private isOurs(pull: AnyPull): boolean {
    return (
      pull.head.ref.startsWith(this.prefix) &&
      pull.head.repo?.full_name.toLowerCase() === this.fullName().toLowerCase() &&
      parseMarker(pull.body) !== undefined
    );
  }

  private result(
    request: PullRequestRequest,
    action: PullRequestAction,
    extra: { number?: number; url?: string; reason?: string } = {},
  ): PullRequestResult {
    return { action, branch: request.branch, updates: request.updates, ...extra };
  }

  private problem(severity: 'error' | 'warning', updates: readonly Update[], message: string): void {
    const first = updates[0];
    const make = severity === 'error' ? errorProblem : warning;
    this.problems.push(make(first?.file ?? '', first?.line ?? 0, message));
  }

  private async writeOne(request: PullRequestRequest, state: RunState): Promise<PullRequestResult> {
    const { branch, updates } = request;
    const options = this.options;

    const closed = await this.closedMatch(request);
    if (closed) {
      return this.result(request, 'skipped', {
        number: closed.number,
        url: closed.html_url,
        reason: closed.merged_at
          ? `already merged in #${closed.number}`
          : `#${closed.number} proposed this and was closed without merging; not proposing it again`,
      });
    }

    const desired = await this.desiredFiles(updates, state.baseSha);
    if (!desired.ok) {
      this.problem('warning', updates, `Not updating ${branch}: ${desired.reason}`);
      return this.result(request, 'skipped', { reason: desired.reason });
    }
    if (desired.files.size === 0) {
      return this.result(request, 'skipped', { reason: `${state.base} already has these tags` });
    }

    const title = renderTitle(updates, options.titleTemplate ?? DEFAULT_TITLE_TEMPLATE);
    const message = renderCommitMessage(updates, options.commitMessageTemplate ?? DEFAULT_TITLE_TEMPLATE);
    const body = renderBody(updates, {
      serverUrl: options.serverUrl ?? 'https://github.com',
      owner: options.owner,
      repo: options.repo,
      base: state.base,
      branch,
    });

    const head = await this.inspectBranch(branch, state.baseSha, message, desired.files);
    if (head.kind === 'foreign') {
      const reason = `branch ${branch} has commits not made by this Action; leaving it and its pull request alone`;
      this.problem('warning', updates, reason);
      const open = state.open.get(branch);
      return this.result(request, 'skipped', { number: open?.number, url: open?.html_url, reason });
    }
    const branchCurrent = head.kind === 'current';
    const open = state.open.get(branch);

    if (open) {
      const textCurrent = open.title === title && (open.body ?? '') === body;
      if (branchCurrent && textCurrent) {
        return this.result(request, 'unchanged', { number: open.number, url: open.html_url });
      }
      if (options.dryRun) {
        return this.result(request, 'would-update', {
          number: open.number,
          url: open.html_url,
          reason: branchCurrent ? 'title or description changed' : 'new commit on the current base',
        });
      }
      if (!branchCurrent) await this.commitBranch(branch, state.baseSha, message, desired.files, head.sha);
      if (!textCurrent) await this.updatePull(open.number, title, body);
      const superseded = await this.supersede(request, open.number, state);
      return this.result(request, 'updated', { number: open.number, url: open.html_url, ...superseded });
    }

    // A pull request this one replaces frees its slot under the cap.
    if (
      state.openCount - this.replaceable(request, state).length >=
      (options.maxPullRequests ?? DEFAULT_MAX_PULL_REQUESTS)
    ) {
      return this.result(request, 'held-back', {
        reason: `max-pull-requests (${options.maxPullRequests ?? DEFAULT_MAX_PULL_REQUESTS}) open pull requests reached`,
      });
    }
    if (options.dryRun) {
      state.openCount++;
      return this.result(request, 'would-create');
    }
    if (!branchCurrent) await this.commitBranch(branch, state.baseSha, message, desired.files, head.sha);
    let created: { created: boolean; pull: AnyPull };
    try {
      created = await this.createPull(branch, state.base, title, body);
    } catch (e) {
      // A token that may push but not open pull requests (the repository setting "Allow GitHub
      // Actions to create pull requests" off) must not leave an orphan branch behind.
      if (e instanceof GitHubPermissionError && head.kind === 'missing') await this.deleteBranch(branch);
      throw e;
    }
    state.openCount += created.created ? 1 : 0;
    if (created.created) await this.decorate(created.pull.number, updates, state);
    const superseded = await this.supersede(request, created.pull.number, state);
    return this.result(request, created.created ? 'created' : 'updated', {
      number: created.pull.number,
      url: created.pull.html_url,
      ...superseded,
    });
  }

  /**
   * Our other open pull requests that this request replaces: each of their updates is one of this
   * request's containers moving to another tag. This happens with `group-by: image`, where the
   * branch names the tag, so a newer tag gets a new branch.
   */
  private replaceable(request: PullRequestRequest, state: RunState): AnyPull[] {
    return [...state.open.values()].filter((pull) => {
      if (pull.head.ref === request.branch) return false;
      const marker = parseMarker(pull.body);
      return (
        marker !== undefined &&
        marker.updates.every((m) =>
          request.updates.some(
            // Any target: a newer tag supersedes, and the same tag on another branch (group-by or
            // branch-prefix changed) is moved to this branch instead of proposed twice.
            (u) => u.file === m.file && u.release === m.release && u.container === m.container,
          ),
        )
      );
    });
  }

  /** Closes the pull requests this one replaces, marking them superseded (their tags may return). */
  private async supersede(
    request: PullRequestRequest,
    number: number,
    state: RunState,
  ): Promise<{ reason?: string }> {
    const { github, repoParams } = this;
    const closed: number[] = [];
    for (const pull of this.replaceable(request, state)) {
      const marker = parseMarker(pull.body)!;
      const body = replaceMarker(`${pull.body ?? ''}\n\nSuperseded by #${number}.`, {
        ...marker,
        supersededBy: number,
      });
      await call(`PATCH /repos/${this.fullName()}/pulls/${pull.number}`, () =>
        github.rest.pulls.update({ ...repoParams, pull_number: pull.number, state: 'closed', body }),
      );
      state.open.delete(pull.head.ref);
      state.openCount--;
      closed.push(pull.number);
      await this.deleteOurBranch(pull.head.ref);
    }
    return closed.length ? { reason: `supersedes ${closed.map((n) => `#${n}`).join(', ')}` } : {};
  }

  /** A closed pull request of ours on this branch that proposed exactly these targets. */
  private async closedMatch(request: PullRequestRequest): Promise<AnyPull | undefined> {
    const { github, repoParams } = this;
    const closed = await call(`GET /repos/${this.fullName()}/pulls`, async () => ({
      data: (await github.paginate(github.rest.pulls.list, {
        ...repoParams,
        state: 'closed',
        head: `${this.options.owner}:${request.branch}`,
        per_page: 100,
      })) as ListedPullRequest[],
    }));
    return closed.find((pull) => {
      const marker = this.isOurs(pull) ? parseMarker(pull.body) : undefined;
      return (
        marker !== undefined && marker.supersededBy === undefined && proposesAll(marker, request.updates)
      );
    });
  }

  /** The edited text of every file the updates change, from the base commit's text. */
  private async desiredFiles(
    updates: readonly Update[],
    baseSha: string,
  ): Promise<{ ok: true; files: Map<string, string> } | { ok: false; reason: string }> {
    const byFile = new Map<string, Update[]>();
    for (const update of updates) byFile.set(update.file, [...(byFile.get(update.file) ?? []), update]);
    const files = new Map<string, string>();
    for (const [file, fileUpdates] of byFile) {
      const text = await this.readFile(file, baseSha);
      if (text === undefined) return { ok: false, reason: `${file} does not exist on the base branch` };
      const applied = this.options.applyUpdates(file, text, fileUpdates);
      if (!applied.ok) return { ok: false, reason: `${file} on the base branch: ${applied.reason}` };
      if (applied.text !== text) files.set(file, applied.text);
    }
    return { ok: true, files };
  }

  /** A file's text at a commit, or undefined when it does not exist there. */
  private async readFile(path: string, ref: string): Promise<string | undefined> {
    const { github, repoParams } = this;
    let content;
    try {
      content = await call(`GET /repos/${this.fullName()}/contents/${path}`, () =>
        github.rest.repos.getContent({ ...repoParams, path, ref }),
      );
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (Array.isArray(content) || content.type !== 'file') return undefined;
    if (content.encoding === 'base64' && (content.content !== '' || content.size === 0)) {
      return Buffer.from(content.content, 'base64').toString('utf8');
    }
    // Files over 1 MB come without content; read the blob instead.
    const blob = await call(`GET /repos/${this.fullName()}/git/blobs/${content.sha}`, () =>
      github.rest.git.getBlob({ ...repoParams, file_sha: content.sha }),
    );
    return Buffer.from(blob.content, 'base64').toString('utf8');
  }

  /**
   * What the branch holds: missing, ours and exactly the desired commit on the current base
   * (`current`), ours but outdated (`stale`), or carrying someone else's commit (`foreign`).
   */
  private async inspectBranch(
    branch: string,
    baseSha: string,
    message: string,
    files: ReadonlyMap<string, string>,
  ): Promise<{ kind: 'missing' | 'current' | 'stale' | 'foreign'; sha?: string }> {
    const head = await this.branchHead(branch);
    if (!head) return { kind: 'missing' };
    const { sha, commit } = head;
    if (!isOurCommit(commit)) return { kind: 'foreign', sha };
    if (commit.parents[0].sha !== baseSha || commit.message.trim() !== message.trim())
      return { kind: 'stale', sha };
    for (const [file, text] of files) {
      if ((await this.readFile(file, sha)) !== text) return { kind: 'stale', sha };
    }
    return { kind: 'current', sha };
  }

  /** A branch's head commit, or undefined when the branch does not exist. */
  private async branchHead(
    branch: string,
  ): Promise<{ sha: string; commit: { parents: { sha: string }[]; message: string } } | undefined> {
    const { github, repoParams } = this;
    let sha: string;
    try {
      sha = (
        await call(`GET /repos/${this.fullName()}/git/ref/heads/${branch}`, () =>
          github.rest.git.getRef({ ...repoParams, ref: `heads/${branch}` }),
        )
      ).object.sha;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    const commit = await call(`GET /repos/${this.fullName()}/git/commits/${sha}`, () =>
      github.rest.git.getCommit({ ...repoParams, commit_sha: sha }),
    );
    return { sha, commit };
  }

  /** Commits the files on the base and points the branch at the commit (creating it if needed). */
  private async commitBranch(
    branch: string,
    baseSha: string,
    message: string,
    files: ReadonlyMap<string, string>,
    existingSha: string | undefined,
  ): Promise<string> {
    const { github, repoParams } = this;
    const name = this.fullName();
    const baseCommit = await call(`GET /repos/${name}/git/commits/${baseSha}`, () =>
      github.rest.git.getCommit({ ...repoParams, commit_sha: baseSha }),
    );
    const tree: { path: string; mode: '100644' | '100755'; type: 'blob'; sha: string }[] = [];
    for (const [path, text] of files) {
      const mode = await this.fileMode(baseCommit.tree.sha, path);
      const blob = await call(`POST /repos/${name}/git/blobs`, () =>
        github.rest.git.createBlob({ ...repoParams, content: text, encoding: 'utf-8' }),
      );
      tree.push({ path, mode, type: 'blob', sha: blob.sha });
    }
    const newTree = await call(`POST /repos/${name}/git/trees`, () =>
      github.rest.git.createTree({ ...repoParams, base_tree: baseCommit.tree.sha, tree }),
    );
    const commit = await call(`POST /repos/${name}/git/commits`, () =>
      github.rest.git.createCommit({ ...repoParams, message, tree: newTree.sha, parents: [baseSha] }),
    );
    if (existingSha !== undefined) {
      await this.forceRef(branch, commit.sha);
      return commit.sha;
    }
    try {
      await call(`POST /repos/${name}/git/refs`, () =>
        github.rest.git.createRef({ ...repoParams, ref: `refs/heads/${branch}`, sha: commit.sha }),
      );
    } catch (e) {
      if (!(e instanceof GitHubError && e.status === 422 && /already exists/i.test(e.details))) throw e;
      // Another run created the branch meanwhile. Take it over only if its head is ours too.
      const raced = await this.inspectBranch(branch, baseSha, message, files);
      if (raced.kind === 'foreign') throw new Error(`branch ${branch} was created meanwhile by someone else`);
      if (raced.kind !== 'current') await this.forceRef(branch, commit.sha);
    }
    return commit.sha;
  }

  /**
   * The file's mode in a tree, so an edit keeps an executable bit. Walks one tree per directory
   * level instead of listing the whole tree recursively (large repositories get truncated lists).
   */
  private async fileMode(treeSha: string, path: string): Promise<'100644' | '100755'> {
    const { github, repoParams } = this;
    const parts = path.split('/');
    let sha = treeSha;
    for (const [i, part] of parts.entries()) {
      const tree = await call(`GET /repos/${this.fullName()}/git/trees/${sha}`, () =>
        github.rest.git.getTree({ ...repoParams, tree_sha: sha }),
      );
      const entry = tree.tree.find((e) => e.path === part);
      if (!entry?.sha) break;
      if (i === parts.length - 1) return entry.mode === '100755' ? '100755' : '100644';
      sha = entry.sha;
    }
    return '100644';
  }

  private async forceRef(branch: string, sha: string): Promise<void> {
    const { github, repoParams } = this;
    await call(`PATCH /repos/${this.fullName()}/git/refs/heads/${branch}`, () =>
      github.rest.git.updateRef({ ...repoParams, ref: `heads/${branch}`, sha, force: true }),
    );
  }

  private async updatePull(number: number, title: string, body: string): Promise<void> {
    const { github, repoParams } = this;
    await call(`PATCH /repos/${this.fullName()}/pulls/${number}`, () =>
      github.rest.pulls.update({ ...repoParams, pull_number: number, title, body }),
    );
  }

  /**
   * Deletes the branch of a superseded pull request when it still holds only our commit (someone
   * else's commits keep it); best effort, so superseded branches do not pile up.
   */
  private async deleteOurBranch(branch: string): Promise<void> {
    try {
      const head = await this.branchHead(branch);
      if (head && isOurCommit(head.commit)) await this.deleteBranch(branch);
    } catch {
      // Not readable: nothing to clean up.
    }
  }

  /** Deletes a branch this run created; best effort (the error being reported matters more). */
  private async deleteBranch(branch: string): Promise<void> {
    try {
      await this.github.rest.git.deleteRef({ ...this.repoParams, ref: `heads/${branch}` });
    } catch {
      // Left for the next run, which finds the branch and opens its pull request.
    }
  }

  /** Opens the pull request; when another run opened it meanwhile, updates that one instead. */
  private async createPull(
    branch: string,
    base: string,
    title: string,
    body: string,
  ): Promise<{ created: boolean; pull: AnyPull }> {
    const { github, repoParams } = this;
    try {
      const pull = await call(`POST /repos/${this.fullName()}/pulls`, () =>
        github.rest.pulls.create({
          ...repoParams,
          head: branch,
          base,
          title,
          body,
          maintainer_can_modify: false,
        }),
      );
      return { created: true, pull };
    } catch (e) {
      if (!(e instanceof GitHubError && e.status === 422 && /already exists/i.test(e.details))) throw e;
      const existing = await call(`GET /repos/${this.fullName()}/pulls`, () =>
        github.rest.pulls.list({
          ...repoParams,
          state: 'open',
          head: `${this.options.owner}:${branch}`,
          base,
        }),
      );
      const pull = existing[0];
      if (!pull) throw e;
      if (pull.title !== title || pull.body !== body) await this.updatePull(pull.number, title, body);
      return { created: false, pull };
    }
  }

  /** Labels, reviewers and assignees of a new pull request; failures are reported, never fatal. */
  private async decorate(number: number, updates: readonly Update[], state: RunState): Promise<void> {
    const { github, repoParams } = this;
    const name = this.fullName();
    const options = this.options;
    const soft = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.problem('warning', updates, `Pull request #${number}: could not ${what}: ${message}`);
      }
    };
    if (options.labels?.length) {
      state.labelsReady ??= this.ensureLabels(updates);
      const labels = await state.labelsReady;
      if (labels.length) {
        await soft(`add labels ${labels.join(', ')}`, () =>
          call(`POST /repos/${name}/issues/${number}/labels`, () =>
            github.rest.issues.addLabels({ ...repoParams, issue_number: number, labels }),
          ),
        );
      }
    }
    // Users and teams are asked separately, so one reviewer GitHub refuses (the pull request's
    // author, a user without access) does not cancel the team's review request. A team may be
    // written `org/slug`; the API wants the slug.
    const teams = (options.teamReviewers ?? []).map((team) => team.slice(team.indexOf('/') + 1));
    for (const [what, reviewers, teamReviewers] of [
      ['request reviews', [...(options.reviewers ?? [])], []],
      ['request team reviews', [], teams],
    ] as const) {
      if (reviewers.length === 0 && teamReviewers.length === 0) continue;
      await soft(what, () =>
        call(`POST /repos/${name}/pulls/${number}/requested_reviewers`, () =>
          github.rest.pulls.requestReviewers({
            ...repoParams,
            pull_number: number,
            reviewers: [...reviewers],
            team_reviewers: [...teamReviewers],
          }),
        ),
      );
    }
    if (options.assignees?.length) {
      await soft('assign', () =>
        call(`POST /repos/${name}/issues/${number}/assignees`, () =>
          github.rest.issues.addAssignees({
            ...repoParams,
            issue_number: number,
            assignees: [...options.assignees!],
          }),
        ),
      );
    }
  }

  /** Creates the labels that do not exist yet (once per run); returns those that can be used. */
  private async ensureLabels(updates: readonly Update[]): Promise<string[]> {
    const { github, repoParams } = this;
    const name = this.fullName();
    const usable: string[] = [];
    for (const label of this.options.labels ?? []) {
      try {
        try {
          await call(`GET /repos/${name}/labels/${label}`, () =>
            github.rest.issues.getLabel({ ...repoParams, name: label }),
          );
        } catch (e) {
          if (!isNotFound(e)) throw e;
          await call(`POST /repos/${name}/labels`, () =>
            github.rest.issues.createLabel({
              ...repoParams,
              name: label,
              color: LABEL_COLOR,
              description: 'Image updates by helmrelease-image-updater',
            }),
          );
        }
        usable.push(label);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.problem(
          'warning',
          updates,
          `Label "${label}" does not exist and could not be created: ${message}`,
        );
      }
    }
    return usable;
  }
}

/** True when a marker proposes every update's target (same file, release, container and tag). */
function proposesAll(marker: PullRequestMarker, updates: readonly Update[]): boolean {
  return updates.every((u) =>
    marker.updates.some(
      (m) => m.file === u.file && m.release === u.release && m.container === u.container && m.to === u.to,
    ),
  );
}
