/**
 * A token request and the registry phase's time bounds, against a small hostile token service of
 * our own on 127.0.0.1 that never answers (until told to): the requesting repository's deadline
 * ends its wait, the run's stop ends the request itself, and one repository that stops waiting
 * for a token others share leaves them waiting for it. The request timeout is two minutes
 * throughout, so only the bound under test can end a wait within the test's time.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRegistryClient, type RegistryClient } from '../../src/registry/registry-client.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const TOKEN = 'shared-token-1';
/** Longer than a test may take ({@link TEST_MS}): the bounds under test end the waits first. */
const HTTP = { timeoutMs: 120_000, requestDeadlineMs: 120_000, retries: 0 };
/** Each test's time: a wait nothing under test ends fails it. */
const TEST_MS = 10_000;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/**
 * A token service that holds every request open, answering none until `answer()`; `closed` counts
 * the requests whose connection the client closed while they were held.
 */
async function startSilentTokenService() {
  const held: ServerResponse[] = [];
  let closed = 0;
  const server = await startHostileServer((_req, res) => {
    held.push(res);
    res.on('close', () => {
      if (!res.writableEnded) closed += 1;
    });
  });
  servers.push(server);
  return {
    server,
    held: () => held.length,
    closed: () => closed,
    answer: () => {
      for (const res of held.splice(0)) sendJson(res, 200, { token: TOKEN, expires_in: 300 });
    },
  };
}

/**
 * A registry that lists one tag to {@link TOKEN} and otherwise asks for a token from `realm`, for
 * `scope` (one scope for every repository, when given: they share one token), else the repository's.
 */
async function startRegistry(realm: string, scope?: string): Promise<HostileServer> {
  const server = await startHostileServer((req: IncomingMessage, res: ServerResponse) => {
    const name = /^\/v2\/(.+)\/tags\/list/.exec(req.url!)?.[1] ?? '';
    if (req.headers.authorization === `Bearer ${TOKEN}`) {
      sendJson(res, 200, { name, tags: ['1.0'] });
      return;
    }
    const asked = scope ?? `repository:${name}:pull`;
    res
      .writeHead(401, { 'www-authenticate': `Bearer realm="${realm}/token",service="test",scope="${asked}"` })
      .end();
  });
  servers.push(server);
  return server;
}

/** Resolves once `condition` holds (polled). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** How a listing ended: its tags, or its error's message. */
function outcome(listing: Promise<string[]>): Promise<string[] | string> {
  return listing.catch((error: unknown) => (error as Error).message);
}

describe('a token service that never answers', () => {
  it.each<{
    name: string;
    repositoryDeadlineMs: number;
    /** What ends the wait, once the token request reached the service. */
    end: (client: RegistryClient) => void;
    expected: RegExp;
    /** Whether the token request's connection is closed (the request ended, not only the wait). */
    requestEnded: boolean;
  }>([
    {
      name: "the repository's deadline ends its wait for the token",
      repositoryDeadlineMs: 300,
      end: () => undefined,
      expected: /gave up on .*\/team\/app after its requests ran for 300 ms, the time allowed per repository/,
      // Its flow is served meanwhile (its deadline's clock runs); the request is left to its own
      // deadline, as another repository may share it.
      requestEnded: false,
    },
    {
      name: "the run's stop ends the token request itself",
      repositoryDeadlineMs: 60_000,
      end: (client) => client.stop('the run stopped'),
      expected: /the run stopped/,
      requestEnded: true,
    },
  ])(
    '$name',
    async ({ repositoryDeadlineMs, end, expected, requestEnded }) => {
      const tokens = await startSilentTokenService();
      const registry = await startRegistry(tokens.server.url);
      const client = createRegistryClient({ http: HTTP, repositoryDeadlineMs });
      const listing = outcome(client.listTags(`${registry.host}/team/app`));
      await until(() => tokens.held() === 1);
      end(client);
      expect(await listing).toMatch(expected);
      if (requestEnded) await until(() => tokens.closed() === 1);
      expect({ asked: tokens.held(), closed: tokens.closed() }).toEqual({
        asked: 1,
        closed: requestEnded ? 1 : 0,
      });
    },
    TEST_MS,
  );

  it(
    'one repository that stops waiting for a shared token leaves the others waiting, and they get it',
    async () => {
      const tokens = await startSilentTokenService();
      const registry = await startRegistry(tokens.server.url, 'repository:team/shared:pull');
      const client = createRegistryClient({ http: HTTP });
      const first = outcome(client.listTags(`${registry.host}/team/first`));
      await until(() => tokens.held() === 1);
      const second = outcome(client.listTags(`${registry.host}/team/second`));
      client.abandon(`${registry.host}/team/first`, 'not needed any more');
      expect(await first).toBe('not needed any more');
      // The second meets the same challenge and waits on the same token request, still open.
      await until(() => registry.log.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect({ asked: tokens.held(), closed: tokens.closed() }).toEqual({ asked: 1, closed: 0 });
      tokens.answer();
      expect(await second).toEqual(['1.0']);
      expect(tokens.server.log).toHaveLength(1);
    },
    TEST_MS,
  );
});
