/**
 * The e2e fixture: a GitOps repository (`__tests__/fixtures/e2e/gitops`), the registry content its
 * images resolve to, and the bumps the Action must propose. Shared by the Action and CLI tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { RegistryServer } from '../../test-support/registry/registry-server.js';
import { seedMany, type SeedImageOptions } from '../../test-support/registry/seed.js';
import { helmRelease } from '../reliability/support.js';

/** The fixture folder. */
export const FIXTURE_ROOT = join(import.meta.dirname, '..', 'fixtures', 'e2e', 'gitops');

/** Every fixture file, by repository-relative path. */
export function readFixtureFiles(root = FIXTURE_ROOT): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(root, full).split(sep).join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** Writes files (path -> text) below `root`, as a checkout would. */
export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** Day `n` of 2024, as an image config's `created`. */
const day = (n: number): string => new Date(Date.UTC(2024, 0, n)).toISOString();

/**
 * What the local registry holds. The fixture's Docker Hub, quay.io and ghcr.io images are all
 * mirrored to it (`registry-mirrors`), so paths are the upstream paths; `quay.io/acme/missing` is
 * deliberately absent (the image that cannot be checked).
 */
export const REGISTRY_IMAGES: SeedImageOptions[] = [
  // semver:~4.0 -> 4.0.10 (4.2.0 and 5.0.0 are out of range, though newer).
  { path: 'bitnami/mongodb', tags: ['4.0.3'], created: day(1) },
  { path: 'bitnami/mongodb', tags: ['4.0.4'], created: day(2) },
  { path: 'bitnami/mongodb', tags: ['4.0.10'], created: day(3) },
  { path: 'bitnami/mongodb', tags: ['4.2.0'], created: day(4) },
  { path: 'bitnami/mongodb', tags: ['5.0.0', 'latest'], created: day(5) },
  // glob:0.10.* -> the newest build among 0.10.x: 0.10.1.
  { path: 'bitnami/mongodb-exporter', tags: ['0.10.0'], created: day(1) },
  { path: 'bitnami/mongodb-exporter', tags: ['0.10.1'], created: day(3) },
  { path: 'bitnami/mongodb-exporter', tags: ['0.11.0'], created: day(5) },
  // regex:^v2\.4[0-9]\.[0-9]+$ -> newest matching build: v2.45.0.
  { path: 'prom/prometheus', tags: ['v2.40.0'], created: day(1), format: 'docker-list' },
  { path: 'prom/prometheus', tags: ['v2.41.0'], created: day(2), format: 'docker-list' },
  { path: 'prom/prometheus', tags: ['v2.45.0'], created: day(4), format: 'docker-list' },
  { path: 'prom/prometheus', tags: ['v3.0.0', 'latest'], created: day(6), format: 'docker-list' },
  // semver:>=0.25.0 <1.0.0 -> v0.27.0 (the release candidate is a pre-release).
  { path: 'prometheus/alertmanager', tags: ['v0.25.0'], created: day(1), format: 'oci-index' },
  { path: 'prometheus/alertmanager', tags: ['v0.26.0'], created: day(2), format: 'oci-index' },
  { path: 'prometheus/alertmanager', tags: ['v0.27.0'], created: day(3), format: 'oci' },
  { path: 'prometheus/alertmanager', tags: ['v1.0.0-rc.1'], created: day(4), format: 'oci' },
  // Alias, glob:0.2*-alpine -> newest alpine build: 0.25.6-alpine.
  { path: 'library/nats-streaming', tags: ['0.24.6-alpine'], created: day(1) },
  { path: 'library/nats-streaming', tags: ['0.25.6-alpine'], created: day(3) },
  { path: 'library/nats-streaming', tags: ['0.25.6', 'latest'], created: day(4) },
  // semver:~1.2 -> 1.2.3; semver:^2 -> 2.1.0.
  { path: 'acme/web', tags: ['1.2.0'], created: day(1), format: 'oci' },
  { path: 'acme/web', tags: ['1.2.3'], created: day(2), format: 'oci' },
  { path: 'acme/web', tags: ['1.3.0'], created: day(3), format: 'oci' },
  { path: 'acme/worker', tags: ['2.0.1'], created: day(1) },
  { path: 'acme/worker', tags: ['2.1.0'], created: day(2) },
  { path: 'acme/worker', tags: ['3.0.0'], created: day(3) },
  // Would move the locked and the not-automated releases, were they allowed to move.
  { path: 'bitnami/redis', tags: ['6.0.0'], created: day(1) },
  { path: 'bitnami/redis', tags: ['6.0.1'], created: day(2) },
];

/** One bump the fixture must produce, with the only line of its file that may change. */
export interface ExpectedBump {
  file: string;
  line: number;
  release: string;
  container: string;
  /** Normalised (`docker.io/...`). */
  repository: string;
  /** As written in the file, for the title. */
  written: string;
  from: string;
  to: string;
  filter: string;
  /** The update type the summary and `{type}` show. */
  type: string;
  /** The whole line `line` after the edit. */
  after: string;
}

/** The seven bumps, in the order the Action reports them (file, then container). */
/** The fields of a bump that every report of it shows (the Action's `updates` output, the CLI's JSON). */
export function reportedFields(b: ExpectedBump) {
  return {
    file: b.file,
    line: b.line,
    release: b.release,
    container: b.container,
    repository: b.repository,
    from: b.from,
    to: b.to,
    filter: b.filter,
    downgrade: false,
  };
}

export const EXPECTED_BUMPS: ExpectedBump[] = [
  {
    file: 'clusters/production/apps/web.yaml',
    line: 18,
    release: 'apps/web',
    container: 'chart-image',
    repository: 'ghcr.io/acme/web',
    written: 'ghcr.io/acme/web',
    type: 'patch',
    from: '1.2.0',
    to: '1.2.3',
    filter: 'semver:~1.2',
    after: '    tag: "1.2.3"',
  },
  {
    file: 'clusters/production/apps/web.yaml',
    line: 22,
    release: 'apps/web',
    container: 'worker',
    repository: 'ghcr.io/acme/worker',
    written: 'ghcr.io/acme/worker',
    type: 'minor',
    from: '2.0.1',
    to: '2.1.0',
    filter: 'semver:^2',
    after: '      tag: 2.1.0',
  },
  {
    file: 'clusters/production/data/mongodb.yaml',
    line: 20,
    release: 'data/mongodb',
    container: 'chart-image',
    repository: 'docker.io/bitnami/mongodb',
    written: 'bitnami/mongodb',
    type: 'patch',
    from: '4.0.3',
    to: '4.0.10',
    filter: 'semver:~4.0',
    after: '      tag: 4.0.10   # pinned by the DBA team',
  },
  {
    file: 'clusters/production/data/mongodb.yaml',
    line: 26,
    release: 'data/mongodb',
    container: 'metrics',
    repository: 'docker.io/bitnami/mongodb-exporter',
    written: 'bitnami/mongodb-exporter',
    type: 'patch',
    from: '0.10.0',
    to: '0.10.1',
    filter: 'glob:0.10.*',
    after: "        tag: '0.10.1'",
  },
  {
    file: 'clusters/production/messaging/nats.yaml',
    line: 23,
    release: 'messaging/nats',
    container: 'streaming',
    repository: 'docker.io/library/nats-streaming',
    written: 'nats-streaming',
    type: 'minor',
    from: '0.24.6-alpine',
    to: '0.25.6-alpine',
    filter: 'glob:0.2*-alpine',
    after: '          tag: "0.25.6-alpine"',
  },
  {
    file: 'clusters/production/monitoring/prometheus.yaml',
    line: 20,
    release: 'monitoring/prometheus',
    container: 'chart-image',
    repository: 'docker.io/prom/prometheus',
    written: 'prom/prometheus',
    type: 'minor',
    from: 'v2.40.0',
    to: 'v2.45.0',
    filter: 'regex:^v2\\.4[0-9]\\.[0-9]+$',
    after: '    image: prom/prometheus:v2.45.0',
  },
  {
    file: 'clusters/production/monitoring/prometheus.yaml',
    line: 23,
    release: 'monitoring/prometheus',
    container: 'alertmanager',
    repository: 'quay.io/prometheus/alertmanager',
    written: 'quay.io/prometheus/alertmanager',
    type: 'minor',
    from: 'v0.25.0',
    to: 'v0.27.0',
    filter: 'semver:>=0.25.0 <1.0.0',
    after: '      image: {registry: quay.io, repository: prometheus/alertmanager, tag: v0.27.0}',
  },
];

/**
 * The problems the fixture must produce: a HelmRelease that cannot be read (an error: its images
 * cannot be checked) and an image that cannot be checked.
 */
export const EXPECTED_PROBLEMS = [
  {
    file: 'clusters/production/apps/broken.yaml',
    // The line where the unclosed quote opens (the parser gives up at the end of the file).
    line: 11,
    severity: 'error',
    message: /YAML syntax error/,
  },
  {
    file: 'clusters/production/apps/missing.yaml',
    line: 12,
    severity: 'error',
    message: /apps\/legacy chart-image: could not check quay\.io\/acme\/missing/,
  },
] as const;

/**
 * Asserts helper: `after` equals `before` except that line `line` (1-based) reads `expected`.
 * Returns a description of the first difference, or '' when the texts agree.
 */
export function describeLineChange(before: string, after: string, line: number, expected: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length !== b.length) return `line count changed from ${a.length} to ${b.length}`;
  for (let i = 0; i < a.length; i += 1) {
    const want = i === line - 1 ? expected : a[i];
    if (b[i] !== want) return `line ${i + 1}: expected ${JSON.stringify(want)}, got ${JSON.stringify(b[i])}`;
  }
  return '';
}

/** The registry hosts the fixture names; all mirrored to the one local registry. */
export const MIRRORED_HOSTS = ['docker.io', 'quay.io', 'ghcr.io'] as const;

/** The `registry-mirrors` entries that send every fixture host to `registryUrl`. */
export function mirrorEntries(registryUrl: string): string[] {
  return MIRRORED_HOSTS.map((host) => `${host}=${registryUrl}`);
}

/**
 * Two releases (`apps/a.yaml`, `apps/b.yaml`) of one image, `team/app`, at 1.0.0 with 1.1.0 out:
 * two pull requests, for the tests of a run that stops or fails between them. Seeds `registry`
 * and returns the files.
 */
export async function twoReleasesOfOneImage(registry: RegistryServer): Promise<Record<string, string>> {
  await seedMany(registry, [
    { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
    { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
  ]);
  return {
    'apps/a.yaml': helmRelease({ name: 'a', values: [`image: ${registry.host}/team/app:1.0.0`] }),
    'apps/b.yaml': helmRelease({ name: 'b', values: [`image: ${registry.host}/team/app:1.0.0`] }),
  };
}
