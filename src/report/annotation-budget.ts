/**
 * Which problems the Action annotates. GitHub shows 10 error and 10 warning annotations a step and
 * drops the rest without a word, so a run with more would hide some problems, and with them the
 * step's own failure (an error annotation too). Past the limit, a severity's last annotation counts
 * what is left, which is written to the log and listed in the job summary. Pure.
 */
import { plural } from '../plural.js';
import { error, warning, type Problem, type ProblemSeverity } from '../problems.js';

/** Annotations of one severity GitHub shows for a step. */
export const ANNOTATIONS_PER_SEVERITY = 10;

/** The problems to annotate, in order, and those only the log (and the summary) gets. */
export interface AnnotationPlan {
  annotate: Problem[];
  logOnly: Problem[];
}

/**
 * The problems within the limit, in their order (so the first found are shown). `reservedErrors`
 * are error annotations the step makes after these (its failure): they are kept room for.
 */
export function planAnnotations(problems: readonly Problem[], reservedErrors = 0): AnnotationPlan {
  const severities: ProblemSeverity[] = ['error', 'warning'];
  const room = (severity: ProblemSeverity) =>
    Math.max(1, ANNOTATIONS_PER_SEVERITY - (severity === 'error' ? reservedErrors : 0));
  const total = (severity: ProblemSeverity) => problems.filter((p) => p.severity === severity).length;
  /** How many of each severity are annotated one by one: all, or all but room for the count. */
  const shown = new Map(severities.map((s) => [s, total(s) <= room(s) ? total(s) : room(s) - 1]));
  const annotate: Problem[] = [];
  const logOnly: Problem[] = [];
  const seen = new Map<ProblemSeverity, number>();
  for (const problem of problems) {
    const index = seen.get(problem.severity) ?? 0;
    seen.set(problem.severity, index + 1);
    (index < shown.get(problem.severity)! ? annotate : logOnly).push(problem);
  }
  for (const severity of severities) {
    const left = total(severity) - shown.get(severity)!;
    if (left === 0) continue;
    const make = severity === 'error' ? error : warning;
    const count = plural(left, `more ${severity}`, `more ${severity}s`);
    annotate.push(
      make(
        '',
        0,
        `${count} than GitHub shows as annotations: each is in the job summary, and in this step's log`,
      ),
    );
  }
  return { annotate, logOnly };
}
