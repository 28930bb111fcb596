/**
 * Opening a request's pull request: create it (or find the one another run opened), then give it
 * the labels, reviewers and assignees the inputs ask for. When opening fails, a branch this run
 * created for it is cleaned up (`branch-cleanup.ts`); one a person opened from the branch is left
 * as it is (`pull-requests.ts`).
 */
import { afterUnopenedPull } from './branch-cleanup.js';
import { missingDecorations, withoutAuthor } from './missing-decorations.js';
import { completeDecorations, decorate, type Decorations, type DecorationSetup } from './decorations.js';
import type { Repository } from './github-call.js';
import { createPull } from './pull-requests.js';

/** What opening found: a new pull request, one another run opened, or a person's (untouched). */
export type OpenedPull = Awaited<ReturnType<typeof createPull>>;

/**
 * Opens the pull request of `branch` on `base` and decorates it. `createdBranch`: this run created
 * the branch for it, so a failure to open deletes the branch (it must not outlive the pull request
 * it was for: a token that may push but not open pull requests, a refused or failed request); the
 * failure is thrown, saying what became of the branch.
 */
export async function openPull(
  repository: Repository,
  pull: { branch: string; base: string; title: string; body: string },
  options: {
    createdBranch: boolean;
    wanted: Decorations;
    setup: DecorationSetup;
    warn: (message: string) => void;
  },
): Promise<OpenedPull> {
  const { wanted, setup, warn } = options;
  let created: OpenedPull;
  try {
    created = await createPull(repository, pull);
  } catch (e) {
    if (!options.createdBranch) throw e;
    throw await afterUnopenedPull(repository, pull.branch, pull.base, e, warn);
  }
  if ('others' in created) return created;
  if (created.created) {
    const asked = withoutAuthor(wanted, created.author);
    await decorate(repository, created.pull.number, asked, setup, warn);
  } else {
    // Another run opened it, or our request's answer was lost and the retry found it.
    const missing = missingDecorations(created.present, wanted);
    await completeDecorations(repository, created.pull.number, missing, setup, warn);
  }
  return created;
}
