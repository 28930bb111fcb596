/**
 * Tokens asked for several scopes at once (shared-tokens.ts, auth.ts), against a registry of our
 * own on 127.0.0.1 whose token service answers as services in the wild have: every scope asked for
 * (the token spec, distribution); only the first (older Harbor and docker_auth, Docker Hub for a
 * while in 2022), with a JWT whose `access` claim says so or with an opaque token; a 400 for a
 * repeated `scope` (artifact-keeper in 2026); a 403 for the whole request when one scope is denied;
 * every scope but the denied one (the spec's intersection); no JSON; no answer at all. Whatever the
 * service does, every repository it lets us read is read, one it denies fails as it would alone,
 * and a service that mishandles several scopes is asked one scope at a time after its first
 * mishandled request.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { MAX_SCOPES_PER_TOKEN } from '../../src/registry/shared-tokens.js';
import { sendJson, startHostileServer, type HostileServer } from './hostile-server.js';

const HTTP = { timeoutMs: 5000, retries: 0, retryBaseDelayMs: 0 };
const PRIVATE = 'team/private';

/** How the token service answers a request for `scopes`. */
type Grant =
  | 'grants every scope'
  | 'grants the first scope only'
  | 'answers 400 to several'
  | 'answers 403 to several'
  | 'grants all but a denied one'
  | 'grants the first scope only, in a JWT that says so'
  | 'grants all but a denied one, in a JWT that says so'
  | 'answers no JSON to several'
  | 'does not answer several';

const servers: HostileServer[] = [];
/** The repositories whose listing the registry refused though it carried a token, in order. */
const refusedWithToken: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  refusedWithToken.length = 0;
});

const scopeOf = (repository: string) => `repository:${repository}:pull`;

/**
 * A token granting `scopes`: opaque (as GHCR's are; only the registry below reads it), or a JWT whose
 * `access` claim names them (as Docker Hub's and distribution's token servers issue).
 */
function tokenFor(scopes: string[], jwt: boolean): string {
  const access = scopes.map((scope) => ({
    type: 'repository',
    name: scope.split(':')[1],
    actions: ['pull'],
  }));
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return jwt ? `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ access })}.c2lnbmF0dXJl` : `t_${part(scopes)}`;
}

/** The scopes a token of {@link tokenFor} grants. */
function grantedBy(authorization: string | undefined): string[] {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  const read = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  if (token.startsWith('t_')) return read(token.slice(2)) as string[];
  const parts = token.split('.');
  if (parts.length !== 3) return [];
  return (read(parts[1]) as { access: { name: string }[] }).access.map((a) => `repository:${a.name}:pull`);
}

/**
 * A registry whose tokens name the scopes they grant, and which lists a repository only for a token
 * granting its scope; no token grants {@link PRIVATE}'s.
 */
async function startRegistry(grant: Grant): Promise<HostileServer> {
  const registry = await startHostileServer((req, res) => {
    const url = new URL(req.url!, registry.url);
    if (url.pathname === '/token') {
      const asked = url.searchParams.getAll('scope');
      const allowed = asked.filter((scope) => scope !== scopeOf(PRIVATE));
      if (asked.length > 1 && grant === 'does not answer several') {
        res.destroy();
        return;
      }
      if (asked.length > 1 && grant === 'answers no JSON to several') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>');
        return;
      }
      if (asked.length > 1 && grant === 'answers 400 to several') {
        sendJson(res, 400, { errors: [{ code: 'BAD_REQUEST', message: 'duplicate field scope' }] });
        return;
      }
      if (allowed.length < asked.length && (asked.length === 1 || grant === 'answers 403 to several')) {
        sendJson(res, 403, { details: 'access denied' });
        return;
      }
      const granted = grant.startsWith('grants the first scope only') ? allowed.slice(0, 1) : allowed;
      sendJson(res, 200, { token: tokenFor(granted, grant.endsWith('in a JWT that says so')) });
      return;
    }
    const repository = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname)?.[1] ?? '';
    if (!grantedBy(req.headers.authorization).includes(scopeOf(repository))) {
      if (req.headers.authorization) refusedWithToken.push(repository);
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${registry.url}/token",service="registry",scope="${scopeOf(repository)}"`,
        })
        .end();
      return;
    }
    sendJson(res, 200, { name: repository, tags: ['1.0.0'] });
  });
  servers.push(registry);
  return registry;
}

/** The registry client of one run, with `cache` as its digest cache. */
const runClient = (cache = new DigestCache()) => createRegistryClient({ http: HTTP, digestCache: cache });

/** The cache as the next run reads it from its file. */
const nextRun = (cache: DigestCache) => DigestCache.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));

/** Lists every repository at once, each to its tags or its error's message. */
async function listAll(registry: HostileServer, repositories: readonly string[], client = runClient()) {
  return Promise.all(
    repositories.map((repository) =>
      client.listTags(`${registry.host}/${repository}`).then(
        (tags) => tags.join(),
        (error: Error) => error.message,
      ),
    ),
  );
}

/** The repositories each token request asked for, in order of the requests. */
const tokenRequests = (registry: HostileServer) =>
  registry.log
    .filter((r) => r.url.startsWith('/token'))
    .map((r) =>
      new URL(r.url, registry.url).searchParams
        .getAll('scope')
        .map((scope) => scope.split(':')[1])
        .join(' '),
    );

/** The listings asked for, each `repository (with a token)` or `repository`. */
const listings = (registry: HostileServer) =>
  registry.log
    .filter((r) => r.url.includes('/tags/list'))
    .map((r) => `${/^\/v2\/(.+)\/tags\/list/.exec(r.url)![1]}${r.authorization ? ' (with a token)' : ''}`);

describe('a first run: one repository learns the scheme, the others it holds back share a token', () => {
  it('asks for their token while the first repository gets its own, not after', async () => {
    const registry = await startRegistry('grants every scope');
    // The first token request is held until a second one comes (or 1 s, if none does meanwhile).
    const grant = registry.handler;
    let held: (() => void) | undefined;
    let secondWhileHeld = false;
    registry.handler = (req, res, body) => {
      if (!req.url!.startsWith('/token')) return grant(req, res, body);
      if (held) {
        secondWhileHeld = true;
        held();
        return grant(req, res, body);
      }
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        grant(req, res, body);
      };
      const timer = setTimeout(answer, 1000);
      held = answer;
    };
    const listed = await listAll(registry, ['team/a', 'team/b', 'team/c']);
    expect(listed).toEqual(['1.0.0', '1.0.0', '1.0.0']);
    expect(secondWhileHeld).toBe(true);
    expect(tokenRequests(registry)).toEqual(['team/a', 'team/b team/c']);
  });

  const five = ['team/a', 'team/b', 'team/c', 'team/d', 'team/e'];
  it.each<{ grant: Grant; repositories: string[]; tokens: string[]; failed: string[]; refused?: string[] }>([
    {
      grant: 'grants every scope',
      repositories: five,
      tokens: ['team/a', 'team/b team/c team/d team/e'],
      failed: [],
    },
    {
      grant: 'grants the first scope only',
      repositories: five,
      // The three the shared token left out are refused with it, then ask alone.
      tokens: ['team/a', 'team/b team/c team/d team/e', 'team/c', 'team/d', 'team/e'],
      failed: [],
      refused: ['team/c', 'team/d', 'team/e'],
    },
    {
      grant: 'answers 400 to several',
      repositories: five,
      tokens: ['team/a', 'team/b team/c team/d team/e', 'team/b', 'team/c', 'team/d', 'team/e'],
      failed: [],
    },
    {
      grant: 'answers 403 to several',
      repositories: ['team/a', 'team/b', PRIVATE, 'team/d'],
      tokens: ['team/a', `team/b ${PRIVATE} team/d`, 'team/b', PRIVATE, 'team/d'],
      failed: [PRIVATE],
    },
    {
      grant: 'grants all but a denied one',
      repositories: ['team/a', 'team/b', PRIVATE, 'team/d'],
      // The private one is refused with the shared token, asks alone and is denied.
      tokens: ['team/a', `team/b ${PRIVATE} team/d`, PRIVATE],
      failed: [PRIVATE],
      refused: [PRIVATE],
    },
    {
      // The left-out ones ask alone at once: no listing is refused with the shared token.
      grant: 'grants the first scope only, in a JWT that says so',
      repositories: five,
      tokens: ['team/a', 'team/b team/c team/d team/e', 'team/c', 'team/d', 'team/e'],
      failed: [],
    },
    {
      grant: 'grants all but a denied one, in a JWT that says so',
      repositories: ['team/a', 'team/b', PRIVATE, 'team/d'],
      tokens: ['team/a', `team/b ${PRIVATE} team/d`, PRIVATE],
      failed: [PRIVATE],
    },
    {
      grant: 'answers no JSON to several',
      repositories: ['team/a', 'team/b', 'team/c'],
      tokens: ['team/a', 'team/b team/c', 'team/b', 'team/c'],
      failed: [],
    },
    {
      // Unreachable or too slow: asking again scope by scope would only wait as long again. Asked
      // while the first learned the scheme, then once it had (that first request got no answer).
      grant: 'does not answer several',
      repositories: ['team/a', 'team/b', 'team/c'],
      tokens: ['team/a', 'team/b team/c', 'team/b team/c'],
      failed: ['team/b', 'team/c'],
    },
  ])('a token service that $grant', async ({ grant, repositories, tokens, failed, refused = [] }) => {
    const registry = await startRegistry(grant);
    const listed = await listAll(registry, repositories);
    repositories.forEach((repository, i) => {
      if (failed.includes(repository))
        expect(listed[i]).toMatch(
          grant === 'does not answer several'
            ? /could not get a token from the token service/
            : /token service .* refused a token.*access denied/,
        );
      else expect(listed[i]).toBe('1.0.0');
    });
    const asked = tokenRequests(registry);
    // The first two in order; those asked alone after them in any order.
    expect(asked.slice(0, 2)).toEqual(tokens.slice(0, 2));
    expect([...asked.slice(2)].sort()).toEqual([...tokens.slice(2)].sort());
    // Listings the registry refused with the token they carried (then asked again with their own).
    expect([...refusedWithToken].sort()).toEqual(refused);
  });

  it.each<{ grant: Grant; first: string[]; later: string[] }>([
    { grant: 'answers 400 to several', first: ['team/a', 'team/b', 'team/c'], later: ['team/x', 'team/y'] },
    {
      grant: 'grants the first scope only',
      first: ['team/a', 'team/b', 'team/c'],
      later: ['team/x', 'team/y'],
    },
    // A repository denied alone too says nothing of how the service grants several.
    { grant: 'grants all but a denied one', first: ['team/a', 'team/b', PRIVATE], later: ['team/x team/y'] },
    {
      grant: 'grants the first scope only, in a JWT that says so',
      first: ['team/a', 'team/b', 'team/c'],
      later: ['team/x', 'team/y'],
    },
    {
      grant: 'grants all but a denied one, in a JWT that says so',
      first: ['team/a', 'team/b', PRIVATE],
      later: ['team/x team/y'],
    },
    { grant: 'grants every scope', first: ['team/a', 'team/b', 'team/c'], later: ['team/x team/y'] },
  ])('a token service that $grant: what the run asks for later', async ({ grant, first, later }) => {
    const registry = await startRegistry(grant);
    const client = runClient();
    await listAll(registry, first, client);
    registry.log.length = 0;
    await listAll(registry, ['team/x', 'team/y'], client);
    expect([...tokenRequests(registry)].sort()).toEqual(later);
  });
});

describe('the next run, with the scheme remembered', () => {
  it('asks for one token for every repository it starts at once', async () => {
    const registry = await startRegistry('grants every scope');
    const repositories = ['team/a', 'team/b', 'team/c'];
    const cache = new DigestCache();
    await listAll(registry, repositories, runClient(cache));
    registry.log.length = 0;
    expect(await listAll(registry, repositories, runClient(nextRun(cache)))).toEqual([
      '1.0.0',
      '1.0.0',
      '1.0.0',
    ]);
    expect(tokenRequests(registry)).toEqual(['team/a team/b team/c']);
    // Each listing went once, with its token.
    expect(listings(registry).sort()).toEqual(repositories.map((r) => `${r} (with a token)`));
  });

  it(`names at most ${MAX_SCOPES_PER_TOKEN} scopes in one token request`, async () => {
    const registry = await startRegistry('grants every scope');
    const repositories = Array.from({ length: 2 * MAX_SCOPES_PER_TOKEN + 3 }, (_, i) => `team/r${i}`);
    const cache = new DigestCache();
    await listAll(registry, repositories.slice(0, 1), runClient(cache));
    registry.log.length = 0;
    const listed = await listAll(registry, repositories, runClient(nextRun(cache)));
    expect(listed.every((tags) => tags === '1.0.0')).toBe(true);
    const asked = tokenRequests(registry).map((scopes) => scopes.split(' '));
    expect(asked.map((scopes) => scopes.length)).toEqual([MAX_SCOPES_PER_TOKEN, MAX_SCOPES_PER_TOKEN, 3]);
    expect(asked.flat().sort()).toEqual([...repositories].sort());
  });
});
