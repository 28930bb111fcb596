/**
 * `explain`: offline, every HelmRelease of a file with its containers, and with tags, the choice
 * and why each newer tag was refused. The CLI's `explain` command is in e2e/cli-offline.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { error, type Problem } from '../../src/problems.js';
import { explainFile, tagListsOf } from '../../src/report/explain.js';

const FILE = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: mongodb
  namespace: data
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:~4.0
    filter.fluxcd.io/metrics: glob:0.10.*
spec:
  values:
    image:
      repository: bitnami/mongodb
      tag: 4.0.3
    metrics:
      image: bitnami/mongodb-exporter:0.10.0
---
apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: cache
  annotations:
    fluxcd.io/automated: "true"
    fluxcd.io/locked: "true"
    fluxcd.io/locked_msg: "7.2 breaks the sessions"
spec:
  values:
    image: redis:7.0.0
`;

describe('explainFile', () => {
  it('without tags: every release and container, where each was read, and how to get a choice', () => {
    expect(explainFile({ file: 'apps/db.yaml', text: FILE, requireAutomated: true })).toBe(
      [
        'apps/db.yaml',
        '  Holds from other files (a .flux.yaml, a Kustomize patch, a kustomization): not checked (no',
        '  workspace given)',
        '',
        'HelmRelease data/mongodb (line 2, helm.fluxcd.io/v1): automated',
        '  chart-image (line 14, detected in the values)',
        '    image bitnami/mongodb:4.0.3: docker.io/bitnami/mongodb, tag 4.0.3',
        '    filter semver:~4.0 (filter.fluxcd.io/chart-image, line 8)',
        '    give --tags a,b,c (or --tags chart-image=a,b,c) to see which tag it would get',
        '  metrics (line 16, detected in the values)',
        '    image bitnami/mongodb-exporter:0.10.0: docker.io/bitnami/mongodb-exporter, tag 0.10.0',
        '    filter glob:0.10.* (filter.fluxcd.io/metrics, line 9)',
        '    give --tags a,b,c (or --tags metrics=a,b,c) to see which tag it would get',
        '',
        'HelmRelease cache (line 19, helm.fluxcd.io/v1): automated, locked ("7.2 breaks the sessions")',
        '  chart-image (line 28, detected in the values)',
        '    image redis:7.0.0: docker.io/library/redis, tag 7.0.0',
        '    filter glob:* (no filter annotation: every tag but latest and signatures, newest build first)',
        '    locked (fluxcd.io/locked: "true"): 7.2 breaks the sessions',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['a lock message is quoted', '7.2 breaks the sessions', 'locked ("7.2 breaks the sessions")'],
    [
      'one written in quotes is not quoted again',
      '"Halt updates for now"',
      'locked ("Halt updates for now")',
    ],
  ])('%s', (_name, message, expected) => {
    const text = FILE.split('---')[1]!.replace('7.2 breaks the sessions', message.replace(/"/g, '\\"'));
    const line = explainFile({ file: 'apps/db.yaml', text, requireAutomated: true })
      .split('\n')
      .find((l) => l.startsWith('HelmRelease cache'));
    expect(line).toBe(`HelmRelease cache (line 3, helm.fluxcd.io/v1): automated, ${expected}`);
  });

  // As the run's warning quotes it: a lock written "True" is not shown as one written "true".
  it.each([
    ['the string "true"', 'fluxcd.io/locked: "true"', 'locked (fluxcd.io/locked: "true")'],
    ['the string "True"', 'fluxcd.io/locked: "True"', 'locked (fluxcd.io/locked: "True")'],
    ['the string "yes"', "fluxcd.io/locked: 'yes'", 'locked (fluxcd.io/locked: "yes")'],
    ['the YAML boolean true', 'fluxcd.io/locked: true', 'locked (fluxcd.io/locked: true)'],
    ['an unquoted yes', 'fluxcd.io/locked: yes', 'locked (fluxcd.io/locked: yes)'],
    ['the older key', 'flux.weave.works/locked: "True"', 'locked (flux.weave.works/locked: "True")'],
    ['an ignore written "True"', 'fluxcd.io/ignore: "True"', 'ignored (fluxcd.io/ignore: "True")'],
  ])('a hold written as %s is said as written', (_name, annotation, expected) => {
    const text = FILE.split('---')[1]!.replace('fluxcd.io/locked: "true"', annotation);
    const lines = explainFile({ file: 'apps/db.yaml', text, requireAutomated: true }).split('\n');
    expect(lines.find((l) => l.startsWith('    locked') || l.startsWith('    ignored'))).toBe(
      `    ${expected}${expected.startsWith('locked') ? ': 7.2 breaks the sessions' : ''}`,
    );
  });

  it.each([
    [
      'semver: the highest match, and why each higher version was refused',
      ['4.0.3', '4.0.4', '4.0.10', '4.1.0', '5.0.0-rc.1', '5.0.0'],
      [
        '    with the given tags: update to 4.0.10 (highest version matching ~4.0)',
        '      5.0.0 refused: outside ~4.0',
        '      5.0.0-rc.1 refused: a pre-release, outside ~4.0',
        '      4.1.0 refused: outside ~4.0',
        '      4.0.4 refused: matches, but 4.0.10 is higher',
      ],
    ],
    [
      'semver: a lower version than the current tag (deleted from the registry) is a downgrade',
      ['4.0.1', '4.1.0'],
      [
        '    with the given tags: downgrade to 4.0.1 (highest version matching ~4.0)',
        '      4.1.0 refused: outside ~4.0',
      ],
    ],
    [
      'semver: up to date',
      ['4.0.3', '4.1.0'],
      [
        '    with the given tags: up to date (highest version matching ~4.0)',
        '      4.1.0 refused: outside ~4.0',
      ],
    ],
  ])('%s', (_what, tags, expected) => {
    const text = explainFile({ file: 'apps/db.yaml', text: FILE, tags, requireAutomated: true });
    const chart = text.split('  metrics (')[0]!.split('\n').slice(6);
    expect(chart.filter((line) => line.startsWith('    with') || line.startsWith('      '))).toEqual(
      expected,
    );
  });

  it('glob and regex: the list order stands for build time, and no made-up build time is shown', () => {
    const text = explainFile({
      file: 'apps/db.yaml',
      text: FILE,
      tags: ['0.9.0', '0.10.0', '0.10.1', '0.11.0', 'latest', '0.10.2', `sha256-${'c'.repeat(64)}.sig`],
      requireAutomated: true,
    });
    expect(text).toContain(
      [
        '    with the given tags: update to 0.10.2 (newest build matching 0.10.*)',
        // Wrapped as the report wraps long lines.
        `      sha256-${'c'.repeat(64)}.sig refused: a`,
        '      signature, attestation or SBOM tag, never chosen',
        '      latest refused: a latest tag is only chosen by glob:latest',
        '      0.11.0 refused: does not match glob:0.10.*',
        '      0.10.1 refused: matches, but 0.10.2 is a newer build',
      ].join('\n'),
    );
  });

  it.each<[string, string[] | undefined, string[]]>([
    // name, the tags given, the lines expected for chart-image and the problems
    [
      'without tags',
      undefined,
      ['    give --tags a,b,c (or --tags chart-image=a,b,c) to see which tag it would get'],
    ],
    [
      'with tags: the update it would get is held, and the problem said once',
      ['7.0.0', '7.0.1'],
      [
        '    not updated to 7.0.1: the document at line 8 is not valid YAML, and Flux v1 fails the whole file',
        '    on it; repair that document, or move it to a file of its own',
      ],
    ],
  ])('a document Flux v1 cannot load is named, %s', (_name, tags, chartLines) => {
    const text = [
      'apiVersion: helm.fluxcd.io/v1',
      'kind: HelmRelease',
      'metadata: {name: cache, annotations: {fluxcd.io/automated: "true"}}',
      'spec: {values: {image: "redis:7.0.0"}}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'data: {key: [unclosed',
      '',
    ].join('\n');
    const lines = explainFile({ file: 'apps/cache.yaml', text, tags, requireAutomated: true }).split('\n');
    // After the file's name, the line saying the holds of other files were not checked, and the release's.
    expect(lines.slice(8, 8 + chartLines.length)).toEqual(chartLines);
    expect(lines.slice(lines.indexOf('Problems:'))).toEqual([
      'Problems:',
      '  error line 8: this document is not valid YAML (YAML syntax error: Flow sequence in block',
      '  collection must be sufficiently indented and end with a ]); Flux v1 fails the whole file on it, so',
      '  no HelmRelease in this file is updated: repair the document, or move it to a file of its own',
      '',
    ]);
  });

  it('a file read whole (a directive) names its broken document once, not also as skipped', () => {
    const text = [
      '%YAML 1.1',
      '---',
      'apiVersion: helm.fluxcd.io/v1',
      'kind: HelmRelease',
      'metadata: {name: cache, annotations: {fluxcd.io/automated: "true"}}',
      'spec: {values: {image: "redis:7.0.0"}}',
      '---',
      'kind: ConfigMap',
      'data: {key: [unclosed',
      '',
    ].join('\n');
    const lines = explainFile({ file: 'apps/cache.yaml', text, requireAutomated: true }).split('\n');
    expect(lines.slice(lines.indexOf('Problems:'))).toEqual([
      'Problems:',
      '  error line 9: this document is not valid YAML (YAML syntax error: Flow sequence in block',
      '  collection must be sufficiently indented and end with a ]); Flux v1 fails the whole file on it, so',
      '  no HelmRelease in this file is updated: repair the document, or move it to a file of its own',
      '',
    ]);
  });

  // The reason of a hold is said once: in its error under Problems when that is shown (the
  // release's line then says where it is), on the release's line otherwise.
  // When more files hold it, each one's error is shown and its line names them all; its `blocked`
  // says the first one's reason, and only that error says it.
  const LOCKED = 'fluxcd.io/locked in overlay/k.yaml is for HelmRelease cache';
  const ALSO_LOCKED = 'fluxcd.io/locked in staging/k.yaml is for HelmRelease cache';
  const STAGING = { file: 'staging/k.yaml', line: 7 };
  it.each<[string, Problem[], { file: string; line: number }[], string[]]>([
    [
      'its error shown below: where it is',
      [error('overlay/k.yaml', 4, `${LOCKED}; unlock it`)],
      [],
      ['  no update: held by overlay/k.yaml:4 (see Problems)'],
    ],
    ['no error shown for it: the reason itself', [], [], [`  no update: ${LOCKED}`]],
    [
      'and by a second file, both errors shown below: where each is',
      [
        error('overlay/k.yaml', 4, `${LOCKED}; unlock it`),
        error('staging/k.yaml', 7, `${ALSO_LOCKED}; unlock it`),
      ],
      [STAGING],
      ['  no update: held by overlay/k.yaml:4 and staging/k.yaml:7 (see Problems)'],
    ],
    [
      'and by two more files (a run holds it at each): where each is, wrapped at 100 columns',
      [
        error('overlay/k.yaml', 4, `${LOCKED}; unlock it`),
        error('staging/k.yaml', 7, `${ALSO_LOCKED}; unlock it`),
        error('clusters/dev/kustomization.yaml', 12, 'fluxcd.io/locked there is for cache'),
      ],
      [STAGING, { file: 'clusters/dev/kustomization.yaml', line: 12 }],
      [
        '  no update: held by overlay/k.yaml:4, staging/k.yaml:7 and clusters/dev/kustomization.yaml:12 (see',
        '  Problems)',
      ],
    ],
  ])('a release held by another file, %s', (_name, holdProblems, alsoHeldAt, hold) => {
    const text = [
      'apiVersion: helm.fluxcd.io/v1',
      'kind: HelmRelease',
      'metadata: {name: cache, annotations: {fluxcd.io/automated: "true"}}',
      'spec: {values: {image: "redis:7.0.0"}}',
      '',
    ].join('\n');
    const scan = scanFile('apps/cache.yaml', text);
    const [release] = scan.releases;
    const held = {
      ...scan,
      releases: [
        {
          ...release!,
          policies: {
            ...release!.policies,
            blocked: LOCKED,
            blockedAt: { file: 'overlay/k.yaml', line: 4 },
            ...(alsoHeldAt.length > 0 ? { alsoHeldAt } : {}),
          },
        },
      ],
    };
    const workspace = {
      root: '.',
      found: 'the --dir given',
      scan: held,
      scanned: true,
      holdProblems,
      listingProblems: [],
    };
    const lines = explainFile({ file: 'apps/cache.yaml', text, requireAutomated: true, workspace }).split(
      '\n',
    );
    expect(lines.slice(4)).toEqual([
      'HelmRelease cache (line 2, helm.fluxcd.io/v1): automated',
      ...hold,
      '  chart-image (line 4, detected in the values)',
      '    image redis:7.0.0: docker.io/library/redis, tag 7.0.0',
      '    filter glob:* (no filter annotation: every tag but latest and signatures, newest build first)',
      '    no update: its HelmRelease is held (above)',
      ...(holdProblems.length
        ? ['', 'Problems:', ...holdProblems.map((p) => `  error ${p.file}:${p.line}: ${p.message}`)]
        : []),
      '',
    ]);
    expect(lines.join(' ').split(LOCKED).length - 1).toBe(1);
  });

  it('a file without a HelmRelease says so', () => {
    expect(explainFile({ file: 'k.yaml', text: 'kind: Deployment\n', requireAutomated: true })).toBe(
      'k.yaml\n  No HelmRelease in this file.\n',
    );
  });

  it('fits 100 columns', () => {
    const long = FILE.replace(
      'bitnami/mongodb-exporter',
      `example.com/${'very-long-name/'.repeat(8)}exporter`,
    );
    const text = explainFile({ file: 'apps/db.yaml', text: long, tags: ['0.10.1'], requireAutomated: true });
    expect(text.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });
});

describe('explainFile with --tags NAME=a,b,c: each container its own tags', () => {
  /** The lines under each container after its filter, by container. */
  function verdicts(namedTags: [string, string[]][], tags?: string[]): string[] {
    const text = explainFile({
      file: 'apps/db.yaml',
      text: FILE,
      ...(tags ? { tags } : {}),
      namedTags: new Map(namedTags),
      requireAutomated: true,
    });
    return text
      .split('HelmRelease cache')[0]!
      .split('\n')
      .filter((line) => /^ {4}(with|give)/.test(line))
      .map((line) => line.trim());
  }

  it.each<[string, [string, string[]][], string[] | undefined, string[]]>([
    [
      'by container name, each its own list',
      [['metrics', ['0.10.0', '0.10.1']]],
      ['4.0.3', '4.0.4'],
      [
        'with the given tags: update to 4.0.4 (highest version matching ~4.0)',
        'with the given tags: update to 0.10.1 (newest build matching 0.10.*)',
      ],
    ],
    [
      'by repository as written, and the other container left without tags',
      [['bitnami/mongodb-exporter', ['0.10.0', '0.10.2']]],
      undefined,
      [
        'give --tags a,b,c (or --tags chart-image=a,b,c) to see which tag it would get',
        'with the given tags: update to 0.10.2 (newest build matching 0.10.*)',
      ],
    ],
    [
      'by repository normalised',
      [['docker.io/bitnami/mongodb', ['4.0.3', '4.0.5']]],
      undefined,
      [
        'with the given tags: update to 4.0.5 (highest version matching ~4.0)',
        'give --tags a,b,c (or --tags metrics=a,b,c) to see which tag it would get',
      ],
    ],
    [
      'a list that matches nothing is the given tags',
      [['metrics', ['1.0.0']]],
      undefined,
      [
        'give --tags a,b,c (or --tags chart-image=a,b,c) to see which tag it would get',
        'with the given tags: none of the given 1 tag matches glob:0.10.*',
      ],
    ],
  ])('%s', (_name, named, tags, expected) => {
    expect(verdicts(named, tags)).toEqual(expected);
  });

  it('one list for both: the current tag missing from it is said as missing from the given tags, not from a registry', () => {
    const text = explainFile({
      file: 'apps/db.yaml',
      text: FILE,
      tags: ['4.0.3', '0.10.5'],
      requireAutomated: true,
    });
    expect(text.replace(/\s+/g, ' ')).toContain(
      "the current tag 0.10.0 is not among the given tags; glob:0.10.* orders tags by build time and needs the current image's build time to compare",
    );
    expect(text).not.toContain('registry');
  });

  it.each<[string, [string, string[]][], string]>([
    [
      'a name no container answers to, with the nearest',
      [['metric', ['1']]],
      '--tags metric=…: no container of the file is called metric or reads that repository (did you mean --tags metrics=…?); ' +
        'its containers: chart-image (bitnami/mongodb), metrics (bitnami/mongodb-exporter), chart-image (redis)',
    ],
    [
      'two lists for one repository',
      [
        ['chart-image', ['4.0.3']],
        ['bitnami/mongodb', ['4.0.4']],
      ],
      '--tags chart-image=… and --tags bitnami/mongodb=… give docker.io/bitnami/mongodb two lists; a registry lists one per repository: give them the same tags, or one list',
    ],
  ])('refused: %s', (_name, named, message) => {
    expect(() => tagListsOf(scanFile('apps/db.yaml', FILE), undefined, new Map(named))).toThrow(message);
  });
});

describe('explainFile: a file whose name holds a line feed or a tab', () => {
  // The heading printed the name as written, so a line feed split it over two lines.
  it.each([
    ['apps/new\nline.yaml', 'apps/new\\u000aline.yaml'],
    ['apps/tab\tname.yaml', 'apps/tab\\u0009name.yaml'],
  ])('%j is headed by its escaped path on one line', (file, shown) => {
    expect(explainFile({ file, text: FILE, requireAutomated: true }).split('\n')[0]).toBe(shown);
  });
});
