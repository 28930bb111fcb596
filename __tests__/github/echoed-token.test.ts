/**
 * An answer that echoes the request's `Authorization` header (a GitHub Enterprise Server's load
 * balancer, a proxy's error page, a debugging front end) never carries the token into what the
 * run quotes: a real Octokit client against a small server on 127.0.0.1 that writes the header it
 * was sent into its answer, in each shape GitHub's text reaches an error (`src/github/redacted-answers.ts`).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call } from '../../src/github/github-call.js';
import { createGitHubClient } from '../../src/github/octokit.js';

const TOKEN = 'ghs_0123456789abcdefEchoedToken42';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** What the server answers, made from the request's Authorization header. */
interface Echo {
  status: number;
  contentType: string;
  body: (authorization: string) => string;
}

/** A server answering every request with `echo`. */
async function echoing(echo: Echo): Promise<string> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      res
        .writeHead(echo.status, { 'content-type': echo.contentType })
        .end(echo.body(req.headers.authorization ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = 'application/json; charset=utf-8';
const base64 = (text: string): string => Buffer.from(text).toString('base64');

/** The token as it may stand in a message: as sent, and as the echoes below encode it. */
const FORMS = [TOKEN, base64(TOKEN).replace(/=+$/, ''), encodeURIComponent(`token ${TOKEN}`)];

const REST: [string, Echo][] = [
  [
    'a JSON message quoting the header',
    { status: 422, contentType: json, body: (a) => JSON.stringify({ message: `Unexpected header: ${a}` }) },
  ],
  [
    "a validation error's errors[].message",
    {
      status: 422,
      contentType: json,
      body: (a) => JSON.stringify({ message: 'Validation Failed', errors: [{ message: `from ${a}` }] }),
    },
  ],
  [
    'a 401 saying which credentials it got',
    { status: 401, contentType: json, body: (a) => JSON.stringify({ message: `Bad credentials: ${a}` }) },
  ],
  [
    'a plain-text error page',
    {
      status: 500,
      contentType: 'text/plain',
      body: (a) => `upstream failed; request headers:\nauthorization: ${a}\n`,
    },
  ],
  [
    "an HTML page's title",
    {
      status: 502,
      contentType: 'text/html',
      body: (a) => `<html><head><title>Bad gateway for ${a}</title></head><body>${a}</body></html>`,
    },
  ],
  [
    'the header base64-encoded',
    { status: 400, contentType: json, body: (a) => JSON.stringify({ message: `debug=${base64(a)}` }) },
  ],
  [
    'the header URL-encoded',
    {
      status: 400,
      contentType: json,
      body: (a) => JSON.stringify({ message: `see /log?h=${encodeURIComponent(a)}` }),
    },
  ],
  ['a JSON body that does not parse', { status: 500, contentType: json, body: (a) => `{"message": "${a}"` }],
];

/** Every text of `failure` a message is made from: its message and GitHub's answer in it. */
function quotedTexts(failure: unknown): string {
  const e = failure as { message?: string; response?: { data?: unknown }; errors?: unknown };
  return [e.message ?? '', JSON.stringify(e.response?.data ?? ''), JSON.stringify(e.errors ?? '')].join('\n');
}

describe('an answer echoing the token', () => {
  it.each(REST)('in %s: the error quotes what was said, without the token', async (_name, echo) => {
    for (const retries of [0, 1]) {
      const github = createGitHubClient({
        token: TOKEN,
        baseUrl: await echoing(echo),
        retries,
        retryAfterBaseValue: 0,
        spaceWrites: false,
      });
      const failure = await call('POST /repos/acme/x/git/blobs', () =>
        github.request('POST /repos/{owner}/{repo}/git/blobs', { owner: 'acme', repo: 'x', content: 'x' }),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(Error);
      const texts = quotedTexts(failure);
      for (const form of FORMS) expect(texts).not.toContain(form);
      // What the server said around the token is still quoted.
      expect((failure as Error).message).toMatch(/\(\d{3}|GitHub rejected the token/);
    }
  });

  it("in a GraphQL answer's errors (HTTP 200): the error Octokit makes from them is without it", async () => {
    const github = createGitHubClient({
      token: TOKEN,
      baseUrl: await echoing({
        status: 200,
        contentType: json,
        body: (a) =>
          JSON.stringify({
            data: null,
            errors: [{ type: 'FORBIDDEN', message: `Refused for ${a}`, path: ['x'] }],
          }),
      }),
      retries: 0,
      spaceWrites: false,
    });
    const failure = await github.graphql('query { viewer { login } }').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((failure as Error).message).toContain('Refused for token ***');
    for (const form of FORMS) expect(quotedTexts(failure)).not.toContain(form);
  });
});
