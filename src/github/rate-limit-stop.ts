/**
 * Once GitHub's rate limit has refused a call, the run makes no further GitHub call: every one
 * would be refused until the limit resets, and calls made while limited can get the token blocked
 * for longer. The client's gate ({@link rateLimitGate}) remembers the first refusal and refuses
 * every later call itself, so no step (auto-merge, the dashboard issue, closing pull requests,
 * decorations) reaches GitHub; the steps that would still have run are named once
 * ({@link notDoneAfterRateLimit}) instead of each failing with a warning of its own.
 */
import { GitHubRateLimitError, graphqlRateLimitOf, rateLimitOf, utcMinute } from './github-call.js';
import type { GitHubClient } from './octokit.js';

/** The first call GitHub's rate limit refused in a run. */
export interface RateLimitStop {
  /** `METHOD /path` of the refused call. */
  endpoint: string;
  /** When GitHub said calls are taken again; undefined when it did not say. */
  resetAt: Date | undefined;
}

/** The refusal each client met, by client. */
const stops = new WeakMap<object, RateLimitStop>();

/** The rate limit that stopped `client`'s calls, or undefined while GitHub takes them. */
export function rateLimitStop(client: object): RateLimitStop | undefined {
  return stops.get(client);
}

/** `, after 2026-12-03 17:34 UTC,`: when the next run can do what this one did not ('' unknown). */
function afterReset(stop: RateLimitStop): string {
  return stop.resetAt ? `, after ${utcMinute(stop.resetAt)},` : '';
}

/**
 * The error of a call the gate did not make. Its endpoint is the refused call's, so the writer's
 * "not tried after GitHub's rate limit refused ..." names the call GitHub refused.
 */
function notTried(endpoint: string, stop: RateLimitStop): GitHubRateLimitError {
  const when = stop.resetAt ? `; calls are taken again at ${utcMinute(stop.resetAt)}` : '';
  return new GitHubRateLimitError(
    `${endpoint} not tried: GitHub's rate limit refused ${stop.endpoint} earlier in this run${when}`,
    0,
    stop.endpoint,
    '',
    {},
    stop.resetAt,
  );
}

/** `/repos/acme/fleet/pulls` for `/repos/{owner}/{repo}/pulls`, as the writer's messages name calls. */
export function expand(options: { url: string; [parameter: string]: unknown }): string {
  return options.url.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = options[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}

/**
 * An Octokit plugin: remembers the first rate-limited answer and refuses every later request
 * without sending it. Registered last, its wrap is the outermost, so it sees a request's outcome
 * after the retry and throttling plugins have waited out what they could (a secondary limit that
 * says to wait a few seconds is not a stop).
 *
 * GraphQL says its limit is used up in an answer of HTTP 200 (`errors: [{ type: "RATE_LIMITED" }]`),
 * which reaches this hook as a success (Octokit's `graphql` throws only after it); without the
 * throttling plugin, which turns it into an error, the answer itself is read here.
 */
export function rateLimitGate(octokit: Pick<GitHubClient, 'hook'>): void {
  octokit.hook.wrap('request', async (request, options) => {
    // On GitHub Enterprise Server, Octokit's graphql sends to the absolute URL of …/api/graphql.
    const graphql = /\/graphql$/.test(options.url);
    const endpoint = graphql ? `${options.method} /graphql` : `${options.method} ${expand(options)}`;
    const stop = stops.get(octokit);
    if (stop) throw notTried(endpoint, stop);
    const record = (limit: { resetAt: Date | undefined } | undefined): void => {
      if (limit && !stops.has(octokit)) stops.set(octokit, { endpoint, ...limit });
    };
    try {
      const response = await request(options);
      if (graphql) {
        const data = response.data as { errors?: unknown } | null | undefined;
        const headers = response.headers as Record<string, string | undefined>;
        record(graphqlRateLimitOf({ errors: data?.errors, headers }));
      }
      return response;
    } catch (caught) {
      record(rateLimitOf(caught));
      throw caught;
    }
  });
}

/**
 * The one problem's message for the steps a rate limit left undone (`steps`, as a person names
 * them: "auto-merge", "the dashboard issue"), or undefined when none was left.
 */
export function notDoneAfterRateLimit(steps: readonly string[], stop: RateLimitStop): string | undefined {
  if (steps.length === 0) return undefined;
  const list = steps.length === 1 ? steps[0]! : `${steps.slice(0, -1).join(', ')} and ${steps.at(-1)!}`;
  return (
    `Not done after GitHub's rate limit refused ${stop.endpoint}: ${list}; ` +
    `the next run${afterReset(stop)} does it.`
  );
}
