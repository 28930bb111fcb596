/**
 * A branch's head commit, and the blob ids of files at it and at its parent: what tells whether a
 * branch carries a planned change, or must be rebuilt.
 */
import { readBlobIds } from './blob-ids.js';
import { isOurCommit, type CommitDates } from './our-commit.js';
import type { BranchHead } from './pull-request-facts.js';
import { call, fullName, isNotFound, repoParams, type Repository } from './github-call.js';

/** A branch's head commit. */
export interface BranchCommit extends CommitDates {
  sha: string;
  parents: string[];
  message: string;
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
