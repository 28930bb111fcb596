/**
 * GitHub Enterprise Server: the writer against a stand-in served as GHES serves its API (REST under
 * `/api/v3`, GraphQL at `/api/graphql`, web pages at the root). Every request goes under the API's
 * base URL (the stand-in reports any other path), GraphQL included, and the pull requests' links
 * point at the server, never at github.com.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient } from '../../src/github/octokit.js';
import { writePullRequests } from '../../src/github/pull-request-writer.js';
import { rateLimitStop } from '../../src/github/rate-limit-stop.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { MONGO, OWNER, PREFIX, mongoUpdate, release } from './writer-fixtures.js';

let standIn: GitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn({ enterprise: true });
  await standIn.createRepository(OWNER, 'fleet', { [MONGO]: release('mongodb', '4.0.3', '0.10.0') });
});

afterAll(async () => {
  await standIn.stop();
});

describe('GitHub Enterprise Server', () => {
  it('writes through /api/v3 and /api/graphql, and links pull requests to the server', async () => {
    expect(standIn.url).toBe(`${standIn.serverUrl}/api/v3`);
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries: 0,
      spaceWrites: false,
    });
    const write = () =>
      writePullRequests(groupUpdates([mongoUpdate('4.0.4')], 'container', PREFIX), {
        github,
        owner: OWNER,
        repo: 'fleet',
        branchPrefix: PREFIX,
        applyUpdates,
        serverUrl: standIn.serverUrl,
      });
    const first = await write();
    expect(first.problems).toEqual([]);
    expect(first.results.map((r) => [r.action, r.number, r.url])).toEqual([
      ['created', 1, `${standIn.serverUrl}/${OWNER}/fleet/pull/1`],
    ]);
    const body = standIn.pulls(OWNER, 'fleet')[0]!.body ?? '';
    expect(body).toContain(`](${standIn.serverUrl}/${OWNER}/fleet/blob/main/${MONGO}#L18)`);
    // No link into github.com (the body's advice may name a github.com source label as an example).
    expect(body).not.toMatch(/\]\(https:\/\/github\.com/);

    const again = await write();
    expect(again.results.map((r) => [r.action, r.number])).toEqual([['unchanged', 1]]);
    // GraphQL went to /api/graphql (the stand-in logs it as its operation), nothing outside the API.
    expect(standIn.requests.filter((r) => r.operationId === 'graphql').length).toBeGreaterThan(0);
    expect(standIn.violations).toEqual([]);
  });

  it.each([
    ['without the throttling plugin', 0],
    ['with the throttling plugin (which does not read /api/graphql answers)', 3],
  ])("stops at GraphQL's rate limit on /api/graphql, %s", async (_name, retries) => {
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      retries,
      retryAfterBaseValue: 0,
      spaceWrites: false,
    });
    standIn.injectFault({ operationId: 'graphql', kind: 'rate-limit-exhausted' });
    standIn.clearLog();
    await expect(github.graphql('query { viewer { login } }')).rejects.toThrow(
      /API rate limit already exceeded/,
    );
    expect(rateLimitStop(github)).toEqual({ endpoint: 'POST /graphql', resetAt: expect.any(Date) });
    await expect(github.rest.repos.get({ owner: OWNER, repo: 'fleet' })).rejects.toThrow(
      /GitHub's rate limit refused POST \/graphql earlier in this run/,
    );
    expect(standIn.requests.map((r) => [r.operationId, r.status])).toEqual([['graphql', 200]]);
  });

  it('reports a client pointed at the server root instead of /api/v3', async () => {
    const github = createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.serverUrl,
      retries: 0,
      spaceWrites: false,
    });
    await expect(github.rest.repos.get({ owner: OWNER, repo: 'fleet' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(github.graphql('query { viewer { login } }')).rejects.toMatchObject({ status: 404 });
    expect(standIn.violations.splice(0)).toEqual([
      `GET /repos/${OWNER}/fleet: not under /api/v3 nor /api/graphql`,
      'POST /graphql: not under /api/v3 nor /api/graphql',
    ]);
  });
});

// GITHUB_GRAPHQL_URL was not read: GraphQL went where Octokit derives it from GITHUB_API_URL, which
// agrees with the runner's variable on github.com, GHE.com and GHES, but the runner's is what says.
describe('GITHUB_GRAPHQL_URL', () => {
  const QUERY = `query { repository(owner: "${OWNER}", name: "fleet") { nameWithOwner } }`;
  const client = (graphqlUrl: string) =>
    createGitHubClient({
      token: WRITE_TOKEN,
      baseUrl: standIn.url,
      graphqlUrl,
      retries: 0,
      spaceWrites: false,
    });

  it.each([
    ['as GHES gives it', () => `${standIn.serverUrl}/api/graphql`],
    ['with a trailing slash', () => `${standIn.serverUrl}/api/graphql/`],
  ])('%s, GraphQL goes to /api/graphql', async (_name, url) => {
    standIn.clearLog();
    await expect(client(url()).graphql(QUERY)).resolves.toEqual({
      repository: { nameWithOwner: `${OWNER}/fleet` },
    });
    expect(standIn.requests.map((r) => [r.operationId, r.status])).toEqual([['graphql', 200]]);
    expect(standIn.violations).toEqual([]);
  });

  it('is where GraphQL goes when it is not where Octokit would send it', async () => {
    await expect(client(`${standIn.serverUrl}/api/graphql-elsewhere`).graphql(QUERY)).rejects.toMatchObject({
      status: 404,
    });
    expect(standIn.violations.splice(0)).toEqual([
      'POST /api/graphql-elsewhere: not under /api/v3 nor /api/graphql',
    ]);
  });

  it.each([
    [
      'another host',
      'https://graphql.example.com/api/graphql',
      /is not on the API's http:\/\/127\.0\.0\.1:\d+ \(GITHUB_API_URL\); nothing was sent/,
    ],
    [
      'another port',
      'http://127.0.0.1:1/api/graphql',
      /is not on the API's http:\/\/127\.0\.0\.1:\d+ \(GITHUB_API_URL\)/,
    ],
    ['no URL', 'api/graphql', /GITHUB_GRAPHQL_URL is not a URL \(api\/graphql\)/],
  ])('on %s stops the client before anything is sent', (_name, url, message) => {
    standIn.clearLog();
    expect(() => client(url)).toThrow(message);
    expect(standIn.requests).toEqual([]);
  });
});
