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

/**
 * The longest message a problem keeps. Messages quote what they are about, and a file can hold a
 * megabyte-long apiVersion, name, image or annotation value: quoted whole, one problem would fill
 * the job summary and crowd out every other. The start says what is wrong, the end how to fix it.
 */
export const MAX_MESSAGE_LENGTH = 2000;
const MESSAGE_END_KEPT = 500;

/** The message, with its middle left out (and said so) when it is longer than {@link MAX_MESSAGE_LENGTH}. */
function bounded(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const marker = (left: number) => ` … (${left} characters left out) … `;
  // Room for the marker with the most digits it can have.
  const head = MAX_MESSAGE_LENGTH - MESSAGE_END_KEPT - marker(message.length).length;
  const left = message.length - head - MESSAGE_END_KEPT;
  return message.slice(0, head) + marker(left) + message.slice(message.length - MESSAGE_END_KEPT);
}

/** Builds a warning. */
export function warning(file: string, line: number, message: string): Problem {
  return { file, line, message: bounded(message), severity: 'warning' };
}

/** Builds an error. */
export function error(file: string, line: number, message: string): Problem {
  return { file, line, message: bounded(message), severity: 'error' };
}
