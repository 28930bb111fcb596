/**
 * FLUX-V1-RULES R10.2 against the real registry: Flux v1's own images (Docker Hub `fluxcd/*`,
 * `weaveworks/*`) are ordered by their build-time labels, other repositories by `created`. The
 * local registry serves the Docker Hub names through `registry-aliases`, the way a Harbor proxy
 * would. Every image has the reproducible-build `created` of 1970, so only the labels tell the
 * builds apart.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpRegistry } from '../../src/adapters/registry-setup.js';
import type { WorkspacePort } from '../../src/ports.js';
import { BUILD_DATE_LABEL, CREATED_LABEL } from '../../src/registry/manifest.js';
import { runUpdate } from '../../src/run-update.js';
import { parseSettings } from '../../src/settings.js';
import {
  registryTestGate,
  startRegistry,
  type RegistryServer,
} from '../../test-support/registry/registry-server.js';
import { seedImage } from '../../test-support/registry/seed.js';

const log = { info: () => undefined, group: <T>(_: string, work: () => Promise<T>) => work() };
const EPOCH = '1970-01-01T00:00:00Z';

/**
 * The tags of each repository and their labels: by label 1.1.0 is the newest build; 0.9.0's
 * Label Schema date is later still, but its OCI label wins. By `created` all tie, and the
 * smallest tag, 0.9.0, is first.
 */
const TAGS: [string, Record<string, string>][] = [
  ['0.9.0', { [CREATED_LABEL]: '2024-02-01T00:00:00Z', [BUILD_DATE_LABEL]: '2025-01-01T00:00:00Z' }],
  ['1.0.0', { [CREATED_LABEL]: '2024-01-01T00:00:00Z' }],
  ['1.1.0', { [BUILD_DATE_LABEL]: '2024-03-01T00:00:00Z' }],
];

function workspace(files: Record<string, string>): WorkspacePort {
  return {
    listFiles: async () => Object.keys(files).sort(),
    readFile: async (path) => ({ ok: true, text: files[path] }),
  };
}

function release(name: string, image: string): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  annotations:
    fluxcd.io/automated: "true"
spec:
  values:
    image: ${image}
`;
}

const gate = registryTestGate();
const describeWithRegistry = gate.available ? describe : describe.skip;

describeWithRegistry('build times from labels (real registry)', () => {
  let registry: RegistryServer;
  let dir: string;
  const digests = new Map<string, string>();
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'open' });
    for (const path of ['fluxcd/helm-operator', 'weaveworks/flux', 'acme/app']) {
      for (const [tag, labels] of TAGS) {
        // A label of its own per repository, so that no two repositories share an image.
        const seeded = await seedImage(registry, {
          path: `dockerhub-proxy/${path}`,
          tags: [tag],
          created: EPOCH,
          labels: { ...labels, 'org.opencontainers.image.title': path },
        });
        digests.set(`${path}:${tag}`, seeded.digest);
      }
    }
    dir = await mkdtemp(join(tmpdir(), 'label-times-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: {} }));
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const files = {
    'operator.yaml': release('operator', 'docker.io/fluxcd/helm-operator:1.0.0'),
    'flux.yaml': release('flux', 'weaveworks/flux:1.0.0'),
    'app.yaml': release('app', 'acme/app:1.0.0'),
  };

  async function run(cacheFile?: string) {
    const settings = parseSettings((name) =>
      name === 'registry-aliases' ? `docker.io=${registry.host}/dockerhub-proxy` : undefined,
    );
    const setup = await setUpRegistry(settings, {
      maskSecret: () => undefined,
      onNotice: () => undefined,
      env: { DOCKER_CONFIG: dir },
      ...(cacheFile ? { cacheFile } : {}),
    });
    const report = await runUpdate(settings, { workspace: workspace(files), registry: setup.client, log });
    await setup.saveCache();
    const chosen = Object.fromEntries(report.plan.updates.map((u) => [u.repository, u.to]));
    const built = Object.fromEntries(report.plan.updates.map((u) => [u.repository, u.created]));
    return { chosen, built, stats: setup.client.stats };
  }

  it('orders fluxcd/* and weaveworks/* by label, anything else by created', async () => {
    const { chosen, built } = await run();
    expect(chosen).toEqual({
      'docker.io/fluxcd/helm-operator': '1.1.0',
      'docker.io/weaveworks/flux': '1.1.0',
      'docker.io/acme/app': '0.9.0',
    });
    // The time shown is the one the tag was chosen by.
    expect(built['docker.io/fluxcd/helm-operator']).toBe('2024-03-01T00:00:00Z');
    expect(built['docker.io/acme/app']).toBe(EPOCH);
  });

  it('reads again an image cached before labels were kept, and only for those repositories', async () => {
    const cacheFile = join(dir, 'digests.json');
    const now = new Date().toISOString();
    const entries: Record<string, unknown> = {};
    const tags: Record<string, Record<string, unknown>> = {};
    for (const [key, digest] of digests) {
      const [path, tag] = key.split(':') as [string, string];
      entries[digest] = { created: '1970-01-01T00:00:00.000Z' };
      const aliased = `${registry.host}/dockerhub-proxy/${path}`;
      tags[aliased] = { ...tags[aliased], [tag]: { digest, checked: now, refresh: 3600 } };
    }
    await writeFile(cacheFile, JSON.stringify({ version: 2, entries, tags, listings: {} }));

    const { chosen, stats } = await run(cacheFile);
    expect(chosen['docker.io/fluxcd/helm-operator']).toBe('1.1.0');
    expect(chosen['docker.io/acme/app']).toBe('0.9.0');
    // Two repositories of three images read again (manifest and config); acme/app's trusted.
    expect([stats.getManifest, stats.getBlob, stats.headManifest]).toEqual([6, 6, 0]);
    const saved = JSON.parse(await readFile(cacheFile, 'utf8')) as {
      entries: Record<string, { labels?: unknown }>;
    };
    expect(saved.entries[digests.get('fluxcd/helm-operator:1.1.0')!]?.labels).toEqual({
      buildDate: '2024-03-01T00:00:00.000Z',
    });
    expect(saved.entries[digests.get('acme/app:1.1.0')!]?.labels).toBeUndefined();

    // The next run finds them in the cache.
    expect((await run(cacheFile)).stats.getManifest).toBe(0);
  });
});
