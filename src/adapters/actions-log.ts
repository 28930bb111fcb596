/**
 * The Action's plain log lines, over `@actions/core`: the one way text reaches the runner as a raw
 * line. `core.info` prints its text as it is, and the runner reads every line of it for workflow
 * commands; every line passes through {@link inertLogText} first, so text from a registry, the
 * repository or GitHub cannot set an output, stop command processing or forge an annotation.
 * Commands the Action issues on purpose go through `core`'s own functions, which escape their data.
 */
import * as core from '@actions/core';
import type { ProgressLog } from '../ports.js';
import type { Problem } from '../problems.js';
import { inertLogText } from './inert-log-text.js';
import { inertTerminalText } from './inert-terminal-text.js';

/**
 * Prints `message` to the Actions log as plain text, never as a workflow command. Its control
 * characters are shown as escapes too, as in the CLI: the log viewer obeys ANSI sequences (text in
 * black on black, or concealed), and a bare CR would start a line of its own for the runner.
 */
export function logLine(message: string): void {
  core.info(inertLogText(inertTerminalText(message)));
}

/** The Action's progress log: plain lines, and collapsible groups (`core.group` escapes its name). */
export const actionsLog: ProgressLog = {
  info: logLine,
  group: (name, work) => core.group(name, work),
};

/**
 * Publishes a problem as a GitHub annotation at its file and line. `core` escapes only what ends
 * the command (CR, LF, %); the log shows the rest as it is and obeys ANSI sequences in it, so a
 * name from the repository (`"\e[8m"` in a kustomization) could conceal the lines after it:
 * controls are shown as escapes, as in the plain lines.
 */
export function annotate(problem: Problem): void {
  const properties: core.AnnotationProperties = { title: 'helmrelease-image-updater' };
  if (problem.file) properties.file = problem.file;
  if (problem.line > 0) properties.startLine = problem.line;
  const message = inertTerminalText(problem.message);
  if (problem.severity === 'error') core.error(message, properties);
  else core.warning(message, properties);
}
