/**
 * The registry client against a real distribution registry (Debian's docker-registry 2.8) in three
 * auth modes, behind our paginating / fault-injecting front proxy. Requests are counted at the
 * proxy, so these tests see what went over the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, type TagDetails } from '../../src/ports.js';
import { Authenticator, type RegistryCredentials } from '../../src/registry/auth.js';
import { HttpClient } from '../../src/registry/http.js';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { loadDigestCache, saveDigestCache } from '../../src/registry/digest-cache-file.js';
import {
  createRegistryClient,
  credentialsForRegistry,
  type RegistryClientOptions,
} from '../../src/registry/registry-client.js';
import {
  startFrontProxy,
  type FrontProxy,
  type FrontProxyOptions,
  type FrontRequestKind,
} from '../../test-support/registry/front-proxy.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryAuthMode,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedMany, type SeedImageOptions } from '../../test-support/registry/seed.js';
import { parseMirrors } from '../../src/registry/registry-names.js';

const gate = registryTestGate();
if (!gate.available) console.warn(gate.message);
if (gate.mustFail) {
  describe('registry integration tests', () => {
    it('need docker-registry in CI', () => {
      throw new Error(gate.message);
    });
  });
}
const describeWithRegistry = gate.available ? describe : describe.skip;

const SOURCE = 'https://github.com/acme/app';
const IMAGES: SeedImageOptions[] = [
  {
    path: 'team/app',
    tags: ['1.0.0'],
    format: 'docker',
    created: '2024-01-01T00:00:00Z',
    labels: { 'org.opencontainers.image.source': SOURCE },
  },
  { path: 'team/app', tags: ['1.1.0', '1.1.0-alias'], format: 'oci', created: '2024-02-01T00:00:00Z' },
  {
    path: 'team/app',
    tags: ['2.0.0'],
    format: 'docker-list',
    created: '2024-03-01T00:00:00Z',
    labels: { 'org.opencontainers.image.source': SOURCE },
  },
  {
    path: 'team/app',
    tags: ['2.1.0'],
    format: 'oci-index',
    attestation: true,
    created: '2024-04-01T00:00:00Z',
  },
  {
    path: 'team/app',
    tags: ['arm-only'],
    format: 'oci-index',
    attestation: true,
    platforms: [
      { os: 'linux', architecture: 'arm64', created: '2023-05-05T00:00:00Z' },
      { os: 'linux', architecture: 'arm', variant: 'v7', created: '2023-06-06T00:00:00Z' },
    ],
  },
  { path: 'team/app', tags: ['no-created'], format: 'docker', created: null },
  { path: 'team/other', tags: ['a'], created: '2022-01-01T00:00:00Z' },
  { path: 'team/other', tags: ['b'], created: '2022-02-01T00:00:00Z' },
  { path: 'team/flaky', tags: ['x'], created: '2022-03-01T00:00:00Z' },
];
const APP_TAGS = ['1.0.0', '1.1.0', '1.1.0-alias', '2.0.0', '2.1.0', 'arm-only', 'no-created'];
const ASKED = [...APP_TAGS, 'missing'];
/** tag -> [created, source]; linux/amd64 of lists, first non-attestation entry without amd64. */
const EXPECTED: Record<string, [string | undefined, string | undefined]> = {
  '1.0.0': ['2024-01-01T00:00:00.000Z', SOURCE],
  '1.1.0': ['2024-02-01T00:00:00.000Z', undefined],
  '1.1.0-alias': ['2024-02-01T00:00:00.000Z', undefined],
  '2.0.0': ['2024-03-01T00:00:00.000Z', SOURCE],
  '2.1.0': ['2024-04-01T00:00:00.000Z', undefined],
  'arm-only': ['2023-05-05T00:00:00.000Z', undefined],
  'no-created': [undefined, undefined],
};
/** 6 distinct tag digests (1.1.0-alias shares 1.1.0's) + 3 index children; 6 distinct configs. */
const DISTINCT = { headManifest: ASKED.length, getManifest: 9, getBlob: 6 };

/** Requests of a kind that reached the registry answered (401 challenges not counted). */
function answered(front: FrontProxy, kind: FrontRequestKind, pathIncludes?: string): number {
  return front.log.filter(
    (e) => e.kind === kind && e.status !== 401 && (!pathIncludes || e.path.includes(pathIncludes)),
  ).length;
}

function summarise(details: Map<string, TagDetails | RegistryError>): Record<string, unknown> {
  return Object.fromEntries(
    [...details].map(([tag, d]) => [
      tag,
      d instanceof RegistryError ? `error ${d.status}` : [d.created?.toISOString(), d.source],
    ]),
  );
}

const FAST: RegistryClientOptions['http'] = { retryBaseDelayMs: 0, timeoutMs: 5000 };

describeWithRegistry.each<RegistryAuthMode>(['open', 'basic', 'token'])(
  'against distribution 2.8 (%s)',
  (mode) => {
    let registry: RegistryServer;
    let front: FrontProxy;
    let credentials: Map<string, RegistryCredentials>;
    const client = (options: RegistryClientOptions = {}) =>
      createRegistryClient({ credentials, http: FAST, ...options });

    beforeAll(async () => {
      registry = await startRegistry({ auth: mode, users: { tester: 'secret' } });
      await seedMany(registry, IMAGES, 4);
      front = await startFrontProxy({ target: registry.url, pageSize: 3, redirectBlobs: true });
      credentials = new Map(
        mode === 'open' ? [] : [[front.host, { username: 'tester', password: 'secret' }]],
      );
    });
    afterAll(async () => {
      await front?.stop();
      await registry?.stop();
    });

    it('lists every tag across Link pages, once per repository per run', async () => {
      front.clearLog();
      const c = client();
      const repository = `${front.host}/team/app`;
      const lists = await Promise.all([c.listTags(repository), c.listTags(repository)]);
      expect(await c.listTags(repository)).toBe(lists[0]);
      expect([...lists[0]].sort()).toEqual([...APP_TAGS].sort());
      expect(answered(front, 'tagPage')).toBe(3); // 7 tags, pages of 3
      expect(front.log.filter((e) => e.kind === 'tagPage').map((e) => e.path)).toContain(
        '/v2/team/app/tags/list?n=3&last=1.1.0-alias',
      );
    });

    it('describes tags: one HEAD per tag, one GET per distinct digest, blob redirects without Authorization', async () => {
      front.clearLog();
      const c = client();
      const told: string[] = [];
      const details = await c.describeTags(`${front.host}/team/app`, ASKED, (tag) => told.push(tag));
      expect(summarise(details)).toEqual({ ...EXPECTED, missing: 'error 404' });
      // Progress: each tag told once, the failed one too.
      expect([...told].sort()).toEqual([...new Set(ASKED)].sort());
      const alias = details.get('1.1.0-alias') as TagDetails;
      expect(alias.digest).toBe((details.get('1.1.0') as TagDetails).digest);
      expect({
        headManifest: answered(front, 'headManifest'),
        getManifest: answered(front, 'getManifest'),
        getBlob: answered(front, 'getBlob'),
      }).toEqual(DISTINCT);
      // The client's own counters include the redirect hop to storage for each blob.
      expect(c.stats).toMatchObject({
        ...DISTINCT,
        headManifest: DISTINCT.headManifest + (mode === 'open' ? 0 : 1),
        getBlob: 2 * DISTINCT.getBlob,
        redirects: DISTINCT.getBlob,
      });
      // At most the first request of the run meets a challenge; the rest wait for its answer.
      expect(front.log.filter((e) => e.status === 401).length).toBe(mode === 'open' ? 0 : 1);
      // The registry saw credentials on blob GETs; the storage host it redirected to never did.
      expect(
        front.log.filter((e) => e.kind === 'getBlob').every((e) => e.authorization === (mode !== 'open')),
      ).toBe(true);
      expect(front.storage!.log).toHaveLength(DISTINCT.getBlob);
      expect(front.storage!.log.filter((e) => e.authorization || e.status !== 200)).toEqual([]);
    });

    it('makes no manifest or blob requests on a second run with the digest cache file', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'digest-cache-'));
      try {
        const file = join(dir, 'digests.json');
        const first = client({ digestCache: await loadDigestCache(file) });
        const before = summarise(await first.describeTags(`${front.host}/team/app`, APP_TAGS));
        await saveDigestCache(file, first.digestCache);

        front.clearLog();
        const second = client({ digestCache: await loadDigestCache(file) });
        expect(summarise(await second.describeTags(`${front.host}/team/app`, APP_TAGS))).toEqual(before);
        expect(answered(front, 'getManifest')).toBe(0);
        expect(answered(front, 'getBlob')).toBe(0);
        expect(answered(front, 'headManifest')).toBe(APP_TAGS.length);
        expect(second.digestCache.changed).toBe(false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('reports a missing repository as a RegistryError while another repository completes', async () => {
      const c = client();
      const [missing, other] = await Promise.allSettled([
        c.listTags(`${front.host}/team/nope`),
        c.listTags(`${front.host}/team/other`),
      ]);
      expect(missing.status).toBe('rejected');
      const error = (missing as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(RegistryError);
      expect(error).toMatchObject({ host: front.host, status: 404 });
      expect(other).toEqual({ status: 'fulfilled', value: ['a', 'b'] });
    });

    if (mode === 'basic') {
      it('fails with 401 on wrong credentials, naming the registry', async () => {
        const c = createRegistryClient({
          credentials: new Map([[front.host, { username: 'tester', password: 'wrong' }]]),
          http: FAST,
        });
        await expect(c.listTags(`${front.host}/team/app`)).rejects.toMatchObject({
          name: 'RegistryError',
          host: front.host,
          status: 401,
          message: expect.stringMatching(/authentication failed/),
        });
      });
    }

    if (mode === 'token') {
      it('gets one token per scope, with the registry credentials, and reuses it', async () => {
        const tokenLog = registry.tokenServer!.log;
        tokenLog.length = 0;
        front.clearLog();
        const c = client();
        await c.listTags(`${front.host}/team/app`);
        await c.describeTags(`${front.host}/team/app`, APP_TAGS);
        await c.listTags(`${front.host}/team/other`);
        await c.describeTags(`${front.host}/team/other`, ['a', 'b']);
        expect(tokenLog.map((t) => [t.method, t.user, t.scopes])).toEqual([
          ['GET', 'tester', ['repository:team/app:pull']],
          ['GET', 'tester', ['repository:team/other:pull']],
        ]);
        expect(c.stats.token).toBe(2);
        // Only the first request of the run needed a challenge; later repositories get a token up front.
        expect(front.log.filter((e) => e.status === 401).length).toBe(1);
      });

      it('asks for one token for the repositories that ask at once, which distribution takes for each', async () => {
        const tokenLog = registry.tokenServer!.log;
        tokenLog.length = 0;
        front.clearLog();
        const c = client();
        const repositories = ['team/app', 'team/other', 'team/flaky'];
        const listed = await Promise.all(repositories.map((path) => c.listTags(`${front.host}/${path}`)));
        expect(listed.map((tags) => tags.length)).toEqual([APP_TAGS.length, 2, 1]);
        // The first learned the scheme alone; the two it held back shared one token (shared-tokens.ts),
        // which names both in its access claim.
        expect(tokenLog.map((t) => [t.user, t.scopes])).toEqual([
          ['tester', ['repository:team/app:pull']],
          ['tester', ['repository:team/other:pull', 'repository:team/flaky:pull']],
        ]);
        expect(front.log.filter((e) => e.status === 401).length).toBe(1);
      });

      it('reuses a token until it expires, then fetches a new one', async () => {
        const tokenLog = registry.tokenServer!.log;
        tokenLog.length = 0;
        let now = Date.now();
        const http = new HttpClient(FAST);
        const authenticator = new Authenticator({
          http,
          credentialsFor: () => ({ username: 'tester', password: 'secret' }),
          maskSecret: () => undefined,
          now: () => now,
        });
        const challenge = await http.request({
          url: `${front.url}/v2/team/other/tags/list`,
          kind: 'tagPage',
        });
        expect(challenge.status).toBe(401);
        const first = await authenticator.answerChallenge(
          'r',
          'team/other',
          challenge.headers.get('www-authenticate'),
          undefined,
          front.url,
        );
        expect(await authenticator.headerFor('r', 'team/other')).toBe(first);
        expect(tokenLog).toHaveLength(1);
        now += 300_000; // the token server's expires_in
        const renewed = await authenticator.headerFor('r', 'team/other');
        expect(tokenLog).toHaveLength(2);
        expect(renewed).not.toBe(first);
        const ok = await http.request({
          url: `${front.url}/v2/team/other/tags/list`,
          kind: 'tagPage',
          headers: { authorization: renewed! },
        });
        expect(ok.status).toBe(200);
      });

      it('exchanges a docker config identitytoken as an OAuth2 refresh token (POST)', async () => {
        const keyed = await startRegistry({
          auth: 'token',
          users: { tester: 'secret' },
          token: { refreshTokens: { 'refresh-123': 'tester' }, tokenField: 'access_token' },
        });
        try {
          await seedMany(keyed, IMAGES.slice(6, 8));
          const masked: string[] = [];
          const c = createRegistryClient({
            credentials: new Map([[keyed.host, { identityToken: 'refresh-123' }]]),
            maskSecret: (s) => masked.push(s),
            http: FAST,
          });
          expect(await c.listTags(`${keyed.host}/team/other`)).toEqual(['a', 'b']);
          expect(keyed.tokenServer!.log.map((t) => [t.method, t.grantType, t.user])).toEqual([
            ['POST', 'refresh_token', 'tester'],
          ]);
          expect(masked).toHaveLength(2); // the configured refresh token, then the access token
          expect(masked[0]).toBe('refresh-123');
        } finally {
          await keyed.stop();
        }
      });

      it('pulls anonymously without credentials for the registry, even with some for the realm host', async () => {
        const tokenLog = registry.tokenServer!.log;
        tokenLog.length = 0;
        // The realm is on another host; it only ever gets the credentials of the registry asked.
        const realmHost = new URL(registry.tokenServer!.realm).host;
        const c = createRegistryClient({
          http: FAST,
          credentials: new Map([[realmHost, { username: 'tester', password: 'secret' }]]),
        });
        expect(await c.listTags(`${front.host}/team/other`)).toEqual(['a', 'b']);
        expect(tokenLog.map((t) => [t.user, t.authorization])).toEqual([[undefined, false]]);
      });
    }
  },
);

describeWithRegistry('faults, pagination quirks and options (open registry)', () => {
  let registry: RegistryServer;
  const fronts: FrontProxy[] = [];
  const startFront = async (options: Omit<FrontProxyOptions, 'target'>): Promise<FrontProxy> => {
    const front = await startFrontProxy({ target: registry.url, ...options });
    fronts.push(front);
    return front;
  };

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'open' });
    await seedMany(registry, IMAGES, 4);
  });
  afterAll(async () => {
    await Promise.all(fronts.map((f) => f.stop()));
    await registry?.stop();
  });

  it('retries 429 (Retry-After), 5xx, resets and timeouts, and still gets everything', async () => {
    const front = await startFront({
      pageSize: 3,
      faults: [
        { kind: 'tagPage', times: 1, action: { status: 429, retryAfter: '0' } },
        { kind: 'tagPage', pathIncludes: 'last=', times: 1, action: { status: 503 } },
        { kind: 'headManifest', pathIncludes: '2.0.0', times: 1, action: { hang: true } },
        { kind: 'getManifest', times: 1, action: { reset: true } },
        { kind: 'getBlob', times: 1, action: { status: 502 } },
      ],
    });
    const c = createRegistryClient({ http: { retryBaseDelayMs: 0, timeoutMs: 1000 } });
    const repository = `${front.host}/team/app`;
    expect([...(await c.listTags(repository))].sort()).toEqual([...APP_TAGS].sort());
    expect(summarise(await c.describeTags(repository, APP_TAGS))).toEqual(EXPECTED);
    expect(c.stats.retries).toBe(5);
  });

  it('says it is writing while a listing it started is not written yet, and not once it is answered', async () => {
    const front = await startFront({ pageSize: 3 });
    const c = createRegistryClient();
    expect(c.writing()).toBe(false);
    let answered = false;
    const listing = c.listTags(`${front.host}/team/app`).finally(() => (answered = true));
    // Its connection is opened first: turns of the event loop before the request is written.
    let seenWriting = false;
    for (let turn = 0; turn < 100 && !answered && !seenWriting; turn += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      seenWriting = c.writing();
    }
    expect(seenWriting).toBe(true);
    expect([...(await listing)].sort()).toEqual([...APP_TAGS].sort());
    expect(c.writing()).toBe(false);
  });

  it('gives up on a repository that keeps failing, while another completes', async () => {
    const front = await startFront({ faults: [{ pathIncludes: '/team/flaky/', action: { status: 500 } }] });
    const c = createRegistryClient({ http: { retries: 2, retryBaseDelayMs: 0 } });
    const [flaky, other] = await Promise.allSettled([
      c.listTags(`${front.host}/team/flaky`),
      c.listTags(`${front.host}/team/other`),
    ]);
    expect((flaky as PromiseRejectedResult).reason).toMatchObject({ name: 'RegistryError', status: 500 });
    expect(front.count('tagPage', '/team/flaky/')).toBe(3);
    expect(other).toEqual({ status: 'fulfilled', value: ['a', 'b'] });
  });

  it('gives a RegistryError for one broken tag only', async () => {
    const front = await startFront({
      faults: [{ kind: 'headManifest', pathIncludes: '/b', action: { status: 500 } }],
    });
    const c = createRegistryClient({ http: { retries: 1, retryBaseDelayMs: 0 } });
    expect(summarise(await c.describeTags(`${front.host}/team/other`, ['a', 'b']))).toEqual({
      a: ['2022-01-01T00:00:00.000Z', undefined],
      b: 'error 500',
    });
  });

  it('handles distribution 3.1: too-large n rejected, Link on a full last page, then "tags": null', async () => {
    const front = await startFront({ pageSize: 7, maxPageSize: 50, nullTagsPage: true });
    const c = createRegistryClient({ http: FAST });
    expect([...(await c.listTags(`${front.host}/team/app`))].sort()).toEqual([...APP_TAGS].sort());
    expect(front.log.filter((e) => e.kind === 'tagPage').map((e) => [e.path, e.status])).toEqual([
      ['/v2/team/app/tags/list?n=1000', 400],
      ['/v2/team/app/tags/list?n=100', 400],
      ['/v2/team/app/tags/list', 200],
      ['/v2/team/app/tags/list?n=7&last=no-created', 200],
    ]);
  });

  it('ends in a RegistryError, not a hang, past the page cap', async () => {
    const front = await startFront({ pageSize: 1 });
    const c = createRegistryClient({ http: FAST, maxPages: 3 });
    await expect(c.listTags(`${front.host}/team/app`)).rejects.toMatchObject({
      name: 'RegistryError',
      message: expect.stringMatching(/more than 3 pages/),
    });
    expect(front.count('tagPage')).toBe(3);
  });

  it('refuses a pagination link to another host', async () => {
    const front = await startFront({ pageSize: 1, linkOrigin: 'http://127.0.0.2:9' });
    const c = createRegistryClient({ http: FAST });
    await expect(c.listTags(`${front.host}/team/other`)).rejects.toMatchObject({
      name: 'RegistryError',
      message: expect.stringMatching(/links to another host \(127\.0\.0\.2:9\)/),
    });
    expect(front.count('tagPage')).toBe(1);
  });

  it("reports Docker Hub's ratelimit-remaining once, and again when it runs low", async () => {
    const front = await startFront({
      extraHeaders: {
        headManifest: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '5;w=21600' },
      },
    });
    const notices: string[] = [];
    const c = createRegistryClient({ http: FAST, onNotice: (m) => notices.push(m) });
    await c.describeTags(`${front.host}/team/other`, ['a', 'b']);
    expect(notices).toEqual([expect.stringMatching(/5 pulls left of 100 .*for a higher limit/)]);
  });

  it.each([['lots;w=21600'], ['']])(
    'says nothing of a ratelimit-remaining that is no count (%j)',
    async (remaining) => {
      const front = await startFront({
        extraHeaders: {
          headManifest: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': remaining },
        },
      });
      const notices: string[] = [];
      const c = createRegistryClient({ http: FAST, onNotice: (m) => notices.push(m) });
      await c.describeTags(`${front.host}/team/other`, ['a']);
      expect(notices).toEqual([]);
    },
  );

  it.each<[string, (host: string) => RegistryClientOptions, (host: string) => string]>([
    // what the run has for the host, the client's options, how the low notice ends
    [
      "no credentials: the shell's advice",
      () => ({ loginAdvice: (host) => `run docker login ${host}` }),
      (host) => `; run docker login ${host} for a higher limit, or keep the digest cache to use fewer pulls`,
    ],
    [
      'no credentials, no advice given: the neutral one',
      () => ({}),
      (host) =>
        `; add credentials for ${host} to the Docker config for a higher limit, or keep the digest cache to use fewer pulls`,
    ],
    [
      'credentials that could not be read: not "log in", but the warning',
      (host) => ({ unreadableCredentials: new Set([host]), loginAdvice: () => 'log in' }),
      (host) =>
        `; fix the credentials configured for ${host}, which could not be read (the warning about the Docker config says why), for a higher limit, or keep the digest cache to use fewer pulls`,
    ],
    [
      'a Docker config that could not be read at all: not "log in", but that file',
      () => ({ unreadableConfig: '/home/u/.docker/config.json', loginAdvice: () => 'log in' }),
      () =>
        '; fix the Docker config /home/u/.docker/config.json, which could not be read (the warning about the Docker config says why), for a higher limit, or keep the digest cache to use fewer pulls',
    ],
    // Already logged in: logging in is no advice.
    [
      'credentials in use',
      (host) => ({
        credentials: new Map([[host, { username: 'u', password: 'p' }]]),
        loginAdvice: () => 'log in',
      }),
      () => '; keep the digest cache to use fewer pulls',
    ],
  ])('the low-pulls notice, %s', async (_name, options, ending) => {
    const front = await startFront({
      extraHeaders: {
        headManifest: { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '5;w=21600' },
      },
    });
    const notices: string[] = [];
    const c = createRegistryClient({ http: FAST, onNotice: (m) => notices.push(m), ...options(front.host) });
    await c.describeTags(`${front.host}/team/other`, ['a']);
    expect(notices).toEqual([
      `${front.host}: 5 pulls left of 100 in the current rate-limit window${ending(front.host)}`,
    ]);
  });

  it('writes a large rate limit with thousands separators', async () => {
    const front = await startFront({
      extraHeaders: {
        headManifest: { 'ratelimit-limit': '5000;w=21600', 'ratelimit-remaining': '4200;w=21600' },
      },
    });
    const notices: string[] = [];
    const c = createRegistryClient({ http: FAST, onNotice: (m) => notices.push(m) });
    await c.describeTags(`${front.host}/team/other`, ['a']);
    expect(notices).toEqual([`${front.host}: 4,200 pulls left of 5,000 in the current rate-limit window`]);
  });

  it('sends a mirrored registry to the mirror endpoint, path prefix included', async () => {
    const front = await startFront({ pathPrefix: '/dockerhub', pageSize: 1 });
    const c = createRegistryClient({
      http: FAST,
      mirrors: parseMirrors([`docker.io=${front.url}/dockerhub`]),
    });
    expect(await c.listTags('docker.io/team/other')).toEqual(['a', 'b']);
    const details = await c.describeTags('docker.io/team/other', ['a']);
    expect(summarise(details)).toEqual({ a: ['2022-01-01T00:00:00.000Z', undefined] });
    // The proxy logs paths with the prefix stripped; a request without it would be logged as 404.
    expect(front.log.map((e) => [e.kind, e.status])).toEqual([
      ['tagPage', 200],
      ['tagPage', 200],
      ['headManifest', 200],
      ['getManifest', 200],
      ['getBlob', 200],
    ]);
  });

  describe('trusting tag digests across runs (tag-digest-max-age)', () => {
    const HOUR = 3_600_000;
    const T0 = Date.parse('2026-11-24T09:00:00Z');
    const created = (d: TagDetails | RegistryError | undefined) => (d as TagDetails).created?.toISOString();

    it('asks nothing about a tag confirmed within its trust period; asks again once it is over', async () => {
      const front = await startFront({});
      const repository = `${front.host}/team/app`;
      const cache = new DigestCache();
      const run = (now: number, maxAge = 24 * HOUR) =>
        createRegistryClient({ http: FAST, digestCache: cache, now, tagDigestMaxAgeMs: maxAge });
      const first = await run(T0).describeTags(repository, APP_TAGS);
      front.clearLog();

      const warm = run(T0 + HOUR - 1);
      expect(summarise(await warm.describeTags(repository, APP_TAGS))).toEqual(summarise(first));
      expect(front.log).toEqual([]);
      expect(warm.trustedTagDigests).toBe(APP_TAGS.length);

      const due = run(T0 + HOUR);
      expect(summarise(await due.describeTags(repository, APP_TAGS))).toEqual(summarise(first));
      expect(front.log.map((e) => e.kind)).toEqual(APP_TAGS.map(() => 'headManifest'));
      expect(due.trustedTagDigests).toBe(0);
      // Unchanged: trusted twice as long now.
      expect(cache.tag(repository, '1.0.0')).toMatchObject({ checked: T0 + HOUR, refresh: 2 * HOUR });

      front.clearLog();
      await run(T0 + HOUR, 0).describeTags(repository, APP_TAGS);
      expect(front.log).toHaveLength(APP_TAGS.length); // max age 0: always asks
    });

    it('sees a moved tag once its trust is over, and trusts it half as long', async () => {
      const front = await startFront({});
      const repository = `${front.host}/team/moving`;
      await seedMany(registry, [{ path: 'team/moving', tags: ['main'], created: '2024-01-01T00:00:00Z' }]);
      const cache = new DigestCache();
      const run = (now: number) =>
        createRegistryClient({ http: FAST, digestCache: cache, now, tagDigestMaxAgeMs: 24 * HOUR });
      expect(created((await run(T0).describeTags(repository, ['main'])).get('main'))).toBe(
        '2024-01-01T00:00:00.000Z',
      );
      await seedMany(registry, [{ path: 'team/moving', tags: ['main'], created: '2025-01-01T00:00:00Z' }]);

      // Within the hour the cached digest is used, as Flux v1 did.
      expect(created((await run(T0 + HOUR / 2).describeTags(repository, ['main'])).get('main'))).toBe(
        '2024-01-01T00:00:00.000Z',
      );
      front.clearLog();
      expect(created((await run(T0 + HOUR).describeTags(repository, ['main'])).get('main'))).toBe(
        '2025-01-01T00:00:00.000Z',
      );
      expect(front.log.map((e) => e.kind)).toEqual(['headManifest', 'getManifest', 'getBlob']);
      expect(cache.tag(repository, 'main')?.refresh).toBe(HOUR / 2);
    });

    it('asks again about a trusted tag whose image details are not cached', async () => {
      const front = await startFront({});
      const repository = `${front.host}/team/other`;
      const cache = new DigestCache();
      await createRegistryClient({ http: FAST, digestCache: cache, now: T0 }).describeTags(repository, ['a']);
      // The details were lost (a cache written by a run that failed half-way): the digest alone is not used.
      const onlyTags = DigestCache.fromJSON({ ...cache.toJSON(), entries: {} }, T0);
      front.clearLog();
      const details = await createRegistryClient({
        http: FAST,
        digestCache: onlyTags,
        now: T0,
        tagDigestMaxAgeMs: 24 * HOUR,
      }).describeTags(repository, ['a']);
      expect(created(details.get('a'))).toBe('2022-01-01T00:00:00.000Z');
      expect(front.log.map((e) => e.kind)).toEqual(['headManifest', 'getManifest', 'getBlob']);
    });

    it('forgets the cached tags a fresh listing no longer has', async () => {
      const front = await startFront({});
      const repository = `${front.host}/team/other`;
      const cache = new DigestCache();
      const client = createRegistryClient({ http: FAST, digestCache: cache, now: T0 });
      const described = await client.describeTags(repository, ['a', 'b']);
      cache.recordTag(repository, 'deleted-since', (described.get('a') as TagDetails).digest, T0, 0);
      await createRegistryClient({ http: FAST, digestCache: cache, now: T0 }).listTags(repository);
      expect(cache.tag(repository, 'deleted-since')).toBeUndefined();
      expect(Object.keys(cache.toJSON().tags[repository]!).sort()).toEqual(['a', 'b']);
    });
  });

  it('remembers how many pages a listing took, and starts a listing known to be long before others', async () => {
    const front = await startFront({ pageSize: 3 });
    const cache = new DigestCache();
    const T0 = Date.parse('2026-11-24T09:00:00Z');
    await createRegistryClient({ http: FAST, digestCache: cache, now: T0 }).listTags(
      `${front.host}/team/app`,
    );
    expect(cache.listings.pages(`${front.host}/team/app`)).toBe(3); // 7 tags, pages of 3

    // One request at a time. The registry's scheme is remembered from the listing above, so none
    // waits for another to learn it: the first (team/nope) takes the free slot, and team/app's
    // first page goes next, before team/flaky's and team/other's, though asked for last.
    front.clearLog();
    const c = createRegistryClient({ http: { ...FAST, maxInFlightPerHost: 1 }, digestCache: cache, now: T0 });
    await Promise.allSettled(
      ['team/nope', 'team/flaky', 'team/other', 'team/app'].map((path) =>
        c.listTags(`${front.host}/${path}`),
      ),
    );
    const order = front.log.map((e) => e.path.replace(/\/tags\/list.*$/, '').replace('/v2/', ''));
    expect(order.slice(0, 3)).toEqual(['team/nope', 'team/app', 'team/flaky']);
    expect(order.filter((p) => p === 'team/app')).toHaveLength(3);

    // Unknown sizes keep the order asked.
    front.clearLog();
    const fresh = createRegistryClient({ http: { ...FAST, maxInFlightPerHost: 1 }, now: T0 });
    await Promise.allSettled(
      ['team/nope', 'team/flaky', 'team/other', 'team/app'].map((path) =>
        fresh.listTags(`${front.host}/${path}`),
      ),
    );
    expect(
      front.log.map((e) => e.path.replace(/\/tags\/list.*$/, '').replace('/v2/', '')).slice(0, 4),
    ).toEqual(['team/nope', 'team/flaky', 'team/other', 'team/app']);
  });

  it('keeps the same digest cache object across clients (in memory)', async () => {
    const front = await startFront({});
    const cache = new DigestCache();
    await createRegistryClient({ http: FAST, digestCache: cache }).describeTags(`${front.host}/team/other`, [
      'a',
      'b',
    ]);
    front.clearLog();
    await createRegistryClient({ http: FAST, digestCache: cache }).describeTags(`${front.host}/team/other`, [
      'a',
      'b',
    ]);
    expect(front.log.map((e) => e.kind)).toEqual(['headManifest', 'headManifest']);
  });
});

describe('credentialsForRegistry', () => {
  const configured = new Map([['ghcr.io', { username: 'me', password: 'pat' }]]);
  it.each([
    ['configured credentials win', 'ghcr.io', configured, 'gh-token', { username: 'me', password: 'pat' }],
    [
      'GHCR falls back to the GitHub token',
      'ghcr.io',
      undefined,
      'gh-token',
      { username: 'x-access-token', password: 'gh-token', origin: 'the GitHub token' },
    ],
    ['no GitHub token for other registries', 'docker.io', undefined, 'gh-token', undefined],
    ['nothing configured', 'ghcr.io', undefined, undefined, undefined],
  ])('%s', (_name, key, credentials, githubToken, expected) => {
    expect(credentialsForRegistry(key, credentials, githubToken)).toEqual(expected);
  });
});

describe('parseMirrors', () => {
  it.each([
    [
      ['docker.io=https://mirror.example.com/dockerhub/'],
      { 'docker.io': 'https://mirror.example.com/dockerhub' },
    ],
    [
      ['index.docker.io=https://m.example.com', ' ghcr.io = https://g.example.com '],
      { 'docker.io': 'https://m.example.com', 'ghcr.io': 'https://g.example.com' },
    ],
  ])('%j', (lines, expected) => {
    expect(parseMirrors(lines)).toEqual(expected);
  });

  it.each([['docker.io'], ['docker.io=ftp://x']])('rejects %s', (line) => {
    expect(() => parseMirrors([line])).toThrow(/registry-mirrors/);
  });
});
