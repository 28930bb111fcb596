/**
 * The GitHub boundary (`src/github/github-call.ts`) with a real Octokit client against real servers
 * on 127.0.0.1: an answer keeps GitHub's status, and a request that got no answer says so, with
 * status 0, instead of the 500 Octokit makes up. (A proxy's refusal is action-proxy.test.ts's: the
 * toolkit decides on the proxy once, when it is imported.)
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call, GitHubError, GitHubRateLimitError, isNotFound } from '../../src/github/github-call.js';
import { createGitHubClient } from '../../src/github/octokit.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * A server answering every request with `status` and a body: by default a GitHub-shaped error
 * body, `{ message: 'said STATUS' }`.
 */
async function answering(
  status: number,
  body = JSON.stringify({ message: `said ${status}` }),
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<string> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A URL where nothing listens. */
async function nothingListening(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A server that takes requests and never answers. */
async function silent(): Promise<string> {
  const server: Server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Calls `GET /repos/acme/x` through a client of `baseUrl`; the error, if any. */
async function failureOf(baseUrl: string, signal?: AbortSignal): Promise<unknown> {
  const github = createGitHubClient({ token: 't', baseUrl, retries: 0, spaceWrites: false });
  return call('GET /repos/acme/x', () =>
    github.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'x', request: { signal } }),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('a call that GitHub answered', () => {
  it.each([
    [404, 'GET /repos/acme/x failed (404): said 404', true],
    [500, 'GET /repos/acme/x failed (500): said 500', false],
  ])('%i keeps its status', async (status, message, notFound) => {
    const failure = await failureOf(await answering(status));
    expect(failure).toBeInstanceOf(GitHubError);
    expect({
      status: (failure as GitHubError).status,
      message: (failure as Error).message,
      notFound: isNotFound(failure),
    }).toEqual({
      status,
      message,
      notFound,
    });
  });
});

describe('what GitHub said', () => {
  // Most errors are objects; a review request for a team the token cannot see gives a bare string
  // (https://github.com/actions/github-script/issues/572), whose words were dropped.
  it.each<[string, unknown[], string]>([
    [
      'objects',
      [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:b.' }],
      'A pull request already exists for acme:b.',
    ],
    [
      'strings',
      ["Could not resolve to a node with the global id of 'T_kwDOAAWW-c4ATMYo'."],
      "Could not resolve to a node with the global id of 'T_kwDOAAWW-c4ATMYo'.",
    ],
  ])(
    'a 422 says what failed: its errors\' messages (%s) follow "Validation Failed"',
    async (_name, errors, said) => {
      const body = JSON.stringify({
        message: 'Validation Failed',
        errors,
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        status: '422',
      });
      const failure = await failureOf(await answering(422, body));
      expect((failure as Error).message).toBe(`GET /repos/acme/x failed (422): Validation Failed: ${said}`);
      expect((failure as GitHubError).details).toBe(`Validation Failed\n${said}`);
    },
  );
});

describe('a refusal by a branch protection rule or a ruleset', () => {
  // Every branch under the prefix is refused alike, every run: the error says what to change.
  const RULES =
    "A branch protection rule or a ruleset (Settings > Branches, Settings > Rules, or the organization's rulesets) " +
    "covers this Action's branches: make its pattern leave the branch-prefix out, or add the token's GitHub App or " +
    'user to its bypass list';
  // A person's token makes unsigned commits: no bypass list is needed, another token is.
  const SIGNED =
    "A rule requiring signed commits (a branch protection rule or a ruleset) covers this Action's branches, and " +
    'GitHub signs this Action\'s commits only when a GitHub App\'s token makes them: leave the "token" input at its default ' +
    "(GITHUB_TOKEN) or give it a GitHub App's token (not a person's), or make the rule's pattern leave the branch-prefix out";
  it.each([
    ['Repository rule violations found\n\nCannot create ref due to creations being restricted.\n\n', RULES],
    ['Repository rule violations found\n\nCommits must have verified signatures.\n\n', SIGNED],
    ['Cannot force-push to this protected branch', RULES],
  ])('%j says which settings to change', async (said, advice) => {
    const body = JSON.stringify({
      message: said,
      documentation_url: 'https://docs.github.com/rest/git/refs',
    });
    const failure = await failureOf(await answering(422, body));
    expect((failure as Error).message).toBe(
      `GET /repos/acme/x failed (422): ${said.replace(/\s+/g, ' ').trim().replace(/\.$/, '')}. ${advice}`,
    );
  });
});

describe("an answer that is not GitHub's JSON", () => {
  const unicorn =
    '<!DOCTYPE html>\n<html>\n<head><title>Unicorn! &middot; GitHub</title><style>' +
    'body { color: #000 } '.repeat(1000) +
    '</style></head><body>No server is currently available to service your request.</body></html>';
  it.each<[string, number, string, string, string]>([
    [
      'a 502 HTML page',
      502,
      unicorn,
      'text/html; charset=utf-8',
      'an HTML page titled "Unicorn! &middot; GitHub" instead of JSON',
    ],
    ['a 504 in plain text', 504, 'upstream request timeout', 'text/plain', 'upstream request timeout'],
    ['an empty 502', 502, '', 'text/plain', 'an empty answer'],
    ['a page of text', 503, `busy ${'x'.repeat(5000)}`, 'text/plain', `busy ${'x'.repeat(194)}…`],
    [
      'a JSON message of 20,000 characters',
      500,
      JSON.stringify({ message: 'y'.repeat(20_000) }),
      'application/json',
      `${'y'.repeat(299)}…`,
    ],
  ])('%s is said in a few words', async (_name, status, body, type, said) => {
    const failure = await failureOf(await answering(status, body, { 'content-type': type }));
    expect(failure).toBeInstanceOf(GitHubError);
    expect((failure as Error).message).toBe(`GET /repos/acme/x failed (${status}): ${said}`);
  });
});

/** A server that starts a 200 answer of GitHub's JSON and ends it as `end` says. */
async function startedAnswer(
  end: 'cut short' | 'trickles' | 'floods',
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const timers: NodeJS.Timeout[] = [];
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.write('{"default_branch": "main", "description": "');
    // Closed once the head and the start of the body are on their way.
    if (end === 'cut short') timers.push(setTimeout(() => res.destroy(), 100));
    else {
      const chunk = end === 'floods' ? 'x'.repeat(64 * 1024) : 'x';
      const timer = setInterval(() => res.write(chunk), end === 'floods' ? 1 : 50);
      timers.push(timer);
      res.on('close', () => clearInterval(timer));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    timers.forEach(clearInterval);
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

// Octokit swallowed a failure to read a successful answer's body: the call resolved with '' for
// its data, and the writer looked for the base branch "undefined" (`''.default_branch`), or took a
// file it read so for one the base does not have. And it read a body of any size.
describe('a successful answer that cannot be read', () => {
  it.each<[string, () => Promise<{ url: string; requests: () => number }>, string]>([
    [
      'cut short',
      () => startedAnswer('cut short'),
      'its answer was empty or cut short (the connection closed before its end)',
    ],
    [
      "still arriving when the attempt's time is up",
      () => startedAnswer('trickles'),
      'its answer did not arrive whole in the time an attempt has',
    ],
    [
      'past the most bytes read',
      () => startedAnswer('floods'),
      'its answer is larger than 1 MiB, the most read of one answer',
    ],
    [
      "a proxy's page with status 200",
      async () => ({
        url: await answering(200, '<html><body>Sign in</body></html>', { 'content-type': 'text/html' }),
        requests: () => 0,
      }),
      'its answer is an HTML page, not JSON (a proxy between?)',
    ],
    [
      'JSON cut in the middle',
      async () => ({ url: await answering(200, '{"default_branch": "ma'), requests: () => 0 }),
      'its answer is not JSON: {"default_branch": "ma',
    ],
  ])('%s: the call fails, saying so, after its retries', async (_name, start, why) => {
    const server = await start();
    const github = createGitHubClient({
      token: 't',
      baseUrl: server.url,
      retries: 1,
      retryAfterBaseValue: 0,
      spaceWrites: false,
      // Short for the answer that trickles, which only an attempt's time ends; long enough for
      // the others that a loaded machine does not end them first.
      requestTimeoutMs: why.includes('in the time an attempt has') ? 300 : 10_000,
      maxAnswerBytes: 1024 * 1024,
    });
    const failure = await call('GET /repos/acme/x', () =>
      github.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'x' }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitHubError);
    expect({ status: (failure as GitHubError).status, message: (failure as Error).message }).toEqual({
      status: 0,
      message: `GET /repos/acme/x: GitHub's answer could not be read: ${why}`,
    });
    if (server.requests() > 0) expect(server.requests()).toBe(2);
  });

  it.each([
    ['an answer of no content (204)', 204, ''],
    [
      'a whole answer just under the most bytes read',
      200,
      JSON.stringify({ description: 'x'.repeat(1024 * 1024 - 20) }),
    ],
  ])('%s is read as ever', async (_name, status, body) => {
    const github = createGitHubClient({
      token: 't',
      baseUrl: await answering(status, body),
      retries: 0,
      spaceWrites: false,
      maxAnswerBytes: 1024 * 1024,
    });
    const answer = await call('GET /repos/acme/x', () =>
      github.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'x' }),
    );
    expect(answer).toEqual(status === 204 ? '' : JSON.parse(body));
  });
});

describe('a rate limit', () => {
  const secondary = JSON.stringify({ message: 'You have exceeded a secondary rate limit.' });
  it.each<[string, number, string, Record<string, string>, number | (() => number) | undefined]>([
    ['a 429 with retry-after', 429, secondary, { 'retry-after': '60' }, 60],
    ['a 403 secondary limit without retry-after', 403, secondary, {}, undefined],
    [
      'the primary limit used up',
      403,
      JSON.stringify({ message: 'API rate limit exceeded for installation ID 1.' }),
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4102444800' },
      // In seconds from now, as at the call (not when the table is read: a loaded machine may
      // take seconds between the two).
      () => 4102444800 - Date.now() / 1000,
    ],
  ])(
    '%s is a GitHubRateLimitError saying when calls are taken again',
    async (_name, status, body, headers, expectedIn) => {
      const inSeconds = typeof expectedIn === 'function' ? expectedIn() : expectedIn;
      const failure = await failureOf(
        await answering(status, body, { 'content-type': 'application/json', ...headers }),
      );
      expect(failure).toBeInstanceOf(GitHubRateLimitError);
      const { resetAt, message } = failure as GitHubRateLimitError;
      if (inSeconds === undefined) {
        expect(resetAt).toBeUndefined();
        expect(message).toMatch(/\(GitHub's rate limit\)$/);
      } else {
        expect(Math.abs(resetAt!.getTime() - Date.now() - inSeconds * 1000)).toBeLessThan(5000);
        expect(message).toMatch(
          /\(GitHub's rate limit: calls are taken again at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
        );
      }
    },
  );
});

describe('a GraphQL answer with errors', () => {
  /** Calls a GraphQL query through a client of `baseUrl`; the error, if any. */
  async function graphqlFailure(baseUrl: string): Promise<unknown> {
    const github = createGitHubClient({ token: 't', baseUrl, retries: 0, spaceWrites: false });
    return call('POST /graphql (branches of acme/x)', async () => ({
      data: await github.graphql('query { viewer { login } }'),
    })).then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  it.each<[string, 'RATE_LIMITED' | 'RATE_LIMIT', Record<string, string>, Date | undefined]>([
    [
      'RATE_LIMITED',
      'RATE_LIMITED',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4102444800' },
      new Date(4102444800 * 1000),
    ],
    // The answer says the limit is used up, whatever the remaining count says.
    [
      'RATE_LIMITED, remaining not 0',
      'RATE_LIMITED',
      { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': '4102444800' },
      new Date(4102444800 * 1000),
    ],
    ['RATE_LIMIT, without a reset', 'RATE_LIMIT', {}, undefined],
  ])(
    '%s (HTTP 200) is a GitHubRateLimitError saying when, if GitHub said',
    async (_name, type, headers, at) => {
      const body = JSON.stringify({
        data: null,
        errors: [{ type, message: 'API rate limit exceeded for user ID 1.' }],
      });
      const failure = await graphqlFailure(
        await answering(200, body, { 'content-type': 'application/json', ...headers }),
      );
      expect(failure).toBeInstanceOf(GitHubRateLimitError);
      expect((failure as GitHubRateLimitError).resetAt).toEqual(at);
      expect((failure as Error).message).toMatch(
        at
          ? /API rate limit exceeded.*calls are taken again at 2100-01-01 00:00 UTC\)$/
          : /API rate limit exceeded.*\(GitHub's rate limit\)$/,
      );
    },
  );

  it('other errors with partial data fail the call, in a bounded message', async () => {
    const body = JSON.stringify({
      data: { b0: null },
      errors: Array.from({ length: 100 }, (_, i) => ({
        type: 'NOT_FOUND',
        message: `Could not resolve ${i}`,
      })),
    });
    const failure = await graphqlFailure(await answering(200, body));
    expect(failure).toBeInstanceOf(GitHubError);
    expect(failure).not.toBeInstanceOf(GitHubRateLimitError);
    expect((failure as Error).message.length).toBeLessThan(400);
  });
});

describe('a call that got no answer', () => {
  it('nothing listening: status 0, and what the connection said', async () => {
    const url = await nothingListening();
    const failure = await failureOf(url);
    expect(failure).toBeInstanceOf(GitHubError);
    expect({ status: (failure as GitHubError).status, message: (failure as Error).message }).toEqual({
      status: 0,
      message: `GET /repos/acme/x: GitHub could not be reached: connect ECONNREFUSED ${new URL(url).host}`,
    });
  });

  it("an API URL over HTTPS whose port speaks plain HTTP: status 0, said so, not in OpenSSL's words", async () => {
    // A plain-HTTP server, asked at its port over HTTPS.
    const failure = await failureOf((await answering(200, '{}')).replace(/^http:/, 'https:'));
    expect(failure).toBeInstanceOf(GitHubError);
    expect({ status: (failure as GitHubError).status, message: (failure as Error).message }).toEqual({
      status: 0,
      message:
        'GET /repos/acme/x: GitHub could not be reached: its port did not answer in TLS: it speaks plain HTTP ' +
        '(or another protocol), not the HTTPS it was asked in; check the API URL (GITHUB_API_URL) and any proxy between',
    });
  });

  // Octokit sets no time limit: a GitHub (or proxy) connection that never answers held the run
  // until the job's own timeout.
  it.each([
    ['without retries', 0, 1],
    ['with a retry: each attempt gets its own time', 1, 2],
  ])('no answer in the time an attempt has, %s: status 0, timed out', async (_name, retries, attempts) => {
    let requests = 0;
    const server: Server = createServer(() => {
      requests++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const github = createGitHubClient({
      token: 't',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      retries,
      retryAfterBaseValue: 0,
      spaceWrites: false,
      requestTimeoutMs: 200,
    });
    const started = Date.now();
    const failure = await call('GET /repos/acme/x', () =>
      github.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'x' }),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitHubError);
    expect((failure as GitHubError).status).toBe(0);
    expect((failure as Error).message).toBe(
      'GET /repos/acme/x: GitHub could not be reached: The operation was aborted due to timeout',
    );
    expect(requests).toBe(attempts);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('no answer before the signal: status 0, and the abort', async () => {
    const failure = await failureOf(await silent(), AbortSignal.timeout(100));
    expect(failure).toBeInstanceOf(GitHubError);
    expect({ status: (failure as GitHubError).status, message: (failure as Error).message }).toEqual({
      status: 0,
      message: 'GET /repos/acme/x: GitHub could not be reached: The operation was aborted due to timeout',
    });
  });
});
