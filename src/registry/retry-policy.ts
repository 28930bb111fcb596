/**
 * When the registry client tries a request again, and after how long (http.ts). Pure: the time,
 * the jitter and the answer's headers are given.
 *
 * An attempt is tried again when it had no answer (a network error, a timeout), or its answer was
 * a 5xx or a 429, with exponential backoff and full jitter, waiting at least what `Retry-After`
 * asks (seconds or an HTTP date). It is not tried again:
 * - past the retries allowed, or when the wait would end past the request's deadline;
 * - when `Retry-After` asks for longer than the client waits (the answer is the request's);
 * - after a 429 with `ratelimit-remaining: 0`: Docker Hub's pull limit, which sends no Retry-After
 *   and lasts the rest of its 6-hour window.
 */
/** An answer's headers, looked up as `Headers.get` does (response-headers.ts). */
export interface AnswerHeaders {
  get(name: string): string | null;
}

/** Default of {@link RetryPolicy.maxRetryAfterMs}. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** The client's retry settings (http.ts `HttpOptions`, defaults applied). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff delay; doubled each retry, with full jitter. */
  baseDelayMs: number;
  /** Upper bound of one backoff delay. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this ends the retries instead of waiting. */
  maxRetryAfterMs: number;
}

/** An attempt as it ended: its answer, or none (it failed). */
export interface AttemptOutcome {
  response?: { status: number; headers: AnswerHeaders };
}

/** Where a request stands after an attempt. */
export interface AttemptClock {
  /** Attempts made before this one (0 after the first). */
  attempt: number;
  /** Now, in ms since the epoch. */
  now: number;
  /** When the request's time runs out, in ms since the epoch. */
  deadline: number;
  /** A number in [0, 1): the backoff's jitter, asked for only when a retry is possible. */
  random: () => number;
}

/**
 * True when an answer says no requests are left in its rate-limit window (`ratelimit-remaining:
 * 0;w=21600`): asking again before the window ends is refused too, and Docker Hub was seen to count
 * refused requests against the limit (docker/hub-feedback#2197).
 */
export function noneLeft(headers: AnswerHeaders): boolean {
  return /^\s*0\s*(?:;|$)/.test(headers.get('ratelimit-remaining') ?? '');
}

/** Parses `Retry-After` (delta seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before the next attempt, or undefined when there is none: the attempt's answer,
 * or its failure, is then the request's.
 */
export function retryWait(
  outcome: AttemptOutcome,
  clock: AttemptClock,
  policy: RetryPolicy,
): number | undefined {
  const { response } = outcome;
  const transient =
    response === undefined ||
    (response.status === 429 && !noneLeft(response.headers)) ||
    response.status >= 500;
  if (!transient || clock.attempt >= policy.retries || clock.now >= clock.deadline) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** clock.attempt) * clock.random();
  const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after'), clock.now) : undefined;
  if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return undefined;
  const wait = Math.max(backoff, retryAfter ?? 0);
  return clock.now + wait >= clock.deadline ? undefined : wait;
}
