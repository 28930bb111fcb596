/**
 * The token goes only to the API's own origin (`GITHUB_API_URL`): a `Link` header whose next page
 * is on another origin is not followed, since Octokit would send the token with it. A real
 * Octokit client pages through `GET /repos/{owner}/{repo}/pulls` against two small servers on
 * 127.0.0.1: the API, whose first page links to the next one where each row says, and the
 * other origin, which records whatever reaches it.
 */
import { afterEach, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { call } from '../../src/github/github-call.js';
import { createGitHubClient } from '../../src/github/octokit.js';

const TOKEN = 'ghs_token_of_the_api_only';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server answering one page of one pull request, with `link` when given; it logs what it gets. */
async function pages(log: string[], link?: (port: number) => string): Promise<number> {
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url} ${req.headers.authorization ?? 'without a token'}`);
    const port = (server.address() as AddressInfo).port;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (link && !req.url!.includes('page=2')) headers.link = `<${link(port)}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify([{ number: req.url!.includes('page=2') ? 2 : 1 }]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

it.each([
  ['another port of the same host', (other: number) => `http://127.0.0.1:${other}/repos/acme/x/pulls?page=2`],
  [
    'another name of the same machine',
    (other: number) => `http://localhost:${other}/repos/acme/x/pulls?page=2`,
  ],
])('a next page on %s is not asked for: the token stays with the API', async (_name, next) => {
  const elsewhere: string[] = [];
  const other = await pages(elsewhere);
  const api: string[] = [];
  const port = await pages(api, () => next(other));
  const github = createGitHubClient({
    token: TOKEN,
    baseUrl: `http://127.0.0.1:${port}`,
    retries: 0,
    spaceWrites: false,
  });
  const failure = await call('GET /repos/acme/x/pulls', async () => ({
    data: await github.paginate(github.rest.pulls.list, { owner: 'acme', repo: 'x', per_page: 1 }),
  })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(elsewhere).toEqual([]);
  expect(api).toEqual([`GET /repos/acme/x/pulls?per_page=1 token ${TOKEN}`]);
  expect((failure as Error).message).toMatch(
    /^GET \/repos\/acme\/x\/pulls failed: GitHub's answer led to http:\/\/(127\.0\.0\.1|localhost):\d+, not the API's http:\/\/127\.0\.0\.1:\d+ \(GITHUB_API_URL\); the request was not sent/,
  );
});

it("a next page on the API's own origin is read as before", async () => {
  const api: string[] = [];
  const port = await pages(api, (own) => `http://127.0.0.1:${own}/repos/acme/x/pulls?per_page=1&page=2`);
  const github = createGitHubClient({
    token: TOKEN,
    baseUrl: `http://127.0.0.1:${port}`,
    retries: 0,
    spaceWrites: false,
  });
  const pulls = await github.paginate(github.rest.pulls.list, { owner: 'acme', repo: 'x', per_page: 1 });
  expect(pulls.map((p) => p.number)).toEqual([1, 2]);
  expect(api).toHaveLength(2);
});
