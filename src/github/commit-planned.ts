/**
 * Writes a request's planned files as one commit on the base and points its branch at it
 * (git-commits.ts). A branch that moved while the run worked is taken over only when it now holds
 * exactly that commit on that base (another run of this Action got there first); otherwise it was
 * someone else's push, and it is left alone: `foreign`.
 */
import type { PullRequestRequest } from '../plan/branch-name.js';
import { branchStatus } from './branch-status.js';
import { type BranchHead, type PlannedText, type WriterState } from './pull-request-facts.js';
import { commitBranch, type BaseTree } from './git-commits.js';
import type { Repository } from './github-call.js';
import type { PlannedChange } from './base-files.js';
import { readBranchHead } from './branch-head.js';

/** Commits `edit` on `base` for `request`'s branch (whose head was `head` when read). */
export function commitPlanned(
  repository: Repository,
  base: BaseTree,
  request: PullRequestRequest,
  state: WriterState,
  text: PlannedText,
  edit: PlannedChange,
  head: BranchHead | undefined,
): Promise<'written' | 'foreign'> {
  const { files: planned, texts: files } = edit;
  return commitBranch(
    repository,
    { branch: request.branch, base, message: text.message, files, existingSha: head?.sha },
    async () => {
      const raced = await readBranchHead(
        repository,
        request.branch,
        planned.map((file) => file.path),
      );
      // Taken over only when it holds exactly this commit on this base.
      return branchStatus(raced, planned, text.message, state.baseSha, 'behind-base');
    },
  );
}
