/**
 * What the CLI and the Action say about an error nothing caught (a bug): where it was thrown and what it says,
 * with its causes, and no other field of it. Node's own report of an uncaught error prints every
 * field (a failed request's options and headers, a proxy's URL with its password), which is how a
 * credential would reach a terminal or a CI log.
 */

/** The CLI's exit status for such an error: not 1 (a problem found) nor 2 (bad usage). */
export const UNEXPECTED_FAILURE_STATUS = 3;

/** Causes followed at most (a cause chain can be a cycle). */
const MAX_CAUSES = 5;

/** An error's stack (its name, message and frames), or its text for a thrown non-error. */
function stackOf(thrown: unknown): string {
  if (thrown instanceof Error) return typeof thrown.stack === 'string' ? thrown.stack : String(thrown);
  return `a thrown ${typeof thrown}: ${String(thrown)}`;
}

/** The lines printed on stderr for an error nothing caught. */
export function unexpectedFailureText(thrown: unknown): string {
  const lines = [
    'helmrelease-image-updater: unexpected failure (a bug; please report it with the lines below)',
    stackOf(thrown),
  ];
  let cause = thrown instanceof Error ? thrown.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    lines.push(`caused by: ${stackOf(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}
