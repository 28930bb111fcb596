/**
 * The GitHub boundary: every REST call of the writer goes through {@link call}, which turns
 * Octokit's RequestError into a {@link GitHubError} (or, for a missing permission, a
 * {@link GitHubPermissionError}). Expected API conditions are matched on these errors and nowhere
 * else.
 */
import {
  causeChain,
  describeProxyRefusal,
  isNotTlsAnswer,
  NOT_TLS_ANSWER,
  openSslFailure,
  proxyRefusalStatus,
} from '../network-errors.js';
import { UnreadableAnswer } from './answer-bounds.js';
import { RUN_CANCELLED } from '../cancelled-text.js';
import { branchRulesAdvice, whatToDo, workflowsAdvice } from './refusal-advice.js';
import type { GitHubClient } from './octokit.js';

/** The repository the writer works on, with the client that reaches it. */
export interface Repository {
  github: GitHubClient;
  owner: string;
  repo: string;
}

/** `owner/repo`. */
export function fullName(repository: Repository): string {
  return `${repository.owner}/${repository.repo}`;
}

/** The `{ owner, repo }` parameters every endpoint takes. */
export function repoParams(repository: Repository): { owner: string; repo: string } {
  return { owner: repository.owner, repo: repository.repo };
}

/** A GitHub API failure, converted from Octokit's RequestError at this boundary. */
export class GitHubError extends Error {
  constructor(
    message: string,
    /** HTTP status (0 when there was no response). */
    readonly status: number,
    /** `METHOD /path` of the call that failed. */
    readonly endpoint: string,
    /** GitHub's `errors[].message`s and `message`, for matching expected conditions. */
    readonly details: string,
    options?: { cause?: unknown },
    /** GitHub's `errors[].code`s (`already_exists`, `invalid`, ...). */
    readonly codes: readonly string[] = [],
  ) {
    super(message, options);
    this.name = 'GitHubError';
  }
}

/**
 * A call the run did not make, or did not wait to finish, because it stopped calling GitHub: its
 * rate limit ({@link GitHubRateLimitError}) or the run's cancellation ({@link GitHubCancelledError}).
 * Every later call would end alike, so the writer stops writing instead of trying each of its
 * remaining pull requests.
 */
export class GitHubStopError extends GitHubError {}

/**
 * The run was cancelled (the workflow's **Cancel** button, a newer run of its `concurrency` group, a
 * step's `timeout-minutes`: the runner's SIGINT or SIGTERM): the call was not sent, or was sent and
 * abandoned unanswered (it may have been carried out; the next run finds what it did).
 */
export class GitHubCancelledError extends GitHubStopError {
  constructor(endpoint: string, sent: boolean) {
    super(
      `${endpoint} ${sent ? 'was abandoned unanswered' : 'was not sent'}: ${RUN_CANCELLED}`,
      0,
      endpoint,
      '',
    );
    this.name = 'GitHubCancelledError';
  }
}

/**
 * GitHub's rate limit refused a call (403 or 429): the primary limit used up (`x-ratelimit-remaining:
 * 0`) or a secondary limit (too many writes too fast) that the retries did not outlast. Every call
 * until {@link resetAt} would be refused too, so the writer stops writing instead of trying each of
 * its remaining pull requests.
 */
export class GitHubRateLimitError extends GitHubStopError {
  constructor(
    message: string,
    status: number,
    endpoint: string,
    details: string,
    options: { cause?: unknown },
    /** When GitHub said calls are taken again; undefined when it did not say. */
    readonly resetAt: Date | undefined,
  ) {
    super(message, status, endpoint, details, options);
    this.name = 'GitHubRateLimitError';
  }
}

/**
 * The `base-branch` input names a branch the repository does not have: no pull request can be
 * written, whatever the token, until the input is fixed; a configuration mistake, which fails the
 * step whatever `fail-on-error` says.
 */
export class MissingBaseBranchError extends GitHubError {
  constructor(message: string, endpoint: string, details: string, options: { cause?: unknown }) {
    super(message, 404, endpoint, details, options);
    this.name = 'MissingBaseBranchError';
  }
}

/** The token lacks a permission (or is invalid): the run cannot write any pull request. */
export class GitHubPermissionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHubPermissionError';
  }
}

/**
 * The message of the innermost of `error`'s causes: the one that says what happened ("connect
 * ECONNREFUSED 10.0.0.1:443", "getaddrinfo ENOTFOUND ghe.example.com") under Octokit's "fetch failed".
 */
function innermostMessage(error: unknown): string {
  let message = String(error);
  for (const link of causeChain(error)) {
    if (typeof link.message === 'string' && link.message !== '') message = link.message;
  }
  return message;
}

/** The most characters of GitHub's (or a proxy's) own text quoted in an error. */
const MAX_QUOTED = 300;

/** `text` whitespace-collapsed, cut to `max` characters with an ellipsis. */
function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * What an answer whose body is not GitHub's JSON said, briefly: a 502 or 504 from GitHub's (or a
 * proxy's) front end is an HTML page of some kilobytes, which became the whole error message, in
 * the log, the summary and the outputs. Undefined for a JSON body.
 */
function notJson(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  if (body.trim() === '') return 'an empty answer';
  if (/^\s*<(?:!doctype\s+html|html)\b/i.test(body)) {
    const title = /<title[^>]*>([^<]{0,500})<\/title>/i.exec(body)?.[1];
    return `an HTML page${title && title.trim() ? ` titled "${cut(title, 100)}"` : ''} instead of JSON`;
  }
  return cut(body, 200);
}

/** A GitHubError for a call that got no answer from GitHub (status 0), saying why. */
function unreachable(endpoint: string, caught: unknown): GitHubError {
  const refused = proxyRefusalStatus(caught);
  const why =
    refused !== undefined
      ? describeProxyRefusal(refused)
      : isNotTlsAnswer(caught)
        ? `its port ${NOT_TLS_ANSWER}; check the API URL (GITHUB_API_URL) and any proxy between`
        : (openSslFailure(caught) ?? innermostMessage(caught));
  return new GitHubError(`${endpoint}: GitHub could not be reached: ${why}`, 0, endpoint, '', {
    cause: caught,
  });
}

/**
 * The `errors` of GitHub's error body, each as its message and code (`''` when it has none). Most
 * are objects (`{ resource, code, message }`), but some endpoints give bare strings: a review
 * request for a team the token cannot see answers `"errors": ["Could not resolve to a node with
 * the global id of 'T_…'."]` (https://github.com/actions/github-script/issues/572), whose words
 * were dropped, leaving only "Validation Failed".
 */
function errorsOf(data: { errors?: unknown }): { message: string; code: string }[] {
  if (!Array.isArray(data.errors)) return [];
  return data.errors.map((x: unknown) => {
    if (typeof x === 'string') return { message: x, code: '' };
    const { message, code } = (x ?? {}) as { message?: unknown; code?: unknown };
    return {
      message: typeof message === 'string' ? message : '',
      code: typeof code === 'string' ? code : '',
    };
  });
}

/**
 * What to do about a token GitHub rejects (401): GitHub's "Bad credentials" says nothing of why,
 * and the usual causes are a person's token past its expiry date or revoked, and a GitHub App's
 * installation token, which lasts an hour (one made long before the step, or a run longer than that).
 */
const TOKEN_REJECTED_ADVICE =
  'Check the "token" input: a personal access token that expired or was revoked needs a new one, and a GitHub ' +
  "App's installation token lasts one hour (make it in the same job, right before this step).";

/** Wraps an Octokit call: RequestError becomes GitHubError; 401 and 403 on writes are fatal. */
export async function call<T>(endpoint: string, work: () => Promise<{ data: T }>): Promise<T> {
  try {
    return (await work()).data;
  } catch (caught) {
    // Already ours: the client's rate-limit gate refused the call without making it.
    if (caught instanceof GitHubError) throw caught;
    if (caught instanceof UnreadableAnswer) {
      throw new GitHubError(
        `${endpoint}: GitHub's answer could not be read: ${caught.message}`,
        0,
        endpoint,
        '',
        {
          cause: caught,
        },
      );
    }
    const e = caught as { name?: unknown; status?: unknown; message?: string; response?: { data?: unknown } };
    // Octokit reports a request that got no answer (refused connection, unknown host, a proxy that
    // would not open a tunnel, a timeout) as a 500 without a response: GitHub never said 500.
    const noAnswer = e.response === undefined && (e.name === 'HttpError' || e.name === 'AbortError');
    if (noAnswer) throw unreachable(endpoint, caught);
    const status = typeof e.status === 'number' ? e.status : 0;
    const data = (e.response?.data ?? {}) as { message?: string; errors?: unknown };
    const errors = errorsOf(data);
    const details = [data.message ?? '', ...errors.map((x) => x.message)].join('\n');
    const codes = errors.map((x) => x.code).filter((code) => code !== '');
    // A 422's `message` is only "Validation Failed"; what failed is in its errors' messages.
    const said = [
      notJson(e.response?.data) ?? data.message ?? e.message ?? String(caught),
      ...errors.map((x) => x.message),
    ]
      .filter((text) => text !== '')
      .map((text) => cut(text, MAX_QUOTED))
      .join(': ');
    const advice = workflowsAdvice(details) || branchRulesAdvice(details);
    // GitHub's words may end their sentence already ("… being restricted.").
    const then = /[.!?]$/.test(said) ? advice.replace(/^\. /, ' ') : advice;
    const message = `${endpoint} failed${status ? ` (${status})` : ''}: ${said}${then}`;
    const limit = rateLimitOf(caught);
    if (limit) {
      const { resetAt } = limit;
      throw new GitHubRateLimitError(
        `${message} (GitHub's rate limit${resetAt ? `: calls are taken again at ${utcMinute(resetAt)}` : ''})`,
        status,
        endpoint,
        details,
        { cause: caught },
        resetAt,
      );
    }
    if (status === 401) {
      throw new GitHubPermissionError(
        `GitHub rejected the token (${data.message ?? 'Bad credentials'}): it is wrong, expired or revoked. ${TOKEN_REJECTED_ADVICE}`,
        { cause: caught },
      );
    }
    // GraphQL reads are POSTs too.
    const write = !endpoint.startsWith('GET ') && !endpoint.startsWith('POST /graphql');
    if (status === 403 && write) {
      throw new GitHubPermissionError(
        `GitHub refused ${endpoint} (403 ${cut(data.message ?? 'Forbidden', MAX_QUOTED)}). ${whatToDo(endpoint, details)}`,
        { cause: caught },
      );
    }
    throw new GitHubError(message, status, endpoint, details, { cause: caught }, codes);
  }
}

/**
 * When GitHub's answer in `caught` is a rate limit: `{ resetAt }`, the reset undefined when GitHub
 * did not say; undefined for any other failure. `caught` is an Octokit RequestError, or a failed
 * GraphQL call, in either of the shapes Octokit gives it: a GraphqlResponseError (`errors` and
 * `headers` of its own) or, with the throttling plugin, the plugin's "GraphQL Rate Limit Exceeded"
 * error holding the answer (`response`, HTTP 200).
 */
export function rateLimitOf(caught: unknown): { resetAt: Date | undefined } | undefined {
  const e = caught as {
    status?: unknown;
    response?: { data?: unknown; headers?: Record<string, string | undefined> };
    headers?: Record<string, string | undefined>;
    errors?: unknown;
  };
  const graphql =
    e.errors !== undefined
      ? graphqlRateLimitOf({ errors: e.errors, headers: e.headers })
      : graphqlRateLimitOf({
          errors: (e.response?.data as { errors?: unknown } | null | undefined)?.errors,
          headers: e.response?.headers,
        });
  if (graphql) return graphql;
  if (e.response === undefined || typeof e.status !== 'number') return undefined;
  const data = (e.response.data ?? {}) as { message?: string; errors?: unknown };
  const details = [data.message ?? '', ...errorsOf(data).map((x) => x.message)].join('\n');
  const headers = e.response.headers ?? {};
  if (!isRateLimited(e.status, headers, details)) return undefined;
  return { resetAt: rateLimitReset(headers, Date.now()) };
}

/**
 * The error types of a GraphQL answer (HTTP 200) that says the limit is used up: `RATE_LIMITED`,
 * as documented, and `RATE_LIMIT`, which GitHub has answered too
 * (https://github.com/octokit/plugin-throttling.js/issues/824).
 */
const GRAPHQL_RATE_LIMITED = new Set<unknown>(['RATE_LIMITED', 'RATE_LIMIT']);

/**
 * When a GraphQL answer's `errors` say GitHub's rate limit refused the query: `{ resetAt }`, from
 * the answer's `retry-after` or `x-ratelimit-reset` (whatever `x-ratelimit-remaining` says: the
 * answer itself says the limit is used up); undefined for any other answer. See
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api.
 */
export function graphqlRateLimitOf(answer: {
  errors: unknown;
  headers: Record<string, string | undefined> | undefined;
}): { resetAt: Date | undefined } | undefined {
  const { errors, headers } = answer;
  const limited =
    Array.isArray(errors) &&
    errors.some((x) => GRAPHQL_RATE_LIMITED.has((x as { type?: unknown } | null)?.type));
  if (!limited) return undefined;
  return { resetAt: rateLimitReset(headers ?? {}, Date.now(), true) };
}

/**
 * True for GitHub's answers of a rate limit: any 429, and a 403 that says so (its primary limit
 * used up, `x-ratelimit-remaining: 0`, or a secondary limit, "You have exceeded a secondary rate
 * limit"). See https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api.
 */
function isRateLimited(
  status: number,
  headers: Record<string, string | undefined>,
  details: string,
): boolean {
  if (status === 429) return true;
  return status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(details));
}

/**
 * When a rate-limited call may be made again: `retry-after` seconds from `now` when GitHub sent it
 * (secondary limits), else `x-ratelimit-reset` when the primary limit is used up (`usedUp`: by
 * default, when `x-ratelimit-remaining` is 0).
 */
export function rateLimitReset(
  headers: Record<string, string | undefined>,
  now: number,
  usedUp = headers['x-ratelimit-remaining'] === '0',
): Date | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return new Date(now + retryAfter * 1000);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (usedUp && Number.isFinite(reset) && reset > 0) {
    return new Date(reset * 1000);
  }
  return undefined;
}

/** `2026-12-03 17:34 UTC`. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** True for a "not found" answer. */
/**
 * GitHub failed a call as it fails when it is down or overloaded: no answer (a timeout, a reset,
 * an answer that could not be read) or a server error, after the client's retries. Not a rate limit,
 * which says when calls are taken again.
 */
export function isGitHubOutage(error: unknown): boolean {
  return (
    error instanceof GitHubError &&
    !(error instanceof GitHubStopError) &&
    (error.status === 0 || (error.status >= 500 && error.status <= 599))
  );
}

export function isNotFound(error: unknown): error is GitHubError {
  return error instanceof GitHubError && error.status === 404;
}

/**
 * True for GitHub's 422 "... already exists" answer: a branch or a pull request ("Reference already
 * exists", "A pull request already exists for ..."), or a label (code `already_exists`).
 */
export function isAlreadyExists(error: unknown): error is GitHubError {
  return (
    error instanceof GitHubError &&
    error.status === 422 &&
    (/already exists/i.test(error.details) || error.codes.includes('already_exists'))
  );
}
