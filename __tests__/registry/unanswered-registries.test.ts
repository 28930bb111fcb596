/**
 * A registry that answers nothing is given up on after its first repositories: the rest fail at
 * once, each with its own problem, instead of each waiting out its timeouts and retries. One that
 * answered anything, or whose repositories fail one by one among answers, never is. Real servers on
 * 127.0.0.1: one that takes connections and never answers, one that resets them, a refused port.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RegistryError } from '../../src/ports.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { UnansweredRegistries } from '../../src/registry/unanswered-registries.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const REPOSITORIES = 60;
/** Short attempts, one retry, four requests in flight: a wave is four repositories. */
const HTTP = { timeoutMs: 200, retries: 1, retryBaseDelayMs: 0, maxInFlightPerHost: 4 };

describe('UnansweredRegistries', () => {
  type Event = ['answered'] | ['unanswered', string];
  const cases: { name: string; events: Event[]; givenUp: boolean }[] = [
    { name: 'nothing yet', events: [], givenUp: false },
    { name: 'one failure (a transient fault)', events: [['unanswered', 'a']], givenUp: false },
    {
      name: 'the same repository three times',
      events: [
        ['unanswered', 'a'],
        ['unanswered', 'a'],
        ['unanswered', 'a'],
      ],
      givenUp: false,
    },
    {
      name: 'three repositories unanswered',
      events: [
        ['unanswered', 'a'],
        ['unanswered', 'b'],
        ['unanswered', 'c'],
      ],
      givenUp: true,
    },
    {
      name: 'an answer first',
      events: [['answered'], ['unanswered', 'a'], ['unanswered', 'b'], ['unanswered', 'c']],
      givenUp: false,
    },
    {
      name: 'an answer after',
      events: [['unanswered', 'a'], ['unanswered', 'b'], ['unanswered', 'c'], ['answered']],
      givenUp: false,
    },
  ];
  it.each(cases)('$name: given up $givenUp', ({ events, givenUp }) => {
    const registries = new UnansweredRegistries();
    for (const [event, repository] of events) {
      if (event === 'answered') registries.answered('r.example');
      else registries.unanswered('r.example', repository, `GET r.example/v2/${repository}: refused`);
    }
    expect(registries.refusal('r.example')).toBe(
      givenUp
        ? 'not asked: r.example answered none of its first 3 repositories (GET r.example/v2/a: refused); ' +
            'check that it is up and reachable from where the run is, and its name or registry-mirrors entry'
        : undefined,
    );
    expect(registries.refusal('other.example')).toBeUndefined();
  });
});

/** A TCP server on 127.0.0.1 that counts connections and does `onConnection` with each. */
async function startTcpServer(
  onConnection: (socket: Socket) => void,
): Promise<{ host: string; connections: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    connections: () => connections,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Lists every repository at once; each one's error message (or its tags, joined). */
async function listAll(host: string, count: number): Promise<{ outcomes: string[]; sent: number }> {
  const client = createRegistryClient({ http: HTTP });
  const repositories = Array.from({ length: count }, (_, i) => `${host}/r${i}`);
  const settled = await Promise.allSettled(repositories.map((r) => client.listTags(r)));
  const outcomes = settled.map((s) => {
    if (s.status === 'fulfilled') return s.value.join(',');
    expect(s.reason).toBeInstanceOf(RegistryError);
    expect((s.reason as RegistryError).host).toBe(host);
    return (s.reason as RegistryError).message;
  });
  return { outcomes, sent: client.stats.tagPage };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

describe('a registry that answers nothing', () => {
  const servers: {
    name: string;
    start: () => Promise<{ host: string; connections: () => number }>;
  }[] = [
    {
      name: 'takes connections and never answers',
      start: async () => {
        const server = await startTcpServer(() => undefined);
        stops.push(server.stop);
        return server;
      },
    },
    {
      name: 'resets every connection',
      start: async () => {
        const server = await startTcpServer((socket) => socket.resetAndDestroy());
        stops.push(server.stop);
        return server;
      },
    },
    {
      name: 'refuses connections (no server on the port)',
      start: async () => {
        const server = await startTcpServer(() => undefined);
        await server.stop();
        return server;
      },
    },
  ];

  it.each(servers)(
    '$name: is asked for a few repositories, and every one gets its problem',
    async ({ start }) => {
      const server = await start();
      const { outcomes, sent } = await listAll(server.host, REPOSITORIES);
      const notAsked = outcomes.filter((o) => o.startsWith('not asked: '));
      // Far fewer requests than repositories: a wave or two, not one each (120, with a retry each).
      expect(sent).toBeLessThan(REPOSITORIES / 2);
      expect(server.connections()).toBeLessThan(REPOSITORIES / 2);
      expect(notAsked.length).toBeGreaterThan(REPOSITORIES / 2);
      // Each says which registry and why, with the first repository's own error.
      expect(notAsked[0]).toMatch(
        new RegExp(
          `^not asked: ${server.host} answered none of its first 3 repositories \\(GET ${server.host}/v2/r\\d+/tags/list`,
        ),
      );
      // Those under way when it was given up on finished with their own error.
      const asked = outcomes.filter((o) => !o.startsWith('not asked: '));
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (const error of asked)
        expect(error).toMatch(new RegExp(`^GET ${server.host}/v2/r\\d+/tags/list: `));
      expect(outcomes.length).toBe(REPOSITORIES);
    },
  );
});

describe('a registry that has answered is not given up on', () => {
  /** Answers the requests `answer` picks, and leaves the others hanging. */
  const startAnswering = async (answer: (path: string, index: number) => boolean): Promise<HostileServer> => {
    const server = await startHostileServer((req, res) => {
      const index = server.log.length - 1;
      if (answer(req.url ?? '', index)) sendJson(res, index === 0 ? 404 : 200, { name: 'r', tags: ['1'] });
    });
    stops.push(server.stop);
    return server;
  };
  const cases: { name: string; answer: (path: string, index: number) => boolean }[] = [
    { name: 'its first request answered 404, then every one hangs', answer: (_, index) => index === 0 },
    {
      name: 'its first repository unanswered, its second answered, then every one hangs',
      answer: (path) => path.startsWith('/v2/r1/'),
    },
  ];
  it.each(cases)('$name: every repository is asked', async ({ answer }) => {
    const count = 12;
    const server = await startAnswering(answer);
    const { outcomes } = await listAll(server.host, count);
    expect(outcomes.filter((o) => o.startsWith('not asked: '))).toEqual([]);
    const asked = new Set(server.log.map((r) => r.url.split('/')[2]));
    expect(asked.size).toBe(count);
  });
});
