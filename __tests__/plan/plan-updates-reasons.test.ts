/**
 * What the plan says about each container (its decision and reason), what it reports as problems
 * (text, line, severity), and what an update carries; plain data in, plain data out.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import type { FileScan } from '../../src/helmrelease/types.js';
import { MAX_PARSED_VALUES } from '../../src/helmrelease/node-count.js';
import { collectLookups, detailsNeeded, type PlanSettings } from '../../src/plan/plan-lookups.js';
import { planUpdates, type RepositoryData } from '../../src/plan/plan-updates.js';
import { isUnchecked } from '../../src/plan/unchecked-reason.js';
import { RegistryError, type TagDetails } from '../../src/ports.js';
import { parseImageScope } from '../../src/scan/image-scope.js';
import type { Update } from '../../src/update.js';

const DAY = 24 * 3600 * 1000;
const NOW = new Date(Date.UTC(2026, 0, 31));
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

/** Details of a tag built on day `day` of January 2026. */
function built(day: number, extra: Partial<TagDetails> = {}): TagDetails {
  return {
    digest: `sha256:${String(day).padStart(64, '0')}`,
    created: new Date(Date.UTC(2026, 0, day)),
    ...extra,
  };
}

/** A repository's data: its tags, with details for those given some. */
function repo(tags: Record<string, TagDetails | RegistryError | undefined>): RepositoryData {
  const details = new Map<string, TagDetails | RegistryError>();
  for (const [tag, d] of Object.entries(tags)) if (d) details.set(tag, d);
  return { ok: true, tags: Object.keys(tags), details };
}

/** One HelmRelease `ns/app` in `hr.yaml`, the values indented under `spec.values`. */
function release(annotations: string[], values: string[]): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  namespace: ns',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    ...annotations.map((a) => `    ${a}`),
    'spec:',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

function plan(
  text: string,
  repositories: Record<string, RepositoryData>,
  settings: Partial<PlanSettings> = {},
  adjust: (scan: FileScan) => void = () => undefined,
  texts = new Map([['hr.yaml', text]]),
) {
  const scan = scanFile('hr.yaml', text);
  adjust(scan);
  return planUpdates([scan], texts, new Map(Object.entries(repositories)), {
    requireAutomated: true,
    now: NOW,
    ...settings,
  });
}

const APP = 'docker.io/repo/app';

const LOCKED = 'fluxcd.io/locked: "true"';
const SEMVER = 'filter.fluxcd.io/chart-image: semver:*';
type Row = [string, string, Record<string, RepositoryData>, Partial<PlanSettings>, [string, string]];

describe('planUpdates: the decision and reason of each container', () => {
  it.each<Row>([
    [
      'out of scope comes first, even before ignore',
      release(['fluxcd.io/ignore: "true"'], ['image: repo/app:1']),
      {},
      { imageScope: parseImageScope(['docker.io/other/*']) },
      ['out-of-scope', 'out of scope (not matched by the images input)'],
    ],
    [
      'in scope: checked',
      release([], ['image: repo/app:2']),
      { [APP]: repo({ '1': built(1), '2': built(2) }) },
      { imageScope: parseImageScope(['docker.io/repo/*']) },
      ['up-to-date', 'up to date (newest build, built 2026-01-02T00:00:00Z)'],
    ],
    [
      'ignored',
      release(['fluxcd.io/ignore: "true"', LOCKED], ['image: repo/app:1']),
      {},
      {},
      ['ignored', 'ignored (fluxcd.io/ignore: "true")'],
    ],
    [
      'locked',
      release([LOCKED], ['image: repo/app:1']),
      {},
      {},
      ['locked', 'locked (fluxcd.io/locked: "true")'],
    ],
    [
      // billimek/k8s-gitops and fluxcd/flux-get-started lock with the older form: said back as written.
      'locked with flux.weave.works/locked, with its message',
      release(
        ["flux.weave.works/locked: 'true'", `flux.weave.works/locked_msg: '"Halt updates for now"'`],
        ['image: repo/app:1'],
      ),
      {},
      {},
      ['locked', 'locked (flux.weave.works/locked: "true"): "Halt updates for now"'],
    ],
    [
      'ignored with flux.weave.works/ignore',
      release(['flux.weave.works/ignore: "true"'], ['image: repo/app:1']),
      {},
      {},
      ['ignored', 'ignored (flux.weave.works/ignore: "true")'],
    ],
    [
      'both forms: fluxcd.io/locked wins and is the one said',
      release([LOCKED, 'flux.weave.works/locked: "true"'], ['image: repo/app:1']),
      {},
      {},
      ['locked', 'locked (fluxcd.io/locked: "true")'],
    ],
    [
      'locked, with its message',
      release([LOCKED, 'fluxcd.io/locked_msg: waiting for the migration'], ['image: repo/app:1']),
      {},
      {},
      ['locked', 'locked (fluxcd.io/locked: "true"): waiting for the migration'],
    ],
    [
      'not automated',
      release([], ['image: repo/app:1']).replace('    fluxcd.io/automated: "true"\n', '    x: y\n'),
      {},
      {},
      ['not-automated', 'not automated (no fluxcd.io/automated: "true")'],
    ],
    [
      'pinned by digest without a tag',
      release([], [`image: repo/app@${D1}`]),
      {},
      {},
      [
        'skipped',
        'pinned by digest without a tag, so there is no tag to follow; write repo:tag@sha256:… to have it updated',
      ],
    ],
    [
      // R10.4: fluxd's --registry-exclude-image defaulted to k8s.gcr.io/*; it is never looked up.
      'k8s.gcr.io is never checked, even with its tags given',
      release([SEMVER], ['image: k8s.gcr.io/ingress-nginx/controller:v1.0.0']),
      { 'k8s.gcr.io/ingress-nginx/controller': repo({ 'v1.0.0': built(1), 'v1.9.0': built(2) }) },
      {},
      [
        'skipped',
        "k8s.gcr.io is not checked, as Flux v1 never scanned it (fluxd's --registry-exclude-image default); it has been frozen since April 2023: write registry.k8s.io/ingress-nginx/controller, where its images are published, to have this image updated",
      ],
    ],
    [
      'k8s.gcr.io in capitals is the same registry',
      release([], ['image: K8S.GCR.IO/pause:3.1']),
      {},
      {},
      [
        'skipped',
        "k8s.gcr.io is not checked, as Flux v1 never scanned it (fluxd's --registry-exclude-image default); it has been frozen since April 2023: write registry.k8s.io/pause, where its images are published, to have this image updated",
      ],
    ],
    [
      'a lock is said before the exclusion',
      release([LOCKED], ['image: k8s.gcr.io/pause:3.1']),
      {},
      {},
      ['locked', 'locked (fluxcd.io/locked: "true")'],
    ],
    [
      'registry.k8s.io is checked',
      release([], ['image: registry.k8s.io/pause:3.1']),
      { 'registry.k8s.io/pause': repo({ '3.1': built(1), '3.9': built(2) }) },
      {},
      ['update', 'newest build, built 2026-01-02T00:00:00Z'],
    ],
    [
      'a host ending in k8s.gcr.io is checked',
      release([], ['image: notk8s.gcr.io/pause:3.1']),
      { 'notk8s.gcr.io/pause': repo({ '3.1': built(1), '3.9': built(2) }) },
      {},
      ['update', 'newest build, built 2026-01-02T00:00:00Z'],
    ],
    [
      'a path naming k8s.gcr.io is checked',
      release([], ['image: gcr.io/k8s.gcr.io/pause:3.1']),
      { 'gcr.io/k8s.gcr.io/pause': repo({ '3.1': built(1), '3.9': built(2) }) },
      {},
      ['update', 'newest build, built 2026-01-02T00:00:00Z'],
    ],
    [
      'untagged',
      release([], ['image: repo/app']),
      {},
      {},
      [
        'skipped',
        'the image has no tag (no tag key, and none after ":" in the image), so there is nothing to update',
      ],
    ],
    [
      // billimek/k3s-gitops kube-system/traefik/traefik.yaml: the traefik chart's `imageTag`
      'a tag under a key Flux does not read (imageTag): the alias annotations that would read it',
      release([SEMVER], ['image: traefik', 'imageTag: 1.7.14', 'serviceType: LoadBalancer']),
      {},
      {},
      [
        'skipped',
        'the image has no tag: Flux reads a tag key, not imageTag, so there is nothing to update; to have it ' +
          'updated, map both with the annotations repository.fluxcd.io/chart-image: image and ' +
          'tag.fluxcd.io/chart-image: imageTag',
      ],
    ],
    [
      "the same in a subsection: the paths and the alias name are the subsection's",
      release([], ['server:', '  image: itzg/minecraft-server', '  image_tag: latest']),
      {},
      {},
      [
        'skipped',
        'the image has no tag: Flux reads a tag key, not server.image_tag, so there is nothing to update; to have ' +
          'it updated, map both with the annotations repository.fluxcd.io/server: server.image and ' +
          'tag.fluxcd.io/server: server.image_tag',
      ],
    ],
    [
      'the alias annotations it names update it (the alias replaces the untagged container)',
      release(
        [SEMVER, 'repository.fluxcd.io/chart-image: image', 'tag.fluxcd.io/chart-image: imageTag'],
        ['image: traefik', 'imageTag: 1.7.14'],
      ),
      { 'docker.io/library/traefik': repo({ '1.7.14': built(1), '1.7.19': built(2) }) },
      {},
      ['update', 'highest version matching *'],
    ],
    [
      'a tag that is not a string',
      release([], ['image:', '  repository: repo/app', '  tag: 4.0']),
      {},
      {},
      ['skipped', 'the image counts as untagged: its tag is not a string, so it is ignored (quote it)'],
    ],
    [
      'a tag that is a YAML alias',
      release([], ['other:', '  tag: &t "4.0"', 'image:', '  repository: repo/app', '  tag: *t']),
      {},
      {},
      [
        'skipped',
        'the image counts as untagged: its tag is a YAML alias, which is not followed (write the tag itself)',
      ],
    ],
    [
      'a repository that was not looked up',
      release([], ['image: repo/app:1']),
      {},
      {},
      ['error', 'could not check docker.io/repo/app: not looked up'],
    ],
    [
      'a repository that could not be read',
      release([], ['image: repo/app:1']),
      { [APP]: { ok: false, reason: 'HTTP 401 after authentication' } },
      {},
      ['error', 'could not check docker.io/repo/app: HTTP 401 after authentication'],
    ],
    [
      'up to date by version',
      release([SEMVER], ['image: repo/app:1.0.0']),
      { [APP]: repo({ '1.0.0': undefined }) },
      {},
      ['up-to-date', 'up to date (highest version matching *)'],
    ],
    [
      'no matching tag',
      release(['filter.fluxcd.io/chart-image: semver:>9'], ['image: repo/app:1.0.0']),
      { [APP]: repo({ '1.0.0': undefined }) },
      {},
      ['no-matching-tag', "none of the repository's 1 tag matches semver:>9"],
    ],
    [
      'an update: the rule that chose it',
      release([SEMVER], ['image: repo/app:1.0.0']),
      { [APP]: repo({ '1.0.0': undefined, '1.1.0': undefined }) },
      {},
      ['update', 'highest version matching *'],
    ],
    [
      'too new under the input’s minimum release age',
      release([], ['image: repo/app:1']),
      { [APP]: repo({ '1': built(1), '2': built(30) }) },
      { minimumReleaseAgeMs: 3 * DAY },
      [
        'too-new',
        'not proposed yet: 2 (built 2026-01-30T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-02-02T00:00:00Z',
      ],
    ],
    [
      'the release’s minimum release age overrides the input',
      release(['helmrelease-image-updater.io/minimum-release-age: 12h'], ['image: repo/app:1']),
      { [APP]: repo({ '1': built(1), '2': built(30) }) },
      { minimumReleaseAgeMs: 3 * DAY },
      ['update', 'newest build, built 2026-01-30T00:00:00Z'],
    ],
    [
      'no minimum release age: the newest build',
      release([], ['image: repo/app:1']),
      { [APP]: repo({ '1': built(1), '2': built(30) }) },
      {},
      ['update', 'newest build, built 2026-01-30T00:00:00Z'],
    ],
  ])('%s', (_name, text, repositories, settings, [decision, reason]) => {
    const result = plan(text, repositories, settings);
    expect(result.containers.map((c) => [c.decision, c.reason])).toEqual([[decision, reason]]);
  });
});

describe('planUpdates: problems', () => {
  const at = (line: number, message: string, severity = 'warning') => ({
    file: 'hr.yaml',
    line,
    message,
    severity,
  });

  it.each<[string, string, Record<string, RepositoryData>, Partial<PlanSettings>, object[]]>([
    [
      'a skipped container is reported at its line, by release and container',
      release([], ['image: repo/app']),
      {},
      {},
      [
        at(
          10,
          'ns/app chart-image: the image has no tag (no tag key, and none after ":" in the image), so there is nothing to update',
        ),
      ],
    ],
    [
      'locked, ignored, not automated and out of scope are not problems',
      release([LOCKED], ['image: repo/app']),
      {},
      {},
      [],
    ],
    [
      'a registry failure is an error',
      release([], ['image: repo/app:1']),
      { [APP]: { ok: false, reason: 'timeout' } },
      {},
      [at(10, 'ns/app chart-image: could not check docker.io/repo/app: timeout', 'error')],
    ],
    [
      'a choice that cannot be made is a warning',
      release([], ['image: repo/app:gone']),
      { [APP]: repo({ '1': built(1) }) },
      {},
      [
        at(
          10,
          "ns/app chart-image: the current tag gone is not in the registry (deleted, never pushed, or a typo); glob:* (no filter annotation) orders tags by build time and needs the current image's build time to compare",
        ),
      ],
    ],
    [
      'no matching tag is no problem',
      release(['filter.fluxcd.io/chart-image: semver:>9'], ['image: repo/app:1.0.0']),
      { [APP]: repo({ '1.0.0': undefined }) },
      {},
      [],
    ],
    [
      'a filter that can match nothing is reported at the annotation',
      release(["filter.fluxcd.io/chart-image: 'glob: master-*'"], ['image: repo/app:master-a']),
      { [APP]: repo({ 'master-a': built(1) }) },
      {},
      [at(8, expect.stringMatching(/^filter\.fluxcd\.io\/chart-image: ./) as unknown as string)],
    ],
    [
      'two filters that can match nothing are each reported at their annotation',
      release(
        ["filter.fluxcd.io/chart-image: 'glob: master-*'", "filter.fluxcd.io/sub: 'glob: main-*'"],
        ['image: repo/app:master-a', 'sub:', '  image: repo/app:main-a'],
      ),
      { [APP]: repo({ 'master-a': built(1), 'main-a': built(1) }) },
      {},
      [
        at(8, expect.stringMatching(/^filter\.fluxcd\.io\/chart-image: ./) as unknown as string),
        at(9, expect.stringMatching(/^filter\.fluxcd\.io\/sub: ./) as unknown as string),
      ],
    ],
    [
      'no tag the filter keeps could be read: an error, as a registry failure is (the image was not checked)',
      release([], ['image: repo/app:1']),
      {
        [APP]: repo({
          '1': new RegistryError('manifest unknown', 'registry.test', 404),
          '2': new RegistryError('manifest unknown', 'registry.test', 404),
        }),
      },
      {},
      [
        at(
          10,
          'ns/app chart-image: could not check docker.io/repo/app: none of the tags matching glob:* (no filter annotation) could be read from the registry: 2 tags (1, 2): manifest unknown',
          'error',
        ),
      ],
    ],
    [
      'a tag whose details were not read is a warning beside the update',
      release([], ['image: repo/app:1']),
      { [APP]: repo({ '1': built(1), '2': built(2), '3': undefined }) },
      {},
      [
        at(
          10,
          'ns/app chart-image: tag 3 matches glob:* (no filter annotation) but its metadata was not read; it was skipped',
        ),
      ],
    ],
  ])('%s', (_name, text, repositories, settings, problems) => {
    expect(plan(text, repositories, settings).problems).toEqual(problems);
  });

  it('a filter on a prefix of several containers (deep detection) is reported once', () => {
    const text = release(
      ["filter.fluxcd.io/controllers: 'glob: master-*'"],
      ['controllers:', '  a:', '    image: repo/app:master-a', '  b:', '    image: repo/app:master-a'],
    );
    const scan = scanFile('hr.yaml', text, undefined, { detection: 'deep' });
    const result = planUpdates(
      [scan],
      new Map([['hr.yaml', text]]),
      new Map([[APP, repo({ 'master-a': built(1) })]]),
      { requireAutomated: true, now: NOW },
    );
    expect(result.containers.map((c) => c.container)).toEqual(['controllers.a', 'controllers.b']);
    expect(result.problems).toEqual([
      at(8, expect.stringMatching(/^filter\.fluxcd\.io\/controllers: ./) as unknown as string),
    ]);
  });

  it('keeps the scan’s problems first', () => {
    const text = release([], ['image: repo/app:1']);
    const result = plan(text, { [APP]: { ok: false, reason: 'timeout' } }, {}, (scan) => {
      scan.problems.push({ file: 'hr.yaml', line: 1, message: 'from the scan', severity: 'warning' });
    });
    expect(result.problems.map((p) => p.message)).toEqual([
      'from the scan',
      'ns/app chart-image: could not check docker.io/repo/app: timeout',
    ]);
  });

  it('a release held by manifest generation is skipped with the scan’s reason, and not reported again', () => {
    const result = plan(release([], ['image: repo/app:1']), {}, {}, (scan) => {
      scan.releases[0]!.policies.generated = 'a .flux.yaml generates this file';
    });
    expect(result.containers.map((c) => [c.decision, c.reason])).toEqual([
      ['skipped', 'a .flux.yaml generates this file'],
    ]);
    expect(result.problems).toEqual([]);
  });

  it('a release blocked by an unusable annotation is an error with the scan’s reason', () => {
    const result = plan(release([], ['image: repo/app:1']), {}, {}, (scan) => {
      scan.releases[0]!.policies.blocked = 'the filter annotation does not parse';
    });
    expect(result.containers.map((c) => [c.decision, c.reason])).toEqual([
      ['error', 'the filter annotation does not parse'],
    ]);
  });

  it('a tag that is not a string is reported once, by the scan', () => {
    const result = plan(release([], ['image:', '  repository: repo/app', '  tag: 4.0']), {});
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).not.toMatch(/^ns\/app chart-image:/);
  });

  it('an edit refused for a text that is not the scanned one: skipped, as an error, and no edit', () => {
    const text = release([], ['image: repo/app:1']);
    const changed = new Map([['hr.yaml', text.replace('repo/app:1', 'repo/app:7')]]);
    const result = plan(text, { [APP]: repo({ '1': built(1), '2': built(2) }) }, {}, undefined, changed);
    expect(result.containers.map((c) => [c.decision, c.update])).toEqual([['skipped', undefined]]);
    expect(result.containers[0]!.reason).toMatch(/^the edit was refused: ./);
    expect(result.edits).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.severity, p.message])).toEqual([
      [10, 'error', `ns/app chart-image: ${result.containers[0]!.reason}`],
    ]);
  });

  it('two containers on one text whose filters chose different tags: neither is written, each is a warning', () => {
    const text = release(
      ['repository.fluxcd.io/other: image', 'filter.fluxcd.io/other: semver:~1.0', SEMVER],
      ['image: repo/app:1.0.0'],
    );
    const result = plan(text, {
      [APP]: repo({ '1.0.0': undefined, '1.0.5': undefined, '1.1.0': undefined }),
    });
    expect(result.containers.map((c) => [c.container, c.decision, c.update?.to])).toEqual([
      ['chart-image', 'skipped', undefined],
      ['other', 'skipped', undefined],
    ]);
    expect(result.updates).toEqual([]);
    expect(result.edits).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.severity])).toEqual([
      [13, 'warning'],
      [13, 'warning'],
    ]);
    expect(result.problems[1]!.message).toBe(
      'ns/app other: not updated to 1.0.5: the text at line 13 is also read by chart-image, which would be updated to 1.1.0; one edit would change both. Give them filters that choose the same tag, or point each at a tag of its own',
    );
  });

  it("an alias whose tag is another image's digest key: neither edit is written, each is a warning", () => {
    const text = release(
      [
        'repository.fluxcd.io/twin: c0.image.repository',
        'tag.fluxcd.io/twin: c0.image.digest',
        'filter.fluxcd.io/c0: semver:*',
        'filter.fluxcd.io/twin: semver:*',
      ],
      ['c0:', '  image:', '    repository: repo/app', '    tag: 1.0.0', '    digest: "1.0"'],
    );
    const result = plan(text, {
      [APP]: repo({ '1.0': undefined, '1.0.0': undefined, '1.1.0': built(2, { digest: D1 }) }),
    });
    const shared = (other: string, as: string) =>
      `not updated to 1.1.0: the text at line 18 is also read by ${other}, which reads it as its ${as}; one edit would change both. Give them filters that choose the same tag, or point each at a tag of its own`;
    expect(result.containers.map((c) => [c.container, c.decision, c.reason])).toEqual([
      ['c0', 'skipped', shared('twin', 'tag')],
      ['twin', 'skipped', shared('c0', 'digest')],
    ]);
    expect(result.updates).toEqual([]);
    expect(result.edits).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.severity, p.message])).toEqual([
      [18, 'warning', `ns/app c0: ${result.containers[0]!.reason}`],
      [18, 'warning', `ns/app twin: ${result.containers[1]!.reason}`],
    ]);
  });

  it.each<[string, string[], [string, string][]]>([
    // name, the registry's tags, each container's decision and reason
    [
      'an update is refused, as an error at the tag',
      ['2.0.0', '3.0.0'],
      [
        ['fourth', 'skipped'],
        [
          'third',
          'error: not updated to 3.0.0: its tag is anchored (&t) and reused at line 16 (*t), so an edit would change what that line reads too; write the tag itself in each place instead of &t and *t to have it updated',
        ],
      ],
    ],
    [
      'up to date: nothing to refuse',
      ['2.0.0'],
      [
        ['fourth', 'skipped'],
        ['third', 'up-to-date'],
      ],
    ],
  ])('a tag anchored and reused by an alias (`tag: &t` … `tag: *t`): %s', (_name, tags, expected) => {
    const text = release(
      ['filter.fluxcd.io/third: semver:*'],
      ['third:', '  image: repo/app', '  tag: &t 2.0.0', 'fourth:', '  image: repo/app', '  tag: *t'],
    );
    const result = plan(text, { [APP]: repo(Object.fromEntries(tags.map((t) => [t, undefined]))) });
    expect(
      result.containers.map((c) => [
        c.container,
        c.decision === 'error' ? `${c.decision}: ${c.reason}` : c.decision,
      ]),
    ).toEqual(expected);
    expect(result.edits).toEqual([]);
    const errors = result.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.line, p.message])).toEqual(
      expected[1][1].startsWith('error') ? [[13, `ns/app third: ${expected[1][1].slice(7)}`]] : [],
    );
  });

  describe('a document Flux v1 cannot load holds back every update of its file (FLUX-V1-RULES §0)', () => {
    const CONFIG_MAP = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings'];
    const UPDATE = { [APP]: repo({ '1': built(1), '2': built(2) }) };
    const held = (line: number) =>
      `not updated to 2: the document at line ${line} is not valid YAML, and Flux v1 fails the whole file on it; ` +
      'repair that document, or move it to a file of its own';
    const BUILT = 'newest build, built 2026-01-02T00:00:00Z';
    const unloadable = (line: number, what: string) =>
      at(
        line,
        `this document is not valid YAML (${what}); Flux v1 fails the whole file on it, so no HelmRelease in ` +
          'this file is updated: repair the document, or move it to a file of its own',
        'error',
      );
    const UNCLOSED =
      'YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]';
    // Valid YAML that Flux v1 could not read as a resource (flux-resource-refusals.ts).
    const heldUnread = (line: number) =>
      `not updated to 2: Flux v1 cannot load the document at line ${line}, and fails the whole file on it; ` +
      'repair that document, or move it to a file of its own';
    const unread = (line: number, what: string) =>
      at(
        line,
        `Flux v1 cannot load this document (${what}); it fails the whole file on it, so no HelmRelease in ` +
          'this file is updated: repair the document, or move it to a file of its own',
        'error',
      );

    it.each<[string, string, Record<string, RepositoryData>, [string, string][], object[]]>([
      // name, file, registry, each container's decision and reason, problems
      [
        'a ConfigMap after the release with an unclosed flow collection',
        [release([], ['image: repo/app:1']), '---', ...CONFIG_MAP, 'data: {key: [unclosed', ''].join('\n'),
        UPDATE,
        [['error', held(17)]],
        [unloadable(17, UNCLOSED)],
      ],
      [
        'a file read whole (a directive before its first document)',
        [
          '%YAML 1.1',
          '---',
          release([], ['image: repo/app:1']),
          '---',
          ...CONFIG_MAP,
          'data: {key: [unclosed',
          '',
        ].join('\n'),
        UPDATE,
        [['error', held(19)]],
        // The scan read this document too (the file could not be split) and warned that it skipped
        // it; the error at the same line says it better, alone.
        [unloadable(19, UNCLOSED)],
      ],
      [
        'a ConfigMap before the release, refused by yaml.v2 alone (a tab starting a line)',
        [...CONFIG_MAP, 'data:', '\tkey: value', '---', release([], ['image: repo/app:1'])].join('\n'),
        UPDATE,
        [['error', held(6)]],
        [
          unloadable(
            6,
            'YAML syntax error: line 6 is indented with a tab, which Flux v1 (yaml.v2) cannot read here: indent it with spaces',
          ),
        ],
      ],
      [
        'a broken release in the same file holds back the other one too',
        [
          release([], ['image: repo/app:1']),
          '---',
          release([], ['image: repo/app:1', 'other: {image: [repo/app:1']).replace('name: app', 'name: b'),
        ].join('\n'),
        UPDATE,
        [['error', held(23)]],
        [
          at(
            23,
            `HelmRelease b could not be read (${UNCLOSED}); it gets no update until this is fixed`,
            'error',
          ),
          unloadable(23, UNCLOSED),
        ],
      ],
      [
        // A bound of this tool's, not Flux's: yaml.v2 would read this ConfigMap, so no Flux rule is cited.
        'a ConfigMap after the release with more values than a parse makes (node-count.ts)',
        [
          release([], ['image: repo/app:1']),
          '---',
          ...CONFIG_MAP,
          `data: {key: [${'a,'.repeat(MAX_PARSED_VALUES)}a]}`,
          '',
        ].join('\n'),
        UPDATE,
        [
          [
            'error',
            'not updated to 2: the document at line 17 is more than a run reads, so the file is not edited; ' +
              'repair that document, or move it to a file of its own',
          ],
        ],
        [
          at(
            17,
            'this document is more than a run reads (the file holds more than 500,000 YAML values (scalars, ' +
              "aliases and collections) by here, the most one file's parse makes (each takes about 1.5 KB of " +
              'memory while it is read); split the values into files of their own or write them as one block ' +
              'scalar), so this file is not edited and no HelmRelease in it is updated: split the document, or ' +
              'move it to a file of its own',
            'error',
          ),
        ],
      ],
      [
        'a release whose own apiVersion Flux cannot read holds back the other one too',
        [
          release([], ['image: repo/app:1']),
          '---',
          release([], ['image: repo/app:1'])
            .replace('name: app', 'name: b')
            .replace('apiVersion: helm.fluxcd.io/v1', 'apiVersion: [helm.fluxcd.io/v1]'),
        ].join('\n'),
        UPDATE,
        [['error', heldUnread(13)]],
        [
          at(
            13,
            'Flux v1 cannot load HelmRelease b (apiVersion is a list, which Flux v1 reads as a string: write a ' +
              'single value); it fails the whole file on it, so no HelmRelease in this file gets an update until ' +
              'this is fixed',
            'error',
          ),
          unread(13, 'apiVersion is a list, which Flux v1 reads as a string: write a single value'),
        ],
      ],
      [
        'a ConfigMap with an escape yaml.v2 refuses (a JSON-style surrogate pair)',
        [
          release([], ['image: repo/app:1']),
          '---',
          ...CONFIG_MAP,
          'data: {a: "Deployed \\ud83d\\ude80"}',
          '',
        ].join('\n'),
        UPDATE,
        [['error', held(17)]],
        [
          unloadable(
            17,
            'YAML syntax error: line 17 holds the escape \\ud83d\\ude80, a UTF-16 surrogate pair, which Flux v1 (yaml.v2) cannot read: write it as \\U0001F680, or the character itself',
          ),
        ],
      ],
      [
        'a ConfigMap whose kind is a list',
        [release([], ['image: repo/app:1']), '---', 'kind: [ConfigMap]', ''].join('\n'),
        UPDATE,
        [['error', heldUnread(13)]],
        [unread(13, 'kind is a list, which Flux v1 reads as a string: write a single value')],
      ],
      [
        'a document that is a plain scalar',
        ['hello', '---', release([], ['image: repo/app:1'])].join('\n'),
        UPDATE,
        [['error', heldUnread(1)]],
        [
          unread(
            1,
            'the document is the value hello, not a resource (a map of kind, metadata, ...), which Flux v1 reads every document as: remove it, or make it a comment',
          ),
        ],
      ],
      [
        'a ConfigMap with a value its explicit tag does not fit',
        [release([], ['image: repo/app:1']), '---', ...CONFIG_MAP, 'data:', '  x: !!int abc', ''].join('\n'),
        UPDATE,
        [['error', heldUnread(18)]],
        [
          unread(
            18,
            'abc tagged !!int is a str, which yaml.v2 refuses: remove the tag, or give it a value of that type',
          ),
        ],
      ],
      [
        'a number or a boolean where Flux reads a string is its text, and null is nothing: the edit goes ahead',
        [
          release([], ['image: repo/app:1']),
          '---',
          'kind: 1',
          'metadata: {name: true, annotations: {a: 1, b: ~}}',
          '',
        ].join('\n'),
        UPDATE,
        [['update', BUILT]],
        [],
      ],
      [
        'a repeated key is no error to Flux v1 (yaml.v2 keeps the last): the edit goes ahead',
        [release([], ['image: repo/app:1']), '---', ...CONFIG_MAP, 'data:', '  a: 1', '  a: 2', ''].join(
          '\n',
        ),
        UPDATE,
        [['update', BUILT]],
        [],
      ],
      [
        'every document valid: the edit goes ahead',
        [release([], ['image: repo/app:1']), '---', ...CONFIG_MAP, 'data: {key: [closed]}', ''].join('\n'),
        UPDATE,
        [['update', BUILT]],
        [],
      ],
      [
        'no update: the other documents are not read, and nothing is said',
        [release([], ['image: repo/app:2']), '---', ...CONFIG_MAP, 'data: {key: [unclosed', ''].join('\n'),
        UPDATE,
        [['up-to-date', `up to date (${BUILT})`]],
        [],
      ],
    ])('%s', (_name, text, repositories, decisions, problems) => {
      const result = plan(text, repositories);
      expect(result.containers.map((c) => [c.decision, c.reason])).toEqual(decisions);
      expect(result.problems).toEqual(problems);
      expect(result.edits.map((e) => e.file)).toEqual(decisions[0][0] === 'update' ? ['hr.yaml'] : []);
      expect(result.updates).toHaveLength(decisions[0][0] === 'update' ? 1 : 0);
    });

    // The plan reads the other documents of a file it edits, not the one it edits: the scan refuses it.
    it('a release alone whose own apiVersion Flux cannot read gets no update', () => {
      const text = release([], ['image: repo/app:1']).replace(
        'apiVersion: helm.fluxcd.io/v1',
        'apiVersion: [helm.fluxcd.io/v1]',
      );
      const result = plan(text, UPDATE);
      expect(result.edits).toEqual([]);
      expect(result.containers.filter((c) => c.decision === 'update')).toEqual([]);
      expect(result.problems.map((p) => [p.severity, p.line])).toEqual([['error', 1]]);
    });
  });

  it('an update whose file text is missing is skipped, as an error', () => {
    const text = release([], ['image: repo/app:1']);
    const result = plan(text, { [APP]: repo({ '1': built(1), '2': built(2) }) }, {}, undefined, new Map());
    expect(result.containers.map((c) => [c.decision, c.reason, c.update])).toEqual([
      ['skipped', 'the edit was refused: the file text is not available', undefined],
    ]);
    expect(result.updates).toEqual([]);
    expect(result.edits).toEqual([]);
    expect(result.problems).toEqual([
      at(10, 'ns/app chart-image: the edit was refused: the file text is not available', 'error'),
    ]);
  });
});

describe('planUpdates: what an update carries', () => {
  // Only the missing annotation is marked: a `glob:*` someone wrote is a filter like any other.
  it.each<[string, string[], Pick<Update, 'filter' | 'noFilterAnnotation' | 'chosenBy'>]>([
    // case, annotations, what the update says of its filter
    [
      'no filter annotation',
      [],
      { filter: 'glob:*', noFilterAnnotation: true, chosenBy: 'newest build, built 2026-01-05T00:00:00Z' },
    ],
    [
      'a glob:* annotation',
      ['filter.fluxcd.io/chart-image: glob:*'],
      { filter: 'glob:*', chosenBy: 'newest build matching *, built 2026-01-05T00:00:00Z' },
    ],
  ])('%s', (_name, annotations, says) => {
    const result = plan(release(annotations, ['image: repo/app:1.0']), {
      [APP]: repo({ '1.0': built(1), '1.1': built(5) }),
    });
    const { filter, noFilterAnnotation, chosenBy } = result.updates[0]!;
    expect({ filter, noFilterAnnotation, chosenBy }).toEqual(says);
    expect(result.containers[0]!.noFilterAnnotation).toBe(says.noFilterAnnotation);
  });

  it('the labels and build times of both images, the type, and the tags not taken', () => {
    const text = release(['filter.fluxcd.io/chart-image: glob:1.*'], ['image: repo/app:1.0']);
    const result = plan(text, {
      [APP]: repo({
        '1.0': built(1, { platforms: ['linux/amd64'] }),
        '1.1': built(5, {
          source: 'https://github.com/acme/app',
          revision: 'abc123',
          platforms: ['linux/amd64', 'linux/arm64'],
        }),
      }),
    });
    expect(result.updates).toEqual([
      {
        file: 'hr.yaml',
        line: 11,
        documentIndex: 0,
        release: 'ns/app',
        namespace: 'ns',
        name: 'app',
        container: 'chart-image',
        repository: APP,
        image: 'repo/app:1.0',
        newImage: 'repo/app:1.1',
        filter: 'glob:1.*',
        from: '1.0',
        to: '1.1',
        downgrade: false,
        chosenBy: 'newest build matching 1.*, built 2026-01-05T00:00:00Z',
        created: '2026-01-05T00:00:00Z',
        fromCreated: '2026-01-01T00:00:00Z',
        source: 'https://github.com/acme/app',
        revision: 'abc123',
        platforms: ['linux/amd64', 'linux/arm64'],
        fromPlatforms: ['linux/amd64'],
        type: 'minor',
        notTaken: [],
      },
    ]);
  });

  it('a newer tag held back by the minimum release age: the update says which, and why', () => {
    const text = release([SEMVER], ['image: repo/app:1.0.0']);
    const result = plan(
      text,
      { [APP]: repo({ '1.0.0': built(1), '1.1.0': built(2), '1.2.0': built(30) }) },
      { minimumReleaseAgeMs: 3 * DAY },
    );
    const held =
      '1.2.0 (built 2026-01-30T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-02-02T00:00:00Z';
    expect(result.updates.map((u) => [u.to, u.heldBack])).toEqual([['1.1.0', held]]);
  });

  it('a semver choice reads no details: no build times, labels or platforms', () => {
    const text = release([SEMVER], ['image: repo/app:1.0.0']);
    const update = plan(text, { [APP]: repo({ '1.0.0': undefined, '1.0.1': undefined }) }).updates[0]!;
    expect(Object.keys(update).sort()).toEqual(
      [
        'file',
        'line',
        'documentIndex',
        'release',
        'namespace',
        'name',
        'container',
        'repository',
        'image',
        'newImage',
        'filter',
        'from',
        'to',
        'downgrade',
        'chosenBy',
        'type',
        'notTaken',
      ].sort(),
    );
  });

  it('a build-time choice without platforms read carries none', () => {
    const text = release([], ['image: repo/app:1']);
    const update = plan(text, { [APP]: repo({ '1': built(1), '2': built(2) }) }).updates[0]!;
    expect(Object.keys(update)).not.toContain('platforms');
    expect(Object.keys(update)).not.toContain('fromPlatforms');
  });

  it('a deep scan’s updates say so, for the edit to re-read the file the same way', () => {
    const text = release([], ['image: repo/app:1']);
    const result = plan(text, { [APP]: repo({ '1': built(1), '2': built(2) }) }, {}, (scan) => {
      scan.detection = 'deep';
    });
    expect(result.containers[0]!.update?.detection).toBe('deep');
    expect(result.updates[0]!.detection).toBe('deep');
  });
});

describe('planUpdates: digest pins', () => {
  const pinnedImage = (digest = D1) => release([SEMVER], [`image: repo/app:1.0.0@${digest}`]);
  const digestKey = (digest = D1) =>
    release([SEMVER], ['image:', '  repository: repo/app', '  tag: 1.0.0', `  digest: ${digest}`]);

  it.each<[string, string, RepositoryData, [string, string, string | undefined, string | undefined]]>([
    [
      'a pin in the reference moves to the new tag’s digest',
      pinnedImage(),
      repo({ '1.0.0': built(1), '1.1.0': { digest: D2, created: undefined } }),
      ['update', 'highest version matching *', `repo/app:1.1.0@${D2}`, D2],
    ],
    [
      'a pin in a digest key: the reference gets only the tag',
      digestKey(),
      repo({ '1.0.0': built(1), '1.1.0': { digest: D2, created: undefined } }),
      ['update', 'highest version matching *', 'repo/app:1.1.0', D2],
    ],
    [
      'the new tag’s digest unknown: not updated',
      pinnedImage(),
      repo({ '1.0.0': built(1), '1.1.0': undefined }),
      [
        'error',
        'pinned by digest, and the digest of 1.1.0 could not be read; not updated',
        undefined,
        undefined,
      ],
    ],
    [
      'the new tag’s digest unreadable: not updated, with why',
      pinnedImage(),
      repo({ '1.0.0': built(1), '1.1.0': new RegistryError('manifest unknown', 'registry.test', 404) }),
      [
        'error',
        'pinned by digest, and the digest of 1.1.0 could not be read: manifest unknown; not updated',
        undefined,
        undefined,
      ],
    ],
  ])('%s', (_name, text, data, [decision, reason, newImage, toDigest]) => {
    const result = plan(text, { [APP]: data });
    const c = result.containers[0]!;
    expect([c.decision, c.reason, c.update?.newImage, c.update?.toDigest]).toEqual([
      decision,
      reason,
      newImage,
      toDigest,
    ]);
    if (decision === 'error') {
      expect(result.problems).toEqual([
        { file: 'hr.yaml', line: 11, message: `ns/app chart-image: ${reason}`, severity: 'error' },
      ]);
    }
  });
});

describe('planUpdates: a pinned digest that could not be read, the registry’s fault or the image’s', () => {
  const pinnedImage = release([SEMVER], [`image: repo/app:1.0.0@${D1}`]);
  const failed = (status?: number) => new RegistryError('it failed', 'registry.test', status);

  // The listing was read: only a failure of the registry's own (no answer, its credentials, its
  // rate limit, its servers) counts with that registry's failures; an answer about the image does not.
  it.each<[string, boolean, TagDetails | RegistryError | undefined]>([
    ['no answer (the network, a timeout)', true, failed()],
    ['401: credentials refused', true, failed(401)],
    ['403: access refused', true, failed(403)],
    ['429: rate limited', true, failed(429)],
    ['503: the registry is down', true, failed(503)],
    ['404: no manifest for the tag', false, failed(404)],
    ['200 with content that cannot be used', false, failed(200)],
    ['not described at all', false, undefined],
  ])('%s: counted with the registry’s failures: %s', (_name, registry, described) => {
    for (const [data, settings] of [
      [repo({ '1.0.0': built(1), '1.1.0': described }), {}],
      [repo({ '1.0.0': described }), { updateRepushedDigests: true }],
    ] as const) {
      const c = plan(pinnedImage, { [APP]: data }, settings).containers[0]!;
      expect([c.decision, c.registryFailed === true, isUnchecked(c)]).toEqual(['error', registry, registry]);
    }
  });
});

describe('planUpdates: a re-pushed tag (update-repushed-digests)', () => {
  const pinned = (digest = D1) => release([SEMVER], [`image: repo/app:1.0.0@${digest}`]);
  const keyed = () =>
    release([SEMVER], ['image:', '  repository: repo/app', '  tag: 1.0.0', `  digest: ${D1}`]);
  const served = (digest: string, day = 2) => ({ digest, created: new Date(Date.UTC(2026, 0, day)) });

  it.each<[string, string, RepositoryData, Partial<PlanSettings>, [string, string, string | undefined]]>([
    [
      'the same digest: up to date',
      pinned(),
      repo({ '1.0.0': served(D1) }),
      { updateRepushedDigests: true },
      ['up-to-date', 'up to date (highest version matching *)', undefined],
    ],
    [
      'another digest: the pin follows it',
      pinned(),
      repo({ '1.0.0': served(D3) }),
      { updateRepushedDigests: true },
      ['update', `1.0.0 was re-pushed: its digest changed from ${D1} to ${D3}`, `repo/app:1.0.0@${D3}`],
    ],
    [
      'another digest in a digest key: the reference keeps only the tag',
      keyed(),
      repo({ '1.0.0': served(D3) }),
      { updateRepushedDigests: true },
      ['update', `1.0.0 was re-pushed: its digest changed from ${D1} to ${D3}`, 'repo/app:1.0.0'],
    ],
    [
      'another digest, off by default',
      pinned(),
      repo({ '1.0.0': served(D3) }),
      {},
      ['up-to-date', 'up to date (highest version matching *)', undefined],
    ],
    [
      'another digest, too new for the minimum release age',
      pinned(),
      repo({ '1.0.0': served(D3, 30) }),
      { updateRepushedDigests: true, minimumReleaseAgeMs: 3 * DAY },
      [
        'too-new',
        'not proposed yet: the image re-pushed as 1.0.0 (built 2026-01-30T00:00:00Z) is younger than the minimum release age 3d and will be proposed from 2026-02-02T00:00:00Z',
        undefined,
      ],
    ],
    [
      'another digest, old enough',
      pinned(),
      repo({ '1.0.0': served(D3, 2) }),
      { updateRepushedDigests: true, minimumReleaseAgeMs: 3 * DAY },
      ['update', `1.0.0 was re-pushed: its digest changed from ${D1} to ${D3}`, `repo/app:1.0.0@${D3}`],
    ],
    [
      'the current digest unknown',
      pinned(),
      repo({ '1.0.0': undefined }),
      { updateRepushedDigests: true },
      [
        'error',
        'pinned by digest, and the digest of 1.0.0 could not be read; not checked for a re-push',
        undefined,
      ],
    ],
    [
      'a filter that matches no tag: no re-push check',
      release(['filter.fluxcd.io/chart-image: semver:>9'], [`image: repo/app:1.0.0@${D1}`]),
      repo({ '1.0.0': served(D3) }),
      { updateRepushedDigests: true },
      ['no-matching-tag', "none of the repository's 1 tag matches semver:>9", undefined],
    ],
    [
      'the current digest unreadable, with why',
      pinned(),
      repo({ '1.0.0': new RegistryError('manifest unknown', 'registry.test', 404) }),
      { updateRepushedDigests: true },
      [
        'error',
        'pinned by digest, and the digest of 1.0.0 could not be read: manifest unknown; not checked for a re-push',
        undefined,
      ],
    ],
  ])('%s', (_name, text, data, settings, [decision, reason, newImage]) => {
    const result = plan(text, { [APP]: data }, settings);
    const c = result.containers[0]!;
    expect([c.decision, c.reason, c.update?.newImage]).toEqual([decision, reason, newImage]);
    if (decision === 'update') {
      expect(c.update).toMatchObject({
        from: '1.0.0',
        to: '1.0.0',
        fromDigest: D1,
        toDigest: D3,
        type: 'build',
        downgrade: false,
        notTaken: [],
      });
      expect(result.edits).toHaveLength(1);
    }
    if (decision === 'error') {
      expect(result.problems).toEqual([
        { file: 'hr.yaml', line: 11, message: `ns/app chart-image: ${reason}`, severity: 'error' },
      ]);
    }
  });
});

describe('collectLookups', () => {
  it('one lookup per container that needs the registry (none for k8s.gcr.io), with its filter, tag, release age and pin check', () => {
    const text = release(
      [
        LOCKED.replace('locked', 'x'),
        'filter.fluxcd.io/a: semver:~1',
        'helmrelease-image-updater.io/minimum-release-age: 1d',
      ],
      [
        'a:',
        '  image: repo/app:1.0.0',
        'b:',
        `  image: repo/app:2@${D1}`,
        'c:',
        '  image: repo/app',
        'd:',
        `  image: repo/app@${D1}`,
        'e:',
        '  image: k8s.gcr.io/pause:3.1',
      ],
    );
    const scan = scanFile('hr.yaml', text);
    const summary = (settings: Partial<PlanSettings>) =>
      collectLookups([scan], { requireAutomated: true, ...settings }).map((l) => [
        l.occurrence.container,
        l.filter.requiresTimestamp,
        l.current,
        l.minimumReleaseAgeMs,
        l.checkRepushedDigest,
      ]);
    expect(summary({})).toEqual([
      ['a', false, '1.0.0', DAY, undefined],
      ['b', true, '2', DAY, undefined],
    ]);
    expect(summary({ updateRepushedDigests: true })).toEqual([
      ['a', false, '1.0.0', DAY, undefined],
      ['b', true, '2', DAY, true],
    ]);
    expect(summary({ imageScope: parseImageScope(['docker.io/other/*']) })).toEqual([]);
  });

  it('the input’s release age when the release has none, else none', () => {
    const scan = scanFile('hr.yaml', release([], ['image: repo/app:1']));
    expect(
      collectLookups([scan], { requireAutomated: true, minimumReleaseAgeMs: 5 })[0]!.minimumReleaseAgeMs,
    ).toBe(5);
    expect(collectLookups([scan], { requireAutomated: true })[0]!.minimumReleaseAgeMs).toBe(0);
  });
});

describe('detailsNeeded', () => {
  const lookupsOf = (annotations: string[], values: string[], settings: Partial<PlanSettings> = {}) =>
    collectLookups([scanFile('hr.yaml', release(annotations, values))], {
      requireAutomated: true,
      ...settings,
    });

  it.each<[string, string[], string[], Partial<PlanSettings>, string[], string[]]>([
    ['a semver filter needs none', [SEMVER], ['image: repo/app:1.0.0'], {}, ['1.0.0', '1.1.0'], []],
    [
      'by build time: the current tag first, then the candidates from the end of the listing',
      [],
      ['image: repo/app:b'],
      {},
      ['a', 'b', 'c', 'd'],
      ['b', 'd', 'c', 'a'],
    ],
    [
      'by build time, the current tag not listed: the candidates only',
      ['filter.fluxcd.io/chart-image: glob:x*'],
      ['image: repo/app:gone'],
      {},
      ['x1', 'y', 'x2'],
      ['x2', 'x1'],
    ],
    [
      'a re-push check needs the current tag, even unlisted',
      [SEMVER],
      [`image: repo/app:1.0.0@${D1}`],
      { updateRepushedDigests: true },
      [],
      ['1.0.0'],
    ],
    [
      'a pin by version needs the chosen tag’s digest',
      [SEMVER],
      [`image: repo/app:1.0.0@${D1}`],
      {},
      ['1.0.0', '1.2.0', '1.1.0'],
      ['1.2.0'],
    ],
    [
      'a pin in a digest key too',
      [SEMVER],
      ['image:', '  repository: repo/app', '  tag: 1.0.0', `  digest: ${D1}`],
      {},
      ['1.0.0', '1.2.0'],
      ['1.2.0'],
    ],
    [
      'a pin already on the top version needs nothing',
      [SEMVER],
      [`image: repo/app:1.2.0@${D1}`],
      {},
      ['1.0.0', '1.2.0'],
      [],
    ],
  ])('%s', (_name, annotations, values, settings, tags, expected) => {
    expect(detailsNeeded(lookupsOf(annotations, values, settings), tags)).toStrictEqual(expected);
  });
});
