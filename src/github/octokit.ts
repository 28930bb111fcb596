/**
 * Builds the Octokit client once: token, base URL (GitHub Enterprise Server through
 * `GITHUB_API_URL`), and the retry and throttling plugins, with their timings injectable so tests
 * stay fast.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { proxyRefusalStatus } from '../network-errors.js';
import { answerBounds, MAX_ANSWER_BYTES } from './answer-bounds.js';
import { cancelGate, type CancelSignals } from './cancel-gate.js';
import { rateLimitGate } from './rate-limit-stop.js';
import { redactedAnswers } from './redacted-answers.js';

/** The client type the writer uses. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** How the client is built. */
export interface GitHubClientOptions {
  /** A token with `contents: write` and `pull-requests: write`. */
  token: string;
  /**
   * The REST API's base URL: `https://api.github.com`, or `https://HOST/api/v3` on GitHub
   * Enterprise Server. The Action passes `GITHUB_API_URL`.
   */
  baseUrl: string;
  /**
   * How many times a transient failure (5xx, secondary rate limit) is retried (default 3). Zero
   * together with `spaceWrites: false` leaves the retry and throttling plugins out altogether.
   */
  retries?: number;
  /**
   * Milliseconds per "retry after" second for both plugins (default 1000). Tests pass 0 so
   * retries do not wait.
   */
  retryAfterBaseValue?: number;
  /**
   * Space write requests out as GitHub advises against secondary rate limits (default true: the
   * throttling plugin keeps writes 1 s apart and pull request creation 3 s apart). Tests pass false.
   */
  spaceWrites?: boolean;
  /**
   * Milliseconds one attempt of a request may take, answer and body (default
   * {@link REQUEST_TIMEOUT_MS}); past it the attempt is aborted and, like any request without an
   * answer, retried.
   */
  requestTimeoutMs?: number;
  /** The most bytes of one answer read (default {@link MAX_ANSWER_BYTES}); past it the attempt fails. */
  maxAnswerBytes?: number;
  /**
   * The GraphQL endpoint, as the runner gives it (`GITHUB_GRAPHQL_URL`: https://api.github.com/graphql,
   * or https://HOST/api/graphql on GitHub Enterprise Server); Octokit's own, derived from `baseUrl`,
   * when absent. It must be on the API's origin: the token goes nowhere else.
   */
  graphqlUrl?: string;
  /** Where the plugins' warnings go. */
  log?: (message: string) => void;
  /** A user agent to add. */
  userAgent?: string;
  /** The run's cancellation: no call is sent after `stop`, none is waited for after `abandon`. */
  cancel?: CancelSignals;
}

/** The retry plugin's statuses that are never retried, and a proxy's 407 (see {@link proxyRefusals}). */
const DO_NOT_RETRY = [400, 401, 403, 404, 407, 410, 422, 451];

/**
 * A proxy's refusal to open the tunnel (407, 403) stands until its settings change, but Octokit
 * reports it as a 500 without a response, which the retry plugin retries three times over 14 s.
 * Registered before that plugin, this hook sees the error first and gives it the proxy's status.
 */
function proxyRefusals(octokit: {
  hook: { error: (name: 'request', hook: (error: unknown) => never) => void };
}): void {
  octokit.hook.error('request', (error: unknown) => {
    const status = proxyRefusalStatus(error);
    const e = error as { status?: unknown; response?: unknown };
    if (status !== undefined && status < 500 && e.response === undefined) e.status = status;
    throw error;
  });
}

/**
 * How long one attempt of a GitHub request may take. Octokit sets no limit: a connection GitHub (or
 * a proxy) keeps open without answering held the run until the job's own timeout, hours later.
 * GitHub ends its own requests after 10 s (GraphQL) to about a minute; this leaves room for a slow
 * answer and a large body.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Where {@link attemptTimeout} keeps the caller's own signal (or null) between attempts. */
const CALLER_SIGNAL = Symbol('caller signal');

/**
 * Gives each attempt of a request its own time limit (with the caller's signal, if any). As the
 * first plugin its wrap runs inside the retry and throttling plugins' own, so every retry gets a
 * whole attempt's time. The options are changed in place: the hooks inside this one (the token's)
 * were bound to that object and would not see a copy.
 */
function attemptTimeout(ms: number) {
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', (request, options) => {
      const settings = options.request as { signal?: AbortSignal; [CALLER_SIGNAL]?: AbortSignal | null };
      if (!(CALLER_SIGNAL in settings)) settings[CALLER_SIGNAL] = settings.signal ?? null;
      const given = settings[CALLER_SIGNAL];
      const limit = AbortSignal.timeout(ms);
      settings.signal = given ? AbortSignal.any([given, limit]) : limit;
      return request(options);
    });
  };
}

/**
 * Keeps every request on the API's own origin, where the token belongs. Octokit sends the token
 * with every request it makes, to whatever URL it is given, and `paginate` follows the `Link`
 * header's absolute URL as GitHub's answer wrote it: a next page on another host (a proxy's or a
 * load balancer's rewrite, a GitHub Enterprise Server answering under another name) got the
 * token. Such a request is refused before it is sent, naming the host. (A redirect to another
 * origin is fetch's: it drops the Authorization header.)
 */
function sameOrigin(baseUrl: string) {
  const origin = new URL(baseUrl).origin;
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', (request, options) => {
      const target = /^https?:\/\//i.test(options.url) ? new URL(options.url) : undefined;
      if (target && target.origin !== origin) {
        throw new Error(
          `GitHub's answer led to ${target.origin}, not the API's ${origin} (GITHUB_API_URL); the request was not sent, as the token goes only to the API`,
        );
      }
      return request(options);
    });
  };
}

/** Where Octokit sends GraphQL for a REST base URL (`@octokit/graphql`'s rule for `/api/v3`). */
function derivedGraphqlUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/api\/v3$/.test(base) ? base.replace(/\/api\/v3$/, '/api/graphql') : `${base}/graphql`;
}

/**
 * Sends GraphQL to the runner's `GITHUB_GRAPHQL_URL` where it differs from the URL Octokit derives
 * from `GITHUB_API_URL` (on github.com, GHE.com and GitHub Enterprise Server the two agree, and
 * nothing changes). Refuses, before anything is sent, a GraphQL URL on another origin than the API's.
 * Registered right after {@link sameOrigin}, so its check sees the URL the request goes to, while the
 * retry and throttling plugins still see Octokit's own (they recognise GraphQL by it).
 */
function graphqlEndpoint(baseUrl: string, graphqlUrl: string | undefined) {
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    if (graphqlUrl === undefined || graphqlUrl === '') return;
    let target: URL;
    try {
      target = new URL(graphqlUrl);
    } catch {
      throw new Error(
        `GITHUB_GRAPHQL_URL is not a URL (${graphqlUrl}); the runner sets it to its GitHub GraphQL API`,
      );
    }
    const origin = new URL(baseUrl).origin;
    if (target.origin !== origin) {
      throw new Error(
        `GITHUB_GRAPHQL_URL (${graphqlUrl}) is not on the API's ${origin} (GITHUB_API_URL); nothing was sent, as the token goes only to the API. Set both to the same GitHub's API, or neither`,
      );
    }
    const derived = derivedGraphqlUrl(baseUrl);
    // A trailing `/` is no other endpoint (Octokit drops it from the URL anyway).
    target.pathname = target.pathname.replace(/\/+$/, '');
    if (target.href === new URL(derived).href) return;
    octokit.hook.wrap('request', (request, options) => {
      if (options.method === 'POST' && (options.url === '/graphql' || options.url === derived)) {
        options.url = target.href;
      }
      return request(options);
    });
  };
}

/**
 * What the throttling plugin does after its `count`-th retry of a rate-limited request: the next
 * retry, or none once `retries` were made (the log said "retry 4 in 5s" and then gave up).
 */
function retryWord(count: number, retries: number, retryAfter: number): string {
  return count < retries
    ? `retry ${count + 1} in ${retryAfter}s`
    : `not retried again after ${retries} ${retries === 1 ? 'retry' : 'retries'}`;
}

/** The longest rate-limit wait worth sitting out (a scheduled job runs again anyway). */
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

/**
 * Builds the client. `@actions/github` reads `GITHUB_API_URL` when it is first imported, so the
 * base URL is passed explicitly here, which makes `baseUrl` (and only `baseUrl`) decide where
 * requests go.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const retries = options.retries ?? 3;
  const retryAfterBaseValue = options.retryAfterBaseValue ?? 1000;
  const log = options.log ?? ((): void => undefined);
  const throttle: ThrottlingOptions = {
    retryAfterBaseValue,
    // Retry a few times, then let the error through to the writer, which reports it.
    onRateLimit: (
      retryAfter: number,
      request: { method: string; url: string },
      _client: unknown,
      count: number,
    ) => {
      // The primary limit resets hourly: waiting up to an hour would hold the job; give up on long waits.
      if (retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS) {
        log(
          `GitHub rate limit hit for ${request.method} ${request.url}; it resets in ${retryAfter}s, not waiting`,
        );
        return false;
      }
      log(
        `GitHub rate limit hit for ${request.method} ${request.url}; ${retryWord(count, retries, retryAfter)}`,
      );
      return count < retries;
    },
    onSecondaryRateLimit: (
      retryAfter: number,
      request: { method: string; url: string },
      _client: unknown,
      count: number,
    ) => {
      // GitHub's content-creation limit (about 500 writes an hour) can say to wait most of an hour.
      if (retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS) {
        log(
          `GitHub secondary rate limit hit for ${request.method} ${request.url}; it says to wait ${retryAfter}s, not waiting`,
        );
        return false;
      }
      log(
        `GitHub secondary rate limit hit for ${request.method} ${request.url}; ${retryWord(count, retries, retryAfter)}`,
      );
      return count < retries;
    },
  };
  if (options.spaceWrites === false) {
    // The plugin keeps process-wide limiters for writes and notifying writes; these stand-ins run
    // each job at once. The plugin only calls `key(id).schedule(options, fn, ...args)`.
    const immediate = {
      key: () => ({
        schedule: (_options: unknown, fn: (...args: unknown[]) => unknown, ...args: unknown[]) =>
          Promise.resolve(fn(...args)),
      }),
    };
    throttle.write = immediate as unknown as ThrottlingOptions['write'];
    throttle.notifications = immediate as unknown as ThrottlingOptions['notifications'];
  }
  // With nothing to retry and nothing to space out, the plugins would only add their scheduling
  // cost (several ms per request through Bottleneck), so they are left out.
  const timeout = attemptTimeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  // Inside the time limit's wrap, so an answer cut short by it is told as such.
  const bounds = answerBounds(options.maxAnswerBytes ?? MAX_ANSWER_BYTES);
  // An answer echoing the token is cleaned before anything quotes it (redacted-answers.ts).
  const redaction = redactedAnswers([options.token]);
  const origin = sameOrigin(options.baseUrl);
  const graphql = graphqlEndpoint(options.baseUrl, options.graphqlUrl);
  // Right outside the attempt's time limit, so it sees every attempt (cancel-gate.ts).
  const cancel = options.cancel ? [cancelGate(options.cancel)] : [];
  // The rate-limit gate last: its wrap is the outermost, seeing each request after its retries.
  const plugins =
    retries === 0 && options.spaceWrites === false
      ? [origin, graphql, bounds, timeout, ...cancel, redaction, rateLimitGate]
      : [
          origin,
          graphql,
          bounds,
          timeout,
          ...cancel,
          proxyRefusals,
          retry,
          throttling,
          redaction,
          rateLimitGate,
        ];
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: options.userAgent ?? 'helmrelease-image-updater',
      retry: { retries, retryAfterBaseValue, doNotRetry: DO_NOT_RETRY },
      throttle,
      log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    },
    ...plugins,
  );
}
