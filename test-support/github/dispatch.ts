/**
 * The stand-in's request dispatch: every request goes through it one at a time, in this order:
 *
 * 1. find the operation (an unknown one is a violation and 404);
 * 2. authenticate the token (401 "Requires authentication" or "Bad credentials");
 * 3. validate path, query and body against GitHub's OpenAPI description (a violation and 422);
 * 4. run a staged `beforeNext` hook, then an injected fault if one matches (502, a lost response,
 *    a secondary rate limit with `retry-after`, a list that lags the writes, or any status);
 * 5. find the repository (404), check the token's permission (403 "Resource not accessible by
 *    integration"), that an archived repository is not written to and that GITHUB_TOKEN may open
 *    pull requests (the repository's setting; 403 with GitHub's words), run the handler, and
 *    answer with rate-limit headers.
 *
 * `POST /graphql` takes the same turn with its own checks (see `graphql.ts`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runGraphql } from './graphql.js';
import { compileOperation, type CompiledOperation } from './openapi-validator.js';
import { DOCS, HttpError, type Answer, type Handler, type Need } from './routing.js';
import {
  ACTIONS_BOT,
  READ_ONLY_TOKEN,
  WRITE_TOKEN,
  type Fault,
  type LoggedRequest,
  type RepoState,
  type TokenPermissions,
} from './stand-in-state.js';

const RATE_LIMIT = 5000;

/** What the dispatcher reads and records of the stand-in. */
export interface DispatchHost {
  /** Requests that broke the OpenAPI description (or the stand-in's own rules). */
  readonly violations: string[];
  /** Every request, in order. */
  readonly requests: LoggedRequest[];
  readonly repos: ReadonlyMap<string, RepoState>;
  /** The objects a GraphQL request of a token with `permissions` runs over (see `graphql-root.ts`). */
  graphqlRoot(permissions: TokenPermissions): Record<string, unknown>;
  /**
   * Where the API is served, as on GitHub Enterprise Server: REST under `/api/v3`, GraphQL at
   * `/api/graphql`; a request elsewhere is a violation. Undefined: at the root, as api.github.com.
   */
  enterprise?(): boolean;
}

/** GitHub Enterprise Server's REST prefix and GraphQL path. */
const ENTERPRISE_REST = '/api/v3';
const ENTERPRISE_GRAPHQL = '/api/graphql';

/** Routes, tokens, faults and hooks, and the handling of each request through them. */
export class RequestDispatcher {
  private readonly tokens = new Map<string, TokenPermissions>([
    [WRITE_TOKEN, { contents: 'write', pull_requests: 'write', issues: 'write', members: 'read' }],
    [READ_ONLY_TOKEN, { contents: 'read', pull_requests: 'read', issues: 'read', members: 'read' }],
  ]);
  private readonly faults: (Fault & { remaining: number })[] = [];
  private readonly hooks: { operationId: string; hook: (body: unknown) => Promise<void> }[] = [];
  private readonly routes: { operation: CompiledOperation; need: Need; handler: Handler }[] = [];
  private queue: Promise<void> = Promise.resolve();
  private remaining = RATE_LIMIT;

  constructor(private readonly host: DispatchHost) {}

  /** Serves `method template` (a path of the OpenAPI description) with `handler`. */
  route(method: string, template: string, need: Need, handler: Handler): void {
    this.routes.push({ operation: compileOperation(method, template), need, handler });
  }

  /** Adds a token with the given permissions. */
  addToken(token: string, permissions: TokenPermissions): void {
    this.tokens.set(token, permissions);
  }

  /** Makes the next matching requests fail. */
  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Runs `hook` once, just before the next request of an operation is handled. */
  beforeNext(operationId: string, hook: (body: unknown) => Promise<void>): void {
    this.hooks.push({ operationId, hook });
  }

  /** Drops every pending fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Answers one request (after the ones before it). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    if (this.host.enterprise?.()) {
      const path = url.pathname;
      if (path === ENTERPRISE_GRAPHQL) url.pathname = '/graphql';
      else if (path.startsWith(`${ENTERPRISE_REST}/`)) url.pathname = path.slice(ENTERPRISE_REST.length);
      else {
        this.host.violations.push(
          `${method} ${path}: not under ${ENTERPRISE_REST} nor ${ENTERPRISE_GRAPHQL}`,
        );
        res.writeHead(404).end();
        return;
      }
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const log: LoggedRequest = { method, path: url.pathname, operationId: undefined, status: 0 };
    this.host.requests.push(log);
    // One request at a time: GitHub's checks ("already exists", fast-forward) are atomic, and
    // handlers await git between check and change, so concurrent requests must not interleave.
    const turn = this.queue.then(() => this.answer(req, method, url, raw, log));
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    const answer = await turn;
    log.status = answer.status;
    this.remaining = Math.max(0, this.remaining - 1);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': `STANDIN:${this.host.requests.length}`,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(RATE_LIMIT - this.remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...answer.headers,
    };
    if (answer.status === 204 || answer.body === undefined) {
      res.writeHead(answer.status, headers).end();
    } else {
      res.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
    }
  }

  private async answer(
    req: IncomingMessage,
    method: string,
    url: URL,
    raw: string,
    log: LoggedRequest,
  ): Promise<Answer> {
    if (method === 'POST' && url.pathname === '/graphql') return this.answerGraphql(req, raw, log);
    const route = this.routes.find(
      (r) => r.operation.method === method && r.operation.pattern.test(url.pathname),
    );
    if (!route) {
      this.host.violations.push(`${method} ${url.pathname}: no such operation in the stand-in`);
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    }
    const { operation } = route;
    log.operationId = operation.operationId;

    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)?.[1];
    if (!token) return { status: 401, body: { message: 'Requires authentication', documentation_url: DOCS } };
    const permissions = this.tokens.get(token);
    if (!permissions) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };

    const match = operation.pattern.exec(url.pathname)!;
    const params: Record<string, string> = {};
    operation.pathParameterNames.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1]);
    });
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    let body: unknown;
    const hasBody = raw.length > 0;
    if (hasBody) {
      try {
        body = JSON.parse(raw);
      } catch {
        this.host.violations.push(`${method} ${url.pathname}: body is not JSON`);
        return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
      }
    }
    const problems = operation.validate(params, query, body, hasBody);
    if (problems.length > 0) {
      this.host.violations.push(`${operation.operationId} ${method} ${url.pathname}: ${problems.join('; ')}`);
      return {
        status: 422,
        body: {
          message: `Invalid request.\n\n${problems.join('\n')}`,
          documentation_url: DOCS,
          status: '422',
        },
      };
    }

    const hookIndex = this.hooks.findIndex((h) => h.operationId === operation.operationId);
    if (hookIndex >= 0) {
      const [{ hook }] = this.hooks.splice(hookIndex, 1);
      await hook(body);
    }

    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operationId === undefined || f.operationId === operation.operationId),
    );
    if (fault?.kind === 'lost-response') {
      fault.remaining--;
      await this.handleRoute(route, repoKey(params), permissions, params, query, body);
      return { status: 502, body: { message: 'Server Error' } };
    }
    if (fault) {
      fault.remaining--;
      if (fault.kind === 'bad-gateway') return { status: 502, body: { message: 'Server Error' } };
      if (fault.kind === 'stale-list') return { status: 200, body: [] };
      if (fault.kind === 'rate-limit-exhausted') return rateLimitExhausted();
      if (fault.kind === 'secondary-rate-limit') {
        return {
          status: 403,
          headers: { 'retry-after': String(fault.retryAfter ?? 1) },
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID STANDIN.',
            documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
            status: '403',
          },
        };
      }
      return { status: fault.kind.status, body: { message: fault.kind.message, documentation_url: DOCS } };
    }

    return this.handleRoute(route, repoKey(params), permissions, params, query, body);
  }

  /** Runs a validated request's handler: the repository, the permission, then the operation. */
  private async handleRoute(
    route: { operation: CompiledOperation; need: Need; handler: Handler },
    key: string,
    permissions: TokenPermissions,
    params: Record<string, string>,
    query: Record<string, string>,
    body: unknown,
  ): Promise<Answer> {
    const repo = this.host.repos.get(key);
    if (!repo) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };

    const [permission, level] = route.need;
    if (level === 'write' && permissions[permission] !== 'write') {
      return {
        status: 403,
        headers: { 'x-accepted-github-permissions': `${permission}=write` },
        body: {
          message: `Resource not accessible by ${permissions.fineGrained ? 'personal access token' : 'integration'}`,
          documentation_url: DOCS,
          status: '403',
        },
      };
    }
    if (level === 'write' && repo.archived) {
      return {
        status: 403,
        body: { message: 'Repository was archived so is read-only.', documentation_url: DOCS, status: '403' },
      };
    }
    const actor = permissions.login ?? ACTIONS_BOT;
    if (
      route.operation.operationId === 'pulls/create' &&
      actor === ACTIONS_BOT &&
      !repo.actionsMayCreatePulls
    ) {
      return {
        status: 403,
        body: {
          message: 'GitHub Actions is not permitted to create or approve pull requests.',
          documentation_url: `${DOCS}/pulls/pulls#create-a-pull-request`,
          status: '403',
        },
      };
    }

    try {
      return await route.handler({
        repo,
        params,
        query,
        body: (body && typeof body === 'object' ? body : {}) as Record<string, unknown>,
        rawBody: body,
        actor,
        mayWriteWorkflows: permissions.workflows === 'write',
        mayReadTeams: permissions.members === 'read',
      });
    } catch (error) {
      if (error instanceof HttpError) {
        const payload: Record<string, unknown> = { message: error.message, documentation_url: DOCS };
        if (error.errors) payload.errors = error.errors;
        payload.status = String(error.status);
        return { status: error.status, body: payload };
      }
      throw error;
    }
  }

  /** `POST /graphql`: validated against GitHub's schema, run over the objects of `graphql-root.ts`. */
  private async answerGraphql(req: IncomingMessage, raw: string, log: LoggedRequest): Promise<Answer> {
    log.operationId = 'graphql';
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const permissions = token === undefined ? undefined : this.tokens.get(token);
    if (!permissions) {
      return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
    }
    const fault = this.faults.find(
      (f) => f.remaining > 0 && (f.operationId === undefined || f.operationId === 'graphql'),
    );
    if (fault) {
      fault.remaining--;
      if (typeof fault.kind === 'object') {
        return { status: fault.kind.status, body: { message: fault.kind.message, documentation_url: DOCS } };
      }
      if (fault.kind === 'rate-limit-exhausted')
        return graphqlRateLimited(fault.graphqlType ?? 'RATE_LIMITED');
      return { status: 502, body: { message: 'Server Error' } };
    }
    let request: unknown;
    try {
      request = JSON.parse(raw);
    } catch {
      this.host.violations.push('graphql: body is not JSON');
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    }
    const hookIndex = this.hooks.findIndex((h) => h.operationId === 'graphql');
    if (hookIndex >= 0) {
      const [{ hook }] = this.hooks.splice(hookIndex, 1);
      await hook(request);
    }
    const answer = await runGraphql(request, this.host.graphqlRoot(permissions));
    this.host.violations.push(...answer.violations);
    return { status: 200, body: answer.body };
  }
}

/**
 * GitHub's answer once the primary rate limit is used up: 403 with `x-ratelimit-remaining: 0` and
 * the reset (epoch seconds) an hour away. The headers override the ones every answer gets.
 */
function rateLimitExhausted(): Answer {
  return {
    status: 403,
    headers: {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(RATE_LIMIT),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1000.',
      documentation_url: `${DOCS}/overview/resources-in-the-rest-api#rate-limiting`,
      status: '403',
    },
  };
}

/**
 * GitHub's GraphQL answer once its primary rate limit is used up: HTTP 200, no data, an error of
 * `type` (with the `code` and words GitHub answers with), and the rate-limit headers of the REST
 * answer. See https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 * and, for the body, https://github.com/yanyongyu/githubkit/issues/271.
 */
function graphqlRateLimited(type: 'RATE_LIMITED' | 'RATE_LIMIT'): Answer {
  const { headers } = rateLimitExhausted();
  return {
    status: 200,
    headers: { ...headers, 'x-ratelimit-resource': 'graphql' },
    body: {
      data: null,
      errors: [
        { type, code: 'graphql_rate_limit', message: 'API rate limit already exceeded for user ID 1000.' },
      ],
    },
  };
}

/** The repositories map's key of a request's `owner` and `repo` parameters. */
function repoKey(params: Record<string, string>): string {
  return `${params.owner}/${params.repo}`.toLowerCase();
}
