/** The error of a registry request that got no answer, and the words of an aborted signal. */

/** A request that could not be completed: network error, timeout, refused URL, too many redirects. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** The message of an aborted signal's reason. */
export function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}
