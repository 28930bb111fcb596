/**
 * Image platforms against a real distribution registry (Debian's docker-registry), requests counted
 * at the front proxy: what describeTags keeps of an index and a single image, what describePlatforms
 * costs (the current image of a pull request), and what that adds to a whole run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryError, type PullRequestPort, type TagDetails } from '../../src/ports.js';
import { loadDigestCache, saveDigestCache } from '../../src/registry/digest-cache-file.js';
import { createRegistryClient, type RegistryClientOptions } from '../../src/registry/registry-client.js';
import { runUpdate } from '../../src/run-update.js';
import type { Update } from '../../src/update.js';
import { startFrontProxy, type FrontProxy } from '../../test-support/registry/front-proxy.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { forwardRequest } from '../../test-support/registry/forward.js';
import { seedMany, type SeedImageOptions } from '../../test-support/registry/seed.js';
import { helmRelease, memoryLog, memoryWorkspace, RUN_SETTINGS } from '../reliability/support.js';

const gate = registryTestGate();
if (!gate.available) console.warn(gate.message);
if (gate.mustFail) {
  describe('registry platform tests', () => {
    it('need docker-registry in CI', () => {
      throw new Error(gate.message);
    });
  });
}
const describeWithRegistry = gate.available ? describe : describe.skip;

const AMD = { os: 'linux', architecture: 'amd64' };
const ARM = { os: 'linux', architecture: 'arm64', created: '2000-01-01T00:00:00Z' };
const ARMV7 = { os: 'linux', architecture: 'arm', variant: 'v7', created: '2000-01-01T00:00:00Z' };
const IMAGES: SeedImageOptions[] = [
  // team/app: versions (semver orderings do not read the current tag's details).
  { path: 'team/app', tags: ['1.0.0'], format: 'docker', created: '2024-01-01T00:00:00Z' },
  {
    path: 'team/app',
    tags: ['1.1.0'],
    format: 'oci-index',
    attestation: true,
    platforms: [
      { ...AMD, created: '2024-02-01T00:00:00Z' },
      { ...ARM, created: '2024-02-01T00:00:00Z' },
    ],
  },
  {
    path: 'team/app',
    tags: ['1.2.0'],
    format: 'docker-list',
    platforms: [{ ...AMD, created: '2024-03-01T00:00:00Z' }, ARM, ARMV7],
  },
  // team/build: builds (glob orderings read the current tag's details anyway).
  {
    path: 'team/build',
    tags: ['main-1'],
    format: 'oci-index',
    platforms: [{ ...AMD, created: '2024-01-01T00:00:00Z' }, ARM],
  },
  { path: 'team/build', tags: ['main-2'], format: 'oci', created: '2024-02-01T00:00:00Z' },
];

const FAST: RegistryClientOptions['http'] = { retryBaseDelayMs: 0, timeoutMs: 5000 };

/** Requests by kind, as the proxy saw them. */
function requests(front: FrontProxy): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of front.log) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  return counts;
}

describeWithRegistry('image platforms (distribution 2.8)', () => {
  let registry: RegistryServer;
  let front: FrontProxy;
  let dir: string;
  const client = (options: RegistryClientOptions = {}) => createRegistryClient({ http: FAST, ...options });

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'open' });
    await seedMany(registry, IMAGES, 4);
    front = await startFrontProxy({ target: registry.url });
    dir = await mkdtemp(join(tmpdir(), 'platforms-'));
  });
  afterAll(async () => {
    await front?.stop();
    await registry?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps an index's platforms (attestations left out) and a single image's from its config", async () => {
    const details = await client().describeTags(`${front.host}/team/app`, ['1.0.0', '1.1.0', '1.2.0']);
    expect(Object.fromEntries([...details].map(([tag, d]) => [tag, (d as TagDetails).platforms]))).toEqual({
      '1.0.0': ['linux/amd64'],
      '1.1.0': ['linux/amd64', 'linux/arm64'],
      '1.2.0': ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    });
  });

  it('keeps them in the digest cache file: a second run asks for no manifest or blob', async () => {
    const file = join(dir, 'describe.json');
    const first = client({ digestCache: await loadDigestCache(file) });
    const repository = `${front.host}/team/app`;
    const before = await first.describeTags(repository, ['1.1.0', '1.2.0']);
    await saveDigestCache(file, first.digestCache);

    front.clearLog();
    const second = client({ digestCache: await loadDigestCache(file) });
    const after = await second.describeTags(repository, ['1.1.0', '1.2.0']);
    expect(after).toEqual(before);
    expect(requests(front)).toEqual({ headManifest: 2 });
  });

  it('reads platforms alone in one manifest GET per tag, then none on a run that trusts the cache', async () => {
    const file = join(dir, 'platforms.json');
    const repository = `${front.host}/team/app`;
    const tags = ['1.0.0', '1.1.0', '1.2.0'];
    front.clearLog();
    const first = client({ digestCache: await loadDigestCache(file), tagDigestMaxAgeMs: 3_600_000 });
    expect(Object.fromEntries(await first.describePlatforms(repository, tags))).toEqual({
      '1.0.0': [], // single-platform: its config is not read for this
      '1.1.0': ['linux/amd64', 'linux/arm64'],
      '1.2.0': ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    });
    expect(requests(front)).toEqual({ getManifest: 3 });
    await saveDigestCache(file, first.digestCache);

    // Trusted tags: nothing at all.
    front.clearLog();
    const trusted = client({ digestCache: await loadDigestCache(file), tagDigestMaxAgeMs: 3_600_000 });
    expect(Object.fromEntries(await trusted.describePlatforms(repository, tags))).toEqual(
      Object.fromEntries(await first.describePlatforms(repository, tags)),
    );
    expect(front.log).toEqual([]);

    // Every tag asked again (tag-digest-max-age 0): a HEAD each, no GET.
    const untrusted = client({ digestCache: await loadDigestCache(file) });
    await untrusted.describePlatforms(repository, tags);
    expect(requests(front)).toEqual({ headManifest: 3 });

    // In the run that described the tags: nothing more.
    const described = client();
    await described.describeTags(repository, tags);
    front.clearLog();
    await described.describePlatforms(repository, tags);
    expect(front.log).toEqual([]);
  });

  it('loads a cache file written before platforms were kept, and completes it with one GET per tag', async () => {
    const file = join(dir, 'old.json');
    const repository = `${front.host}/team/app`;
    const writer = client();
    await writer.describeTags(repository, ['1.1.0']);
    await saveDigestCache(file, writer.digestCache);
    const json = JSON.parse(await readFile(file, 'utf8'));
    for (const entry of Object.values(json.entries) as Record<string, unknown>[]) delete entry.platforms;
    await writeFile(file, JSON.stringify(json));

    const old = client({ digestCache: await loadDigestCache(file), tagDigestMaxAgeMs: 3_600_000 });
    const details = (await old.describeTags(repository, ['1.1.0'])).get('1.1.0') as TagDetails;
    expect(details.created?.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(details.platforms).toBeUndefined();
    front.clearLog();
    expect((await old.describePlatforms(repository, ['1.1.0'])).get('1.1.0')).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
    expect(requests(front)).toEqual({ getManifest: 1 });
    await saveDigestCache(file, old.digestCache);
    const completed = client({ digestCache: await loadDigestCache(file), tagDigestMaxAgeMs: 3_600_000 });
    front.clearLog();
    expect(
      ((await completed.describeTags(repository, ['1.1.0'])).get('1.1.0') as TagDetails).platforms,
    ).toEqual(['linux/amd64', 'linux/arm64']);
    expect(front.log).toEqual([]);
  });

  it.each<[string, string | undefined, unknown]>([
    ['without a digest header: the hash', undefined, ['linux/amd64', 'linux/arm64']],
    ['a digest header that is not the hash: an error for that tag', `sha256:${'0'.repeat(64)}`, 'error'],
  ])('checks the manifest read by tag against its digest header (%s)', async (_name, header, expected) => {
    const lying = createServer((req, res) =>
      forwardRequest(registry.url, req, res, (headers) => {
        if (header === undefined) delete headers['docker-content-digest'];
        else headers['docker-content-digest'] = header;
        return headers;
      }),
    );
    await new Promise<void>((resolve) => lying.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(lying.address() as AddressInfo).port}`;
      const found = (await client().describePlatforms(`${host}/team/app`, ['1.1.0'])).get('1.1.0');
      if (expected === 'error') {
        expect(found).toBeInstanceOf(RegistryError);
        expect((found as RegistryError).message).toMatch(/does not match its digest/);
      } else expect(found).toEqual(expected);
    } finally {
      await new Promise((resolve) => lying.close(resolve));
    }
  });

  describe('a run', () => {
    const files = () => ({
      'apps/versions.yaml': helmRelease({
        name: 'versions',
        annotations: ['filter.fluxcd.io/chart-image: semver:~1'],
        values: ['image:', `  repository: ${front.host}/team/app`, '  tag: 1.0.0'],
      }),
      'apps/versions-index.yaml': helmRelease({
        name: 'versions-index',
        annotations: ['filter.fluxcd.io/chart-image: semver:~1'],
        values: ['image:', `  repository: ${front.host}/team/app`, '  tag: 1.1.0'],
      }),
      'apps/builds.yaml': helmRelease({
        name: 'builds',
        annotations: ['filter.fluxcd.io/chart-image: glob:main-*'],
        values: ['image:', `  repository: ${front.host}/team/build`, '  tag: main-1'],
      }),
    });
    /** Runs once; returns the platforms of each update and the requests made. */
    async function run(options: RegistryClientOptions, withPlatforms: boolean) {
      const registryClient = client(options);
      const port = withPlatforms
        ? registryClient
        : { listTags: registryClient.listTags, describeTags: registryClient.describeTags };
      const written: Update[] = [];
      const pullRequests: PullRequestPort = {
        async write(updates) {
          written.push(...updates);
          return { results: [], problems: [] };
        },
      };
      front.clearLog();
      await runUpdate(RUN_SETTINGS, {
        workspace: memoryWorkspace(files()),
        registry: port,
        log: memoryLog(),
        pullRequests,
      });
      const platforms = Object.fromEntries(
        written.map((u) => [u.name, { from: u.fromPlatforms, to: u.platforms }]),
      );
      return { platforms, requests: requests(front), cache: registryClient.digestCache };
    }

    it('reads the current image of each semver update only: one manifest GET each, none for glob', async () => {
      const without = await run({}, false);
      const withPlatforms = await run({}, true);
      expect(withPlatforms.platforms).toEqual({
        versions: { from: [], to: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] },
        'versions-index': {
          from: ['linux/amd64', 'linux/arm64'],
          to: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
        },
        // Described by the glob ordering already: from the config of the single image.
        builds: { from: ['linux/amd64', 'linux/arm64'], to: ['linux/amd64'] },
      });
      expect(without.platforms.versions).toEqual({
        from: undefined,
        to: withPlatforms.platforms.versions!.to,
      });
      // The measured change: +1 manifest GET per semver update's current tag, nothing else.
      expect(withPlatforms.requests).toEqual({
        ...without.requests,
        getManifest: without.requests.getManifest! + 2,
      });
    });

    it('costs nothing more on a re-run that trusts the digest cache', async () => {
      const file = join(dir, 'run.json');
      const options = async () => ({
        digestCache: await loadDigestCache(file),
        tagDigestMaxAgeMs: 3_600_000,
      });
      const first = await run(await options(), true);
      await saveDigestCache(file, first.cache);
      const withPlatforms = await run(await options(), true);
      const without = await run(await options(), false);
      expect(withPlatforms.platforms).toEqual(first.platforms);
      expect(withPlatforms.requests).toEqual(without.requests);
      expect(withPlatforms.requests.getManifest ?? 0).toBe(0);
    });
  });
});
