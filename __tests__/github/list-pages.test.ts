/**
 * REST lists read within bounds (`src/github/list-pages.ts`), with a real Octokit client against a
 * small server on 127.0.0.1 whose `Link` header says where the next page is. Octokit's paginate
 * followed it for as long as there was one: a list that never ended, or that linked back to a page
 * it gave, was read until the job's time ran out. And GraphQL's open pull requests, whose next page
 * without a new cursor was read again and again, 100 times, ending in a count that was never true.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubError } from '../../src/github/github-call.js';
import { MAX_LIST_PAGES } from '../../src/github/list-pages.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { readOpenPulls } from '../../src/github/read-open-pulls.js';
import { readBranchPulls } from '../../src/github/read-state.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Where page `n` links to: the next page, the first one again, or nowhere after `last`. */
type NextPage = (page: number) => number | undefined;

/** A server listing one closed pull request of branch `b` a page, linking pages as `next` says. */
async function listing(next: NextPage): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const page = Number(url.searchParams.get('page') ?? '1');
    const to = next(page);
    if (to !== undefined) url.searchParams.set('page', String(to));
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(to !== undefined ? { link: `<${url.href}>; rel="next"` } : {}),
    });
    res.end(
      JSON.stringify([
        {
          number: page,
          state: 'closed',
          html_url: `https://github.com/acme/x/pull/${page}`,
          body: null,
          merged_at: null,
          base: { ref: 'main' },
          head: { ref: 'b', repo: { full_name: 'acme/x' } },
        },
      ]),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

/** A branch's pull requests read through `readBranchPulls` from `server`. */
function readFrom(server: { url: string }): Promise<{ closed: { number: number }[] }> {
  const github = createGitHubClient({ token: 't', baseUrl: server.url, retries: 0, spaceWrites: false });
  return readBranchPulls({ github, owner: 'acme', repo: 'x' }, 'b');
}

describe('a REST list', () => {
  it.each<[string, NextPage, number]>([
    ['one page', () => undefined, 1],
    ['three pages', (page) => (page < 3 ? page + 1 : undefined), 3],
    ['exactly the most pages read', (page) => (page < MAX_LIST_PAGES ? page + 1 : undefined), MAX_LIST_PAGES],
  ])('of %s is read whole', async (_name, next, pages) => {
    const server = await listing(next);
    const read = await readFrom(server);
    expect(read.closed.map((pull) => pull.number)).toEqual(Array.from({ length: pages }, (_, i) => i + 1));
    expect(server.requests()).toBe(pages);
  });

  it.each<[string, NextPage, number, string]>([
    [
      'that never ends',
      (page) => page + 1,
      MAX_LIST_PAGES,
      `GET /repos/acme/x/pulls: GitHub's list goes on past ${MAX_LIST_PAGES} pages (10,000 items at most are read); not read further`,
    ],
    [
      'that links back to a page it gave',
      (page) => (page < 3 ? page + 1 : 2),
      4,
      "GET /repos/acme/x/pulls: GitHub's list gave a page it had given already, after 3 pages; not read further",
    ],
  ])('%s fails the read, saying so, and is not read further', async (_name, next, requests, message) => {
    const server = await listing(next);
    const failure = await readFrom(server).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitHubError);
    expect((failure as Error).message).toBe(message);
    expect(server.requests()).toBe(requests);
  });
});

/** A GraphQL server answering each page of open pull requests (none) with `cursor(page)` as its end. */
async function graphqlListing(
  cursor: (page: number) => string | null | undefined,
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    const end = cursor(requests);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        data: {
          repository: {
            pullRequests: {
              pageInfo: { hasNextPage: end !== undefined, endCursor: end ?? null },
              nodes: [],
            },
          },
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe("GraphQL's open pull requests", () => {
  it.each<[string, (page: number) => string | null | undefined, number, string | undefined]>([
    ['three pages, then the end', (page) => (page < 3 ? `c${page}` : undefined), 3, undefined],
    [
      'a next page with the cursor of a page read already',
      (page) => (page < 3 ? `c${page}` : 'c1'),
      3,
      'GraphQL: the open pull requests of acme/x on main have a next page, but the cursor of a page read already; not reading further',
    ],
    [
      'a next page without a cursor',
      () => null,
      1,
      'GraphQL: the open pull requests of acme/x on main have a next page, but no cursor to it; not reading further',
    ],
  ])('%s', async (_name, cursor, requests, message) => {
    const server = await graphqlListing(cursor);
    const github = createGitHubClient({ token: 't', baseUrl: server.url, retries: 0, spaceWrites: false });
    const read = await readOpenPulls({ github, owner: 'acme', repo: 'x' }, 'main', 'bot/').catch(
      (e: unknown) => e,
    );
    if (message === undefined) expect(read).toEqual({ ours: [], newer: [] });
    else {
      expect(read).toBeInstanceOf(GitHubError);
      expect((read as Error).message).toBe(message);
    }
    expect(server.requests()).toBe(requests);
  });
});
