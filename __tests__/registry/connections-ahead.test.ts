/**
 * Connections opened ahead (connections-ahead.ts), against real servers on 127.0.0.1: while a
 * registry's first request learns its scheme, the repositories waiting for it have their
 * connections opened, within the host's bound, and those connections are the ones their requests
 * use; a connection the server spoke on, closed or did not finish the TLS handshake of before any
 * request is never handed out; and one no request takes is closed after its idle time.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { ConnectionsAhead } from '../../src/registry/connections-ahead.js';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { listeningServers } from '../../test-support/listening-servers.js';
import { selfSignedCertificate } from '../../test-support/self-signed-certificate.js';

const HTTP = { timeoutMs: 5000, retries: 0, retryBaseDelayMs: 0 };

const listen = listeningServers();

/** Resolves once `check` holds (polled), or after `ms`. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Answers a tag listing of `/v2/<repository>/tags/list` with one tag, `1.0.0`. */
function answerListing(req: IncomingMessage, res: ServerResponse): void {
  const name = /^\/v2\/(.+)\/tags\/list/.exec(req.url ?? '')?.[1] ?? '';
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, tags: ['1.0.0'] }));
}

/**
 * A registry without auth that holds its first answer until `opened` connections were accepted
 * (up to 5 s: a loaded machine opens them late), then 100 ms more, in which a connection beyond
 * them would be seen, and says how many it had then; while it holds it, `misbehave` is done on
 * every other connection, none of which has carried a request yet.
 */
async function registryHoldingItsFirstAnswer(opened: number, misbehave?: (socket: Socket) => void) {
  let holding = false;
  let atFirstAnswer = -1;
  const registry = await listen(
    createServer(async (req, res) => {
      if (atFirstAnswer < 0 && !holding) {
        holding = true;
        for (const socket of registry.accepted) if (socket !== req.socket) misbehave?.(socket);
        await until(() => registry.accepted.length >= opened, 5000);
        await until(() => registry.accepted.length > opened, 100);
        atFirstAnswer = registry.accepted.length;
        holding = false;
      }
      answerListing(req, res);
    }),
  );
  registry.server.on('connection', (socket: Socket) => {
    if (holding) misbehave?.(socket);
  });
  return { ...registry, atFirstAnswer: () => atFirstAnswer };
}

/**
 * Lists `count` repositories of `host`, `maxInFlightPerHost` at a time: the first, and once the
 * registry has its request, the others.
 */
async function listMany(
  registry: { host: string; server: Server },
  count: number,
  maxInFlightPerHost: number,
): Promise<string[][]> {
  const client = createRegistryClient({ http: { ...HTTP, maxInFlightPerHost } });
  const asked = new Promise((resolve) => registry.server.once('request', resolve));
  const first = client.listTags(`${registry.host}/team/app0`);
  await asked;
  const others = Array.from({ length: count - 1 }, (_, i) =>
    client.listTags(`${registry.host}/team/app${i + 1}`),
  );
  return Promise.all([first, ...others]);
}

describe('while the first request to a registry learns its scheme', () => {
  it.each([
    { repositories: 5, maxInFlightPerHost: 8, openedByTheFirstAnswer: 5 },
    { repositories: 12, maxInFlightPerHost: 8, openedByTheFirstAnswer: 8 },
    { repositories: 5, maxInFlightPerHost: 3, openedByTheFirstAnswer: 3 },
    { repositories: 5, maxInFlightPerHost: 1, openedByTheFirstAnswer: 1 },
  ])(
    '$repositories repositories at $maxInFlightPerHost a host: $openedByTheFirstAnswer connections open when it answers, and no other is opened',
    async ({ repositories, maxInFlightPerHost, openedByTheFirstAnswer }) => {
      const registry = await registryHoldingItsFirstAnswer(openedByTheFirstAnswer);
      const lists = await listMany(registry, repositories, maxInFlightPerHost);
      expect(lists).toEqual(Array.from({ length: repositories }, () => ['1.0.0']));
      expect(registry.atFirstAnswer()).toBe(openedByTheFirstAnswer);
      // The requests that waited went on the connections opened for them.
      expect(registry.accepted).toHaveLength(openedByTheFirstAnswer);
    },
  );

  it.each([
    [
      'sent bytes before any request',
      (socket: Socket) => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nno'),
    ],
    ['closed it', (socket: Socket) => socket.end()],
    ['reset it', (socket: Socket) => socket.resetAndDestroy()],
  ])('a connection opened ahead whose server %s is not used', async (_case, misbehave) => {
    const registry = await registryHoldingItsFirstAnswer(4, misbehave);
    const lists = await listMany(registry, 4, 8);
    expect(lists).toEqual(Array.from({ length: 4 }, () => ['1.0.0']));
    expect(registry.atFirstAnswer()).toBe(4);
    // Three opened ahead and dropped, three opened again for the requests that waited.
    expect(registry.accepted).toHaveLength(7);
  });
});

describe('while the requests of a registry wait for their tokens', () => {
  it('the connections they will need to the registry are opened meanwhile', async () => {
    let atFirstToken = -1;
    const registry = await listen(
      createServer((req, res) => {
        if (req.headers.authorization !== 'Bearer listing-token-8f2c1a') {
          res
            .writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.url}/token",service="registry"` })
            .end();
          return;
        }
        answerListing(req, res);
      }),
    );
    // A token service on another host, as auth.docker.io is Docker Hub's: it holds its first
    // answer until the registry has four connections (or 300 ms passed).
    const tokenServer = await listen(
      createServer(async (_req, res) => {
        if (atFirstToken < 0) {
          await until(() => registry.accepted.length >= 4, 300);
          atFirstToken = registry.accepted.length;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token: 'listing-token-8f2c1a' }));
      }),
    );
    const tokens = { url: `http://localhost:${tokenServer.host.split(':')[1]}` };
    const cache = new DigestCache();
    const list = () => {
      const client = createRegistryClient({ http: HTTP, digestCache: cache });
      return Promise.all([0, 1, 2, 3].map((i) => client.listTags(`${registry.host}/team/app${i}`)));
    };
    // The first run learns the registry's scheme; the second knows it from the start.
    await list();
    for (const socket of registry.accepted) socket.destroy();
    registry.accepted.length = 0;
    atFirstToken = -1;
    expect(await list()).toEqual([['1.0.0'], ['1.0.0'], ['1.0.0'], ['1.0.0']]);
    expect(atFirstToken).toBe(4);
    expect(registry.accepted).toHaveLength(4);
  });
});

describe('a connection opened ahead', () => {
  it('is closed when no request took it within its idle time', async () => {
    const server = await listen(createNetServer());
    const closed: Socket[] = [];
    server.server.on('connection', (socket: Socket) => socket.on('close', () => closed.push(socket)));
    const ahead = new ConnectionsAhead(2, 50);
    for (let i = 0; i < 3; i += 1) ahead.openAhead(new URL(`http://${server.host}/v2/`));
    await until(() => closed.length === 2);
    // Two at most for the origin; both closed by the client, unused.
    expect(server.accepted).toHaveLength(2);
    expect(closed).toHaveLength(2);
  });

  it('still being opened is waited for: the host gets no connection beyond those', async () => {
    // A server that never answers a TLS handshake: the connections opened ahead stay opening.
    const server = await listen(createNetServer());
    const ahead = new ConnectionsAhead(4);
    const url = new URL(`https://${server.host}/v2/`);
    const request = { hostname: url.hostname, host: url.host, protocol: url.protocol, port: url.port };
    ahead.openAhead(url);
    ahead.openAhead(url);
    await until(() => server.accepted.length === 2);
    const outcomes: Array<Error | null> = [];
    for (let i = 0; i < 3; i += 1) ahead.connector(request, (...[error]) => outcomes.push(error));
    await until(() => server.accepted.length > 3, 100);
    // Two wait for the two being opened; the third had none to wait for.
    expect(server.accepted).toHaveLength(3);
    // Those two fail: the requests waiting for them open their own.
    for (const socket of server.accepted.slice(0, 2)) socket.destroy();
    await until(() => server.accepted.length === 5);
    expect(server.accepted).toHaveLength(5);
    expect(outcomes).toEqual([]);
  });

  it('is not opened past the bound with the connections undici has or is opening', async () => {
    const server = await listen(createNetServer());
    const ahead = new ConnectionsAhead(3);
    const url = new URL(`https://${server.host}/v2/`);
    const request = { hostname: url.hostname, host: url.host, protocol: url.protocol, port: url.port };
    // undici's own connection, its TLS handshake unanswered.
    ahead.connector(request, () => undefined);
    for (let i = 0; i < 5; i += 1) ahead.openAhead(url);
    await until(() => server.accepted.length > 3, 100);
    expect(server.accepted).toHaveLength(3);
  });

  it('to a server whose certificate is not trusted is not handed out: the request fails as it would have', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ahead-'));
    const { key: keyFile, cert: certFile } = await selfSignedCertificate(dir);
    const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
    await rm(dir, { recursive: true });
    const handshakes: string[] = [];
    const server = await listen(
      createTlsServer({ key, cert }, (socket) => handshakes.push(socket.remoteAddress!)),
    );
    const ahead = new ConnectionsAhead(4);
    const url = new URL(`https://${server.host}/v2/`);
    ahead.openAhead(url);
    // The client refuses the certificate and closes the connection it opened ahead.
    await until(() => server.accepted[0]?.closed === true);
    const failure = await new Promise<Error | null>((resolve) =>
      ahead.connector(
        { hostname: url.hostname, host: url.host, protocol: url.protocol, port: url.port },
        (...[error]) => resolve(error),
      ),
    );
    expect(failure?.message).toMatch(/self-signed certificate/);
    expect(handshakes).toEqual([]);
    // The connector tried a connection of its own rather than hand out the refused one.
    expect(server.accepted).toHaveLength(2);
  });
});
