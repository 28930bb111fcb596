/**
 * What a pull request of ours proposed, against what a request asks for: by its marker (the
 * targets it lists), and by closed pull requests (the updates they keep back).
 */
import type { PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import type { ClosedPull } from './pull-request-facts.js';

/** The files a request's updates change, each once. */
export function filesOf(updates: readonly Update[]): string[] {
  return [...new Set(updates.map((u) => u.file))];
}

/** True when a marker proposes exactly the updates' targets, no more and no fewer. */
export function proposesExactly(marker: PullRequestMarker, updates: readonly Update[]): boolean {
  return marker.updates.length === updates.length && proposesAll(marker, updates);
}

/** True when a marker proposes every update's target (same file, release, container and tag). */
export function proposesAll(marker: PullRequestMarker, updates: readonly Update[]): boolean {
  return updates.every((u) =>
    marker.updates.some(
      (m) => m.file === u.file && m.release === u.release && m.container === u.container && m.to === u.to,
    ),
  );
}
/** Updates of a request that a closed pull request of ours proposed: they are not proposed again. */
export interface Refusal {
  pull: ClosedPull;
  updates: Update[];
}

/**
 * The updates closed pull requests of ours keep back, each with one pull request that proposed it
 * (`proposed`, in the order read, each with the updates it proposed). The one that proposed the most
 * of those left is named first (the earliest of equals), so a pull request that proposed them all
 * is the only one named, as when a whole request was kept back by one.
 */
export function refusalsOf(
  updates: readonly Update[],
  proposed: readonly { pull: ClosedPull; updates: ReadonlySet<Update> }[],
): Refusal[] {
  const refusals: Refusal[] = [];
  let left = [...updates];
  for (;;) {
    let best: Refusal | undefined;
    for (const { pull, updates: its } of proposed) {
      const kept = left.filter((u) => its.has(u));
      if (kept.length > (best?.updates.length ?? 0)) best = { pull, updates: kept };
    }
    if (!best) return refusals;
    refusals.push(best);
    left = left.filter((u) => !best.updates.includes(u));
  }
}
