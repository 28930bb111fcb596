/**
 * Flux annotations written outside `metadata.annotations`, which Flux v1 ignored without a word:
 * a lock, an ignore, a filter or this Action's own annotation there blocks the release (ignoring it
 * would update more than its author allowed), an `automated` or an alias there is a warning (ignoring
 * it updates less). Each fixture is a whole HelmRelease as written; problems are pinned with their
 * line and text.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const FILE = 'releases/app.yaml';
const BLOCKED = 'this HelmRelease gets no update until it is fixed';

/** The message for `key` found under `where`; `narrows` when ignoring it would update more. */
function misplaced(key: string, where: string, narrows: boolean): string {
  return (
    `${key} is under ${where}, but Flux v1 reads its annotations only from metadata.annotations and ` +
    `ignores it elsewhere, ${narrows ? 'so the release would be updated as if it were not written' : 'so it does nothing there'}; ` +
    'move it to metadata.annotations, or remove it' +
    (narrows ? `; ${BLOCKED}` : '')
  );
}

/** A HelmRelease with one automated annotation; `extra` lines are inserted where each case says. */
function release(parts: { metadata?: string[]; top?: string[]; spec?: string[]; values?: string[] }): string {
  return [
    'apiVersion: helm.fluxcd.io/v1', // 1
    'kind: HelmRelease', // 2
    'metadata:', // 3
    '  name: app', // 4
    '  annotations:', // 5
    '    fluxcd.io/automated: "true"', // 6
    ...(parts.metadata ?? []).map((l) => `  ${l}`),
    ...(parts.top ?? []),
    'spec:',
    ...(parts.spec ?? []).map((l) => `  ${l}`),
    '  values:',
    '    app:',
    '      image: nginx',
    '      tag: 1.0.0',
    ...(parts.values ?? []).map((l) => `    ${l}`),
    '',
  ].join('\n');
}

describe('Flux annotations outside metadata.annotations', () => {
  it.each<[string, Parameters<typeof release>[0], ['error' | 'warning', number, string][]]>([
    [
      'a lock under metadata.labels',
      { metadata: ['labels:', '  fluxcd.io/locked: "true"'] },
      [['error', 8, misplaced('fluxcd.io/locked', 'metadata.labels', true)]],
    ],
    [
      'a lock one level off (metadata.fluxcd.io/locked)',
      { metadata: ['fluxcd.io/locked: "true"'] },
      [['error', 7, misplaced('fluxcd.io/locked', 'metadata', true)]],
    ],
    [
      'a filter in a top-level annotations map',
      { top: ['annotations:', '  filter.fluxcd.io/app: semver:~1.0'] },
      [['error', 8, misplaced('filter.fluxcd.io/app', 'annotations', true)]],
    ],
    [
      'an ignore under spec.annotations',
      { spec: ['annotations:', '  flux.weave.works/ignore: "true"'] },
      [['error', 9, misplaced('flux.weave.works/ignore', 'spec.annotations', true)]],
    ],
    [
      'an old-form filter under spec.values.podAnnotations',
      { values: ['podAnnotations:', '  fluxcd.io/tag.app: glob:1.0.*'] },
      [['error', 13, misplaced('fluxcd.io/tag.app', 'spec.values.podAnnotations', true)]],
    ],
    [
      "this Action's minimum-release-age in a list under metadata.labels",
      { metadata: ['labels:', '  - helmrelease-image-updater.io/minimum-release-age: 3d'] },
      [
        [
          'error',
          8,
          misplaced(
            'helmrelease-image-updater.io/minimum-release-age',
            'a list item of metadata.labels',
            true,
          ),
        ],
      ],
    ],
    [
      'automated under metadata.labels only warns: ignoring it updates less',
      { metadata: ['labels:', '  flux.weave.works/automated: "true"'] },
      [['warning', 8, misplaced('flux.weave.works/automated', 'metadata.labels', false)]],
    ],
    [
      'a lock that is off under metadata.labels only warns: read or ignored, nothing is locked',
      { metadata: ['labels:', '  fluxcd.io/locked: "false"'] },
      [['warning', 8, misplaced('fluxcd.io/locked', 'metadata.labels', false)]],
    ],
    [
      'a glob:* filter under spec.values.podAnnotations only warns: it lets every tag through',
      { values: ['podAnnotations:', '  fluxcd.io/tag.app: "glob:*"'] },
      [['warning', 13, misplaced('fluxcd.io/tag.app', 'spec.values.podAnnotations', false)]],
    ],
    [
      'an alias path under spec.values only warns',
      { values: ['annotations:', '  repository.fluxcd.io/side: side.image'] },
      [['warning', 13, misplaced('repository.fluxcd.io/side', 'spec.values.annotations', false)]],
    ],
    [
      'the same key with the same value in metadata.annotations too is read from there',
      { metadata: ['labels:', '  fluxcd.io/automated: "true"'] },
      [],
    ],
    [
      "a chart's own objects deeper in the values (a raw chart) may carry Flux annotations",
      {
        values: [
          'resources:',
          '  - kind: Deployment',
          '    metadata:',
          '      annotations:',
          '        fluxcd.io/locked: "true"',
          '        filter.fluxcd.io/app: semver:~1.0',
        ],
      },
      [],
    ],
    [
      'other domains and keys without a slash are left alone',
      {
        metadata: ['labels:', '  app.kubernetes.io/name: app', '  kustomize.toolkit.fluxcd.io/name: apps'],
        values: ['locked: "true"', 'podAnnotations:', '  fluxcd.io/sync-checksum: abc'],
      },
      [],
    ],
  ])('%s', (_name, parts, expected) => {
    const scan = scanFile(FILE, release(parts));
    expect(scan.problems.map((p) => [p.severity, p.line, p.message])).toEqual(expected);
    const blocked = expected.some(([severity]) => severity === 'error');
    expect(scan.releases[0]?.policies.blocked !== undefined).toBe(blocked);
  });

  it('a lock in a list under metadata.annotations (a list, not a map) blocks the release', () => {
    const text = release({}).replace(
      '  annotations:\n    fluxcd.io/automated: "true"',
      '  annotations:\n    - fluxcd.io/automated: "true"\n    - fluxcd.io/locked: "true"',
    );
    const scan = scanFile(FILE, text);
    expect(scan.problems.map((p) => [p.severity, p.line, p.message])).toEqual([
      ['warning', 6, 'metadata.annotations is a list, not a map'],
      ['warning', 6, misplaced('fluxcd.io/automated', 'a list item of metadata.annotations', false)],
      ['error', 7, misplaced('fluxcd.io/locked', 'a list item of metadata.annotations', true)],
      [
        'error',
        6,
        'Flux v1 cannot load HelmRelease app (metadata.annotations is a list, which Flux v1 reads as a map: ' +
          'write each annotation as a key: value line under it, or remove it); it fails the whole file on it, ' +
          'so no HelmRelease in this file gets an update until this is fixed',
      ],
    ]);
    expect(scan.releases).toEqual([]);
  });
});
