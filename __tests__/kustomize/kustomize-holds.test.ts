/**
 * A kustomization's commonAnnotations, patches and components that lock, ignore or filter the
 * HelmReleases it builds hold those releases back: files are read as written, so otherwise their
 * images were updated although the object Kustomize builds (and the cluster runs) says they must
 * not be. Each case is a base + overlay tree; the result names the releases held and the errors.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { ReleasePolicies } from '../../src/helmrelease/types.js';
import { holdKustomizedReleases } from '../../src/kustomize/kustomize-holds.js';
import { readKustomizeFiles } from '../../src/kustomize/read-kustomize-files.js';
import { patchDocument } from '../../test-support/helmrelease/flux-v1-documents.js';
import { APP, hold, OTHER, overlay, PROD, release, UNREADABLE, workspace } from './support.js';

/** The operations of an inline JSON6902 patch that locks its target, as written under `patch: |`. */
const LOCK_OPS = [
  '      - op: add',
  '        path: /metadata/annotations/fluxcd.io~1locked',
  '        value: "true"',
];

/** The overlay lines of one `patches` entry for `target` (a flow map) with an inline patch of these lines. */
function inlinePatch(target: string, ...patch: string[]): string[] {
  return ['patches:', `  - target: ${target}`, '    patch: |', ...patch];
}

/** [case, the overlay and other files, releases held, [file, line, text the error holds][]]. */
const CASES: [string, Record<string, string>, string[], [string, number, string][]][] = [
  [
    'commonAnnotations that lock: every release the overlay builds',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/locked: "true"') },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'fluxcd.io/locked in commonAnnotations of clusters/prod/kustomization.yaml is for HelmReleases',
      ],
    ],
  ],
  [
    'commonAnnotations with an old-form ignore',
    { [PROD]: overlay('commonAnnotations:', '  flux.weave.works/ignore: "true"') },
    [APP, OTHER],
    [[PROD, 6, 'flux.weave.works/ignore in commonAnnotations']],
  ],
  [
    'commonAnnotations with a tag filter',
    { [PROD]: overlay('commonAnnotations:', '  team: payments', '  fluxcd.io/tag.chart-image: glob:1.*') },
    [APP, OTHER],
    [[PROD, 7, 'fluxcd.io/tag.chart-image in commonAnnotations']],
  ],
  [
    'commonAnnotations with a minimum release age',
    { [PROD]: overlay('commonAnnotations:', '  helmrelease-image-updater.io/minimum-release-age: 3d') },
    [APP, OTHER],
    [[PROD, 6, 'helmrelease-image-updater.io/minimum-release-age in commonAnnotations']],
  ],
  [
    'a lock that means neither true nor false holds (fail safe)',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/locked: "treu"') },
    [APP, OTHER],
    [[PROD, 6, 'fluxcd.io/locked in commonAnnotations']],
  ],
  [
    'a misspelt lock holds',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/lock: "true"') },
    [APP, OTHER],
    [[PROD, 6, 'fluxcd.io/lock in commonAnnotations']],
  ],
  [
    'a lock written in commonLabels: meant as an annotation, it holds',
    { [PROD]: overlay('commonLabels:', '  team: payments', '  fluxcd.io/locked: "true"') },
    [APP, OTHER],
    [
      [
        PROD,
        7,
        `fluxcd.io/locked in commonLabels of ${PROD} (a label, which Flux v1 ignores: meant as an annotation) is for HelmReleases`,
      ],
    ],
  ],
  [
    'commonLabels without a Flux policy hold nothing, nor does automated among them',
    { [PROD]: overlay('commonLabels:', '  team: payments', '  fluxcd.io/automated: "false"') },
    [],
    [],
  ],
  // labels: is the newer commonLabels, a list of {pairs, includeSelectors, includeTemplates, fields}.
  [
    'a lock among the pairs of labels: meant as an annotation, it holds',
    {
      [PROD]: overlay(
        'labels:',
        '  - pairs: {team: payments}',
        '  - includeSelectors: false',
        '    pairs:',
        '      fluxcd.io/locked: "true"',
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        9,
        `fluxcd.io/locked in labels of ${PROD} (a label, which Flux v1 ignores: meant as an annotation) is for HelmReleases`,
      ],
    ],
  ],
  [
    'a filter among the pairs of labels holds the releases with its container',
    { [PROD]: overlay('labels:', '  - pairs:', '      filter.fluxcd.io/chart-image: semver:~1.0') },
    [APP, OTHER],
    [[PROD, 7, `filter.fluxcd.io/chart-image in labels of ${PROD} (a label`]],
  ],
  [
    'labels without a Flux policy hold nothing, nor does automated or a lock that is off among them',
    {
      [PROD]: overlay(
        'labels:',
        '  - pairs: {team: payments, fluxcd.io/automated: "false", fluxcd.io/locked: "false"}',
        '    includeSelectors: true',
      ),
    },
    [],
    [],
  ],
  [
    'Labels: in another case: Kustomize reads it, so it holds',
    { [PROD]: overlay('Labels:', '  - pairs: {fluxcd.io/locked: "true"}') },
    [APP, OTHER],
    [[PROD, 5, 'Kustomize reads Labels as labels (it matches field names in any case)']],
  ],
  [
    'Pairs: of a labels entry in another case: Kustomize reads it, so it holds',
    { [PROD]: overlay('labels:', '  - Pairs: {fluxcd.io/locked: "true"}') },
    [APP, OTHER],
    [[PROD, 6, 'Kustomize reads Pairs in a labels entry as pairs (it matches field names in any case)']],
  ],
  [
    'a misspelt pairs of a labels entry holds',
    { [PROD]: overlay('labels:', '  - pair: {fluxcd.io/locked: "true"}') },
    [APP, OTHER],
    [[PROD, 6, 'pair is no field of a labels entry (did you mean pairs?)']],
  ],
  [
    'a JSON6902 patch adding a lock label holds the release it targets',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - op: add',
          '        path: /metadata/labels/fluxcd.io~1locked',
          '        value: "true"',
        ),
      ),
    },
    [APP],
    [
      [
        PROD,
        8,
        `fluxcd.io/locked in a patch in ${PROD} (a label, which Flux v1 ignores: meant as an annotation) is for HelmRelease ${APP}`,
      ],
    ],
  ],
  [
    'a JSON6902 patch replacing the labels map with a filter in it holds',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - op: replace',
          '        path: /metadata/labels',
          '        value: {team: x, filter.fluxcd.io/chart-image: "semver:~1.0"}',
        ),
      ),
    },
    [APP],
    [[PROD, 8, `filter.fluxcd.io/chart-image in a patch in ${PROD} (a label`]],
  ],
  [
    'a strategic merge patch writing a lock under metadata.labels holds the release it names',
    {
      [PROD]: overlay(
        'patches:',
        '  - patch: |',
        '      apiVersion: helm.fluxcd.io/v1',
        '      kind: HelmRelease',
        '      metadata:',
        '        name: other',
        '        namespace: apps',
        '        labels:',
        '          fluxcd.io/ignore: "true"',
      ),
    },
    [OTHER],
    [
      [
        PROD,
        13,
        `fluxcd.io/ignore in a patch in ${PROD} (a label, which Flux v1 ignores: meant as an annotation)`,
      ],
    ],
  ],
  [
    'a patch writing labels without a Flux policy holds nothing',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - op: add',
          '        path: /metadata/labels/team',
          '        value: payments',
        ),
      ),
    },
    [],
    [],
  ],
  [
    'unrelated commonAnnotations hold nothing',
    { [PROD]: overlay('commonAnnotations:', '  team: payments') },
    [],
    [],
  ],
  [
    'values that do not narrow hold nothing',
    {
      [PROD]: overlay(
        'commonAnnotations:',
        '  fluxcd.io/locked: "false"',
        '  fluxcd.io/automated: "true"',
        '  fluxcd.io/ignore: sync_only',
        '  helmrelease-image-updater.io/minimum-release-age: "0"',
      ),
    },
    [],
    [],
  ],
  [
    'a kustomization that does not build the base holds nothing',
    {
      [PROD]: 'resources:\n  - ../../apps/other\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
      'apps/other/cm.yaml': 'kind: ConfigMap\n',
    },
    [],
    [],
  ],
  [
    'a resource that is one file: only its release (no apiVersion or kind)',
    { [PROD]: 'resources:\n  - ../../apps/base/app.yaml\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n' },
    [APP],
    [[PROD, 4, `fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmRelease ${APP}:`]],
  ],
  [
    'kustomization.yml and Kustomization are kustomizations too, through a folder that has one',
    {
      [PROD]: 'resources:\n  - ../staging\n',
      'clusters/staging/Kustomization':
        'resources:\n  - ../../apps/base\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
      'clusters/dev/kustomization.yml':
        'resources:\n  - ../../apps/base/other.yaml\ncommonAnnotations:\n  fluxcd.io/ignore: "true"\n',
    },
    [APP, OTHER],
    [
      [
        'clusters/dev/kustomization.yml',
        4,
        `fluxcd.io/ignore in commonAnnotations of clusters/dev/kustomization.yml is for HelmRelease ${OTHER}`,
      ],
      ['clusters/staging/Kustomization', 4, `is for HelmReleases ${APP}, ${OTHER}`],
    ],
  ],
  [
    "Flux's own Kustomization is not a kustomization",
    {
      'clusters/prod/kustomization.yaml':
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  annotations:\n    fluxcd.io/locked: "true"\nspec:\n  path: ./apps/base\n',
    },
    [],
    [],
  ],
  [
    'an inline JSON6902 patch: only the release its target names, at the operation',
    {
      [PROD]: overlay(
        'patches:',
        '  - target:',
        '      kind: HelmRelease',
        '      name: app',
        '    patch: |',
        ...LOCK_OPS,
      ),
    },
    [APP],
    [[PROD, 10, `fluxcd.io/locked in a patch in ${PROD} is for HelmRelease ${APP}`]],
  ],
  [
    'an inline JSON6902 patch that unlocks, keeping automated, holds nothing',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - op: replace',
          '        path: /metadata/annotations',
          '        value: {fluxcd.io/locked: "false", fluxcd.io/automated: "true"}',
        ),
      ),
    },
    [],
    [],
  ],
  [
    'a JSON6902 patch for another kind holds nothing',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: Deployment}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
        ),
      ),
    },
    [],
    [],
  ],
  [
    'a target name is an anchored regular expression',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{name: "ap|oth.*"}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
        ),
      ),
    },
    [OTHER],
    [[PROD, 8, `is for HelmRelease ${OTHER}`]],
  ],
  [
    'a target of another namespace holds nothing',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, namespace: staging}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
        ),
      ),
    },
    [],
    [],
  ],
  [
    'a target matches the name the overlay gives the release (namePrefix)',
    {
      [PROD]: overlay(
        'namePrefix: prod-',
        'namespace: prod',
        ...inlinePatch(
          '{kind: HelmRelease, name: prod-app, namespace: prod}',
          '      - {op: add, path: /metadata/annotations/filter.fluxcd.io~1chart-image, value: "semver:~1.0"}',
        ),
      ),
    },
    [APP],
    [[PROD, 10, 'filter.fluxcd.io/chart-image in a patch']],
  ],
  [
    'a labelSelector is not evaluated: every HelmRelease the rest of the target matches, saying so',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, labelSelector: "tier=web"}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
        ),
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        8,
        "its target's selector (tier=web) is not evaluated here, so every HelmRelease it may be for is held",
      ],
    ],
  ],
  [
    'an inline strategic merge patch: the release it names',
    {
      [PROD]: overlay(
        'patches:',
        '  - patch: |',
        '      apiVersion: helm.fluxcd.io/v1',
        '      kind: HelmRelease',
        '      metadata:',
        '        name: other',
        '        annotations:',
        '          fluxcd.io/locked: "true"',
      ),
    },
    [OTHER],
    [[PROD, 12, `fluxcd.io/locked in a patch in ${PROD} is for HelmRelease ${OTHER}`]],
  ],
  [
    'patchesStrategicMerge written inline',
    {
      [PROD]: overlay(
        'patchesStrategicMerge:',
        '  - |-',
        '    kind: HelmRelease',
        '    metadata: {name: app, annotations: {fluxcd.io/ignore: "true"}}',
      ),
    },
    [APP],
    [[PROD, 8, 'fluxcd.io/ignore in a patch']],
  ],
  [
    'patchesJson6902 with an ops file: the error at the entry, naming the file',
    {
      [PROD]: overlay(
        'patchesJson6902:',
        '  - target: {kind: HelmRelease, name: other}',
        '    path: lock.yaml',
      ),
      'clusters/prod/lock.yaml':
        '- op: add\n  path: /metadata/annotations/fluxcd.io~1locked\n  value: "true"\n',
    },
    [OTHER],
    [[PROD, 6, `fluxcd.io/locked in lock.yaml, a patch in ${PROD} is for HelmRelease ${OTHER}`]],
  ],
  [
    'a patch file that is missing holds what it may be for, saying so',
    { [PROD]: overlay('patches:', '  - path: lock.yaml', '    target: {kind: HelmRelease, name: app}') },
    [APP],
    [[PROD, 6, 'the patch lock.yaml in clusters/prod/kustomization.yaml may lock or filter HelmRelease']],
  ],
  [
    'a strategic merge patch file the scan reads is left to patched-releases (one error, at the patch)',
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - lock-app.yaml'),
      'clusters/prod/lock-app.yaml':
        'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: apps\n  annotations:\n    fluxcd.io/locked: "true"\n',
    },
    [APP],
    [['clusters/prod/lock-app.yaml', 7, 'reads as a Kustomize patch']],
  ],
  [
    "a local component's commonAnnotations: the error at the component",
    {
      [PROD]: overlay('components:', '  - ../../components/locked'),
      'components/locked/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
    },
    [APP, OTHER],
    [
      [
        'components/locked/kustomization.yaml',
        4,
        'fluxcd.io/locked in commonAnnotations of components/locked/kustomization.yaml is for HelmReleases',
      ],
    ],
  ],
  [
    'a remote component may lock anything it builds',
    { [PROD]: overlay('components:', '  - https://github.com/org/repo//components/x?ref=v1') },
    [APP, OTHER],
    [[PROD, 6, 'it is fetched from elsewhere and not read here']],
  ],
  [
    'remote resources and paths out of the workspace hold nothing and break nothing',
    {
      [PROD]:
        'resources:\n  - github.com/org/repo/apps?ref=v1\n  - ../../../outside\n  - /etc\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
    },
    [],
    [],
  ],
  [
    'kustomizations that include each other are walked once',
    {
      'clusters/a/kustomization.yaml':
        'resources:\n  - ../b\n  - ../../apps/base/app.yaml\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
      'clusters/b/kustomization.yaml': 'resources:\n  - ../a\n',
    },
    [APP],
    [['clusters/a/kustomization.yaml', 5, `is for HelmRelease ${APP}:`]],
  ],
  [
    'a kustomization that is not valid YAML but may lock: what it seems to list, saying so',
    { [PROD]: 'resources:\n  - ../../apps/base/other.yaml\ncommonAnnotations:\n  fluxcd.io/locked: "true\n' },
    [OTHER],
    // The error is where the parser found the quote unclosed: the end of the file.
    [[PROD, 5, `${PROD}, which could not be read (it is not valid YAML: `]],
  ],
  [
    'a kustomization that is not valid YAML and names no policy holds nothing',
    { [PROD]: 'resources:\n  - "../../apps/base\n' },
    [],
    [],
  ],
  [
    'a kustomization the workspace cannot read: every release of the workspace (none of its text is known)',
    { 'apps/base/kustomization.yaml': UNREADABLE },
    [APP, OTHER],
    [
      [
        'apps/base/kustomization.yaml',
        1,
        'which could not be read (it is larger than 1 MiB), may lock or filter HelmReleases',
      ],
    ],
  ],
  [
    'commonAnnotations that turn automation off (only automated releases are updated)',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/automated: "false"') },
    [APP, OTHER],
    [[PROD, 6, 'fluxcd.io/automated in commonAnnotations']],
  ],
  [
    'a JSON6902 patch that removes the automated annotation',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - {op: remove, path: /metadata/annotations/fluxcd.io~1automated}',
        ),
      ),
    },
    [APP],
    [[PROD, 8, `fluxcd.io/automated (removed) in a patch in ${PROD} is for HelmRelease ${APP}`]],
  ],
  [
    'a JSON6902 patch that replaces the annotations without automated',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - {op: replace, path: /metadata/annotations, value: {team: web}}',
        ),
      ),
    },
    [APP],
    [[PROD, 8, 'fluxcd.io/automated (removed) in a patch']],
  ],
  [
    'a release that is not updated anyway is neither held nor named',
    {
      [PROD]: overlay('commonAnnotations:', '  fluxcd.io/locked: "true"'),
      'apps/base/other.yaml': release('other', 'redis:1.0').replace(
        'fluxcd.io/automated: "true"',
        'fluxcd.io/locked: "true"',
      ),
    },
    [APP],
    [[PROD, 6, `fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmRelease ${APP}:`]],
  ],
  // Flux v1's kustomize example: each overlay's flux-patch.yaml writes its annotations beside its
  // own images, which replace the base's in what Kustomize builds (and Flux updated them there).
  [
    "a patch file's lock beside its own image: the base's image does not reach the overlay",
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - flux-patch.yaml'),
      'clusters/prod/flux-patch.yaml': patchDocument(['fluxcd.io/locked: "true"'], ['image: nginx:1.1']),
    },
    [],
    [],
  ],
  [
    "a patch file's filter for the container whose image it writes holds nothing",
    {
      [PROD]: overlay('patches:', '  - path: flux-patch.yaml'),
      'clusters/prod/flux-patch.yaml': patchDocument(
        ['fluxcd.io/tag.chart-image: semver:~1.1'],
        ['image: nginx:1.1'],
      ),
    },
    [],
    [],
  ],
  [
    "a patch file's lock beside an image for another container still holds the base's",
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - flux-patch.yaml'),
      'clusters/prod/flux-patch.yaml': patchDocument(
        ['fluxcd.io/locked: "true"'],
        ['sidecar:', '  image: busybox:1.0'],
      ),
    },
    [APP],
    [[PROD, 6, `fluxcd.io/locked in flux-patch.yaml, a patch in ${PROD} is for HelmRelease ${APP}`]],
  ],
  [
    "a patch file's image without a tag leaves the base's tag: its lock holds the base",
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - flux-patch.yaml'),
      'clusters/prod/flux-patch.yaml': patchDocument(
        ['fluxcd.io/locked: "true"'],
        ['image:', '  repository: mirror.example.com/nginx'],
      ),
    },
    [APP],
    [
      [
        'clusters/prod/flux-patch.yaml',
        7,
        'fluxcd.io/locked in clusters/prod/flux-patch.yaml is for HelmRelease',
      ],
    ],
  ],
  [
    "a patch file's filter for a container it does not write, beside its own image, holds the base's",
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - flux-patch.yaml'),
      'clusters/prod/flux-patch.yaml': patchDocument(
        ['fluxcd.io/tag.chart-image: semver:~1.1'],
        ['sidecar:', '  image: busybox:1.0'],
      ),
    },
    // The patch's own document is held by the scan: its filter names no container it has.
    [APP, 'apps/app in clusters/prod/flux-patch.yaml'],
    [[PROD, 6, 'fluxcd.io/tag.chart-image in flux-patch.yaml']],
  ],
  // An overlay's values pin the tag (Flux v2 overlays write spec.chart too): the base's tag is
  // not the one deployed there.
  [
    'a values patch that pins the tag: its lock holds nothing of the tag it writes',
    {
      'apps/base/app.yaml': release('app', '{repository: nginx, tag: "1.0"}'),
      [PROD]: overlay('patches:', '  - path: values.yaml'),
      'clusters/prod/values.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata:',
        '  name: app',
        '  namespace: apps',
        '  annotations:',
        '    fluxcd.io/locked: "true"',
        'spec:',
        '  chart:',
        '    spec:',
        '      version: ">=1.0.0"',
        '  values:',
        '    image:',
        '      tag: "1.1"',
        '',
      ].join('\n'),
    },
    [],
    [],
  ],
  [
    'an inline JSON6902 patch that replaces the tag beside its filter holds nothing',
    {
      'apps/base/app.yaml': release('app', '{repository: nginx, tag: "1.0"}'),
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1tag.chart-image, value: "semver:~1.1"}',
          '      - {op: replace, path: /spec/values/image/tag, value: "1.1.0"}',
        ),
      ),
    },
    [],
    [],
  ],
  [
    "a JSON6902 patch that writes only the repository still holds the base's tag",
    {
      'apps/base/app.yaml': release('app', '{repository: nginx, tag: "1.0"}'),
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - {op: add, path: /metadata/annotations/fluxcd.io~1locked, value: "true"}',
          '      - {op: replace, path: /spec/values/image/repository, value: mirror.example.com/nginx}',
        ),
      ),
    },
    [APP],
    [[PROD, 8, `fluxcd.io/locked in a patch in ${PROD} is for HelmRelease ${APP}`]],
  ],
  [
    'a glob:* filter lets every tag through, as no filter does: it holds nothing',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/tag.chart-image: "glob:*"') },
    [],
    [],
  ],
  [
    "an overlay's patch that loosens a filter to glob:* holds nothing",
    {
      [PROD]: overlay('patchesStrategicMerge:', '  - loosen.yaml'),
      'clusters/prod/loosen.yaml': patchDocument(['filter.fluxcd.io/chart-image: glob:*'], []),
    },
    [],
    [],
  ],
  // A filter naming no container of any release is a mistake (a misspelt name): read as written,
  // the container it was meant for would get any tag, so it holds what it is put on, as in the
  // release's own file.
  // Kustomize matches its fields in any case and refuses unknown ones: a field written otherwise is
  // a lock this Action would not see, or an overlay Kustomize cannot build until it is fixed.
  [
    'commonAnnotations in another case: Kustomize reads it, so it holds',
    { [PROD]: overlay('CommonAnnotations:', '  fluxcd.io/locked: "true"') },
    [APP, OTHER],
    [
      [
        PROD,
        5,
        `${PROD}, which could not be read (Kustomize reads CommonAnnotations as commonAnnotations (it matches ` +
          'field names in any case), but this Action reads only commonAnnotations)',
      ],
    ],
  ],
  [
    'a misspelt commonAnnotations: Kustomize cannot build it, so it holds',
    { [PROD]: overlay('commonAnnotation:', '  fluxcd.io/locked: "true"') },
    [APP, OTHER],
    [
      [
        PROD,
        5,
        `${PROD}, which could not be read (commonAnnotation is no field of a kustomization (did you mean ` +
          'commonAnnotations?), so Kustomize cannot build it)',
      ],
    ],
  ],
  [
    'a misspelt patches field holds',
    {
      [PROD]: overlay('patchs:', '  - target: {kind: HelmRelease, name: app}', '    patch: |', ...LOCK_OPS),
    },
    [APP, OTHER],
    [[PROD, 5, 'patchs is no field of a kustomization (did you mean patches?)']],
  ],
  [
    "a patch entry's Target: in another case: Kustomize reads it, so it holds",
    {
      [PROD]: overlay('patches:', '  - Target: {kind: HelmRelease, name: app}', '    patch: |', ...LOCK_OPS),
    },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'clusters/prod/kustomization.yaml, which could not be read (Kustomize reads Target in a patch entry as target (it matches field names in any case), but this Action reads only target)',
      ],
    ],
  ],
  [
    "a patch entry's Patch: in another case holds",
    {
      [PROD]: overlay('patches:', '  - target: {kind: HelmRelease, name: app}', '    Patch: |', ...LOCK_OPS),
    },
    [APP, OTHER],
    [
      [
        PROD,
        7,
        'Kustomize reads Patch in a patch entry as patch (it matches field names in any case), but this Action reads only patch), may lock or filter',
      ],
    ],
  ],
  [
    "a patch entry's Path: in another case holds (patchesJson6902 too)",
    {
      [PROD]: overlay(
        'patchesJson6902:',
        '  - target: {kind: HelmRelease, name: app}',
        '    Path: lock.yaml',
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        7,
        '(Kustomize reads Path in a patch entry as path (it matches field names in any case), but this Action reads only path), may lock or filter HelmReleases ' +
          `${APP}, ${OTHER}: files are read as written`,
      ],
    ],
  ],
  [
    "a target's Kind: in another case holds",
    {
      [PROD]: overlay(
        'patches:',
        '  - target:',
        '      Kind: HelmRelease',
        '      name: other',
        '    patch: |',
        ...LOCK_OPS,
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        7,
        "Kustomize reads Kind in a patch's target as kind (it matches field names in any case), but this Action reads only kind",
      ],
    ],
  ],
  [
    "a target's Name: in another case holds",
    {
      [PROD]: overlay(
        'patches:',
        '  - target:',
        '      kind: HelmRelease',
        '      Name: app',
        '    patch: |',
        ...LOCK_OPS,
      ),
    },
    [APP, OTHER],
    [[PROD, 8, "Kustomize reads Name in a patch's target as name"]],
  ],
  [
    'a misspelt target: Kustomize cannot build it, so it holds',
    {
      [PROD]: overlay('patches:', '  - taget: {kind: HelmRelease, name: app}', '    patch: |', ...LOCK_OPS),
    },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'taget is no field of a patch entry (did you mean target?), so Kustomize cannot build it), may lock or filter',
      ],
    ],
  ],
  [
    'a misspelt target field holds',
    {
      [PROD]: overlay(...inlinePatch('{kind: HelmRelease, names: app}', ...LOCK_OPS)),
    },
    [APP, OTHER],
    [[PROD, 6, "names is no field of a patch's target (did you mean name?)"]],
  ],
  [
    "a patch entry's options and a target's selectors are fields of theirs, no misspelling",
    {
      [PROD]: overlay(
        'patches:',
        '  - target: {kind: HelmRelease, name: app, labelSelector: team=x, annotationSelector: a=b}',
        '    options: {allowNameChange: true}',
        '    patch: |',
        '      - op: add',
        '        path: /metadata/annotations/fluxcd.io~1locked',
        '        value: "false"',
      ),
    },
    [],
    [],
  ],
  [
    'a field Kustomize has, or one far from any this Action reads, is no misspelling',
    {
      [PROD]: overlay(
        'commonLabels: {team: payments}',
        'helmChart: []',
        'commonAnnotations:',
        '  fluxcd.io/locked: "false"',
      ),
    },
    [],
    [],
  ],
  [
    'a filter for a container no release has holds every release it is put on',
    { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/tag.chart-imag: glob:1.*') },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'fluxcd.io/tag.chart-imag in commonAnnotations of clusters/prod/kustomization.yaml is for HelmReleases ' +
          `${APP}, ${OTHER}: Kustomize puts it on what it builds from ${PROD}, and files are read as written, not ` +
          'as Kustomize would build them (as Flux v1 did without a .flux.yaml); fluxcd.io/tag.chart-imag names no ' +
          'container of any HelmRelease (did you mean fluxcd.io/tag.chart-image?), so the container it was meant ' +
          'for would get any tag (glob:*); they get no update until',
      ],
    ],
  ],
  [
    'a filter naming no container, far from any there is: held, with no guess',
    { [PROD]: overlay('commonAnnotations:', '  filter.fluxcd.io/web: glob:1.*') },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'filter.fluxcd.io/web names no container of any HelmRelease, so the container it was meant for would get any tag (glob:*); they get',
      ],
    ],
  ],
  [
    'a misnamed filter in commonLabels gets the hint too',
    { [PROD]: overlay('commonLabels:', '  filter.fluxcd.io/chart-imag: glob:1.*') },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        'filter.fluxcd.io/chart-imag names no container of any HelmRelease (did you mean filter.fluxcd.io/chart-image?)',
      ],
    ],
  ],
  [
    'a lock beside a misnamed filter: the lock is shown, the filter is named with its hint',
    {
      [PROD]: overlay(
        'commonAnnotations:',
        '  fluxcd.io/locked: "true"',
        '  fluxcd.io/tag.chart-imag: glob:1.*',
      ),
    },
    [APP, OTHER],
    [
      [
        PROD,
        6,
        '(as Flux v1 did without a .flux.yaml); fluxcd.io/tag.chart-imag names no container of any HelmRelease (did you mean fluxcd.io/tag.chart-image?)',
      ],
    ],
  ],
  [
    'a patch of one release with a filter for a container it does not have holds it',
    {
      [PROD]: overlay(
        ...inlinePatch(
          '{kind: HelmRelease, name: app}',
          '      - op: add',
          '        path: /metadata/annotations/filter.fluxcd.io~1chart-imag',
          '        value: semver:~1.0',
        ),
      ),
    },
    [APP],
    [
      [
        PROD,
        8,
        `filter.fluxcd.io/chart-imag in a patch in ${PROD} is for HelmRelease ${APP}: Kustomize puts it on what ` +
          `it builds from ${PROD}, and files are read as written, not as Kustomize would build them (as Flux v1 ` +
          'did without a .flux.yaml); filter.fluxcd.io/chart-imag names no container of any HelmRelease (did you ' +
          'mean filter.fluxcd.io/chart-image?), so the container it was meant for would get any tag (glob:*); it gets',
      ],
    ],
  ],
  [
    'a filter for a container another release has holds only that release',
    {
      'apps/base/other.yaml': release('other', 'redis:1.0') + '    sidecar:\n      image: busybox:1.0\n',
      [PROD]: overlay('commonAnnotations:', '  fluxcd.io/tag.sidecar: glob:1.*'),
    },
    [OTHER],
    [[PROD, 6, `fluxcd.io/tag.sidecar in commonAnnotations of ${PROD} is for HelmRelease ${OTHER}`]],
  ],
  [
    "a filter on a dotted prefix of deep detection's names holds the release whose images it reaches",
    {
      'apps/base/other.yaml': release('other', 'redis:1.0')
        .replace('  annotations:\n', '  annotations:\n    helmrelease-image-updater.io/detection: deep\n')
        .replace('    image: redis:1.0\n', '    controllers:\n      main:\n        image: redis:1.0\n'),
      [PROD]: overlay('commonAnnotations:', '  filter.fluxcd.io/controllers: glob:1.*'),
    },
    [OTHER],
    [[PROD, 6, `filter.fluxcd.io/controllers in commonAnnotations of ${PROD} is for HelmRelease ${OTHER}`]],
  ],
  [
    'a filter for an alias declared beside it holds nothing of a release without it',
    {
      [PROD]: overlay(
        'commonAnnotations:',
        '  repository.fluxcd.io/sidecar: sidecar.image',
        '  fluxcd.io/tag.sidecar: glob:1.*',
      ),
    },
    [],
    [],
  ],
];

describe('holdKustomizedReleases', () => {
  it.each(CASES)('%s', async (_name, files, held, problems) => {
    const result = await hold(files);
    expect(result.held.sort()).toEqual([...held].sort());
    expect(result.problems.map((p) => [p.file, p.line, p.severity])).toEqual(
      problems.map(([f, l]) => [f, l, 'error']),
    );
    result.problems.forEach((p, i) => expect(p.message).toContain(problems[i][2]));
  });

  // Each hold has its error (above); the release keeps where the first is (its `blocked` says
  // that one's reason) and every other line that holds it too, so that explain can name them all.
  const STAGING = 'clusters/staging/kustomization.yaml';
  const LOCKING = ['commonAnnotations:', '  fluxcd.io/locked: "true"'];
  /** A Kustomize patch document (no spec.chart) locking apps/app. */
  const PATCH_LOCKING = patchDocument(['fluxcd.io/locked: "true"'], []);
  it.each<[string, Record<string, string>, Pick<ReleasePolicies, 'blockedAt' | 'alsoHeldAt'>]>([
    ['one overlay locking it', { [PROD]: overlay(...LOCKING) }, { blockedAt: { file: PROD, line: 6 } }],
    [
      'two overlays locking it: the first, and the other',
      { [PROD]: overlay(...LOCKING), [STAGING]: overlay(...LOCKING) },
      { blockedAt: { file: PROD, line: 6 }, alsoHeldAt: [{ file: STAGING, line: 6 }] },
    ],
    [
      'one overlay locking it in its commonAnnotations and filtering it in a patch: both lines',
      {
        [PROD]: overlay(
          ...LOCKING,
          'patches:',
          '  - target:',
          '      kind: HelmRelease',
          '      name: app',
          '    patch: |',
          '      - op: add',
          '        path: /metadata/annotations/filter.fluxcd.io~1chart-image',
          '        value: semver:~1.0',
        ),
      },
      { blockedAt: { file: PROD, line: 6 }, alsoHeldAt: [{ file: PROD, line: 12 }] },
    ],
    [
      'a patch document locking it, and an overlay: the patch, then the overlay',
      {
        'clusters/prod/app-patch.yaml': PATCH_LOCKING,
        [STAGING]: overlay(...LOCKING),
      },
      {
        blockedAt: { file: 'clusters/prod/app-patch.yaml', line: 7 },
        alsoHeldAt: [{ file: STAGING, line: 6 }],
      },
    ],
    [
      'two patch documents locking it, and an overlay: each patch, then the overlay',
      {
        'clusters/prod/app-patch.yaml': PATCH_LOCKING,
        'clusters/qa/app-patch.yaml': PATCH_LOCKING,
        [STAGING]: overlay(...LOCKING),
      },
      {
        blockedAt: { file: 'clusters/prod/app-patch.yaml', line: 7 },
        alsoHeldAt: [
          { file: 'clusters/qa/app-patch.yaml', line: 7 },
          { file: STAGING, line: 6 },
        ],
      },
    ],
    [
      'an unusable annotation in its own file, and an overlay: its own line, then the overlay',
      {
        'apps/base/app.yaml': release('app', 'nginx:1.0').replace(
          '"true"\n',
          '"true"\n    filter.fluxcd.io/chart-image: semver:~~1\n',
        ),
        [PROD]: overlay(...LOCKING),
      },
      { blockedAt: { file: 'apps/base/app.yaml', line: 8 }, alsoHeldAt: [{ file: PROD, line: 6 }] },
    ],
  ])('where the release is held: %s', async (_name, files, where) => {
    const { result } = await hold(files);
    const app = result.scans.find((s) => s.file === 'apps/base/app.yaml')!.releases[0].policies;
    expect({ blockedAt: app.blockedAt, alsoHeldAt: app.alsoHeldAt }).toEqual({
      blockedAt: where.blockedAt,
      alsoHeldAt: where.alsoHeldAt,
    });
  });

  it('turning automation off holds nothing when every release is updated (require-automated: false)', async () => {
    const { held, problems } = await hold(
      { [PROD]: overlay('commonAnnotations:', '  fluxcd.io/automated: "false"') },
      false,
    );
    expect([held, problems]).toEqual([[], []]);
  });

  it('says what holds, which releases, and how to fix it; the release says why it is held', async () => {
    const { problems, result } = await hold({
      [PROD]: 'resources:\n  - ../../apps/base/app.yaml\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n',
    });
    const opening =
      `fluxcd.io/locked in commonAnnotations of ${PROD} is for HelmRelease ${APP}: Kustomize puts it on what it ` +
      `builds from ${PROD}, and files are read as written, not as Kustomize would build them (as Flux v1 did ` +
      'without a .flux.yaml)';
    expect(problems.map((p) => p.message)).toEqual([
      `${opening}; it gets no update until the annotation is written in the release's own file, or taken out of the overlay`,
    ]);
    expect(result.scans.find((s) => s.file === 'apps/base/app.yaml')!.releases[0].policies.blocked).toBe(
      opening,
    );
  });

  it('a repository without kustomizations reads no other file and gives the scans back as they were', async () => {
    const tree = { 'apps/app.yaml': release('app', 'nginx:1.0'), 'docs/notes.md': '# notes\n' };
    const reads: string[] = [];
    const input = await readKustomizeFiles(
      Object.keys(tree),
      workspace(tree, reads),
      new Map(),
      () => undefined,
    );
    const scans = [scanFile('apps/app.yaml', tree['apps/app.yaml'])];
    const result = holdKustomizedReleases(scans, input, true);
    expect(reads).toEqual([]);
    expect(result.scans[0]).toBe(scans[0]);
    expect(result.problems).toEqual([]);
  });

  it('a kustomization that narrows nothing is the only file read, and gives the scans back as they were', async () => {
    const { reads, result, scans } = await hold({});
    expect(reads).toEqual(['apps/base/kustomization.yaml']);
    expect(result.scans.map((s, i) => s === scans[i])).toEqual([true, true]);
  });

  it('a kustomization listing more resources than the bound holds every release of the workspace, saying so', async () => {
    const paths = Array.from({ length: 10_001 }, (_, i) => `  - cm-${i}.yaml`).join('\n');
    const configMaps = Object.fromEntries(
      Array.from({ length: 10_001 }, (_, i) => [`wide/cm-${i}.yaml`, 'kind: ConfigMap\n']),
    );
    const { held, problems } = await hold({
      'wide/kustomization.yaml': `resources:\n${paths}\ncommonAnnotations:\n  fluxcd.io/locked: "true"\n`,
      'wide/app.yaml': release('wide', 'nginx:1.0'),
      ...configMaps,
    });
    // What the resources past the bound build is not known: they may be anywhere.
    expect(held.sort()).toEqual([APP, OTHER, 'apps/wide in wide/app.yaml']);
    expect(problems.map((p) => [p.file, p.line])).toEqual([['wide/kustomization.yaml', 10_004]]);
    expect(problems[0].message).toContain(
      'it reaches more than 10,000 resources, so every HelmRelease it may be for is held',
    );
  });

  it('a chain of kustomizations deeper than the bound holds every release of the workspace, saying so', async () => {
    const chain: Record<string, string> = {};
    for (let i = 0; i < 25; i += 1) chain[`deep/k${i}/kustomization.yaml`] = `resources:\n  - ../k${i + 1}\n`;
    chain['deep/k0/kustomization.yaml'] += 'commonAnnotations:\n  fluxcd.io/locked: "true"\n';
    chain['deep/k0/app.yaml'] = release('deep', 'nginx:1.0');
    chain['deep/k25/kustomization.yaml'] = 'resources: []\n';
    const { held, problems } = await hold(chain);
    expect(held.sort()).toEqual([APP, OTHER, 'apps/deep in deep/k0/app.yaml'].sort());
    expect(problems.map((p) => [p.file, p.line])).toEqual([['deep/k0/kustomization.yaml', 4]]);
    expect(problems[0].message).toContain(
      'kustomizations include each other more than 20 deep, so every HelmRelease it may be for is held',
    );
  });
});

/**
 * A patch that narrows and names the release it is for, whose target selects none of the
 * HelmReleases its kustomization builds: Kustomize puts it on nothing, so it holds nothing, and a
 * warning at the patch says so rather than let the lock its author believes in pass in silence.
 */
describe('holdKustomizedReleases: a patch whose target selects no HelmRelease', () => {
  it.each<[string, Record<string, string>, [string, number, string][]]>([
    [
      'a misspelt name: a warning at the patch, listing what the kustomization builds',
      { [PROD]: overlay(...inlinePatch('{kind: HelmRelease, name: ap}', ...LOCK_OPS)) },
      [
        [
          PROD,
          8,
          `fluxcd.io/locked in a patch in ${PROD} selects no HelmRelease that ${PROD} builds (it builds app, ` +
            "other), so Kustomize puts it on nothing and it holds nothing; check the name in the patch's target " +
            '(or in the patch)',
        ],
      ],
    ],
    [
      'a strategic merge patch naming no release it builds',
      {
        [PROD]: overlay(
          'patches:',
          '  - patch: |',
          '      apiVersion: helm.fluxcd.io/v1',
          '      kind: HelmRelease',
          '      metadata:',
          '        name: ap',
          '        namespace: apps',
          '        annotations:',
          '          fluxcd.io/locked: "true"',
        ),
      },
      [[PROD, 13, `fluxcd.io/locked in a patch in ${PROD} selects no HelmRelease that ${PROD} builds`]],
    ],
    [
      'a name that selects a release: it holds, no warning',
      { [PROD]: overlay(...inlinePatch('{name: app}', ...LOCK_OPS)) },
      [],
    ],
    [
      'a target of another kind names no HelmRelease: nothing to say',
      { [PROD]: overlay(...inlinePatch('{kind: Deployment, name: web}', ...LOCK_OPS)) },
      [],
    ],
    [
      'a target without a name (every HelmRelease): it holds, no warning',
      { [PROD]: overlay(...inlinePatch('{kind: HelmRelease}', ...LOCK_OPS)) },
      [],
    ],
  ])('%s', async (_name, files, expected) => {
    const { problems } = await hold(files);
    const warnings = problems.filter((p) => p.severity === 'warning');
    expect(warnings.map((p) => [p.file, p.line])).toEqual(expected.map(([f, l]) => [f, l]));
    warnings.forEach((p, i) => expect(p.message).toContain(expected[i][2]));
  });
});
