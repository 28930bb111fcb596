/**
 * Reads what the decisions need from GitHub: the base branch and our open pull requests (once per
 * run), and per requested branch its closed pull requests, the base's text of its files with the
 * planned edit applied, and its head commit. Files are compared by git blob id, computed locally
 * for the planned text, so a branch's files are never downloaded to be compared.
 */
import { MAX_FILE_BYTES } from '../adapters/workspace-files.js';
import { createHash } from 'node:crypto';
import { groupBy } from '../group-by.js';
import { parseMarker, type MarkerUpdate, type PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import type { UpdateTarget } from '../edit/locate-target.js';
import { isOurCommit, type CommitDates } from './our-commit.js';
import { proposesAll, refusalsOf, type Refusal } from './proposed-updates.js';
import {
  type BranchHead,
  type ClosedPull,
  type OpenPull,
  type PlannedFile,
  type WriterState,
} from './pull-request-facts.js';
import { type PresentDecorations } from './missing-decorations.js';
import { moveCandidates } from './moved-files.js';
import { readBlobIds } from './blob-ids.js';
import { readOpenPulls } from './read-open-pulls.js';
import { firstOthersOpen, type OthersOpen } from './others-open.js';
import { readListPages } from './list-pages.js';
import {
  call,
  fullName,
  isNotFound,
  MissingBaseBranchError,
  repoParams,
  type Repository,
} from './github-call.js';
import type { GitHubClient } from './octokit.js';
import { byteCount, groupedCount } from '../byte-count.js';

/**
 * Applies updates to a file's text (`applyUpdates` from `src/edit/apply-updates.ts`): the plan's
 * updates, or the targets a pull request's marker records (`obsolete-pulls.ts`).
 */
export type ApplyUpdates = (
  file: string,
  baseText: string,
  updates: readonly UpdateTarget[],
) => { ok: true; text: string } | { ok: false; reason: string; releaseAbsent?: true };

type ListedPullRequest = Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data'][number];

/** What {@link readClosedRefusals} reads of a listed pull request. */
export interface ListedPull {
  number: number;
  html_url: string;
  body?: string | null;
  merged_at: string | null;
  head: { ref: string; repo: { full_name: string } | null };
}

/** A branch's head commit. */
export interface BranchCommit extends CommitDates {
  sha: string;
  parents: string[];
  message: string;
}

/** The git blob id of a text (its UTF-8 bytes), as `git hash-object` computes it. */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A pull request from a branch of this repository under our prefix, with our marker. */
export function isOurPull(
  pull: { head: { ref: string; repo: { full_name: string } | null }; body?: string | null },
  repository: Repository,
  prefix: string,
): boolean {
  return (
    pull.head.ref.startsWith(prefix) &&
    pull.head.repo?.full_name.toLowerCase() === fullName(repository).toLowerCase() &&
    parseMarker(pull.body) !== undefined
  );
}

/** The labels, pending review requests and assignees of a pull request as GitHub lists it. */
export function presentDecorations(pull: {
  labels?: readonly { name?: string }[] | null;
  requested_reviewers?: readonly { login: string }[] | null;
  requested_teams?: readonly { slug: string }[] | null;
  assignees?: readonly { login: string }[] | null;
  user?: { login: string } | null;
}): PresentDecorations {
  return {
    ...(pull.user ? { author: pull.user.login } : {}),
    labels: (pull.labels ?? []).map((label) => label.name ?? ''),
    reviewers: (pull.requested_reviewers ?? []).map((user) => user.login),
    teams: (pull.requested_teams ?? []).map((team) => team.slug),
    assignees: (pull.assignees ?? []).map((user) => user.login),
  };
}

/** Reads the base (the repository's default branch unless given) and our open pull requests on it. */
export async function readWriterState(
  repository: Repository,
  prefix: string,
  base: string | undefined,
): Promise<WriterState> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  if (!base) {
    base = (await call(`GET /repos/${name}`, () => github.rest.repos.get(params))).default_branch;
  }
  const ref = await call(`GET /repos/${name}/git/ref/heads/${base}`, () =>
    github.rest.git.getRef({ ...params, ref: `heads/${base}` }),
  ).catch((e: unknown) => {
    if (!isNotFound(e)) throw e;
    throw new MissingBaseBranchError(
      `The base branch "${base}" does not exist in ${name}; check the "base-branch" input.`,
      e.endpoint,
      e.details,
      { cause: e },
    );
  });
  const open = new Map<string, OpenPull>();
  for (const pull of await readOpenPulls(repository, base, prefix)) open.set(pull.branch, pull);
  return { base, baseSha: ref.object.sha, open, openCount: open.size };
}

/**
 * A branch's pull requests through REST, for a branch the bulk read (`read-branches.ts`) did not
 * answer for: its closed ones, and an open one a person opened from it (in this repository, without
 * our marker), which keeps the branch from being moved. One list (`state: all`), as many requests
 * as the closed ones alone took.
 */
export async function readBranchPulls(
  repository: Repository,
  branch: string,
  /** The base the run writes to: an open pull request of ours into another keeps the branch too. */
  base?: string,
): Promise<{ closed: ListedPull[]; othersOpen?: OthersOpen }> {
  const { github } = repository;
  const endpoint = `GET /repos/${fullName(repository)}/pulls`;
  const pulls = await call(endpoint, async () => ({
    data: (await readListPages(
      endpoint,
      github.paginate.iterator(github.rest.pulls.list, {
        ...repoParams(repository),
        state: 'all',
        head: `${repository.owner}:${branch}`,
        per_page: 100,
      }),
    )) as ListedPullRequest[],
  }));
  const others = firstOthersOpen(
    pulls
      .filter((pull) => pull.state === 'open')
      .map((pull) => ({
        number: pull.number,
        url: pull.html_url,
        body: pull.body,
        base: pull.base.ref,
        headRepository: pull.head.repo?.full_name,
      })),
    fullName(repository),
    base,
  );
  return {
    closed: pulls.filter((pull) => pull.state === 'closed'),
    ...(others ? { othersOpen: others } : {}),
  };
}

/**
 * The updates closed pull requests of ours on the request's branch proposed, each with one of them
 * (see {@link refusalsOf}); `closed` are the branch's closed pull requests (`read-branches.ts`, or
 * {@link readBranchPulls}). With `moved`, also those one of them (or one in `moved.elsewhere`, the
 * closed pull requests of the same container's branches in other files) proposed in a file the
 * base no longer holds its release in (`moved.gone`): a tag refused before its file moved stays
 * refused. An update is kept back by the pull request that proposed its container's tag, whatever
 * else that one proposed: a release added since, or another container's newer tag, is not.
 */
export async function readClosedRefusals(
  repository: Repository,
  prefix: string,
  updates: readonly Update[],
  closed: readonly ListedPull[],
  moved?: { elsewhere: readonly ListedPull[]; gone: (m: MarkerUpdate) => Promise<boolean> },
): Promise<Refusal[]> {
  const refusal = (pull: ListedPull): PullRequestMarker | undefined => {
    const marker = isOurPull(pull, repository, prefix) ? parseMarker(pull.body) : undefined;
    // One this Action closed (superseded, or obsolete) records no person's decision.
    const closedByUs = marker?.supersededBy !== undefined || marker?.obsolete === true;
    return closedByUs ? undefined : marker;
  };
  const proposed = new Map<ListedPull, { pull: ClosedPull; updates: Set<Update> }>();
  const proposedBy = (pull: ListedPull): Set<Update> => {
    let entry = proposed.get(pull);
    if (!entry) {
      entry = {
        pull: { number: pull.number, url: pull.html_url, merged: Boolean(pull.merged_at) },
        updates: new Set(),
      };
      proposed.set(pull, entry);
    }
    return entry.updates;
  };
  for (const pull of closed) {
    const marker = refusal(pull);
    if (!marker) continue;
    for (const u of updates) if (proposesAll(marker, [u])) proposedBy(pull).add(u);
  }
  const left = updates.filter((u) => ![...proposed.values()].some((p) => p.updates.has(u)));
  if (moved && left.length > 0) {
    const gone = new Map<MarkerUpdate, Promise<boolean>>();
    for (const pull of [...closed, ...moved.elsewhere]) {
      const marker = refusal(pull);
      if (!marker) continue;
      for (const u of left) {
        for (const m of moveCandidates(marker, [u])) {
          if (!gone.has(m)) gone.set(m, moved.gone(m));
          if (await gone.get(m)) proposedBy(pull).add(u);
        }
      }
    }
  }
  return refusalsOf(updates, [...proposed.values()]);
}

/** A file at a commit: its blob id and text; undefined when it does not exist. */
export async function readFile(
  repository: Repository,
  path: string,
  ref: string,
): Promise<{ blob: string; text?: string } | undefined> {
  const { github } = repository;
  const params = repoParams(repository);
  let content;
  try {
    content = await call(`GET /repos/${fullName(repository)}/contents/${path}`, () =>
      github.rest.repos.getContent({ ...params, path, ref }),
    );
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  if (Array.isArray(content) || content.type !== 'file') return undefined;
  if (content.encoding === 'base64' && (content.content !== '' || content.size === 0)) {
    return { blob: content.sha, text: baseText(path, Buffer.from(content.content, 'base64')) };
  }
  // Files over 1 MB come without content (`encoding: none`); read the blob instead, if the file is
  // one the workspace scan would read too (the blob API serves up to 100 MB, a third more as JSON).
  if (content.size > MAX_FILE_BYTES) {
    throw new Error(
      `${path} is ${groupedCount(content.size)} bytes at the base commit, more than the ${byteCount(MAX_FILE_BYTES)} read; it is not edited`,
    );
  }
  const blob = await call(`GET /repos/${fullName(repository)}/git/blobs/${content.sha}`, () =>
    github.rest.git.getBlob({ ...params, file_sha: content.sha }),
  );
  return { blob: content.sha, text: baseText(path, Buffer.from(blob.content, 'base64')) };
}

/**
 * A base file's bytes as text, as the workspace reads a file: UTF-8, its byte order mark kept. Bytes
 * that are not UTF-8 (a file the base moved on to in Latin-1 or UTF-16) would be decoded as U+FFFD
 * and written back so, changing bytes the edit does not own while the edit's check still passed: such
 * a file is not edited.
 */
function baseText(path: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(
      `${path} is not valid UTF-8 at the base commit, so it is not edited (the edit would change bytes other than the tag); save it as UTF-8 to have it updated`,
    );
  }
}

/**
 * The base commit's files as this run reads them, each once: several pull requests often edit one
 * file (the containers of a release, with `group-by: container`). Holds only the files the run
 * edits; a failed read is not kept.
 */
export class BaseFiles {
  private readonly files = new Map<string, Promise<{ blob: string; text?: string } | undefined>>();

  constructor(
    private readonly repository: Repository,
    /** The base commit the run started from. */
    readonly sha: string,
  ) {}

  /** The file's blob id and text at the base commit; undefined when it does not exist there. */
  read(path: string): Promise<{ blob: string; text?: string } | undefined> {
    let file = this.files.get(path);
    if (!file) {
      file = readFile(this.repository, path, this.sha);
      file.catch(() => this.files.delete(path));
      this.files.set(path, file);
    }
    return file;
  }
}

/** The files a planned edit changes, with their edited texts. */
export interface PlannedChange {
  files: PlannedFile[];
  texts: ReadonlyMap<string, string>;
}

/** The planned edit: every file the updates change, edited from the base commit's text. */
export async function readPlannedEdit(
  repository: Repository,
  updates: readonly Update[],
  baseSha: string,
  applyUpdates: ApplyUpdates,
  /** The run's reads of the base's files, shared with its other pull requests. */
  baseFiles: BaseFiles = new BaseFiles(repository, baseSha),
): Promise<(PlannedChange & { ok: true }) | { ok: false; reason: string }> {
  const byFile = groupBy(updates, (update) => update.file);
  const files: PlannedFile[] = [];
  const texts = new Map<string, string>();
  for (const [file, fileUpdates] of byFile) {
    const base = await baseFiles.read(file);
    if (base?.text === undefined) return { ok: false, reason: `${file} does not exist on the base branch` };
    const applied = applyUpdates(file, base.text, fileUpdates);
    if (!applied.ok) return { ok: false, reason: `${file} on the base branch: ${applied.reason}` };
    if (applied.text !== base.text) {
      files.push({ path: file, baseBlob: base.blob, desiredBlob: gitBlobId(applied.text) });
      texts.set(file, applied.text);
    }
  }
  return { ok: true, files, texts };
}

/** A branch's head commit, or undefined when the branch does not exist. */
export async function readBranchCommit(
  repository: Repository,
  branch: string,
): Promise<BranchCommit | undefined> {
  const { github } = repository;
  const params = repoParams(repository);
  let sha: string;
  try {
    sha = (
      await call(`GET /repos/${fullName(repository)}/git/ref/heads/${branch}`, () =>
        github.rest.git.getRef({ ...params, ref: `heads/${branch}` }),
      )
    ).object.sha;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const commit = await call(`GET /repos/${fullName(repository)}/git/commits/${sha}`, () =>
    github.rest.git.getCommit({ ...params, commit_sha: sha }),
  );
  return {
    sha,
    parents: commit.parents.map((p) => p.sha),
    message: commit.message,
    authoredDate: commit.author.date,
    committedDate: commit.committer.date,
  };
}

/**
 * A branch's head with the blob ids of `paths` there. The files are read only when the head is a
 * commit of ours (someone else's commit is never rebuilt, whatever the files hold); at the head's
 * parent too when `baseSha` is given and the parent is not it (to tell whether the base's copy of
 * the files changed since the branch was made).
 */
export async function readBranchHead(
  repository: Repository,
  branch: string,
  paths: readonly string[],
  baseSha?: string,
  /**
   * The head commit when already known (from the open pull requests' list or `read-branches.ts`),
   * to skip reading it; null when the branch is known not to exist.
   */
  known?: ({ sha: string; parents: readonly string[]; message: string } & CommitDates) | null,
): Promise<BranchHead | undefined> {
  if (known === null) return undefined;
  const commit = known
    ? {
        sha: known.sha,
        parents: [...known.parents],
        message: known.message,
        authoredDate: known.authoredDate,
        committedDate: known.committedDate,
      }
    : await readBranchCommit(repository, branch);
  if (!commit) return undefined;
  if (!isOurCommit(commit)) return { ...commit, blobs: new Map() };
  const parent = commit.parents[0];
  const readParent = baseSha !== undefined && parent !== undefined && parent !== baseSha;
  const commits = readParent ? [commit.sha, parent] : [commit.sha];
  // The head's and the parent's blob ids in one request, none when there is no file to ask about.
  const blobAt = paths.length
    ? await readBlobIds(repository, new Map(commits.map((sha) => [sha, new Set(paths)])))
    : () => undefined;
  const blobsAt = (sha: string) => new Map(paths.map((path) => [path, blobAt(sha, path)]));
  const head: BranchHead = { ...commit, blobs: blobsAt(commit.sha) };
  if (readParent) head.parentBlobs = blobsAt(parent);
  return head;
}
