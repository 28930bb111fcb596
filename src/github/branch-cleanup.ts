/**
 * Closing a pull request of ours and deleting its branch, and deleting branches this Action no
 * longer needs, best effort: a failed deletion is left for a later run and never hides the error
 * being reported.
 */
import type { OpenPull, WriterState } from './pull-request-facts.js';
import {
  call,
  fullName,
  GitHubCancelledError,
  GitHubPermissionError,
  GitHubRateLimitError,
  isAlreadyExists,
  repoParams,
  type Repository,
} from './github-call.js';
import { isOurCommit } from './our-commit.js';
import { readBranchCommit } from './branch-head.js';

/**
 * Deletes the branch of a pull request of ours just closed; why it could not be, if it could not.
 * Never throws: the pull request is closed either way, and a cleanup never stops the run.
 */
async function deleteBranch(repository: Repository, branch: string): Promise<string | undefined> {
  try {
    await call(`DELETE /repos/${fullName(repository)}/git/refs/heads/${branch}`, () =>
      repository.github.rest.git.deleteRef({ ...repoParams(repository), ref: `heads/${branch}` }),
    );
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Takes a pull request out of the run's open ones, freeing its `max-pull-requests` slot. */
export function freeSlot(state: WriterState, pull: OpenPull): void {
  state.open.delete(pull.branch);
  state.openCount--;
}

/**
 * Closes a pull request of ours with `close` (superseded, obsolete), frees its slot and deletes its
 * branch. Its branch's head is read again first (the read that deleting needs anyway): when
 * someone pushed to it since the run listed it, nothing is done and false is returned. A branch
 * that could not be deleted is a warning: no later run reads the branch of a closed pull request,
 * so it would stay unseen (it was not even logged).
 */
export async function closeOurPull(
  repository: Repository,
  pull: OpenPull,
  state: WriterState,
  close: () => Promise<unknown>,
  warn: (message: string) => void,
): Promise<boolean> {
  const head = await readBranchCommit(repository, pull.branch);
  if (head && !isOurCommit(head)) return false;
  await close();
  freeSlot(state, pull);
  const failed = head ? await deleteBranch(repository, pull.branch) : undefined;
  if (failed !== undefined) {
    warn(
      `#${pull.number} was closed, but its branch ${pull.branch} could not be deleted (${failed}); ` +
        'no later run deletes it: delete it by hand.',
    );
  }
  return true;
}

/** What became of a branch created for a pull request that could not be opened. */
export type UnopenedBranch =
  { kind: 'deleted' | 'gone' } | { kind: 'kept'; why: string } | { kind: 'left'; error: string };

/**
 * After opening a pull request failed, deletes the branch this run created for it, so no branch
 * without a pull request is left behind. Only when it still holds just our commit (someone may
 * have pushed to it meanwhile) and no pull request was opened from it after all (an answer lost on
 * its way back: deleting the branch would close that pull request). Never throws: a deletion that
 * fails too is reported as `left`, with why.
 */
export async function removeUnopenedBranch(
  repository: Repository,
  branch: string,
  base: string,
): Promise<UnopenedBranch> {
  try {
    const head = await readBranchCommit(repository, branch);
    if (!head) return { kind: 'gone' };
    if (!isOurCommit(head)) return { kind: 'kept', why: 'it holds commits not made by this Action' };
    const opened = await call(`GET /repos/${fullName(repository)}/pulls`, () =>
      repository.github.rest.pulls.list({
        ...repoParams(repository),
        state: 'open',
        head: `${repository.owner}:${branch}`,
        base,
      }),
    );
    if (opened[0]) {
      return { kind: 'kept', why: `pull request #${opened[0].number} was opened from it after all` };
    }
    await call(`DELETE /repos/${fullName(repository)}/git/refs/heads/${branch}`, () =>
      repository.github.rest.git.deleteRef({ ...repoParams(repository), ref: `heads/${branch}` }),
    );
    return { kind: 'deleted' };
  } catch (e) {
    return { kind: 'left', error: e instanceof Error ? e.message : String(e) };
  }
}

/** What a failure's message says of its branch ('' when there is nothing to say). */
export function unopenedBranchText(branch: string, fate: UnopenedBranch): string {
  switch (fate.kind) {
    case 'gone':
      return '';
    case 'deleted':
      return `the branch ${branch} created for it was deleted`;
    case 'kept':
      return `the branch ${branch} created for it was kept: ${fate.why}`;
    case 'left':
      return (
        `the branch ${branch} created for it could not be deleted (${fate.error}); ` +
        'the next run opens its pull request, or delete the branch by hand'
      );
  }
}

/** A failure to open a pull request, its message saying what became of the branch created for it. */
export function withBranchFate(failure: unknown, branch: string, fate: UnopenedBranch): unknown {
  const text = unopenedBranchText(branch, fate);
  if (!text || !(failure instanceof Error)) return failure;
  const message = /[.!?]$/.test(failure.message)
    ? `${failure.message} ${text[0]!.toUpperCase()}${text.slice(1)}.`
    : `${failure.message}; ${text}`;
  // A missing permission, or a rate limit, still stops the run.
  if (failure instanceof GitHubPermissionError)
    return new GitHubPermissionError(message, { cause: failure.cause });
  if (failure instanceof GitHubRateLimitError) {
    const { status, endpoint, details, resetAt } = failure;
    return new GitHubRateLimitError(message, status, endpoint, details, { cause: failure.cause }, resetAt);
  }
  if (failure instanceof GitHubCancelledError) {
    const stopped = new GitHubCancelledError(failure.endpoint, false);
    stopped.message = message;
    return stopped;
  }
  return new Error(message, { cause: failure });
}

/**
 * `failure` of opening a pull request, after cleaning up the branch created for it: the failure
 * says what became of the branch, and a branch left behind is also a warning. A 422 "A pull request
 * already exists" keeps it without looking: GitHub's lists may not show that pull request yet (they
 * lag its writes), and deleting its branch would close it. So does a rate limit: no call is made then.
 */
export async function afterUnopenedPull(
  repository: Repository,
  branch: string,
  base: string,
  failure: unknown,
  warn: (message: string) => void,
): Promise<unknown> {
  const fate: UnopenedBranch = isAlreadyExists(failure)
    ? { kind: 'kept', why: 'GitHub answered that a pull request is open from it' }
    : failure instanceof GitHubRateLimitError
      ? // No call is made after a rate limit (`rate-limit-stop.ts`); the branch holds just our
        // commit on the base, which the next run opens its pull request from without a new commit.
        {
          kind: 'kept',
          why: "GitHub's rate limit takes no more calls in this run; the next run opens its pull request from it",
        }
      : failure instanceof GitHubCancelledError
        ? // A cancelled run sends nothing more: the next run opens its pull request from it (or
          // finds it open, when the abandoned call opened it after all).
          { kind: 'kept', why: 'the next run opens its pull request from it, or finds it opened' }
        : await removeUnopenedBranch(repository, branch, base);
  if (fate.kind === 'left') warn(`Left behind: ${unopenedBranchText(branch, fate)}.`);
  return withBranchFate(failure, branch, fate);
}
