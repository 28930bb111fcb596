/**
 * What scanFile tells a user about a file it cannot fully use, word for word, at which line and how
 * serious: unknown apiVersions, parts that are not maps, filters naming no container, syntax errors
 * (with the line where the fix goes and advice for an unquoted ": "), SOPS files and Lists. The
 * exact text is pinned because it is what the user reads to fix the file.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { DocumentChunk } from '../../src/helmrelease/parse-documents.js';

const FILE = 'releases/app.yaml';
const NO_UPDATE = 'it gets no update until this is fixed';
const BLOCKED = 'this HelmRelease gets no update until it is fixed';

/** A HelmRelease named app: apiVersion on line 1, kind on line 2, annotations from line 6, then spec.values. */
function release(values: string[], annotations: string[] = []): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    ...(annotations.length ? ['  annotations:', ...annotations.map((a) => `    ${a}`)] : []),
    'spec:',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

type Severity = 'error' | 'warning';
type Expected = [Severity, number, string];

function problems(text: string, only?: (chunk: DocumentChunk) => boolean): Expected[] {
  return scanFile(FILE, text, only).problems.map((p) => {
    expect(p.file).toBe(FILE);
    return [p.severity, p.line, p.message];
  });
}

describe('scanFile: parts of a HelmRelease that cannot be read', () => {
  it.each<[string, string, Expected[], string[]]>([
    [
      'an unknown apiVersion skips the release and lists the known ones',
      'apiVersion: example.com/v1\nkind: HelmRelease\nmetadata:\n  name: x\n',
      [
        [
          'warning',
          2,
          'HelmRelease with apiVersion "example.com/v1" is skipped; known apiVersions: helm.fluxcd.io/v1, ' +
            'flux.weave.works/v1beta1, helm.toolkit.fluxcd.io/v2beta1, helm.toolkit.fluxcd.io/v2beta2, ' +
            'helm.toolkit.fluxcd.io/v2',
        ],
      ],
      [],
    ],
    [
      // fluxcd/helm-operator-get-started, stefanprodan/openfaas-flux, Morriz/mostack still hold these.
      'a FluxHelmRelease (Flux 1.18 and earlier) is skipped with a warning that names it',
      [
        'apiVersion: helm.integrations.flux.weave.works/v1alpha2',
        'kind: FluxHelmRelease',
        'metadata:',
        '  name: podinfo-dev',
        '  annotations:',
        '    flux.weave.works/automated: "true"',
        'spec:',
        '  chartGitPath: podinfo',
        '  values:',
        '    image: stefanprodan/podinfo:dev-2aywpdbq',
        '',
      ].join('\n'),
      [
        [
          'warning',
          2,
          'FluxHelmRelease podinfo-dev is skipped: Flux 1.19 dropped this kind, and its images are not updated; ' +
            'write it as a HelmRelease with apiVersion helm.fluxcd.io/v1',
        ],
      ],
      [],
    ],
    [
      'a FluxHelmRelease without a name',
      'kind: FluxHelmRelease\nspec:\n  values: {}\n',
      [
        [
          'warning',
          1,
          'FluxHelmRelease is skipped: Flux 1.19 dropped this kind, and its images are not updated; ' +
            'write it as a HelmRelease with apiVersion helm.fluxcd.io/v1',
        ],
      ],
      [],
    ],
    [
      'no apiVersion at all is accepted, as Flux v1 never read it',
      'kind: HelmRelease\nmetadata:\n  name: x\n',
      [],
      ['x'],
    ],
    [
      'annotations that are a list',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\n  annotations: [a]\n',
      [['warning', 5, 'metadata.annotations is a list, not a map']],
      ['x'],
    ],
    [
      'annotations that are a string',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\n  annotations: text\n',
      [['warning', 5, 'metadata.annotations is a string, not a map']],
      ['x'],
    ],
    [
      'empty annotations are no annotations',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\n  annotations:\n',
      [],
      ['x'],
    ],
    [
      'a spec that is a number',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\nspec: 5\n',
      [['warning', 5, 'spec is the number 5, not a map; no images read']],
      ['x'],
    ],
    [
      'an empty spec is no spec',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\nspec:\n',
      [],
      ['x'],
    ],
    [
      'values that are a list',
      'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: x\nspec:\n  values:\n    - a\n',
      [['warning', 7, 'spec.values is a list, not a map; no images read']],
      ['x'],
    ],
    [
      'a name written as a number is read as its text',
      'kind: HelmRelease\nmetadata:\n  name: 123\nspec: {}\n',
      [],
      ['123'],
    ],
  ])('%s', (_name, text, expected, names) => {
    expect(problems(text)).toEqual(expected);
    expect(scanFile(FILE, text).releases.map((r) => r.name)).toEqual(names);
  });
});

// Flux v1 failed the whole file on a HelmRelease whose own fields it could not read (observed with
// yaml.v2 2.4.0 and ghodss/yaml, scripts/go-yaml); the scan read the fields it uses and took the
// release, which the plan then edited, taking the document it edits as loaded.
describe('scanFile: a HelmRelease with an image that Flux v1 could not load', () => {
  const LOADS =
    'it fails the whole file on it, so no HelmRelease in this file gets an update until this is fixed';
  const automated = ['apiVersion: helm.fluxcd.io/v1', 'kind: HelmRelease', 'metadata:', '  name: app'];
  const text = (head: string[]) => [...head, 'spec:', '  values:', '    image: repo/app:1.0', ''].join('\n');
  const annotated = ['  annotations:', '    fluxcd.io/automated: "true"'];
  it.each<[string, string[], Expected[]]>([
    [
      'apiVersion a list',
      ['apiVersion: [helm.fluxcd.io/v1]', ...automated.slice(1), ...annotated],
      [
        [
          'error',
          1,
          'Flux v1 cannot load HelmRelease app (apiVersion is a list, which Flux v1 reads as a string: ' +
            `write a single value); ${LOADS}`,
        ],
      ],
    ],
    [
      'apiVersion a map',
      ['apiVersion: {group: helm.fluxcd.io}', ...automated.slice(1), ...annotated],
      [
        [
          'error',
          1,
          'Flux v1 cannot load HelmRelease app (apiVersion is a map, which Flux v1 reads as a string: ' +
            `write a single value); ${LOADS}`,
        ],
      ],
    ],
    [
      'apiVersion a number',
      ['apiVersion: 1', ...automated.slice(1), ...annotated],
      [
        [
          'error',
          1,
          'Flux v1 cannot load HelmRelease app (apiVersion is the number 1, which Flux v1 reads into a ' +
            `HelmRelease as a string and refuses: quote it (apiVersion: "1")); ${LOADS}`,
        ],
      ],
    ],
    [
      'metadata.annotations an empty string',
      [...automated, '  annotations: ""'],
      [
        ['warning', 5, 'metadata.annotations is a string, not a map'],
        [
          'error',
          5,
          'Flux v1 cannot load HelmRelease app (metadata.annotations is an empty string, which Flux v1 reads ' +
            `as a map: write each annotation as a key: value line under it, or remove it); ${LOADS}`,
        ],
      ],
    ],
    [
      'metadata a list',
      ['apiVersion: helm.fluxcd.io/v1', 'kind: HelmRelease', 'metadata: [app]'],
      [
        [
          'error',
          3,
          'Flux v1 cannot load HelmRelease (no name) (metadata is a list, which Flux v1 reads as a map: ' +
            `write name, namespace and annotations under it, or remove it); ${LOADS}`,
        ],
      ],
    ],
    [
      'meta.name a number (Flux read meta too)',
      [...automated, ...annotated, 'meta: {name: 1}'],
      [
        [
          'error',
          7,
          'Flux v1 cannot load HelmRelease app (meta.name is the number 1, which Flux v1 reads into a ' +
            `HelmRelease as a string and refuses: quote it (meta.name: "1")); ${LOADS}`,
        ],
      ],
    ],
  ])('%s: not read, an error at the field', (_name, head, expected) => {
    expect(problems(text(head))).toEqual(expected);
    expect(scanFile(FILE, text(head)).releases).toEqual([]);
  });

  it.each<[string, string[]]>([
    ['apiVersion null', ['apiVersion:', ...automated.slice(1), ...annotated]],
    ['metadata.annotations null', [...automated, '  annotations:']],
    [
      'metadata.name a number (yaml.v2 reads "1")',
      ['apiVersion: helm.fluxcd.io/v1', 'kind: HelmRelease', 'metadata: {name: 1}'],
    ],
  ])('%s: read', (_name, head) => {
    expect(scanFile(FILE, text(head)).releases.map((r) => r.containers.length)).toEqual([1]);
  });
});

// Flux v1 took an alias annotation with no name for a container named "", which no filter could
// name: its image was updated with any tag. Not read here, which updates less, but not in silence.
describe('scanFile: an alias annotation with no alias name', () => {
  const said = (key: string, path: string) =>
    `${key} names no alias, so it is ignored and the image it maps (${path}) is not updated (Flux v1 took it for a ` +
    `container named "", which any tag could update); write ${key}<name> with the name of the image, and ` +
    'filter.fluxcd.io/<name> for its filter';
  it.each<[string, string[], Expected[]]>([
    [
      'a repository path',
      ['repository.fluxcd.io/: sub.img'],
      [['warning', 6, said('repository.fluxcd.io/', 'sub.img')]],
    ],
    [
      'a repository and a tag path',
      ['repository.fluxcd.io/: sub.img', 'tag.fluxcd.io/: sub.tag'],
      [
        ['warning', 6, said('repository.fluxcd.io/', 'sub.img')],
        ['warning', 7, said('tag.fluxcd.io/', 'sub.tag')],
      ],
    ],
    ['an empty path', ['repository.fluxcd.io/: ""'], []],
    ['a named alias', ['repository.fluxcd.io/app: sub.img', 'tag.fluxcd.io/app: sub.tag'], []],
  ])('%s', (_name, annotations, expected) => {
    const text = release(['sub:', '  img: repo/app', '  tag: "1.0"'], annotations);
    expect(problems(text)).toEqual(expected);
  });
});

describe('scanFile: the minimum release age annotation', () => {
  const text = (annotation: string) => `kind: HelmRelease\nmetadata:\n  annotations:\n    ${annotation}\n`;
  it("sets the release's minimum age", () => {
    const scan = scanFile(FILE, text('helmrelease-image-updater.io/minimum-release-age: 3d'));
    expect(scan.releases.map((r) => r.policies)).toEqual([
      { automated: false, locked: false, ignored: false, minimumReleaseAgeMs: 3 * 24 * 3600 * 1000 },
    ]);
    expect(scan.problems).toEqual([]);
  });

  it('is not set without the annotation', () => {
    const scan = scanFile(FILE, text('fluxcd.io/automated: "true"'));
    expect(scan.releases.map((r) => 'minimumReleaseAgeMs' in r.policies)).toEqual([false]);
  });

  it('blocks the release when it is not a duration', () => {
    const scan = scanFile(FILE, text('helmrelease-image-updater.io/minimum-release-age: soon'));
    const why =
      'helmrelease-image-updater.io/minimum-release-age is "soon"; write 0 or a duration such as 12h or 3d (at most 90d)';
    expect(problems(text('helmrelease-image-updater.io/minimum-release-age: soon'))).toEqual([
      ['error', 4, `${why}; ${BLOCKED}`],
    ]);
    expect(scan.releases.map((r) => r.policies.blocked)).toEqual([
      `a policy annotation is unusable (${why})`,
    ]);
  });
});

describe('scanFile: filter annotations that block the release', () => {
  it.each<[string, string[], string[], Expected[], string]>([
    [
      'a filter naming no container lists the containers there are',
      ['image: repo/a:1', 'sub:', '  image: repo/b:1'],
      ['filter.fluxcd.io/other: glob:*'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/other names no container of this HelmRelease, so the container it was meant for would ' +
            `get any tag (glob:*); its containers are: chart-image, sub; ${BLOCKED}`,
        ],
      ],
      'filter.fluxcd.io/other names no container of this HelmRelease, so the container it was meant for would ' +
        'get any tag (glob:*); its containers are: chart-image, sub',
    ],
    [
      'a misspelt container name: the hint names the nearest container',
      ['image: repo/a:1', 'sidecar:', '  image: repo/b:1'],
      ['fluxcd.io/tag.sidcar: glob:*'],
      [
        [
          'error',
          6,
          'fluxcd.io/tag.sidcar names no container of this HelmRelease (did you mean fluxcd.io/tag.sidecar?), so ' +
            `the container it was meant for would get any tag (glob:*); its containers are: chart-image, sidecar; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/tag.sidcar names no container of this HelmRelease (did you mean fluxcd.io/tag.sidecar?), so ' +
        'the container it was meant for would get any tag (glob:*); its containers are: chart-image, sidecar',
    ],
    [
      'a container name with two letters swapped: the hint names it too',
      ['image: repo/a:1', 'sidecar:', '  image: repo/b:1'],
      ['filter.fluxcd.io/sdiecar: glob:*'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/sdiecar names no container of this HelmRelease (did you mean filter.fluxcd.io/sidecar?), so ' +
            `the container it was meant for would get any tag (glob:*); its containers are: chart-image, sidecar; ${BLOCKED}`,
        ],
      ],
      'filter.fluxcd.io/sdiecar names no container of this HelmRelease (did you mean filter.fluxcd.io/sidecar?), so ' +
        'the container it was meant for would get any tag (glob:*); its containers are: chart-image, sidecar',
    ],
    [
      'both prefixes at once: the hint says which to write',
      ['image: repo/a:1'],
      ['fluxcd.io/tag.tag.other: glob:*'],
      [
        [
          'error',
          6,
          'fluxcd.io/tag.tag.other names no container of this HelmRelease (write filter.fluxcd.io/other or ' +
            'fluxcd.io/tag.other, not both prefixes), so the container it was meant for would get any tag ' +
            `(glob:*); its containers are: chart-image; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/tag.tag.other names no container of this HelmRelease (write filter.fluxcd.io/other or ' +
        'fluxcd.io/tag.other, not both prefixes), so the container it was meant for would get any tag ' +
        '(glob:*); its containers are: chart-image',
    ],
    [
      'an invalid semver constraint',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: "semver:~>1..2"'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `semver:~>1..2` is not a valid semver constraint (improper ' +
            'constraint: ~>1..2); constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; Flux v1 would have ' +
            'matched every version tag with it, pre-releases included; this HelmRelease is held (no update) ' +
            'until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `semver:~>1..2` is not a valid semver constraint (improper ' +
        'constraint: ~>1..2); constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; Flux v1 would have ' +
        'matched every version tag with it, pre-releases included',
    ],
    // An empty pattern is a templating accident or an unfinished edit: each kind holds the release alike.
    [
      'an empty regex (Flux v1 matched every tag with it): held, stricter than Flux',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: "regex:"'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `regex:` has an empty regular expression, which Flux v1 would have matched every tag with; write a pattern, or `glob:*` for every tag; this HelmRelease is held (no update) until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `regex:` has an empty regular expression, which Flux v1 would have matched every tag with; write a pattern, or `glob:*` for every tag',
    ],
    [
      'an empty regexp: held alike',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: "regexp:"'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `regexp:` has an empty regular expression, which Flux v1 would have matched every tag with; write a pattern, or `glob:*` for every tag; this HelmRelease is held (no update) until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `regexp:` has an empty regular expression, which Flux v1 would have matched every tag with; write a pattern, or `glob:*` for every tag',
    ],
    [
      'an empty glob: held alike',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: "glob:"'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `glob:` is empty, which Flux v1 would have matched no tag with; write a pattern, or `glob:*` for every tag; this HelmRelease is held (no update) until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `glob:` is empty, which Flux v1 would have matched no tag with; write a pattern, or `glob:*` for every tag',
    ],
    [
      'an empty value (an empty glob): held alike',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: ""'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `` is empty, which Flux v1 would have matched no tag with; write a pattern, or `glob:*` for every tag; this HelmRelease is held (no update) until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `` is empty, which Flux v1 would have matched no tag with; write a pattern, or `glob:*` for every tag',
    ],
    [
      'an empty semver constraint: held, and told to write a pattern',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/chart-image: "semver:"'],
      [
        [
          'error',
          6,
          'filter.fluxcd.io/chart-image: filter `semver:` has an empty semver constraint; constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; Flux v1 would have matched every version tag with it, pre-releases included; write a pattern, or `glob:*` for every tag; this HelmRelease is held (no update) until the filter is fixed',
        ],
      ],
      'filter.fluxcd.io/chart-image: filter `semver:` has an empty semver constraint; constraints look like `~1.2`, `^1` or `>=1.0 <2.0`; Flux v1 would have matched every version tag with it, pre-releases included; write a pattern, or `glob:*` for every tag',
    ],
    [
      'a lock that means neither true nor false (Flux v1 would update the release)',
      ['image: repo/a:1'],
      ['fluxcd.io/locked: "treu"'],
      [
        [
          'error',
          6,
          'fluxcd.io/locked is "treu", neither "true" nor "false": Flux v1 reads it as off and would update ' +
            'the release, though it was most likely meant to hold it. Write fluxcd.io/locked: "true" to hold ' +
            `the release, or remove the annotation; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/locked is "treu", neither "true" nor "false": Flux v1 reads it as off and would update ' +
        'the release, though it was most likely meant to hold it. Write fluxcd.io/locked: "true" to hold ' +
        'the release, or remove the annotation',
    ],
    [
      "fluxctl's tag_all policy written as an annotation (Flux v1 filters nothing with it)",
      ['image: repo/a:1'],
      ['fluxcd.io/tag_all: semver:~1.0'],
      [
        [
          'error',
          6,
          "fluxcd.io/tag_all is not an annotation Flux v1 reads (fluxctl's --tag-all writes fluxcd.io/tag.<container> " +
            'for each container), so it filters nothing; write filter.fluxcd.io/<container> for each container ' +
            `instead; ${BLOCKED}`,
        ],
      ],
      "fluxcd.io/tag_all is not an annotation Flux v1 reads (fluxctl's --tag-all writes fluxcd.io/tag.<container> " +
        'for each container), so it filters nothing; write filter.fluxcd.io/<container> for each container instead',
    ],
    [
      'a lock under a domain Flux v1 does not read it from (Flux v1 would update the release)',
      ['image: repo/app:1.0.0'],
      ['fluxcd.io/automated: "true"', 'helm.fluxcd.io/locked: "true"'],
      [
        [
          'error',
          7,
          `helm.fluxcd.io/locked looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore; ${BLOCKED}`,
        ],
      ],
      'helm.fluxcd.io/locked looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore',
    ],
    [
      "a filter's value under a key that is no filter (Flux v1 filters nothing with it)",
      ['image: repo/app:1.0.0'],
      ['fluxcd.io/automated: "true"', 'fluxcd.io/chart-image: "semver:~1.0"'],
      [
        [
          'error',
          7,
          'fluxcd.io/chart-image holds a tag filter but is no filter key, so Flux v1 would ignore it; ' +
            `write filter.fluxcd.io/chart-image instead; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/chart-image holds a tag filter but is no filter key, so Flux v1 would ignore it; ' +
        'write filter.fluxcd.io/chart-image instead',
    ],
    [
      // Read as written, the alias would name docker.io/repo/a and take its tags, not the registry's.
      'a misspelt registry alias: the image would be read from Docker Hub',
      ['reg: registry.example.com', 'img: repo/a', 'tag: "1"'],
      ['registy.fluxcd.io/app: reg', 'repository.fluxcd.io/app: img', 'tag.fluxcd.io/app: tag'],
      [
        [
          'error',
          6,
          `registy.fluxcd.io/app looks like a misspelling of registry.fluxcd.io/app, which Flux v1 would ignore; ${BLOCKED}`,
        ],
      ],
      'registy.fluxcd.io/app looks like a misspelling of registry.fluxcd.io/app, which Flux v1 would ignore',
    ],
    [
      // The alias it was meant for reads its image from Docker Hub: a registry-only alias holds.
      'a registry alias under a misspelt name: the image it was meant for would be read from Docker Hub',
      ['reg: registry.example.com', 'img: repo/a', 'tag: "1"'],
      ['registry.fluxcd.io/ap: reg', 'repository.fluxcd.io/app: img', 'tag.fluxcd.io/app: tag'],
      [
        [
          'error',
          6,
          'alias "ap" has a registry path but no repository.fluxcd.io/ap, so Flux v1 would ignore it and read the ' +
            'image it was meant for from another registry (did you mean registry.fluxcd.io/app?); write ' +
            `repository.fluxcd.io/ap beside it, or remove it; ${BLOCKED}`,
        ],
      ],
      'alias "ap" has a registry path but no repository.fluxcd.io/ap, so Flux v1 would ignore it and read the ' +
        'image it was meant for from another registry (did you mean registry.fluxcd.io/app?); write ' +
        'repository.fluxcd.io/ap beside it, or remove it',
    ],
    [
      'a registry alias for a detected container: the container would be read from Docker Hub',
      ['image: repo/a:1'],
      ['registry.fluxcd.io/chart-image: reg'],
      [
        [
          'error',
          6,
          'alias "chart-image" has a registry path but no repository.fluxcd.io/chart-image, so Flux v1 would ignore ' +
            'it and read the image it was meant for from another registry; write repository.fluxcd.io/chart-image ' +
            `beside it, or remove it; ${BLOCKED}`,
        ],
      ],
      'alias "chart-image" has a registry path but no repository.fluxcd.io/chart-image, so Flux v1 would ignore ' +
        'it and read the image it was meant for from another registry; write repository.fluxcd.io/chart-image ' +
        'beside it, or remove it',
    ],
    [
      'an alias written under fluxcd.io: the alias is not read',
      ['img: repo/a', 'tag: "1"'],
      ['fluxcd.io/repository.app: img', 'tag.fluxcd.io/app: tag'],
      [
        [
          'error',
          6,
          `fluxcd.io/repository.app looks like a misspelling of repository.fluxcd.io/app, which Flux v1 would ignore; ${BLOCKED}`,
        ],
        ['warning', 7, 'alias "app" has a tag path but no repository.fluxcd.io/app; the alias is ignored'],
      ],
      'fluxcd.io/repository.app looks like a misspelling of repository.fluxcd.io/app, which Flux v1 would ignore',
    ],
    [
      'a policy key with a space at its end: the key is quoted, so the difference shows',
      ['image: repo/a:1'],
      ['"fluxcd.io/locked ": "true"'],
      [
        [
          'error',
          6,
          `"fluxcd.io/locked " looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore; ${BLOCKED}`,
        ],
      ],
      '"fluxcd.io/locked " looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore',
    ],
    [
      // Flux v1 used filter.fluxcd.io; which one was meant is not known, and glob:* lets every tag through.
      'two forms of a filter that disagree: the release is held',
      ['image: repo/a:1'],
      ['fluxcd.io/tag.chart-image: semver:~1.0', 'filter.fluxcd.io/chart-image: glob:*'],
      [
        [
          'error',
          6,
          'fluxcd.io/tag.chart-image ("semver:~1.0") disagrees with filter.fluxcd.io/chart-image ("glob:*"), ' +
            'written for the same container: Flux v1 would use filter.fluxcd.io/chart-image, which may let through ' +
            `tags the other keeps out; remove one of them; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/tag.chart-image ("semver:~1.0") disagrees with filter.fluxcd.io/chart-image ("glob:*"), ' +
        'written for the same container: Flux v1 would use filter.fluxcd.io/chart-image, which may let through ' +
        'tags the other keeps out; remove one of them',
    ],
    [
      'two unusable annotations: both said, the first one blocks',
      ['image: repo/a:1'],
      ['filter.fluxcd.io/x: glob:*', 'fluxcd.io/lock: "true"'],
      [
        [
          'error',
          7,
          `fluxcd.io/lock looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore; ${BLOCKED}`,
        ],
        [
          'error',
          6,
          'filter.fluxcd.io/x names no container of this HelmRelease, so the container it was meant for would ' +
            `get any tag (glob:*); its containers are: chart-image; ${BLOCKED}`,
        ],
      ],
      'fluxcd.io/lock looks like a misspelling of fluxcd.io/locked, which Flux v1 would ignore',
    ],
  ])('%s', (_name, values, annotations, expected, blockedBy) => {
    const text = release(values, annotations);
    expect(problems(text)).toEqual(expected);
    expect(scanFile(FILE, text).releases[0]?.policies.blocked).toBe(
      `a policy annotation is unusable (${blockedBy})`,
    );
  });

  it.each<[string, number, string]>([
    ['ten containers are all named', 10, 'c01, c02, c03, c04, c05, c06, c07, c08, c09, c10'],
    [
      'eleven containers: the first ten and how many more',
      11,
      'c01, c02, c03, c04, c05, c06, c07, c08, c09, c10 and 1 more',
    ],
  ])('a filter naming no container: %s', (_name, count, named) => {
    const values = Array.from(
      { length: count },
      (_, i) => `c${String(i + 1).padStart(2, '0')}: {image: repo/a:1}`,
    );
    const text = release(values, ['filter.fluxcd.io/x: glob:*', 'filter.fluxcd.io/y: glob:*']);
    const messages = problems(text).map(([, , message]) => message);
    // Each filter says it, with the same list of names.
    expect(messages).toEqual([
      expect.stringContaining(`filter.fluxcd.io/x names no container`),
      expect.stringContaining(`filter.fluxcd.io/y names no container`),
    ]);
    for (const message of messages) expect(message).toContain(`its containers are: ${named}; ${BLOCKED}`);
  });
});

/**
 * A release without images has no container a misnamed filter could loosen. Real Flux v1 files hold
 * such filters (Morriz/mostack's `values: {}` with valueFileSecrets, billimek/k8s-gitops's consul
 * with `Image:`/`ImageTag:`): Flux read no image there either, so the filter is named in a warning
 * and nothing is blocked; an error would fail every run of an ordinary repository.
 */
describe('scanFile: a filter on a release without images', () => {
  const APPLIES_TO_NOTHING =
    'it has no images in spec.values that Flux v1 reads, so the filter applies to nothing (images given ' +
    'through valuesFrom or valueFileSecrets are not read; one elsewhere in spec.values needs ' +
    'repository.fluxcd.io/<container> annotations or detection: deep)';

  it.each<[string, string[], string[], Expected[]]>([
    [
      'values from valueFileSecrets only (values: {})',
      [],
      ['flux.weave.works/tag.chart-image: glob:prod-*'],
      [
        [
          'warning',
          6,
          `flux.weave.works/tag.chart-image names no container of this HelmRelease: ${APPLIES_TO_NOTHING}`,
        ],
      ],
    ],
    [
      'image keys Flux v1 does not read (Image, ImageTag)',
      ['ImageTag: "1.4.0"', 'Image: consul'],
      ['flux.weave.works/tag.chart-image: semver:~1.4'],
      [
        [
          'warning',
          6,
          `flux.weave.works/tag.chart-image names no container of this HelmRelease: ${APPLIES_TO_NOTHING}`,
        ],
      ],
    ],
    [
      'two filters, each named',
      ['port: 1'],
      ['fluxcd.io/tag.server: semver:~1.0.0', 'filter.fluxcd.io/agent: semver:~1.0.0'],
      [
        [
          'warning',
          7,
          `filter.fluxcd.io/agent names no container of this HelmRelease: ${APPLIES_TO_NOTHING}`,
        ],
        ['warning', 6, `fluxcd.io/tag.server names no container of this HelmRelease: ${APPLIES_TO_NOTHING}`],
      ],
    ],
    [
      'both prefixes at once keep their hint',
      [],
      ['fluxcd.io/tag.tag.app: glob:*'],
      [
        [
          'warning',
          6,
          'fluxcd.io/tag.tag.app names no container of this HelmRelease (write filter.fluxcd.io/app or ' +
            `fluxcd.io/tag.app, not both prefixes): ${APPLIES_TO_NOTHING}`,
        ],
      ],
    ],
  ])('%s: a warning, and the release is not blocked', (_name, values, annotations, expected) => {
    const text = release(values.length ? values : ['{}'], annotations).replace(
      '  values:\n    {}',
      '  values: {}',
    );
    expect(problems(text).sort()).toEqual([...expected].sort());
    const [scanned] = scanFile(FILE, text).releases;
    expect(scanned?.containers).toEqual([]);
    expect(scanned?.policies.blocked).toBeUndefined();
  });
});

describe('scanFile: syntax errors', () => {
  it.each<[string, string, Expected[]]>([
    [
      // ianmiell/flux-get-started-tenant committed releases/mongodb.yaml with its conflict unresolved.
      'a merge conflict left in the file: the marker is named, with how to resolve it',
      [
        'apiVersion: flux.weave.works/v1beta1',
        'kind: HelmRelease',
        'metadata:',
        '  name: mongodb',
        '<<<<<<< HEAD',
        '  namespace: demo',
        '=======',
        '  namespace: tenant',
        '>>>>>>> mongo',
        'spec:',
        '  values:',
        '    image: bitnami/mongodb:4.0.3',
        '',
      ].join('\n'),
      [
        [
          'error',
          5,
          'HelmRelease mongodb could not be read (YAML syntax error: Implicit keys need to be on a single line; ' +
            'line 5 is a merge conflict marker (<<<<<<<) left in the file: resolve the conflict (keep one side, ' +
            `and remove the <<<<<<<, ======= and >>>>>>> lines)); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a merge conflict in spec.values: the first marker is named, not where the parser gave up',
      release(['image: repo/a:1', '=======', 'image: repo/a:2', '>>>>>>> theirs'])
        .replace('    =======\n', '=======\n')
        .replace('    >>>>>>> theirs\n', '>>>>>>> theirs\n'),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Implicit keys need to be on a single line; ' +
            'line 8 is a merge conflict marker (=======) left in the file: resolve the conflict (keep one side, ' +
            `and remove the <<<<<<<, ======= and >>>>>>> lines)); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'marker-like text inside a block scalar is no conflict: the syntax error alone is reported',
      release(['config: |', '  <<<<<<< HEAD', 'other: a: b']),
      [
        [
          'error',
          9,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: other: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'an unquoted ": " in a value: the advice quotes it',
      release(['image: repo/a:1', 'other: a: b']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: other: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'an unquoted ": " in a list item: the advice quotes the item\'s value',
      release(['image: repo/a:1', 'list:', '  - a: b: c']),
      [
        [
          'error',
          9,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: a: "b: c"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a filter with a space after its kind: the advice writes it without the space',
      release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: semver: ~1.0']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            'mappings; a filter holding ": " must be quoted, and the space after "semver:" would make it match ' +
            `nothing: write filter.fluxcd.io/chart-image: "semver:~1.0"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a regexp filter with a space after its kind',
      release(['image: repo/a:1'], ['fluxcd.io/tag.chart-image: regexp: ^v1  ']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            'mappings; a filter holding ": " must be quoted, and the space after "regexp:" would make it match ' +
            `nothing: write fluxcd.io/tag.chart-image: "regexp:^v1"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a comment after a filter is not part of the filter the advice writes',
      release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: semver: ~1.0 # pinned']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            'mappings; a filter holding ": " must be quoted, and the space after "semver:" would make it match ' +
            `nothing: write filter.fluxcd.io/chart-image: "semver:~1.0"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a comment after a value is not part of the value the advice quotes',
      release(['image: repo/a:1', 'x:  a: b   # a note']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a # inside a word is not a comment',
      release(['image: repo/a:1', 'x: a: b#c']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b#c"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a value that reads like a filter under a key without a slash is a plain value',
      release(['image: repo/a:1', 'tag: glob: 1.*']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: tag: "glob: 1.*"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a document that is not a HelmRelease is skipped with a warning',
      'kind: ConfigMap\ndata:\n  x: a: b\n  y: HelmRelease\n',
      [
        [
          'warning',
          3,
          'YAML syntax error: Nested mappings are not allowed in compact mappings; a value holding ": " must be ' +
            'quoted: x: "a: b", document skipped',
        ],
      ],
    ],
    [
      'a kind that only starts with HelmRelease is not a HelmRelease',
      'kind: HelmReleaseList\nx: a: b\n',
      [
        [
          'warning',
          2,
          'YAML syntax error: Nested mappings are not allowed in compact mappings; a value holding ": " must be ' +
            'quoted: x: "a: b", document skipped',
        ],
      ],
    ],
    [
      'a HelmRelease without a name',
      'kind: HelmRelease\nspec:\n  x: a: b\n',
      [
        [
          'error',
          3,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a top-level name is not the release name',
      'kind: HelmRelease\nname: top\nspec:\n  x: a: b\n',
      [
        [
          'error',
          4,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a quoted kind and name',
      '"kind": \'HelmRelease\'\nmetadata:\n  name: "my-app.v2"\nspec:\n  x: a: b\n',
      [
        [
          'error',
          5,
          'HelmRelease my-app.v2 could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a value starting with a quote gets no advice',
      release(['image: repo/a:1', 'x: "a": b']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'CRLF line ends: the advice quotes the right line',
      'kind: HelmRelease\r\nspec:\r\n  values:\r\n    x: a: b\r\n    y: 1\r\n',
      [
        [
          'error',
          4,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'CR-only line ends: the advice quotes the right line',
      'kind: HelmRelease\rspec:\r  values:\r    x: a: b\r    y: 1\r',
      [
        [
          'error',
          4,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'an error before a repeated key is the one said',
      'kind: HelmRelease\nspec:\n  values:\n    x: a: b\n    x: 1\n',
      [
        [
          'error',
          4,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a file with a directive, parsed whole: the message is the same, without position or source',
      '%YAML 1.1\n---\nkind: HelmRelease\nspec:\n  x: a: b\n',
      [
        [
          'error',
          5,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'an indented document with spaces around the colons',
      '  kind :  HelmRelease\n  metadata:\n    name:  app\n  spec:\n    x: a: b\n',
      [
        [
          'error',
          5,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a quote left open, with CRLF line ends',
      'kind: HelmRelease\r\nspec:\r\n  values:\r\n    image: "a\r\n    tag: x\r\n',
      [
        [
          'error',
          4,
          `a HelmRelease could not be read (YAML syntax error: Missing closing "quote); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a quote left open, with CR-only line ends',
      'kind: HelmRelease\rspec:\r  values:\r    image: "a\r    tag: x\r',
      [
        [
          'error',
          4,
          `a HelmRelease could not be read (YAML syntax error: Missing closing "quote); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a key naming no anchor, in a release without a name',
      'kind: HelmRelease\n*nowhere: 1\n',
      [
        [
          'error',
          2,
          'HelmRelease (no name) could not be read as Flux v1 reads it (the key *nowhere names no anchor ' +
            `&nowhere before it); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a brace in a plain value does not move the line of another error',
      release(['x: a{b', 'y: a: b']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: y: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a key without a value that repeats a key is said as a missing value',
      release(['x: 1', 'x']),
      [
        [
          'error',
          8,
          `HelmRelease app could not be read (YAML syntax error: Implicit map keys need to be followed by map values); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a document whose other key ends in kind is not a HelmRelease',
      'kind: ConfigMap\ndata:\n  otherkind: HelmRelease\n  x: a: b\n',
      [
        [
          'warning',
          4,
          'YAML syntax error: Nested mappings are not allowed in compact mappings; a value holding ": " must be ' +
            'quoted: x: "a: b", document skipped',
        ],
      ],
    ],
    [
      'a name inside a flow mapping is not the release name',
      'kind: HelmRelease\nmetadata:\n  labels: { name: web }\nspec:\n  x: a: b\n',
      [
        [
          'error',
          5,
          'a HelmRelease could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: x: "a: b"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a quoted value followed by another ": " gets no advice',
      release(['image: repo/a:1', 'x: "a": b: c']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a filter annotation whose value only holds a filter kind later is a plain value',
      release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: my semver: 1']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            `mappings; a value holding ": " must be quoted: filter.fluxcd.io/chart-image: "my semver: 1"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a regex filter with a space after its kind',
      release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: regex: ^v1']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            'mappings; a filter holding ": " must be quoted, and the space after "regex:" would make it match ' +
            `nothing: write filter.fluxcd.io/chart-image: "regex:^v1"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a semver filter with two spaces after its kind',
      release(['image: repo/a:1'], ['filter.fluxcd.io/chart-image: semver:  ~1.0']),
      [
        [
          'error',
          6,
          'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact ' +
            'mappings; a filter holding ": " must be quoted, and the space after "semver:" would make it match ' +
            `nothing: write filter.fluxcd.io/chart-image: "semver:~1.0"); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a message holding a colon of its own keeps it',
      release(['image: repo/a', 'tag: |x', '  v1']),
      [
        [
          'error',
          8,
          `HelmRelease app could not be read (YAML syntax error: Block scalar header includes extra characters: |x); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a repeated key before another error is the one said',
      release(['image: repo/a:1', 'image: repo/b:1', 'x: a: b']),
      [
        [
          'error',
          8,
          'HelmRelease app could not be read (YAML syntax error: Map keys must be unique: image is written at ' +
            `line 7 and again at line 8; keep one of them); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a repeated annotation: the key and both lines are named',
      release(
        ['image: repo/a:1'],
        ['filter.fluxcd.io/chart-image: semver:~1.0', 'filter.fluxcd.io/chart-image: glob:*'],
      ),
      [
        [
          'error',
          7,
          'HelmRelease app could not be read (YAML syntax error: Map keys must be unique: ' +
            'filter.fluxcd.io/chart-image is written at line 6 and again at line 7; keep one of them); ' +
            NO_UPDATE,
        ],
      ],
    ],
    [
      'nesting too deep to read',
      `kind: HelmRelease\nspec:\n  values:\n    image: ${'['.repeat(10000)}\n`,
      [
        [
          'error',
          4,
          `a HelmRelease could not be read (YAML nests too deeply to be read (stack overflow)); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      // yaml.v2 refuses it; the `yaml` package would keep about 1 KB a level (4 MiB of [ took 3.4 GB).
      'nesting past yaml.v2’s 10,000 flow levels, refused before it is parsed',
      `kind: HelmRelease\nspec:\n  values:\n    image: ${'['.repeat(4 << 20)}\n`,
      [
        [
          'error',
          4,
          'a HelmRelease could not be read (YAML syntax error: flow collections ([ or {) open more than 10,000 ' +
            `levels deep here, which Flux v1 (yaml.v2) refuses ("exceeded max depth of 10000")); ${NO_UPDATE}`,
        ],
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
    expect(scanFile(FILE, text).releases).toEqual([]);
  });

  it('a document nested past the bound is refused alone: the file’s other documents are read', () => {
    const deep = `kind: HelmRelease\nmetadata:\n  name: deep\nspec:\n  values:\n    x: ${'['.repeat(10_001)}\n`;
    const good = 'kind: HelmRelease\nmetadata:\n  name: good\nspec:\n  values:\n    image: repo/a:1\n';
    const scan = scanFile(FILE, `${deep}---\n${good}`);
    expect(scan.releases.map((r) => r.name)).toEqual(['good']);
    expect(scan.problems.map((p) => [p.severity, p.line, p.message.slice(0, 40)])).toEqual([
      ['error', 6, 'HelmRelease deep could not be read (YAML'],
    ]);
  });

  it.each<[string, number, boolean]>([
    ['a line of 1,000 characters is quoted back in the advice', 1000, true],
    ['a longer line gets the syntax error alone', 1001, false],
  ])('%s', (_name, length, advised) => {
    const line = `    x: a: ${'b'.repeat(length - '    x: a: '.length)}`;
    expect(line).toHaveLength(length);
    const [[, , message]] = problems(`kind: HelmRelease\nspec:\n  values:\n${line}\n`);
    expect(message.includes('must be quoted')).toBe(advised);
  });
});

describe('scanFile: the line named for a quote or bracket left open is where it opened', () => {
  const head = ['kind: HelmRelease', 'metadata:', '  name: app', 'spec:', '  values:'];
  it.each<[string, string[], string, number]>([
    ['a double quote', ['    image: "repo/a:1', '    tag: x', '    other: y'], 'Missing closing "quote', 6],
    [
      'a single quote',
      ["    note: 'it''s fine'", "    image: 'repo/a:1", '    tag: x'],
      "Missing closing 'quote",
      7,
    ],
    ['a double quote on the first line of the document', [], 'Missing closing "quote', 1],
    [
      'a flow sequence, past quoted and commented brackets',
      ['    image: [repo/a:1,', '      "]", # ] comment', "      ']'", '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      6,
    ],
    [
      'a flow sequence holding a closed one on a later line',
      ['    image: [a,', '      [b],', '      [c', '      ],', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      6,
    ],
    [
      'a flow sequence after brackets in comments',
      [
        '# [ a comment at the start of a line',
        '    x: 1 # [ a comment after a value',
        '    image: [a,',
        '    tag: x',
      ],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      8,
    ],
    [
      'a flow sequence after a stray closing bracket',
      ['    x: a]b', '    image: [a,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      7,
    ],
    [
      'a flow mapping holding ": " (no advice to quote it)',
      ['    x: [1]', '    image: {repository: repo/a,', '    tag: x'],
      'Flow map in block collection must be sufficiently indented and end with a }',
      7,
    ],
    [
      'a flow sequence holding ": " (no advice to quote it)',
      ['    image: [name: a,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      6,
    ],
    [
      'a flow sequence opened after a quoted key on its line',
      ['    "image": [a,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      6,
    ],
    [
      'a flow sequence holding a quoted bracket between other characters',
      ['    image: [a,', '      "a ] b",', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      6,
    ],
    [
      'a flow sequence after a closed one with a # inside a word',
      ['    x: [a#b]', '    image: [c,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      7,
    ],
    [
      'a flow sequence after a comment with no space after its #',
      ['    x: 1 #[ comment', '    image: [c,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      7,
    ],
    [
      'a flow sequence after one closed on its own line',
      ['    x: [1]', '    image: [a,', '    tag: x'],
      'Flow sequence in block collection must be sufficiently indented and end with a ]',
      7,
    ],
  ])('%s', (name, values, message, line) => {
    const text = name.includes('first line')
      ? 'kind: "HelmRelease\nmetadata:\n  name: app\n'
      : [...head, ...values, ''].join('\n');
    const found = problems(text);
    // No advice to quote anything: the fix is to close what was opened.
    expect(found).toEqual([
      ['error', line, `HelmRelease app could not be read (YAML syntax error: ${message}); ${NO_UPDATE}`],
    ]);
  });
});

describe('scanFile: files and documents that are not read', () => {
  it.each<[string, string]>([
    [
      'a file that never spells HelmRelease, with a directive and a syntax error',
      '%YAML 1.1\n---\nkind: ConfigMap\ndata: [\n',
    ],
    [
      'a document that does not spell HelmRelease, next to one that does',
      'kind: ConfigMap\ndata: [\n---\nkind: HelmRelease\nspec: {}\n',
    ],
  ])('its syntax errors are not reported: %s', (_name, text) => {
    expect(problems(text)).toEqual([]);
  });

  const SOPS_WARNING =
    'this file is encrypted with SOPS (a top-level sops: key with a mac), so its HelmReleases are not updated: ' +
    'changing a tag would break the SOPS MAC and Flux could no longer decrypt the file';
  it.each<[string, string, number]>([
    [
      'in the HelmRelease',
      'kind: HelmRelease\nspec:\n  values:\n    image: repo/a:1\nsops:\n  mac: ENC[x]\n',
      5,
    ],
    [
      'in another document of the file',
      'kind: HelmRelease\nspec:\n  values:\n    image: repo/a:1\n---\nsops:\n  mac: ENC[x]\n',
      6,
    ],
  ])('a SOPS-encrypted file gives no release and one warning at its sops key: %s', (_name, text, line) => {
    expect(problems(text)).toEqual([['warning', line, SOPS_WARNING]]);
    expect(scanFile(FILE, text).releases).toEqual([]);
  });

  it('reads only the documents `only` accepts, and does not repeat the file-wide byte order mark warning', () => {
    const text = [
      'kind: HelmRelease',
      'metadata: {name: a}',
      '---',
      'kind: HelmRelease',
      'metadata: {name: b}',
      'spec:',
      '  values:',
      '    x: 1',
      '\uFEFF    y: 2',
      '---',
      'kind: HelmRelease',
      'metadata: {name: c}',
      '',
    ].join('\n');
    const second = text.indexOf('---');
    const scan = scanFile(FILE, text, (chunk) => chunk.start === second);
    expect(scan.releases.map((r) => [r.name, r.documentIndex])).toEqual([['b', 1]]);
    expect(scan.problems).toEqual([]);
    expect(scanFile(FILE, text).problems.map((p) => p.line)).toEqual([9]);
  });

  it('says the detection mode of the scan and of each release when it is deep', () => {
    const text = release(['image: repo/a:1']);
    const deep = scanFile(FILE, text, undefined, { detection: 'deep' });
    expect([deep.detection, deep.releases.map((r) => r.detection)]).toEqual(['deep', ['deep']]);
    const flux = scanFile(FILE, text);
    expect(['detection' in flux, flux.releases.map((r) => 'detection' in r)]).toEqual([false, [false]]);
  });
});

describe('scanFile: documents of other shapes are read without a problem', () => {
  it.each<[string, string, [string, number][], Expected[]]>([
    ['a list document naming HelmRelease', '- kind: HelmRelease\n  metadata: {name: a}\n', [], []],
    ['a scalar document naming HelmRelease', '"a HelmRelease"\n', [], []],
    ['items in a document without a kind', 'items:\n- kind: HelmRelease\n  metadata: {name: a}\n', [], []],
    ['a List whose items are not a list', 'kind: List\nitems: HelmRelease\n', [], []],
    [
      'a HelmRelease whose first key is a number',
      '1: a\nkind: HelmRelease\nmetadata: {name: a}\n',
      [['a', 0]],
      [],
    ],
    [
      'a HelmRelease whose first key is null',
      '~: a\nkind: HelmRelease\nmetadata: {name: a}\n',
      [],
      [
        [
          'error',
          1,
          'HelmRelease a could not be read as Flux v1 reads it (the mapping key ~ is null or too large, which ' +
            `Flux cannot read as a key); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a HelmRelease whose first key is a list',
      '[a]: b\nkind: HelmRelease\nmetadata: {name: a}\n',
      [],
      [
        [
          'error',
          1,
          'HelmRelease a could not be read as Flux v1 reads it (a mapping key is a map or a list, which Flux ' +
            `cannot read); ${NO_UPDATE}`,
        ],
      ],
    ],
    [
      'a byte order mark after a value ending in --- is inside the document',
      'kind: HelmRelease\nmetadata: {name: a}\nspec:\n  values:\n    x: ---\n\uFEFF    y: 1\n',
      [['a', 0]],
      [
        [
          'warning',
          6,
          'a byte-order mark (U+FEFF) starts this line inside a document; Flux reads past it, but this Action ' +
            'reads it as part of what follows: remove it',
        ],
      ],
    ],
  ])('%s', (_name, text, releases, expected) => {
    const scan = scanFile(FILE, text);
    expect(scan.releases.map((r) => [r.name, r.documentIndex])).toEqual(releases);
    expect(problems(text)).toEqual(expected);
  });
});

describe('scanFile: container order', () => {
  it('an alias named chart-image comes first, before a detected container whose name sorts before it', () => {
    const text = release(
      ['app:', '  image: repo/a:1', 'other: repo/c:2'],
      ['repository.fluxcd.io/chart-image: other'],
    );
    const scan = scanFile(FILE, text);
    expect(scan.releases.map((r) => r.containers.map((c) => [c.container, c.source]))).toEqual([
      [
        ['chart-image', 'alias'],
        ['app', 'detected'],
      ],
    ]);
    expect(scan.problems).toEqual([]);
  });
});

describe('scanFile: a subsection named chart-image', () => {
  const REPLACES =
    "spec.values.chart-image is named like the top-level image's container and replaces it, as in Flux v1: " +
    'the image at line 7 (repo/top:1.0.0) is not updated; rename the subsection to have both updated';
  it.each<[string, string[], string[], [string, string][], Expected[]]>([
    // name, values, annotations, containers (name, image), problems
    [
      'replaces the top-level image, as in Flux v1, with a warning at the subsection',
      ['image: repo/top:1.0.0', 'chart-image:', '  image: repo/sub:1.0.0'],
      [],
      [['chart-image', 'repo/sub:1.0.0']],
      [['warning', 8, REPLACES]],
    ],
    [
      'written before the top-level image: the same',
      ['chart-image:', '  image: repo/sub:1.0.0', 'image: repo/top:1.0.0'],
      [],
      [['chart-image', 'repo/sub:1.0.0']],
      [['warning', 7, REPLACES.replace('line 7', 'line 9')]],
    ],
    [
      'the top-level image as image and tag: the line of its tag is named',
      ['image: repo/top', 'tag: 1.0.0', 'chart-image: {image: repo/sub:1.0.0}'],
      [],
      [['chart-image', 'repo/sub:1.0.0']],
      [['warning', 9, REPLACES.replace('line 7 (repo/top:1.0.0)', 'line 8 (repo/top:1.0.0)')]],
    ],
    [
      'without a top-level image it is just a subsection',
      ['chart-image:', '  image: repo/sub:1.0.0', 'other: {image: repo/o:1.0.0}'],
      [],
      [
        ['chart-image', 'repo/sub:1.0.0'],
        ['other', 'repo/o:1.0.0'],
      ],
      [],
    ],
    [
      'an alias named chart-image replaces both (R4.4); the subsection still hid the top-level image',
      ['image: repo/top:1.0.0', 'chart-image:', '  image: repo/sub:1.0.0', 'x: repo/alias:1.0.0'],
      ['repository.fluxcd.io/chart-image: x'],
      [['chart-image', 'repo/alias:1.0.0']],
      [['warning', 10, REPLACES.replace('line 7', 'line 9')]],
    ],
  ])('%s', (_name, values, annotations, containers, expected) => {
    const text = release(values, annotations);
    const scan = scanFile(FILE, text);
    expect(scan.releases.map((r) => r.containers.map((c) => [c.container, c.reference.text]))).toEqual([
      containers,
    ]);
    expect(problems(text)).toEqual(expected);
  });
});

describe('scanFile: Lists', () => {
  /** `depth` Lists, each the only item of the one around it, around a HelmRelease named deep. */
  function nested(depth: number): string {
    const lines: string[] = [];
    for (let i = 0; i < depth; i += 1) {
      const indent = '  '.repeat(i);
      lines.push(`${indent}kind: List`, `${indent}items:`);
      if (i < depth - 1) lines.push(`${indent}-`);
    }
    const indent = '  '.repeat(depth);
    lines.push(
      `${indent.slice(2)}- kind: HelmRelease`,
      `${indent}metadata: {name: deep}`,
      `${indent}spec: {values: {image: repo/a:1}}`,
      '',
    );
    return lines.join('\n');
  }

  it.each<[number, number | undefined, Expected[]]>([
    [1, 0.5, []],
    [
      2,
      undefined,
      [
        [
          'warning',
          4,
          'this List inside a List is not read: Flux v1 took it as one resource and never looked at its items, ' +
            'so a HelmRelease there is not updated; move its items to the outer List',
        ],
      ],
    ],
  ])(
    'a HelmRelease inside %i nested Lists has position %s (Flux v1 opened only the outer List)',
    (depth, position, expected) => {
      const scan = scanFile(FILE, nested(depth));
      expect(scan.releases.map((r) => r.documentIndex)).toEqual(position === undefined ? [] : [position]);
      expect(problems(nested(depth))).toEqual(expected);
    },
  );

  // The warning is about a HelmRelease left out: a List inside a List that holds none (ConfigMaps,
  // say) has nothing to update, and is passed over quietly, as the README says.
  const NOT_READ =
    'this List inside a List is not read: Flux v1 took it as one resource and never looked at its items, ' +
    'so a HelmRelease there is not updated; move its items to the outer List';
  it.each<[string, string, Expected[]]>([
    [
      'a List of ConfigMaps inside a List: nothing to update, no warning',
      'kind: List\nitems:\n- kind: List\n  items:\n  - kind: ConfigMap\n    metadata: {name: a}\n',
      [],
    ],
    ['an empty List inside a List: no warning', 'kind: List\nitems:\n- kind: List\n  items: []\n', []],
    [
      'a HelmRelease three Lists down: the warning at the List inside the outer one',
      nested(3),
      [['warning', 4, NOT_READ]],
    ],
    ['a HelmRelease ten Lists down: still found', nested(10), [['warning', 4, NOT_READ]]],
    ['a HelmRelease eleven Lists down: still found', nested(11), [['warning', 4, NOT_READ]]],
    ['a HelmRelease 60 Lists down: still found', nested(60), [['warning', 4, NOT_READ]]],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it.each<[string, string, Expected]>([
    [
      'an empty map',
      '- {}\n',
      [
        'error',
        3,
        'Flux v1 cannot load this List (an item of items has no kind, and Flux v1 failed on the empty ' +
          'resource it made of it: give the item its kind, or remove it); no HelmRelease in it gets an ' +
          'update until this is fixed',
      ],
    ],
    [
      'a null',
      '- ~\n',
      [
        'error',
        3,
        'Flux v1 cannot load this List (an item of items has no kind, and Flux v1 failed on the empty ' +
          'resource it made of it: give the item its kind, or remove it); no HelmRelease in it gets an ' +
          'update until this is fixed',
      ],
    ],
    [
      'a HelmRelease whose spec is a list',
      '- kind: HelmRelease\n  spec: [a]\n',
      [
        'error',
        4,
        'Flux v1 cannot load this List (in an item of items, spec is a list, which Flux v1 reads into a ' +
          'HelmRelease as a map: write it as a map, or remove it); no HelmRelease in it gets an update ' +
          'until this is fixed',
      ],
    ],
  ])('an item Flux v1 failed on (%s) holds every HelmRelease of its List', (_name, bad, expected) => {
    const text = `kind: List\nitems:\n${bad}- kind: HelmRelease\n  metadata: {name: a}\n  spec: {values: {image: repo/a:1}}\n`;
    expect(scanFile(FILE, text).releases).toEqual([]);
    expect(problems(text)).toEqual([expected]);
  });

  it("gives each item a position between its document's index and the next, in order", () => {
    const item = (name: string) => [`- kind: HelmRelease`, `  metadata: {name: ${name}}`];
    const text = [
      'kind: ConfigMap',
      'data: {a: HelmRelease}',
      '---',
      'kind: List',
      'items:',
      ...item('one'),
      '- kind: ConfigMap',
      '- kind: Secret',
      ...item('two'),
      '- kind: List',
      '  items: [{kind: ConfigMap}]',
      '',
    ].join('\n');
    expect(scanFile(FILE, text).releases.map((r) => [r.name, r.documentIndex])).toEqual([
      ['one', 1 + 1 / 6],
      ['two', 1 + 4 / 6],
    ]);
    expect(problems(text)).toEqual([]);
  });

  it('a document without a kind is not a List', () => {
    expect(scanFile(FILE, 'items:\n- kind: HelmRelease\n  metadata: {name: a}\n').releases).toEqual([]);
  });
});

// Flux v1 read each item of a List as a resource of its own, with its own annotations only: a lock or
// a filter on the List's metadata was ignored, and every release in it updated as if unwritten.
describe("scanFile: Flux annotations on a List's own metadata", () => {
  const list = (listMetadata: string[], oneAnnotations = '{fluxcd.io/automated: "true"}') =>
    [
      'apiVersion: v1',
      'kind: List',
      'metadata:',
      ...listMetadata.map((line) => `  ${line}`),
      'items:',
      '- apiVersion: helm.fluxcd.io/v1',
      '  kind: HelmRelease',
      '  metadata:',
      '    name: one',
      `    annotations: ${oneAnnotations}`,
      '  spec:',
      '    values:',
      '      image: repo/one:1.0',
      '- apiVersion: helm.fluxcd.io/v1',
      '  kind: HelmRelease',
      '  metadata:',
      '    name: two',
      '    annotations: {fluxcd.io/automated: "true"}',
      '  spec:',
      '    values:',
      '      image: repo/two:1.0',
      '',
    ].join('\n');
  const held = (key: string, where = 'annotations') =>
    `${key} is under the List's metadata.${where}, but Flux v1 reads each item's own metadata.annotations and ` +
    "never the List's, so the HelmReleases in it would be updated as if it were not written; move it to the " +
    'metadata.annotations of each HelmRelease it is for, or remove it';
  const HELD =
    '; the HelmReleases in this List without it in their own annotations get no update until it is fixed';

  const nothing = (key: string) =>
    `${key} is under the List's metadata.annotations, but Flux v1 reads each item's own metadata.annotations ` +
    "and never the List's, so it does nothing there; move it to the metadata.annotations of each HelmRelease " +
    'it is for, or remove it';

  it.each<[string, string[], Expected[], string[], string | undefined]>([
    [
      'a lock',
      ['annotations:', '  fluxcd.io/locked: "true"'],
      [['error', 5, held('fluxcd.io/locked') + HELD]],
      ['one', 'two'],
      undefined,
    ],
    [
      'a filter',
      ['annotations:', '  filter.fluxcd.io/chart-image: semver:~1.0'],
      [['error', 5, held('filter.fluxcd.io/chart-image') + HELD]],
      ['one', 'two'],
      undefined,
    ],
    [
      'a lock under labels',
      ['labels:', '  flux.weave.works/locked: "true"'],
      [['error', 5, held('flux.weave.works/locked', 'labels') + HELD]],
      ['one', 'two'],
      undefined,
    ],
    [
      'automated, which could only widen (said for an item without it)',
      ['annotations:', '  fluxcd.io/automated: "true"'],
      [['warning', 5, nothing('fluxcd.io/automated')]],
      [],
      '{}',
    ],
    [
      'a lock that is off',
      ['annotations:', '  fluxcd.io/locked: "false"'],
      [['warning', 5, nothing('fluxcd.io/locked')]],
      [],
      undefined,
    ],
    ['no Flux annotation', ['annotations:', '  team: a'], [], [], undefined],
  ])('%s', (_name, listMetadata, expected, heldNames, oneAnnotations) => {
    const scan = scanFile(FILE, list(listMetadata, oneAnnotations));
    expect(scan.problems.map((p) => [p.severity, p.line, p.message])).toEqual(expected);
    expect(scan.releases.map((r) => r.name)).toEqual(['one', 'two']);
    expect(scan.releases.filter((r) => r.policies.blocked !== undefined).map((r) => r.name)).toEqual(
      heldNames,
    );
  });

  it('an item that holds the same annotation itself reads it from there, and is not held', () => {
    const text = list(
      ['annotations:', '  filter.fluxcd.io/chart-image: semver:~1.0'],
      '{fluxcd.io/automated: "true", filter.fluxcd.io/chart-image: "semver:~1.0"}',
    );
    const scan = scanFile(FILE, text);
    expect(scan.releases.filter((r) => r.policies.blocked !== undefined).map((r) => r.name)).toEqual(['two']);
    expect(scan.problems.map((p) => [p.severity, p.line])).toEqual([['error', 5]]);
  });
});

describe('scanFile: anchors and aliases across a document', () => {
  /** A List of two HelmReleases, `one` with `values` and `two` with `other`, an item each. */
  function list(values: string[], other: string[], before: string[] = []): string {
    const item = (name: string, lines: string[]) => [
      '- kind: HelmRelease',
      `  metadata: {name: ${name}}`,
      '  spec:',
      '    values:',
      ...lines.map((l) => `      ${l}`),
    ];
    return ['kind: List', ...before, 'items:', ...item('one', values), ...item('two', other), ''].join('\n');
  }
  const TAG_ALIAS = (where: string, anchor: string) =>
    `${where} is a YAML alias (*${anchor}); aliases are not followed, so it is ignored and the image counts as ` +
    'untagged (write the tag itself here, and where the anchor is, to have both updated: an anchored tag an ' +
    'alias reads is never edited)';

  it.each<[string, string, Expected[], [string, string, string | undefined][]]>([
    [
      "an alias naming an earlier item's anchor is read as yaml.v2 reads the List (one document)",
      list(['image: repo/a', 'tag: &t "1.0"'], ['image: repo/a', 'tag: *t']),
      [['warning', 14, TAG_ALIAS('spec.values.tag', 't')]],
      [
        ['one', 'repo/a:1.0', 't'],
        ['two', 'repo/a', undefined],
      ],
    ],
    [
      'an anchor before the items (in the List itself)',
      list(['image: repo/a', 'tag: *t'], ['image: repo/b:1'], ['defaults: {tag: &t "1.0"}']),
      [['warning', 9, TAG_ALIAS('spec.values.tag', 't')]],
      [
        ['one', 'repo/a', undefined],
        ['two', 'repo/b:1', undefined],
      ],
    ],
    [
      'a merge key naming an earlier item’s map: the map is the anchored one',
      list(['app: &app {image: repo/a:1}'], ['web:', '  <<: *app']),
      [
        [
          'warning',
          13,
          'spec.values.web uses a YAML merge key (<<), which is not followed, to bring in image settings; images it brings in are not updated',
        ],
      ],
      [
        ['one', 'repo/a:1', 'app'],
        ['two', '', undefined],
      ],
    ],
  ])('%s', (_name, text, expected, containers) => {
    const scan = scanFile(FILE, text);
    expect(problems(text)).toEqual(expected);
    const read = scan.releases.map((r) => [
      r.name,
      r.containers[0]?.reference.text ?? '',
      r.containers[0]?.sharedAnchor?.anchor,
    ]);
    expect(read).toEqual(containers);
  });

  it.each<[string, string[], string[], Expected[]]>([
    [
      'a subsection that is an alias of a map with an image is named, and a filter on it says why it names no container',
      ['worker: &img', '  image: repo/a', '  tag: 1.0.0', 'web: *img'],
      ['filter.fluxcd.io/web: semver:~1.0'],
      [
        [
          'warning',
          12,
          'spec.values.web is a YAML alias (*img); aliases are not followed, so container web is not detected, and ' +
            "the image of the map anchored &img is not updated while the alias reuses it (write web's values out in full to have both updated)",
        ],
        [
          'error',
          6,
          'filter.fluxcd.io/web names no container of this HelmRelease (spec.values.web is a YAML alias, *img, ' +
            'which is not followed: write its values out), so the container it was meant for would get any tag ' +
            `(glob:*); its containers are: worker; ${BLOCKED}`,
        ],
      ],
    ],
    [
      'an alias of a map without an image is no container for Flux either: nothing to say',
      ['defaults: &d {replicas: 2}', 'web: *d', 'image: repo/a:1'],
      [],
      [],
    ],
  ])('%s', (_name, values, annotations, expected) => {
    expect(problems(release(values, annotations))).toEqual(expected);
  });
});
