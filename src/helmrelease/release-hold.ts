/**
 * Why a release's policy annotations hold all of its containers back, or undefined when they let
 * the planner look its images up. Pure. The planner asks it of the workspace's text; an edit asks
 * it again of the text it is applied to (the base branch's, which may have been locked since, or
 * never have been unlocked), so a pull request never carries an update its base's policies refuse.
 */
import type { ReleasePolicies } from './types.js';

/** How a release is held back: the planner's decision kinds for a whole release. */
export type ReleaseHoldKind = 'ignored' | 'locked' | 'skipped' | 'error' | 'not-automated';

/** A release held back by its policies, and why, in the words the summary and the CLI show. */
export interface ReleaseHold {
  decision: ReleaseHoldKind;
  reason: string;
}

/**
 * The hold of a release's policies, in Flux v1's order (ignore, then locked), then ours: a file
 * governed by manifest generation, an unusable policy annotation, and (when `requireAutomated`) a
 * release without `fluxcd.io/automated: "true"`.
 */
export function releaseHold(policies: ReleasePolicies, requireAutomated: boolean): ReleaseHold | undefined {
  if (policies.ignored) {
    const key = policies.ignoredBy ?? 'fluxcd.io/ignore';
    return { decision: 'ignored', reason: `ignored (${key}: ${policies.ignoredValue ?? '"true"'})` };
  }
  if (policies.locked) {
    const why = policies.lockedMessage;
    const key = policies.lockedBy ?? 'fluxcd.io/locked';
    const value = policies.lockedValue ?? '"true"';
    return { decision: 'locked', reason: `locked (${key}: ${value})${why ? `: ${why}` : ''}` };
  }
  // The scan warned once for the file.
  if (policies.generated) return { decision: 'skipped', reason: policies.generated };
  // The scan reported the unusable annotation as an error at its line.
  if (policies.blocked) return { decision: 'error', reason: policies.blocked };
  if (requireAutomated && !policies.automated) {
    return { decision: 'not-automated', reason: 'not automated (no fluxcd.io/automated: "true")' };
  }
  return undefined;
}
