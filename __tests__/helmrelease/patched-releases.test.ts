/**
 * A Kustomize patch of a HelmRelease (a document without spec.chart or images, with a lock or a
 * filter for the release of the same name in another file) holds that release back: files are read
 * as written, so otherwise its images were updated as if the patch's annotation were not there.
 */
import { describe, expect, it } from '@jest/globals';
import { holdPatchedReleases } from '../../src/helmrelease/patched-releases.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const BASE = [
  'apiVersion: helm.fluxcd.io/v1',
  'kind: HelmRelease',
  'metadata:',
  '  name: app',
  '  namespace: apps',
  '  annotations:',
  '    fluxcd.io/automated: "true"',
  'spec:',
  '  chart:',
  '    repository: https://charts.example.com',
  '    name: app',
  '    version: 1.0.0',
  '  values:',
  '    image: nginx:1.0',
  '',
].join('\n');

/** A HelmRelease document with these metadata lines (after `metadata:`) and spec lines. */
function doc(metadata: string[], spec: string[] = []): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    ...metadata.map((l) => `  ${l}`),
    ...(spec.length ? ['spec:', ...spec.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

const LOCK_PATCH = doc(['name: app', 'namespace: apps', 'annotations:', '  fluxcd.io/locked: "true"']);

function reason(key: string, patch: string): string {
  return (
    `${key} in ${patch} is for HelmRelease apps/app in base/app.yaml: that document has no spec.chart, so it ` +
    'reads as a Kustomize patch, and files are read as written, not as Kustomize would build them (as Flux v1 ' +
    'did without a .flux.yaml)'
  );
}

describe('holdPatchedReleases', () => {
  it.each<[string, string, [number, string] | undefined]>([
    ['a lock', LOCK_PATCH, [7, 'fluxcd.io/locked']],
    [
      'an ignore, old form',
      LOCK_PATCH.replace('fluxcd.io/locked', 'flux.weave.works/ignore'),
      [7, 'flux.weave.works/ignore'],
    ],
    [
      'a filter, the patch without a namespace',
      doc(['name: app', 'annotations:', '  filter.fluxcd.io/chart-image: semver:~1.0']),
      [6, 'filter.fluxcd.io/chart-image'],
    ],
    [
      "this Action's minimum release age, in a patch with a spec but no chart",
      doc(
        [
          'name: app',
          'namespace: apps',
          'annotations:',
          '  helmrelease-image-updater.io/minimum-release-age: 3d',
        ],
        ['interval: 5m'],
      ),
      [7, 'helmrelease-image-updater.io/minimum-release-age'],
    ],
    ['a lock that is off ("false") holds nothing', LOCK_PATCH.replace('"true"', '"false"'), undefined],
    [
      'a filter of glob:* lets every tag through, as no filter does: it holds nothing',
      doc(['name: app', 'annotations:', '  filter.fluxcd.io/chart-image: "glob:*"']),
      undefined,
    ],
    ['a patch of another name holds nothing', LOCK_PATCH.replace('name: app', 'name: other'), undefined],
    [
      'a patch of another namespace holds nothing',
      LOCK_PATCH.replace('namespace: apps', 'namespace: prod'),
      undefined,
    ],
    [
      'a locked release with a chart of its own (another cluster) holds nothing',
      doc(
        ['name: app', 'namespace: apps', 'annotations:', '  fluxcd.io/locked: "true"'],
        ['chart:', '  name: app'],
      ),
      undefined,
    ],
    [
      'a patch with images of its own replaces the base values: it holds nothing',
      doc(
        ['name: app', 'namespace: apps', 'annotations:', '  fluxcd.io/locked: "true"'],
        ['values:', '  image: nginx:1.0'],
      ),
      undefined,
    ],
  ])('%s', (_name, patchText, expected) => {
    const patch = 'prod/app-patch.yaml';
    const scans = holdPatchedReleases([scanFile('base/app.yaml', BASE), scanFile(patch, patchText)]);
    const base = scans[0]!.releases[0]!;
    const patchProblems = scans[1]!.problems.filter((p) => p.message.includes('Kustomize'));
    if (expected === undefined) {
      expect(base.policies.blocked).toBeUndefined();
      expect(patchProblems).toEqual([]);
      return;
    }
    const [line, key] = expected;
    expect(base.policies.blocked).toBe(reason(key, patch));
    expect(patchProblems).toEqual([
      {
        file: patch,
        line,
        severity: 'error',
        message:
          `${reason(key, patch)}; apps/app in base/app.yaml gets no update until the annotation is written in ` +
          'that file, or taken out of the overlay',
      },
    ]);
  });

  // A filter naming no container holds the base as in the release's own file, and says, as there,
  // which of the base's containers it was likely meant for.
  it.each<[string, string, string]>([
    [
      'a misspelt container: the container meant',
      'filter.fluxcd.io/chart-imag',
      '; filter.fluxcd.io/chart-imag names no container of any HelmRelease (did you mean ' +
        'filter.fluxcd.io/chart-image?), so the container it was meant for would get any tag (glob:*)',
    ],
    [
      'the old form: the same form',
      'fluxcd.io/tag.chart-imge',
      '; fluxcd.io/tag.chart-imge names no container of any HelmRelease (did you mean ' +
        'fluxcd.io/tag.chart-image?), so the container it was meant for would get any tag (glob:*)',
    ],
    [
      'a name far from any: no guess',
      'filter.fluxcd.io/web',
      '; filter.fluxcd.io/web names no container of any HelmRelease, so the container it was meant for ' +
        'would get any tag (glob:*)',
    ],
  ])('a filter naming no container, %s', (_name, key, clause) => {
    const patch = 'prod/app-patch.yaml';
    const patchText = doc(['name: app', 'namespace: apps', 'annotations:', `  ${key}: semver:~1.0`]);
    const scans = holdPatchedReleases([scanFile('base/app.yaml', BASE), scanFile(patch, patchText)]);
    expect(scans[0]!.releases[0]!.policies.blocked).toBe(reason(key, patch) + clause);
    expect(scans[1]!.problems.filter((p) => p.message.includes('Kustomize')).map((p) => p.message)).toEqual([
      `${reason(key, patch)}${clause}; apps/app in base/app.yaml gets no update until the annotation is ` +
        'written in that file, or taken out of the overlay',
    ]);
  });

  // A policy written under metadata.labels was meant as an annotation (Flux ignores labels), as in
  // a kustomization's commonLabels or labels: it holds the base, and the error says it is a label.
  const LABEL = ' (a label, which Flux v1 ignores: meant as an annotation)';
  it.each<[string, string[], [number, string] | undefined]>([
    ['a lock', ['fluxcd.io/locked: "true"'], [7, 'fluxcd.io/locked']],
    ['an ignore, old form, unquoted', ['flux.weave.works/ignore: true'], [7, 'flux.weave.works/ignore']],
    [
      'a filter',
      ['team: x', 'filter.fluxcd.io/chart-image: semver:~1.0'],
      [8, 'filter.fluxcd.io/chart-image'],
    ],
    ['a lock that is off holds nothing', ['fluxcd.io/locked: "false"'], undefined],
    ['automated holds nothing', ['fluxcd.io/automated: "false"'], undefined],
    ['a glob:* filter holds nothing', ['filter.fluxcd.io/chart-image: "glob:*"'], undefined],
  ])('a patch with %s under metadata.labels', (_name, labels, expected) => {
    const patch = 'prod/app-patch.yaml';
    const patchText = doc(['name: app', 'namespace: apps', 'labels:', ...labels.map((l) => `  ${l}`)]);
    const scans = holdPatchedReleases([scanFile('base/app.yaml', BASE), scanFile(patch, patchText)]);
    const held = scans[1]!.problems.filter((p) => p.message.includes('Kustomize'));
    if (expected === undefined) {
      expect(scans[0]!.releases[0]!.policies.blocked).toBeUndefined();
      expect(held).toEqual([]);
      return;
    }
    const [line, key] = expected;
    const reasonText = reason(key, patch).replace(` in ${patch}`, `${LABEL} in ${patch}`);
    expect(scans[0]!.releases[0]!.policies.blocked).toBe(reasonText);
    expect(held.map((p) => [p.line, p.message])).toEqual([
      [
        line,
        `${reasonText}; apps/app in base/app.yaml gets no update until the annotation is written in that file, ` +
          'or taken out of the overlay',
      ],
    ]);
  });

  // An overlay that pins the tag writes the one Kustomize deploys: the base's tag does not reach it.
  it.each<[string, string[], string[], boolean]>([
    [
      'a lock beside the tag it pins holds nothing',
      ['fluxcd.io/locked: "true"'],
      ['image:', '  tag: "1.1"'],
      false,
    ],
    [
      'a filter for the container whose tag it pins holds nothing',
      ['fluxcd.io/tag.chart-image: semver:~1.1'],
      ['image:', '  tag: "1.1"'],
      false,
    ],
    [
      'a lock beside only a repository holds the base',
      ['fluxcd.io/locked: "true"'],
      ['image:', '  repository: mirror.example.com/nginx'],
      true,
    ],
    // Named by no release, the filter is a mistake (a misspelt name): read as written, the
    // container it was meant for would get any tag.
    [
      'a filter for a container no release has holds the base',
      ['filter.fluxcd.io/chart-imag: semver:~1.0'],
      [],
      true,
    ],
    [
      'a filter for an alias the patch declares itself holds nothing',
      ['repository.fluxcd.io/sidecar: sidecar.image', 'filter.fluxcd.io/sidecar: glob:1.*'],
      [],
      false,
    ],
  ])('%s', (_name, annotations, values, held) => {
    const base = BASE.replace('image: nginx:1.0', 'image: {repository: nginx, tag: "1.0"}');
    const patchText = doc(
      ['name: app', 'namespace: apps', 'annotations:', ...annotations.map((a) => `  ${a}`)],
      values.length ? ['values:', ...values.map((v) => `  ${v}`)] : [],
    );
    const scans = holdPatchedReleases([
      scanFile('base/app.yaml', base),
      scanFile('prod/app-patch.yaml', patchText),
    ]);
    expect(scans[0]!.releases[0]!.policies.blocked !== undefined).toBe(held);
    expect(scans[1]!.problems.filter((p) => p.message.includes('Kustomize'))).toHaveLength(held ? 1 : 0);
  });

  // Two overlays locking one base: each patch needs fixing, so each says so at its own line, and
  // the release keeps both places (the first one's reason is its reason).
  it('every patch that holds a release has its own error, and the release names each', () => {
    const scans = holdPatchedReleases([
      scanFile('base/app.yaml', BASE),
      scanFile('staging/app-patch.yaml', LOCK_PATCH),
      scanFile(
        'prod/app-patch.yaml',
        doc(['name: app', 'annotations:', '  fluxcd.io/tag.chart-image: semver:~1.0']),
      ),
    ]);
    const policies = scans[0]!.releases[0]!.policies;
    expect(policies.blocked).toBe(reason('fluxcd.io/locked', 'staging/app-patch.yaml'));
    expect([policies.blockedAt, ...(policies.alsoHeldAt ?? [])]).toEqual([
      { file: 'staging/app-patch.yaml', line: 7 },
      { file: 'prod/app-patch.yaml', line: 6 },
    ]);
    expect(
      scans
        .slice(1)
        .map((s) =>
          s.problems.filter((p) => p.message.includes('Kustomize')).map((p) => [p.file, p.line, p.severity]),
        ),
    ).toEqual([[['staging/app-patch.yaml', 7, 'error']], [['prod/app-patch.yaml', 6, 'error']]]);
  });

  // An unusable annotation of its own holds it first (explain says so at its line); a patch
  // holding it too is named beside it, not in its place.
  it('a release its own annotation holds keeps that reason, the patch beside it', () => {
    const own = BASE.replace(
      '    fluxcd.io/automated: "true"',
      '    fluxcd.io/automated: "true"\n    filter.fluxcd.io/chart-image: "semver:>>1"',
    );
    const [scan] = holdPatchedReleases([
      scanFile('base/app.yaml', own),
      scanFile('prod/app-patch.yaml', LOCK_PATCH),
    ]);
    const policies = scan!.releases[0]!.policies;
    expect(policies.blocked).toMatch(/^a policy annotation is unusable \(filter\.fluxcd\.io\/chart-image:/);
    expect([policies.blockedAt, ...(policies.alsoHeldAt ?? [])]).toEqual([
      { file: 'base/app.yaml', line: 8 },
      { file: 'prod/app-patch.yaml', line: 7 },
    ]);
  });

  it('one patch holding a release leaves no other place', () => {
    const scans = holdPatchedReleases([
      scanFile('base/app.yaml', BASE),
      scanFile('prod/app-patch.yaml', LOCK_PATCH),
    ]);
    expect(scans[0]!.releases[0]!.policies.alsoHeldAt).toBeUndefined();
  });

  it('a patch in the same file as the release holds nothing', () => {
    const [scan] = holdPatchedReleases([scanFile('app.yaml', `${BASE}---\n${LOCK_PATCH}`)]);
    expect(scan!.releases.map((r) => r.policies.blocked)).toEqual([undefined, undefined]);
  });
});
