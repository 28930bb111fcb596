/**
 * How registries authenticated, remembered across runs in the digest cache (remembered-schemes.ts):
 * what the file may hold, and against small servers of our own on 127.0.0.1 that the next run's
 * first requests go as the scheme wants them, without the 401 and without waiting for a first
 * answer; that a scheme that stopped working is forgotten and the challenge answered; that a
 * remembered realm gets the registry's credentials only on a host they belong to; and that no
 * secret of the run is remembered.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { secretForms } from '../../src/registry/redact.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import {
  MAX_REMEMBERED_SCHEMES,
  RememberedSchemes,
  SCHEME_MAX_AGE_MS,
} from '../../src/registry/remembered-schemes.js';
import { basic, sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const T0 = Date.parse('2026-12-05T06:00:00Z');
const HOUR = 3_600_000;
const HTTP = { timeoutMs: 5000, retries: 0, retryBaseDelayMs: 0 };
const USER = 'tester';
const PASSWORD = 'Reg1stry-Pa55word-4e8a2c';

describe('the schemes a cache file holds', () => {
  const learned = new Date(T0 - HOUR).toISOString();
  const id = 'ghcr.io https://ghcr.io';
  it.each<[string, unknown, unknown]>([
    ['no auth', { kind: 'none', learned }, { kind: 'none' }],
    ['Basic', { kind: 'basic', learned }, { kind: 'basic' }],
    [
      'a Bearer realm and service',
      { kind: 'bearer', realm: 'https://ghcr.io/token', service: 'ghcr.io', learned },
      { kind: 'bearer', realm: 'https://ghcr.io/token', service: 'ghcr.io' },
    ],
    [
      'a Bearer realm alone',
      { kind: 'bearer', realm: 'https://ghcr.io/token', learned },
      { kind: 'bearer', realm: 'https://ghcr.io/token' },
    ],
    ['an unknown kind', { kind: 'digest', learned }, undefined],
    ['a realm that is no URL', { kind: 'bearer', realm: 'ghcr.io/token', learned }, undefined],
    ['a realm of another scheme', { kind: 'bearer', realm: 'file:///etc/passwd', learned }, undefined],
    [
      'a realm with a user and password',
      { kind: 'bearer', realm: 'https://u:p@ghcr.io/token', learned },
      undefined,
    ],
    [
      'a realm too long',
      { kind: 'bearer', realm: `https://ghcr.io/${'x'.repeat(2048)}`, learned },
      undefined,
    ],
    [
      'a service that is no text',
      { kind: 'bearer', realm: 'https://ghcr.io/token', service: 1, learned },
      undefined,
    ],
    ['no time learned', { kind: 'none' }, undefined],
    ['a time learned in the future', { kind: 'none', learned: new Date(T0 + HOUR).toISOString() }, undefined],
    [
      'a time learned too long ago',
      { kind: 'none', learned: new Date(T0 - SCHEME_MAX_AGE_MS - 1).toISOString() },
      undefined,
    ],
  ])('%s', (_case, entry, expected) => {
    const schemes = RememberedSchemes.fromJSON({ [id]: entry }, T0);
    expect(schemes.get('ghcr.io', 'https://ghcr.io', T0)).toEqual(expected);
    // Only for the origin it was learned for.
    expect(schemes.get('ghcr.io', 'https://mirror.example', T0)).toBeUndefined();
  });

  it(`keeps at most ${MAX_REMEMBERED_SCHEMES} registries, the most recently learned, and reads no more`, () => {
    const schemes = new RememberedSchemes();
    for (let i = 0; i <= MAX_REMEMBERED_SCHEMES; i += 1)
      schemes.remember(`r${i}.example`, `https://r${i}.example`, { kind: 'none' }, T0 - HOUR + i);
    const written = schemes.toJSON();
    expect(Object.keys(written)).toHaveLength(MAX_REMEMBERED_SCHEMES);
    expect(written['r0.example https://r0.example']).toBeUndefined();
    const many = Object.fromEntries(
      Array.from({ length: MAX_REMEMBERED_SCHEMES + 5 }, (_, i) => [
        `r${i}.example https://r${i}.example`,
        { kind: 'none', learned: new Date(T0).toISOString() },
      ]),
    );
    expect(Object.keys(RememberedSchemes.fromJSON(many, T0).toJSON())).toHaveLength(MAX_REMEMBERED_SCHEMES);
  });

  it('is written again when a scheme changes, or is used a day after it was learned, not on every run', () => {
    const read = () =>
      RememberedSchemes.fromJSON({ [id]: { kind: 'none', learned: new Date(T0).toISOString() } }, T0);
    const same = read();
    same.remember('ghcr.io', 'https://ghcr.io', { kind: 'none' }, T0 + HOUR);
    expect(same.changed).toBe(false);
    const changed = read();
    changed.remember('ghcr.io', 'https://ghcr.io', { kind: 'basic' }, T0 + HOUR);
    expect(changed.changed).toBe(true);
    const aDayOn = read();
    aDayOn.remember('ghcr.io', 'https://ghcr.io', { kind: 'none' }, T0 + 25 * HOUR);
    expect(aDayOn.changed).toBe(true);
  });
});

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
async function start(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<HostileServer> {
  const server = await startHostileServer(handler, hostname);
  servers.push(server);
  return server;
}

/** A registry of one tag a repository, asking for what `scheme` says (its tokens from `/token`). */
async function startRegistry(scheme: 'none' | 'basic' | 'bearer', realm?: () => string) {
  const registry: HostileServer = await start((req, res) => {
    if (req.url!.startsWith('/token')) {
      sendJson(res, 200, { token: 'registry-token', expires_in: 300 });
      return;
    }
    const accepted =
      scheme === 'none' ||
      (scheme === 'basic' && req.headers.authorization === basic(USER, PASSWORD)) ||
      (scheme === 'bearer' && req.headers.authorization === 'Bearer registry-token');
    if (!accepted) {
      const challenge =
        scheme === 'basic'
          ? 'Basic realm="registry"'
          : `Bearer realm="${realm?.() ?? `${registry.url}/token`}",service="registry"`;
      res.writeHead(401, { 'www-authenticate': challenge }).end();
      return;
    }
    sendJson(res, 200, { name: 'x', tags: ['1.0.0'] });
  });
  return registry;
}

/** Lists `repositories` of `registry` with `cache`, the registry's credentials configured. */
async function listAll(registry: HostileServer, cache: DigestCache, repositories = ['team/a', 'team/b']) {
  const client = createRegistryClient({
    http: HTTP,
    digestCache: cache,
    credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
  });
  return Promise.all(repositories.map((repository) => client.listTags(`${registry.host}/${repository}`)));
}

/** The cache as the next run reads it from its file. */
const nextRun = (cache: DigestCache) => DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));

/** `METHOD path status-class` of each request: what the registry asked and was asked. */
const requests = (server: HostileServer) =>
  server.log.map(
    (r) =>
      `${r.method} ${r.url.replace(/\?.*$/, '')}${r.authorization ? ` (${r.authorization.split(' ')[0]})` : ''}`,
  );

describe('the next run, with the scheme remembered', () => {
  it.each([
    {
      scheme: 'none' as const,
      first: ['GET /v2/team/a/tags/list', 'GET /v2/team/b/tags/list'],
      next: ['GET /v2/team/a/tags/list', 'GET /v2/team/b/tags/list'],
    },
    {
      scheme: 'basic' as const,
      first: [
        'GET /v2/team/a/tags/list',
        'GET /v2/team/a/tags/list (Basic)',
        'GET /v2/team/b/tags/list (Basic)',
      ],
      next: ['GET /v2/team/a/tags/list (Basic)', 'GET /v2/team/b/tags/list (Basic)'],
    },
    {
      scheme: 'bearer' as const,
      // team/b's token is asked for while team/a learns the scheme.
      first: [
        'GET /v2/team/a/tags/list',
        'GET /token (Basic)',
        'GET /token (Basic)',
        'GET /v2/team/a/tags/list (Bearer)',
        'GET /v2/team/b/tags/list (Bearer)',
      ],
      // Both repositories ask at once: one token for both scopes (shared-tokens.ts).
      next: ['GET /token (Basic)', 'GET /v2/team/a/tags/list (Bearer)', 'GET /v2/team/b/tags/list (Bearer)'],
    },
  ])('$scheme: no request collects a 401, and none waits for another', async ({ scheme, first, next }) => {
    const registry = await startRegistry(scheme);
    const cache = new DigestCache();
    expect(await listAll(registry, cache)).toEqual([['1.0.0'], ['1.0.0']]);
    // The first request goes alone; the others' order may vary with the machine.
    expect(requests(registry)[0]).toBe(first[0]);
    expect([...requests(registry)].sort()).toEqual([...first].sort());
    registry.log.length = 0;
    expect(await listAll(registry, nextRun(cache))).toEqual([['1.0.0'], ['1.0.0']]);
    expect([...requests(registry)].sort()).toEqual([...next].sort());
  });

  it('sends the first requests of every repository at once', async () => {
    // Holds each answer until four requests are in flight, or for 100 ms.
    let inFlight = 0;
    let mostInFlight = 0;
    const held: Array<() => void> = [];
    const registry = await start((_req, res) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      const answer = () => {
        inFlight -= 1;
        sendJson(res, 200, { name: 'x', tags: ['1.0.0'] });
      };
      held.push(answer);
      if (inFlight === 4) for (const go of held.splice(0)) go();
      else setTimeout(() => held.includes(answer) && (held.splice(held.indexOf(answer), 1), answer()), 100);
    });
    const repositories = ['team/a', 'team/b', 'team/c', 'team/d'];
    const cache = new DigestCache();
    await listAll(registry, cache, repositories);
    // The first run's first request learned the scheme alone.
    expect(mostInFlight).toBe(3);
    mostInFlight = 0;
    await listAll(registry, nextRun(cache), repositories);
    expect(mostInFlight).toBe(4);
  });
});

describe('a remembered scheme that no longer works', () => {
  it('a realm that gives no token: forgotten, the challenge answered, the new realm remembered', async () => {
    let realm = '';
    const registry = await startRegistry('bearer', () => realm);
    realm = `${registry.url}/token`;
    const cache = new DigestCache();
    await listAll(registry, cache);
    // The registry's token service moved; the old path answers 404.
    realm = `${registry.url}/token/v2`;
    registry.log.length = 0;
    const next = nextRun(cache);
    const moved = registry.handler;
    registry.handler = (req, res, body) =>
      req.url!.startsWith('/token?') ? sendJson(res, 404, {}) : moved(req, res, body);
    expect(await listAll(registry, next)).toEqual([['1.0.0'], ['1.0.0']]);
    expect(requests(registry)).toContain('GET /token/v2 (Basic)');
    expect(JSON.stringify(next.toJSON().schemes)).toContain('/token/v2');
  });

  it('no auth remembered, the registry now asks: the challenge is answered', async () => {
    const open = await startRegistry('none');
    const cache = new DigestCache();
    await listAll(open, cache);
    const remembered = nextRun(cache);
    open.handler = (await startRegistry('basic')).handler;
    expect(await listAll(open, remembered)).toEqual([['1.0.0'], ['1.0.0']]);
    expect(remembered.toJSON().schemes).toEqual({
      [`${open.host} ${open.url}`]: { kind: 'basic', learned: expect.any(String) },
    });
  });
});

describe('what a remembered scheme never does', () => {
  it('sends the credentials to a remembered realm on a host they do not belong to', async () => {
    const foreign = await start(
      (_req, res) => sendJson(res, 200, { token: 'foreign-token', expires_in: 300 }),
      'localhost',
    );
    const registry = await startRegistry('bearer');
    const learned = new Date().toISOString();
    // A cache file that names another host's realm for the registry.
    const cache = DigestCache.fromJSON({
      version: 2,
      entries: {},
      schemes: {
        [`${registry.host} ${registry.url}`]: { kind: 'bearer', realm: `${foreign.url}/token`, learned },
      },
    });
    expect(await listAll(registry, cache)).toEqual([['1.0.0'], ['1.0.0']]);
    const forms = [...secretForms(PASSWORD), basic(USER, PASSWORD)];
    // Asked without them (once the Public Suffix List is loaded), or not at all: a remembered realm
    // on another host waits for a live challenge until then.
    expect(foreign.log.filter((r) => forms.some((f) => r.raw.includes(f)))).toEqual([]);
    // The registry's own challenge was answered, and is remembered.
    expect(cache.toJSON().schemes[`${registry.host} ${registry.url}`]).toMatchObject({
      realm: `${registry.url}/token`,
    });
  });

  it('keeps a realm that holds a secret of the run', async () => {
    let realm = '';
    const registry = await startRegistry('bearer', () => realm);
    realm = `${registry.url}/token?echo=${PASSWORD}`;
    const cache = new DigestCache();
    expect(await listAll(registry, cache)).toEqual([['1.0.0'], ['1.0.0']]);
    const file = JSON.stringify(cache.toJSON());
    expect(secretForms(PASSWORD).filter((form) => file.includes(form))).toEqual([]);
    expect(cache.toJSON().schemes).toEqual({});
  });
});
