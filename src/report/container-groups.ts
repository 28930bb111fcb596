/**
 * How the job summary and the dashboard issue group the containers a run did not update, so that an
 * operator comparing them finds the same groups under the same words in the same order. Pure.
 *
 * - Problems first in both: a registry that could not be read (`error`), an image not updatable as
 *   written (`skipped`), and a filter no tag passes (`no-matching-tag`, which someone must fix);
 * - then, after each one's pull requests, {@link NOT_UPDATED_GROUPS} in their order: what waits
 *   (too new), what a person holds (locked, ignored), then, collapsed, what the run leaves alone by
 *   its settings (not automated, out of scope) and what is up to date.
 */
import type { ContainerDecision, DecisionKind } from '../plan/types.js';

/** `docker.io/bitnami/redis:6.2.0`: a container's image as written, or its repository without a tag. */
export function writtenImage(c: Pick<ContainerDecision, 'repository' | 'current'>): string {
  return c.current === undefined ? c.repository : `${c.repository}:${c.current}`;
}

/** Container decisions listed as problems, with their reason, before everything else. */
export const PROBLEM_DECISIONS: ReadonlySet<DecisionKind> = new Set(['error', 'skipped', 'no-matching-tag']);

/** One group of containers that were not updated and are no problem. */
export interface NotUpdatedGroup {
  decision: DecisionKind;
  /** The group's heading (Markdown; inline HTML only, as it goes into a `<summary>` too). */
  heading: string;
  /** How the headline counts it (`2 locked`). */
  count: string;
  /** Listed collapsed: nothing to act on. */
  collapsed: boolean;
  /** Whether each row says why (the up-to-date rows need not). */
  withReason: boolean;
}

/** The groups of containers not updated, in the order both list them. */
export const NOT_UPDATED_GROUPS: readonly NotUpdatedGroup[] = [
  {
    decision: 'too-new',
    heading: 'Too new: waiting for the minimum release age',
    count: 'too new',
    collapsed: false,
    withReason: true,
  },
  { decision: 'locked', heading: 'Locked', count: 'locked', collapsed: false, withReason: true },
  {
    decision: 'ignored',
    heading: 'Ignored',
    count: 'ignored',
    collapsed: false,
    withReason: true,
  },
  {
    decision: 'not-automated',
    heading: 'Not automated (no <code>fluxcd.io/automated: "true"</code>)',
    count: 'not automated',
    collapsed: true,
    withReason: false,
  },
  {
    decision: 'out-of-scope',
    heading: 'Out of scope (not matched by <code>images</code>; not checked)',
    count: 'out of scope',
    collapsed: true,
    withReason: false,
  },
  { decision: 'up-to-date', heading: 'Up to date', count: 'up to date', collapsed: true, withReason: false },
];

/** {@link NOT_UPDATED_GROUPS}, each with its containers of `containers`, in their order. */
export function notUpdatedGroups(
  containers: readonly ContainerDecision[],
): (NotUpdatedGroup & { containers: ContainerDecision[] })[] {
  return NOT_UPDATED_GROUPS.map((group) => ({
    ...group,
    containers: containers.filter((c) => c.decision === group.decision),
  }));
}

/**
 * The containers listed among the problems as warnings: a filter no tag passes, which is none of
 * the run's problems but someone must fix (errors and skips are the run's problems already).
 */
export function warningContainers(containers: readonly ContainerDecision[]): ContainerDecision[] {
  return containers.filter((c) => c.decision === 'no-matching-tag');
}
