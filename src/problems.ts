/**
 * A problem found while scanning, planning or writing. Problems never stop a run: the item they
 * concern is skipped and everything else goes on. Each one names a file and a line so the Action
 * can annotate it.
 */
export interface Problem {
  /** Repository-relative path of the file the problem is about ('' when it concerns no file). */
  file: string;
  /** 1-based line in that file (0 when it concerns no line). */
  line: number;
  /** A sentence a user can act on. */
  message: string;
  /**
   * `error`: an image could not be checked or a pull request could not be written (fails the
   * step when `fail-on-error` is on). `warning`: input that is probably a mistake.
   */
  severity: ProblemSeverity;
}

/** How serious a problem is; see {@link Problem.severity}. */
export type ProblemSeverity = 'error' | 'warning';

/** Builds a warning. */
export function warning(file: string, line: number, message: string): Problem {
  return { file, line, message, severity: 'warning' };
}

/** Builds an error. */
export function error(file: string, line: number, message: string): Problem {
  return { file, line, message, severity: 'error' };
}
