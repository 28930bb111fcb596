/**
 * Open pull requests a newer version of this Action wrote (`parseNewerMarker`): a team that rolls
 * back, or pins an older version on one workflow, meets them. This version cannot tell what their
 * markers record, so it leaves them as they are, and opens no pull request beside one for a
 * container it proposes (nor for any, when it cannot read which it proposes): a second pull request
 * for the same bump, or a close of one it does not understand, is worse than waiting. Pure.
 */
import type { NewerMarker } from '../plan/pull-request-text.js';
import type { PullRequestRequest } from '../plan/branch-name.js';
import { sameContainer } from './moved-files.js';
import { resultOf, type PullRequestResult } from './writer-results.js';

/** An open pull request on the base from a branch of ours whose marker a newer version wrote. */
export interface NewerPull {
  number: number;
  url: string;
  branch: string;
  marker: NewerMarker;
}

/** The newer version's pull request that keeps `request` from being written, if any. */
export function newerPullFor(
  request: PullRequestRequest,
  newer: readonly NewerPull[],
): NewerPull | undefined {
  return newer.find(
    (pull) =>
      pull.branch === request.branch ||
      pull.marker.updates === undefined ||
      pull.marker.updates.some((m) => request.updates.some((u) => sameContainer(m, u))),
  );
}

/** The result of a request a newer version's pull request keeps back, and the warning naming it. */
export function newerPullResult(
  request: PullRequestRequest,
  pull: NewerPull,
): { result: PullRequestResult; warning: string } {
  const { number, url } = pull;
  const proposed = pull.marker.updates;
  const named = request.updates.find((u) => proposed?.some((m) => sameContainer(m, u))) ?? request.updates[0];
  const what = named ? `${named.release} (${named.container})` : request.branch;
  const more = request.updates.length > 1 ? ` and ${request.updates.length - 1} more` : '';
  return {
    result: resultOf(request, 'skipped', {
      number,
      url,
      reason: `#${number} was written by a newer version of this Action; leaving it as it is`,
      skipped: 'foreign',
    }),
    warning:
      `Pull request #${number} from ${pull.branch} was written by a newer version of this Action ` +
      `(${pull.marker.why}), so this version leaves it as it is and opens no pull request for ` +
      `${what}${more} beside it: run the newer version, or close #${number} to have this version ` +
      'propose the update',
  };
}
