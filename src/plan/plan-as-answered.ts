/**
 * A run's files planned as the registry answers: each file is planned (its tags chosen, its edit
 * made and proved by re-reading it) as soon as every repository its containers name has answered,
 * while the registry works for the others (issue 17: the plan's re-read used to wait for the last
 * answer). A file's plan reads only those repositories, so it is the plan one pass over all of them
 * would make. Pure but for the turn of the event loop it is given, taken before each plan.
 */
import type { FileScan } from '../helmrelease/types.js';
import { groupBy } from '../group-by.js';
import type { FilePlan } from './file-plans.js';
import type { PlanSettings } from './plan-lookups.js';
import { planFile, type RepositoryData } from './plan-updates.js';

/** The files of a run, planned as their repositories answer. */
export interface FilesPlannedAsAnswered {
  /** Told once a repository's data is in `data`: plans the files that waited only for it. */
  answered(name: string): void;
  /** Every file's plan, in scan order, once the registry phase is over: those not planned yet now. */
  plans(): Promise<FilePlan[]>;
}

/**
 * Plans `scans` as the repositories that `lookedUp` says the run asks about answer into `data`.
 * A file that names none of them is planned by {@link FilesPlannedAsAnswered.plans}.
 */
export function planAsAnswered(
  scans: readonly FileScan[],
  texts: ReadonlyMap<string, string>,
  lookedUp: (name: string) => boolean,
  data: ReadonlyMap<string, RepositoryData>,
  settings: PlanSettings,
  now: Date,
  turn: () => Promise<void>,
): FilesPlannedAsAnswered {
  const filePlans: (FilePlan | undefined)[] = new Array(scans.length);
  const plan = (index: number) => planFile(scans[index], texts.get(scans[index].file), data, settings, now);
  const awaiting = scans.map(
    (scan) =>
      new Set(scan.releases.flatMap((r) => r.containers.map((c) => c.reference.repository).filter(lookedUp))),
  );
  const filesNaming = groupBy(
    awaiting.flatMap((names, index) => [...names].map((name) => ({ name, index }))),
    (entry) => entry.name,
  );
  /** The files planned so far, one after the other. */
  let planning: Promise<void> = Promise.resolve();
  return {
    answered(name) {
      const ready: number[] = [];
      for (const { index } of filesNaming.get(name) ?? []) {
        awaiting[index].delete(name);
        if (awaiting[index].size === 0) ready.push(index);
      }
      if (ready.length === 0) return;
      planning = planning.then(async () => {
        for (const index of ready) {
          // The turn first: the answer just read let the next request go, and its write waits for
          // an immediate queued meanwhile (nextTurn), which a plan made at once would hold back.
          await turn();
          filePlans[index] = plan(index);
        }
      });
      // Awaited by plans(); until then a failure is no unhandled rejection.
      planning.catch(() => undefined);
    },
    async plans() {
      await planning;
      return scans.map((_, index) => filePlans[index] ?? plan(index));
    },
  };
}
