/**
 * A plan made file by file: a file's decisions and edit depend only on the repositories its
 * containers name, so a run plans each file as soon as those have answered (issue 17) and puts the
 * parts together here, in the order one pass over all files gives. Pure.
 */
import type { Problem } from '../problems.js';
import type { ContainerDecision, FileEdit, Plan } from './types.js';

/**
 * One file's part of a plan. A file's decisions and edit depend only on the repositories its
 * containers name, so a run can plan a file as soon as those have answered, while the registry
 * still works for the others (issue 17); {@link mergeFilePlans} puts the parts together in the
 * order `planUpdates` gives.
 */
export interface FilePlan {
  containers: ContainerDecision[];
  /** The scan's own problems. */
  scanProblems: readonly Problem[];
  /** The problems of the file's containers, in container order. */
  decisionProblems: Problem[];
  /** The problems of edits refused. */
  editProblems: Problem[];
  edits: FileEdit[];
}

/**
 * The plan of files planned one by one, in their order: every file's scan problems first, then every
 * container's, then every refused edit's, as one plan over all of them would list them.
 */
export function mergeFilePlans(plans: readonly FilePlan[]): Plan {
  const containers = plans.flatMap((p) => p.containers);
  return {
    containers,
    updates: containers.flatMap((c) => (c.update ? [c.update] : [])),
    edits: plans.flatMap((p) => p.edits),
    problems: [
      ...plans.flatMap((p) => p.scanProblems),
      ...plans.flatMap((p) => p.decisionProblems),
      ...plans.flatMap((p) => p.editProblems),
    ],
  };
}
