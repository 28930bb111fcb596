/**
 * The bundled `examples/` tree: every HelmRelease and container the README promises is found,
 * with the right image, tag, filter and policies. Pure (scanFile over the files), no network.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { scanFile } from '../src/helmrelease/scan-file.js';
import { releaseId } from '../src/helmrelease/types.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

/** Every YAML file below `examples/`, as sorted repository-relative paths. */
function exampleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) out.push(relative(EXAMPLES, full).split(sep).join('/'));
    }
  };
  walk(EXAMPLES);
  return out.sort();
}

const scans = exampleFiles().map((file) => scanFile(file, readFileSync(join(EXAMPLES, file), 'utf8')));

/** file, release, container, how it was found, normalised repository, tag, filter annotation value. */
type Row = [string, string, string, 'detected' | 'alias', string, string, string];

// prettier-ignore
const CONTAINERS: Row[] = [
  // shape 6 top level; shape 7 and shape 8 in subsections; semver, regex, bare glob
  ['apps/auth/dex.yaml', 'auth/dex', 'chart-image', 'detected', 'ghcr.io/dexidp/dex', 'v2.41.1', 'semver:^2.41'],
  ['apps/auth/dex.yaml', 'auth/dex', 'nginx', 'detected', 'docker.io/library/nginx', '1.27.3-alpine', '1.27.*-alpine'],
  ['apps/auth/dex.yaml', 'auth/dex', 'oauth2-proxy', 'detected', 'quay.io/oauth2-proxy/oauth2-proxy', 'v7.7.1', 'regex:^v7\\.[0-9]+\\.[0-9]+$'],
  // shape 4 at the top level and in a subsection
  ['apps/data/mongodb.yaml', 'data/mongodb', 'chart-image', 'detected', 'docker.io/bitnami/mongodb', '8.0.4', 'semver:~8.0'],
  ['apps/data/mongodb.yaml', 'data/mongodb', 'metrics', 'detected', 'docker.io/bitnami/mongodb-exporter', '0.43.1', 'glob:0.43.*'],
  // shape 1 in a subsection (flux.weave.works/tag.<c>); an alias with repository and tag paths
  ['apps/messaging/nats.yaml', 'messaging/nats', 'nats', 'detected', 'docker.io/library/nats', '2.10.24-alpine', 'glob:2.10.*-alpine'],
  ['apps/messaging/nats.yaml', 'messaging/nats', 'streaming', 'alias', 'docker.io/library/nats-streaming', '0.25.6-alpine', 'glob:0.25.*-alpine'],
  // shape 1 top level, shape 5 (flow map) and shape 2 in subsections (fluxcd.io/tag.<c>)
  ['apps/monitoring/prometheus.yaml', 'monitoring/prometheus', 'chart-image', 'detected', 'docker.io/prom/prometheus', 'v3.1.0', 'regex:^v3\\.[0-9]+\\.[0-9]+$'],
  ['apps/monitoring/prometheus.yaml', 'monitoring/prometheus', 'alertmanager', 'detected', 'quay.io/prometheus/alertmanager', 'v0.28.0', 'semver:>=0.27.0 <1.0.0'],
  ['apps/monitoring/prometheus.yaml', 'monitoring/prometheus', 'node-exporter', 'detected', 'quay.io/prometheus/node-exporter', 'v1.8.2', 'glob:v1.*'],
  // shape 2 top level (GHCR), shape 3 in a subsection
  ['apps/web/podinfo.yaml', 'web/podinfo', 'chart-image', 'detected', 'ghcr.io/stefanprodan/podinfo', '6.7.1', 'semver:^6'],
  ['apps/web/podinfo.yaml', 'web/podinfo', 'redis', 'detected', 'docker.io/library/redis', '7.4.2-alpine', 'glob:7.4.*-alpine'],
  // shape 4 top level with the registry in the repository; an alias with all three paths
  ['clusters/production/cert-manager.yaml', 'cert-manager/cert-manager', 'chart-image', 'detected', 'quay.io/jetstack/cert-manager-controller', 'v1.16.2', 'semver:~1.16'],
  ['clusters/production/cert-manager.yaml', 'cert-manager/cert-manager', 'acmesolver', 'alias', 'quay.io/jetstack/cert-manager-acmesolver', 'v1.16.2', 'semver:~1.16'],
  // shape 3 in a subsection (locked); shape 4 top level (not automated)
  ['clusters/production/ingress-nginx.yaml', 'ingress/ingress-nginx', 'controller', 'detected', 'registry.k8s.io/ingress-nginx/controller', 'v1.11.3', ''],
  ['clusters/production/ingress-nginx.yaml', 'ingress/external-dns', 'chart-image', 'detected', 'registry.k8s.io/external-dns/external-dns', 'v0.15.1', ''],
];

/** release, apiVersion, automated, locked. */
// prettier-ignore
const RELEASES: [string, string, boolean, boolean][] = [
  ['auth/dex', 'helm.fluxcd.io/v1', true, false],
  ['data/mongodb', 'helm.fluxcd.io/v1', true, false],
  ['messaging/nats', 'helm.fluxcd.io/v1', true, false],
  ['monitoring/prometheus', 'helm.toolkit.fluxcd.io/v2', true, false],
  ['web/podinfo', 'helm.toolkit.fluxcd.io/v2beta2', true, false],
  ['cert-manager/cert-manager', 'helm.toolkit.fluxcd.io/v2beta1', true, false],
  ['ingress/ingress-nginx', 'helm.toolkit.fluxcd.io/v2', true, true],
  ['ingress/external-dns', 'helm.toolkit.fluxcd.io/v2', false, false],
];

describe('examples/', () => {
  it('holds the files the README describes', () => {
    expect(exampleFiles()).toEqual([
      'apps/auth/dex.yaml',
      'apps/data/mongodb.yaml',
      'apps/messaging/nats.yaml',
      'apps/monitoring/prometheus.yaml',
      'apps/web/podinfo.yaml',
      'clusters/production/apps.yaml',
      'clusters/production/cert-manager.yaml',
      'clusters/production/ingress-nginx.yaml',
    ]);
  });

  it('every container is found with its image, tag and filter', () => {
    const found: Row[] = scans.flatMap((scan) =>
      scan.releases.flatMap((release) =>
        release.containers.map((c): Row => [
          scan.file,
          releaseId(release),
          c.container,
          c.source,
          c.reference.repository,
          c.reference.tag ?? '',
          c.filter?.value ?? '',
        ]),
      ),
    );
    expect(found).toEqual(CONTAINERS);
  });

  it('covers Flux v1 and v2 apiVersions and the automated and locked policies', () => {
    const releases = scans.flatMap((scan) =>
      scan.releases.map((r) => [releaseId(r), r.apiVersion, r.policies.automated, r.policies.locked]),
    );
    expect(releases.sort()).toEqual([...RELEASES].sort());
  });

  it('covers every filter kind and both annotation prefixes', () => {
    const filters = CONTAINERS.map((row) => row[6]);
    for (const kind of [/^semver:/, /^regex:/, /^glob:/, /^[^:]+$/]) {
      expect(filters.some((f) => kind.test(f))).toBe(true);
    }
    const text = exampleFiles()
      .map((file) => readFileSync(join(EXAMPLES, file), 'utf8'))
      .join('\n');
    for (const key of [
      'filter.fluxcd.io/',
      'fluxcd.io/tag.',
      'flux.weave.works/tag.',
      'registry.fluxcd.io/',
    ]) {
      expect(text).toContain(key);
    }
  });

  it('has exactly one problem: the unquoted automated annotation it demonstrates', () => {
    const problems = scans.flatMap((scan) => scan.problems);
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'clusters/production/ingress-nginx.yaml',
        severity: 'warning',
        message: expect.stringContaining('not the string "true"'),
      }),
    ]);
  });
});
