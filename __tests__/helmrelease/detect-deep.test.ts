/**
 * Deep detection (issue 18): the eight value shapes at any depth of `spec.values`, named by path,
 * opt-in by the `detection` input or a release's `helmrelease-image-updater.io/detection`.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { applyUpdates, editFile } from '../../src/edit/apply-updates.js';
import type { DetectionMode } from '../../src/helmrelease/detect-deep.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { FileScan } from '../../src/helmrelease/types.js';

const FILE = 'apps/app.yaml';

/** A HelmRelease with the given annotation lines and `spec.values` lines (indented by the caller). */
function release(values: string, annotations = ''): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    ...(annotations ? annotations.split('\n').map((l) => `    ${l}`) : []),
    'spec:',
    '  values:',
    ...values.split('\n').map((l) => `    ${l}`),
    '',
  ].join('\n');
}

/** [container, reference text, tag scalar text, filter value or undefined] per container. */
function containers(scan: FileScan): [string, string, string | undefined, string | undefined][] {
  return scan.releases.flatMap((r) =>
    r.containers.map(
      (c) =>
        [
          c.container,
          c.reference.text,
          c.tag.scalar && scanText.slice(c.tag.scalar.range.start, c.tag.scalar.range.end),
          c.filter?.value,
        ] as [string, string, string | undefined, string | undefined],
    ),
  );
}
let scanText = '';
function scan(text: string, detection?: DetectionMode): FileScan {
  scanText = text;
  return scanFile(FILE, text, undefined, detection ? { detection } : {});
}

const APP_TEMPLATE = `controllers:
  main:
    containers:
      app:
        image:
          repository: ghcr.io/home-operations/sonarr
          tag: 4.0.14.2939
      exporter:
        image:
          repository: ghcr.io/onedr0p/exportarr
          tag: "v2.0.1"
    initContainers:
      init-db:
        image:
          repository: ghcr.io/home-operations/postgres-init
          tag: "17"
  worker:
    containers:
      app:
        image: {repository: docker.io/library/redis, tag: 7.4.2}
service:
  main:
    ports:
      http:
        port: 8989
persistence:
  config:
    existingClaim: sonarr`;

describe('deep detection', () => {
  it('finds the bjw-s app-template containers, named by their path', () => {
    expect(containers(scan(release(APP_TEMPLATE), 'deep'))).toEqual([
      [
        'controllers.main.containers.app',
        'ghcr.io/home-operations/sonarr:4.0.14.2939',
        '4.0.14.2939',
        undefined,
      ],
      ['controllers.main.containers.exporter', 'ghcr.io/onedr0p/exportarr:v2.0.1', '"v2.0.1"', undefined],
      [
        'controllers.main.initContainers.init-db',
        'ghcr.io/home-operations/postgres-init:17',
        '"17"',
        undefined,
      ],
      ['controllers.worker.containers.app', 'docker.io/library/redis:7.4.2', '7.4.2', undefined],
    ]);
  });

  it('finds nothing there with flux-v1, the default, as before', () => {
    for (const result of [scan(release(APP_TEMPLATE)), scan(release(APP_TEMPLATE), 'flux-v1')]) {
      expect(containers(result)).toEqual([]);
      expect(result.problems).toEqual([]);
    }
  });

  it('names list items by their name, else by index', () => {
    const values = `image: nginx:1.27.0
sidecar:
  image: busybox:1.36
extraContainers:
  - name: proxy
    image: envoyproxy/envoy:v1.30.1
  - image: alpine:3.20
  - name: with.dot
    image: alpine:3.21
jobs:
  - name: same
    image: {repository: a/b, tag: "1"}
  - name: same
    image: {repository: a/c, tag: "2"}
matrix:
  - - image: x/y:1.0`;
    expect(containers(scan(release(values), 'deep'))).toEqual([
      ['chart-image', 'nginx:1.27.0', 'nginx:1.27.0', undefined],
      ['extraContainers.1', 'alpine:3.20', 'alpine:3.20', undefined],
      ['extraContainers.2', 'alpine:3.21', 'alpine:3.21', undefined],
      ['extraContainers.proxy', 'envoyproxy/envoy:v1.30.1', 'envoyproxy/envoy:v1.30.1', undefined],
      ['jobs.0', 'a/b:1', '"1"', undefined],
      ['jobs.1', 'a/c:2', '"2"', undefined],
      ['matrix.0.0', 'x/y:1.0', 'x/y:1.0', undefined],
      ['sidecar', 'busybox:1.36', 'busybox:1.36', undefined],
    ]);
  });

  it('counts only the eight shapes: no key-name guesses, no warnings for chart settings', () => {
    const values = `deep:
  nested:
    image: {pullPolicy: Always}
    repository: not/an-image
    imageName: nginx:1.0
    config:
      image: 3
      tag: "1.0"`;
    const result = scan(release(values), 'deep');
    expect(containers(result)).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('reports the oddities of an image it does find (a numeric tag)', () => {
    const values = `a:
  b:
    image: {repository: x/y, tag: 4.0}`;
    const result = scan(release(values), 'deep');
    expect(containers(result)).toEqual([['a.b', 'x/y', undefined, undefined]]);
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(/not a string/)]);
  });

  it('reads an anchored image once, where it is written', () => {
    const values = `defaults:
  main: &app
    image: {repository: x/y, tag: "1.0"}
controllers:
  main:
    containers:
      app: *app`;
    expect(containers(scan(release(values), 'deep'))).toEqual([
      ['defaults.main', 'x/y:1.0', '"1.0"', undefined],
    ]);
  });

  it.each([
    ['the annotation turns it on', 'helmrelease-image-updater.io/detection: deep', undefined, 4],
    ['the annotation turns it off', 'helmrelease-image-updater.io/detection: flux-v1', 'deep' as const, 0],
  ])('%s', (_, annotation, input, count) => {
    expect(containers(scan(release(APP_TEMPLATE, annotation), input))).toHaveLength(count);
  });

  it('blocks a release whose detection annotation is unknown', () => {
    const result = scan(release(APP_TEMPLATE, 'helmrelease-image-updater.io/detection: deeper'), 'deep');
    expect(result.releases[0].policies.blocked).toMatch(/detection is "deeper"; write "flux-v1" or "deep"/);
    expect(result.problems.map((p) => [p.severity, p.line])).toEqual([['error', 7]]);
  });
});

describe('deep detection filters', () => {
  const filters = [
    'filter.fluxcd.io/controllers.main: semver:~4.0',
    'fluxcd.io/tag.controllers.main.containers.exporter: glob:v2.*',
    'filter.fluxcd.io/controllers.worker.containers.app: semver:7.x',
  ].join('\n');

  it('a filter on a path prefix applies below it unless a longer one matches', () => {
    expect(containers(scan(release(APP_TEMPLATE, filters), 'deep')).map(([c, , , f]) => [c, f])).toEqual([
      ['controllers.main.containers.app', 'semver:~4.0'],
      ['controllers.main.containers.exporter', 'glob:v2.*'],
      ['controllers.main.initContainers.init-db', 'semver:~4.0'],
      ['controllers.worker.containers.app', 'semver:7.x'],
    ]);
    expect(scan(release(APP_TEMPLATE, filters), 'deep').releases[0].policies.blocked).toBeUndefined();
  });

  it.each([
    ['a prefix that names nothing', 'filter.fluxcd.io/controllers.mai: semver:~4.0', 'deep' as const],
    [
      'a part of a name, not a dotted prefix',
      'filter.fluxcd.io/controllers.ma: semver:~4.0',
      'deep' as const,
    ],
  ])('blocks the release for %s', (_, annotation, input) => {
    expect(scan(release(APP_TEMPLATE, annotation), input).releases[0].policies.blocked).toMatch(
      /names no container/,
    );
  });

  it('warns of a path filter with flux-v1, where the release has no image to loosen', () => {
    const scanned = scan(release(APP_TEMPLATE, 'filter.fluxcd.io/controllers.main: semver:~4.0'));
    expect(scanned.releases[0].containers).toEqual([]);
    expect(scanned.releases[0].policies.blocked).toBeUndefined();
    expect(scanned.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^filter.fluxcd.io\/controllers.main names no container .* or detection: deep\)$/,
        ),
      ],
    ]);
  });

  it('does not suggest deep detection to a release already read with it', () => {
    // carpenike/k8s-gitops default/drone/drone.yaml: the drone chart's images.<part> have no image key
    const values = 'images:\n  server:\n    repository: docker.io/drone/drone\n    tag: 1.6.1';
    const scanned = scan(release(values, "fluxcd.io/tag.chart-image: 'regexp:^(1\\.[0-9]+)$'"), 'deep');
    expect(scanned.releases[0].containers).toEqual([]);
    expect(scanned.problems.map((p) => [p.severity, p.line, p.message])).toEqual([
      [
        'warning',
        7,
        'fluxcd.io/tag.chart-image names no container of this HelmRelease: it has no images in spec.values ' +
          'that deep detection reads, so the filter applies to nothing (images given through valuesFrom or ' +
          'valueFileSecrets are not read; one not under an image key, such as images.server.repository, needs ' +
          'repository.fluxcd.io/<container> annotations)',
      ],
    ]);
  });

  it('keeps Flux v1 names and filters for the images Flux v1 finds', () => {
    const values = `image: {repository: nginx, tag: 1.27.0}
app:
  image: x/app:1.0
  sidecar:
    image: x/side:2.0`;
    const annotations = 'filter.fluxcd.io/chart-image: semver:~1.27\nfilter.fluxcd.io/app: glob:1.*';
    expect(containers(scan(release(values, annotations), 'deep'))).toEqual([
      ['chart-image', 'nginx:1.27.0', '1.27.0', 'semver:~1.27'],
      ['app', 'x/app:1.0', 'x/app:1.0', 'glob:1.*'],
      ['app.sidecar', 'x/side:2.0', 'x/side:2.0', 'glob:1.*'],
    ]);
  });
});

describe('deep detection edits', () => {
  const text = release(APP_TEMPLATE);
  const target = {
    release: 'app',
    documentIndex: 0,
    container: 'controllers.main.containers.exporter',
    repository: 'ghcr.io/onedr0p/exportarr',
    from: 'v2.0.1',
    to: 'v2.1.0',
    detection: 'deep' as const,
  };

  it('rewrites only the tag bytes, verified by a deep re-read', () => {
    const result = editFile(FILE, text, [target], scan(text, 'deep'));
    expect(result.outcomes).toEqual([{ ok: true }]);
    expect(result.text).toBe(text.replace('tag: "v2.0.1"', 'tag: "v2.1.0"'));
    const applied = applyUpdates(FILE, text, [target]);
    expect(applied).toEqual({ ok: true, text: result.text });
  });

  it('refuses the edit when the file is re-read with flux-v1', () => {
    const { detection: _, ...flux } = target;
    expect(applyUpdates(FILE, text, [flux])).toEqual({
      ok: false,
      reason: expect.stringMatching(/container controllers.main.containers.exporter is not in/),
    });
  });
});

describe('deep detection, property', () => {
  const key = fc.constantFrom(
    'image',
    'repository',
    'tag',
    'registry',
    'name',
    'app',
    'main',
    'containers',
    'a.b',
  );
  const scalar = fc.constantFrom(
    'nginx',
    'x/y:1.0',
    'ghcr.io/a/b',
    '1.2.3',
    'docker.io',
    4,
    true,
    null,
    'Always',
  );
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    list: fc.array(tie('node'), { maxLength: 3 }),
  }));

  it('finds a superset of flux-v1, with identical names, references and tag bytes for those', () => {
    fc.assert(
      fc.property(tree.map, (values) => {
        const text = stringify({
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'app' },
          spec: { values },
        });
        const flux = scanFile(FILE, text).releases[0]?.containers ?? [];
        const deep = scanFile(FILE, text, undefined, { detection: 'deep' }).releases[0]?.containers ?? [];
        const byName = new Map(deep.map((c) => [c.container, c]));
        for (const c of flux) {
          const d = byName.get(c.container);
          expect(d?.reference.text).toBe(c.reference.text);
          expect(d?.tag.scalar?.range).toEqual(c.tag.scalar?.range);
        }
        expect(deep.length).toBeGreaterThanOrEqual(flux.length);
      }),
      { numRuns: 300 },
    );
  });
});
