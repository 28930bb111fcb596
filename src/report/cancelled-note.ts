/**
 * The head of a cancelled run's job summary: that it was cancelled, what it finished, and what it
 * did not reach, so that an operator can tell which pull requests it wrote. Its results never
 * claim a pull request whose write was cut off (`stoppedByCancel` in writer-results.ts), and the
 * images its stopped registry requests left unanswered are marked could-not-check. Pure.
 */
import type { RunReport } from '../run-update.js';
import { isUnchecked } from '../plan/unchecked-reason.js';
import { plural } from '../plural.js';
import { NOT_REACHED_CANCELLED, RUN_CANCELLED } from '../cancelled-text.js';

/** What a run cancelled by `signal` finished and left, as a GitHub warning box. */
export function cancelledNote(report: RunReport, signal: string): string[] {
  const count = (...actions: string[]) =>
    report.pullRequests.filter((pr) => actions.includes(pr.action)).length;
  const written = count('created', 'updated');
  const closed = count('closed');
  const failed = report.pullRequests.filter((pr) => pr.action === 'failed');
  const notReached = failed.filter((pr) => pr.reason === NOT_REACHED_CANCELLED).length;
  const partWay = failed.length - notReached;
  const unchecked = report.plan.containers.filter(
    (c) => isUnchecked(c) && (c.reason ?? '').includes(RUN_CANCELLED),
  ).length;
  const done = [
    `${plural(written, 'pull request')} opened or updated`,
    ...(closed ? [`${closed} closed`] : []),
  ].join(', ');
  const left = [
    ...(partWay ? [`${plural(partWay, 'pull request')} stopped part way`] : []),
    ...(notReached ? [`${plural(notReached, 'pull request')} not reached`] : []),
    ...(unchecked ? [`${plural(unchecked, 'container')} not checked`] : []),
  ];
  return [
    '> [!WARNING]',
    `> **Cancelled** (${signal}): this run stopped part way. Finished: ${done}, as listed below.` +
      (left.length ? ` Left for the next run: ${left.join(', ')} (the run was cancelled).` : '') +
      (partWay
        ? ' The pull request it was writing when it stopped is not listed as written; the next run finishes it.'
        : '') +
      ' Auto-merge and the dashboard issue, when set, wait for the next run too.',
    '',
  ];
}
