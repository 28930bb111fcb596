/**
 * The title, body and commit message a request's pull request should have, rendered from the
 * inputs' templates. The writer compares them with what GitHub has to decide whether to retitle, and
 * asks for release notes only when it is about to write (they cost requests to other hosts).
 */
import type { GroupBy, PullRequestRequest } from '../plan/branch-name.js';
import {
  DEFAULT_TITLE_TEMPLATE,
  renderBody,
  renderCommitMessage,
  renderTitle,
} from '../plan/pull-request-text.js';
import type { ReleaseNotesSource } from '../plan/release-notes-text.js';
import type { AutomergeLevel } from '../plan/automerge-rule.js';
import type { WrittenByRun } from '../plan/pull-request-footer.js';
import { DEFAULT_REBASE_WHEN, type RebaseWhen } from './branch-status.js';
import type { PlannedText } from './pull-request-facts.js';

/** The inputs the pull requests' text is rendered from. */
export interface PullRequestTextOptions {
  owner: string;
  repo: string;
  titleTemplate?: string;
  commitMessageTemplate?: string;
  /** Put before every title and commit message (`chore(deps):`). */
  commitPrefix?: string;
  /** Release notes for the bodies (`src/github/release-notes.ts`); none when absent. */
  releaseNotes?: ReleaseNotesSource;
  /** `https://github.com` or the GHES server URL, for links in the body (default github.com). */
  serverUrl?: string;
  /** When a branch is rebuilt on a base that moved on (default `conflicted`), as the body says. */
  rebaseWhen?: RebaseWhen;
  /** The `group-by` input, as the body says what a newer tag does (default `container`). */
  groupBy?: GroupBy;
  /** The `automerge` input, as the body says (default `none`: it says nothing). */
  automerge?: AutomergeLevel;
  /** The run that writes the text and its workflow, linked in the body. */
  writtenBy?: WrittenByRun;
}

/**
 * The title of `request`: with its file(s) (`place`) when another pull request of the run would be
 * titled alike, as `title-places.ts` finds by comparing the titles without.
 */
export function titleFor(
  request: PullRequestRequest,
  options: PullRequestTextOptions,
  place?: string,
): string {
  return renderTitle(
    request.updates,
    options.titleTemplate ?? DEFAULT_TITLE_TEMPLATE,
    options.commitPrefix ?? '',
    place,
  );
}

/**
 * The title, body and commit message `request` should have against `base`; the body carries
 * release notes only `withNotes`. `place` is the file(s) its title names, when another pull
 * request of the run would be titled alike.
 */
export async function renderPlannedText(
  request: PullRequestRequest,
  options: PullRequestTextOptions,
  base: string,
  withNotes: boolean,
  place?: string,
): Promise<PlannedText> {
  const prefix = options.commitPrefix ?? '';
  return {
    title: titleFor(request, options, place),
    message: renderCommitMessage(
      request.updates,
      options.commitMessageTemplate ?? DEFAULT_TITLE_TEMPLATE,
      prefix,
    ),
    body: renderBody(request.updates, {
      serverUrl: options.serverUrl ?? 'https://github.com',
      owner: options.owner,
      repo: options.repo,
      base,
      branch: request.branch,
      keeping: {
        rebaseWhen: options.rebaseWhen ?? DEFAULT_REBASE_WHEN,
        automerge: options.automerge ?? 'none',
        ...(options.groupBy ? { groupBy: options.groupBy } : {}),
      },
      ...(options.writtenBy ? { writtenBy: options.writtenBy } : {}),
      ...(options.releaseNotes && withNotes
        ? { releaseNotes: await options.releaseNotes(request.updates) }
        : {}),
    }),
  };
}
