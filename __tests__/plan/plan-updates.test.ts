import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { qualifiesForAutomerge } from '../../src/github/auto-merge.js';
import { planUpdates, type RepositoryData } from '../../src/plan/plan-updates.js';
import { ignoreVersionHint } from '../../src/plan/pull-request-text.js';
import { RegistryError, type TagDetails } from '../../src/ports.js';

/** A registry: repository -> tag -> build day (undefined: no timestamp); `error` for a failing repository. */
type FakeRegistry = Record<string, Record<string, number | undefined> | { error: string }>;

function registryData(registry: FakeRegistry): Map<string, RepositoryData> {
  const data = new Map<string, RepositoryData>();
  for (const [repository, tags] of Object.entries(registry)) {
    if ('error' in tags && typeof tags.error === 'string') {
      data.set(repository, { ok: false, reason: tags.error });
      continue;
    }
    const details = new Map<string, TagDetails | RegistryError>();
    for (const [tag, day] of Object.entries(tags as Record<string, number | undefined>)) {
      if (day === -1) details.set(tag, new RegistryError('manifest unknown', 'registry.test', 404));
      else
        details.set(tag, {
          digest: `sha256:${tag}`,
          created: day === undefined ? undefined : new Date(Date.UTC(2026, 0, day)),
        });
    }
    data.set(repository, { ok: true, tags: Object.keys(tags), details });
  }
  return data;
}

function release(annotations: string, values: string, name = 'app'): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ns
  annotations:
${annotations
  .split('\n')
  .filter(Boolean)
  .map((l) => `    ${l}`)
  .join('\n')}
spec:
  values:
${values
  .split('\n')
  .filter(Boolean)
  .map((l) => `    ${l}`)
  .join('\n')}
`;
}

function plan(text: string, registry: FakeRegistry, requireAutomated = true) {
  const scan = scanFile('hr.yaml', text);
  return planUpdates([scan], new Map([['hr.yaml', text]]), registryData(registry), { requireAutomated });
}

const AUTO = 'fluxcd.io/automated: "true"';

describe('planUpdates decisions', () => {
  it.each([
    // name, annotations, values, registry, expected [decision, from, to, downgrade]
    [
      'semver picks the highest matching version',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:~4.0`,
      'image:\n  repository: bitnami/mongodb\n  tag: 4.0.3',
      { 'docker.io/bitnami/mongodb': { '4.0.3': 1, '4.0.4': 2, '4.1.0': 3, '3.6.9': 9 } },
      ['update', '4.0.3', '4.0.4', false],
    ],
    [
      'semver moves down to the top of the filter (Flux), marked as a downgrade',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:~4.0`,
      'image: bitnami/mongodb:5.0.0',
      { 'docker.io/bitnami/mongodb': { '4.0.2': 1, '5.0.0': 2 } },
      ['update', '5.0.0', '4.0.2', true],
    ],
    [
      'glob picks the newest build',
      `${AUTO}\nfilter.fluxcd.io/chart-image: glob:master-*`,
      'image: repo/app:master-a',
      { 'docker.io/repo/app': { 'master-a': 1, 'master-b': 3, 'master-c': 2, 'dev-x': 9 } },
      ['update', 'master-a', 'master-b', false],
    ],
    [
      'no filter means glob:* by build time, never latest',
      AUTO,
      'image: repo/app:1',
      { 'docker.io/repo/app': { '1': 1, '2': 2, latest: 5 } },
      ['update', '1', '2', false],
    ],
    [
      'up to date',
      AUTO,
      'image: repo/app:2',
      { 'docker.io/repo/app': { '1': 1, '2': 2 } },
      ['up-to-date', '2', undefined, undefined],
    ],
    [
      'no tag matches',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:>9`,
      'image: repo/app:2',
      { 'docker.io/repo/app': { '1': 1, '2': 2 } },
      ['no-matching-tag', '2', undefined, undefined],
    ],
    [
      'not automated',
      '',
      'image: repo/app:1',
      { 'docker.io/repo/app': { '2': 2 } },
      ['not-automated', '1', undefined, undefined],
    ],
    [
      'locked',
      `${AUTO}\nfluxcd.io/locked: "true"`,
      'image: repo/app:1',
      { 'docker.io/repo/app': { '2': 2 } },
      ['locked', '1', undefined, undefined],
    ],
    [
      'ignored',
      `${AUTO}\nfluxcd.io/ignore: "true"`,
      'image: repo/app:1',
      { 'docker.io/repo/app': { '2': 2 } },
      ['ignored', '1', undefined, undefined],
    ],
    [
      'digest-pinned',
      AUTO,
      `image: repo/app:1@sha256:${'a'.repeat(64)}`,
      { 'docker.io/repo/app': { '2': 2 } },
      ['skipped', '1', undefined, undefined],
    ],
    [
      'untagged',
      AUTO,
      'image: repo/app',
      { 'docker.io/repo/app': { '2': 2 } },
      ['skipped', undefined, undefined, undefined],
    ],
    [
      'numeric tag counts as untagged',
      AUTO,
      'image: repo/app\ntag: 4.0',
      { 'docker.io/repo/app': { '4.1': 2 } },
      ['skipped', undefined, undefined, undefined],
    ],
    // R7.7: Flux v1's semver wrote a tag into an untagged image (`image: traefik` beside a chart's
    // own `imageTag: v1.7` became traefik:v1.7.19 and broke the chart, fluxcd/flux#2663); skipped here.
    [
      'untagged with a semver filter: skipped, no tag written into the image',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:~1.7`,
      'image: traefik\nimageTag: v1.7',
      { 'docker.io/library/traefik': { 'v1.7.19': 2, 'v1.7.18': 1 } },
      ['skipped', undefined, undefined, undefined],
    ],
    [
      'numeric tag with a semver filter: skipped too',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:~4.0`,
      'image: repo/app\ntag: 4.0',
      { 'docker.io/repo/app': { '4.0.1': 2 } },
      ['skipped', undefined, undefined, undefined],
    ],
    // R2.3: ignore "sync_only" stops Flux's sync of the object, not its image automation.
    [
      'ignore: sync_only still updates',
      `${AUTO}\nfluxcd.io/ignore: sync_only`,
      'image: repo/app:1',
      { 'docker.io/repo/app': { '1': 1, '2': 2 } },
      ['update', '1', '2', false],
    ],
    [
      'registry failure',
      AUTO,
      'image: repo/app:1',
      { 'docker.io/repo/app': { error: 'HTTP 401 after authentication' } },
      ['error', '1', undefined, undefined],
    ],
    [
      'glob: current tag missing from the registry',
      AUTO,
      'image: repo/app:gone',
      { 'docker.io/repo/app': { '1': 1, '2': 2 } },
      ['skipped', 'gone', undefined, undefined],
    ],
    [
      'semver: current tag missing from the registry is fine',
      `${AUTO}\nfilter.fluxcd.io/chart-image: semver:*`,
      'image: repo/app:1.0.0',
      { 'docker.io/repo/app': { '1.1.0': undefined } },
      ['update', '1.0.0', '1.1.0', false],
    ],
    [
      'require-automated off',
      '',
      'image: repo/app:1',
      { 'docker.io/repo/app': { '1': 1, '2': 2 } },
      ['update', '1', '2', false],
    ],
  ] as const)('%s', (_name, annotations, values, registry, [decision, from, to, downgrade]) => {
    const requireAutomated = _name !== 'require-automated off';
    const result = plan(release(annotations, values), registry as FakeRegistry, requireAutomated);
    expect(result.containers).toHaveLength(1);
    const c = result.containers[0];
    expect([c.decision, c.current, c.update?.to, c.update?.downgrade]).toEqual([
      decision,
      from,
      to,
      downgrade,
    ]);
    if (decision === 'update') {
      expect(result.edits).toHaveLength(1);
      expect(result.edits[0].after).toContain(to as string);
    } else {
      expect(result.edits).toEqual([]);
    }
    if (decision === 'skipped' || decision === 'error') {
      expect(result.problems.some((p) => p.line === c.line)).toBe(true);
    }
    if (decision === 'error') expect(result.problems.map((p) => p.severity)).toContain('error');
  });
});

describe('planUpdates: a lower version is a downgrade whichever filter chose it', () => {
  // The update's flag and type agree, so the title, labels, summary, JSON and automerge all say so.
  it.each<[string, string, string, Record<string, number>, string, boolean, string, boolean]>([
    // name, filter annotation, current tag, build day per tag, to, downgrade, type, automerge `all`
    [
      'glob:* picks a backport built after the current tag',
      '',
      '4.0.3',
      { '4.0.3': 1, '4.0.4': 2, '3.6.5': 3 },
      '3.6.5',
      true,
      'downgrade',
      false,
    ],
    [
      'regex picks a lower version built later',
      'filter.fluxcd.io/chart-image: regex:^v',
      'v2.1.0',
      { 'v2.1.0': 1, 'v2.0.9': 2 },
      'v2.0.9',
      true,
      'downgrade',
      false,
    ],
    [
      'semver moves down to the top of the filter',
      'filter.fluxcd.io/chart-image: semver:~4.0',
      '5.0.0',
      { '4.0.2': 1, '5.0.0': 2 },
      '4.0.2',
      true,
      'downgrade',
      false,
    ],
    [
      'glob:* picks a newer build of a higher version',
      '',
      '4.0.3',
      { '4.0.3': 1, '4.0.4': 2 },
      '4.0.4',
      false,
      'patch',
      true,
    ],
    [
      'the same version spelled differently is a build',
      '',
      '1.10',
      { '1.10': 1, '1.10.0': 2 },
      '1.10.0',
      false,
      'build',
      true,
    ],
  ])('%s', (_name, filter, current, days, to, downgrade, type, automerged) => {
    const result = plan(release(`${AUTO}\n${filter}`, `image: repo/app:${current}`), {
      'docker.io/repo/app': days,
    });
    const update = result.containers[0]?.update;
    expect([update?.to, update?.downgrade, update?.type]).toEqual([to, downgrade, type]);
    expect(qualifiesForAutomerge([update!], 'all')).toBe(automerged);
  });
});

describe('planUpdates across containers', () => {
  it('decides the same repository per container and keeps plan order', () => {
    const text = release(
      `${AUTO}\nfilter.fluxcd.io/stable: semver:~1.0\nfilter.fluxcd.io/edge: semver:*`,
      'stable:\n  image: repo/app:1.0.0\nedge:\n  image: repo/app:1.0.0\nimage: other/x:1',
    );
    const result = plan(text, {
      'docker.io/repo/app': { '1.0.0': 1, '1.0.1': 2, '2.0.0': 3 },
      'docker.io/other/x': { '1': 1 },
    });
    expect(result.containers.map((c) => [c.container, c.decision, c.update?.to])).toEqual([
      ['chart-image', 'up-to-date', undefined],
      ['edge', 'update', '2.0.0'],
      ['stable', 'update', '1.0.1'],
    ]);
    expect(result.edits).toHaveLength(1);
    expect(result.edits[0].after).toBe(
      text
        .replace('stable:\n      image: repo/app:1.0.0', 'stable:\n      image: repo/app:1.0.1')
        .replace('edge:\n      image: repo/app:1.0.0', 'edge:\n      image: repo/app:2.0.0'),
    );
  });

  it('looks each spelling of a Docker Hub image up as one repository and keeps it as written (R5.4, R5.5)', () => {
    const spellings = [
      'mongo',
      'library/mongo',
      'docker.io/mongo',
      'docker.io/library/mongo',
      'index.docker.io/mongo',
    ];
    const text = release(AUTO, spellings.map((s, i) => `c${i}:\n  image: ${s}:4.0.1`).join('\n'));
    const result = plan(text, { 'docker.io/library/mongo': { '4.0.1': 1, '4.0.2': 2 } });
    expect(result.containers.map((c) => [c.container, c.decision, c.update?.to])).toEqual(
      spellings.map((_, i) => [`c${i}`, 'update', '4.0.2']),
    );
    expect(result.edits).toHaveLength(1);
    expect(result.edits[0].after).toBe(text.replaceAll(':4.0.1', ':4.0.2'));
  });

  it('an alias on the text of a detected image gives two updates and one textual change', () => {
    const text = release(
      `${AUTO}\nrepository.fluxcd.io/twin: sub.image.repository\ntag.fluxcd.io/twin: sub.image.tag`,
      'sub:\n  image:\n    repository: repo/app\n    tag: "1"',
    );
    const result = plan(text, { 'docker.io/repo/app': { '1': 1, '2': 2 } });
    expect(result.updates.map((u) => [u.container, u.from, u.to])).toEqual([
      ['sub', '1', '2'],
      ['twin', '1', '2'],
    ]);
    expect(result.edits[0].after).toBe(text.replace('tag: "1"', 'tag: "2"'));
  });

  it('an alias and a detected image on one text with different choices: neither is updated, each a warning naming the other', () => {
    const text = release(
      `${AUTO}\nrepository.fluxcd.io/other: image\nfilter.fluxcd.io/other: semver:~1.0\nfilter.fluxcd.io/chart-image: semver:*\nfilter.fluxcd.io/sub: semver:*`,
      'image: a:1.0.0\nsub:\n  image: b:2.0.0',
    );
    const result = plan(text, {
      'docker.io/library/a': { '1.0.0': 1, '1.0.5': 2, '1.1.0': 3 },
      'docker.io/library/b': { '2.0.0': 1, '2.1.0': 2 },
    });
    expect(result.containers.map((c) => [c.container, c.decision, c.update?.to])).toEqual([
      ['chart-image', 'skipped', undefined],
      ['other', 'skipped', undefined],
      ['sub', 'update', '2.1.0'],
    ]);
    expect(result.updates).toHaveLength(1);
    expect(result.edits[0].after).toBe(text.replace('b:2.0.0', 'b:2.1.0'));
    expect(result.problems.map((p) => [p.line, p.severity, p.message])).toEqual([
      [
        14,
        'warning',
        'ns/app chart-image: not updated to 1.1.0: the text at line 14 is also read by other, which would be updated to 1.0.5; one edit would change both. Give them filters that choose the same tag, or point each at a tag of its own',
      ],
      [
        14,
        'warning',
        'ns/app other: not updated to 1.0.5: the text at line 14 is also read by chart-image, which would be updated to 1.1.0; one edit would change both. Give them filters that choose the same tag, or point each at a tag of its own',
      ],
    ]);
  });

  it.each<[string, string, string]>([
    // name, the annotations beside the alias's, the reason the detected container keeps its tag
    [
      'up to date by its filter',
      'filter.fluxcd.io/app: semver:~1.0',
      'up to date (highest version matching ~1.0)',
    ],
    [
      'no tag matching its filter',
      'filter.fluxcd.io/app: semver:~3',
      "none of the repository's 3 tags matches semver:~3",
    ],
  ])(
    'an alias sharing the tag of a container that is not updated (%s): the alias is not updated either',
    (_name, filter, reason) => {
      const text = release(
        `${AUTO}\n${filter}\nrepository.fluxcd.io/other: app.image\ntag.fluxcd.io/other: app.tag`,
        'app:\n  image: repo/a\n  tag: 1.0.1',
      );
      const result = plan(text, { 'docker.io/repo/a': { '1.0.0': 1, '1.0.1': 2, '1.1.0': 3 } });
      expect(result.updates).toEqual([]);
      expect(result.edits).toEqual([]);
      const other = result.containers.find((c) => c.container === 'other')!;
      expect([other.decision, other.reason]).toEqual([
        'skipped',
        expect.stringContaining(`the text at line 15 is also read by app, which is not updated: ${reason}`),
      ]);
      expect(result.problems).toContainEqual(
        expect.objectContaining({ line: 15, severity: 'warning', message: `ns/app other: ${other.reason}` }),
      );
    },
  );

  it('reports a filter that can match nothing on the annotation line', () => {
    const text = release(
      `${AUTO}\nfilter.fluxcd.io/chart-image: 'glob: master-*'`,
      'image: repo/app:master-a',
    );
    const result = plan(text, { 'docker.io/repo/app': { 'master-a': 1, 'master-b': 2 } });
    expect(result.containers[0].decision).toBe('no-matching-tag');
    expect(result.problems).toContainEqual(expect.objectContaining({ line: 8, severity: 'warning' }));
  });
});

describe('planUpdates: many updates in one file', () => {
  it('plans and edits 5,000 updates in one file (per-update re-parsing never finished)', () => {
    const n = 5000;
    const values = (tag: string) =>
      Array.from({ length: n }, (_, i) => `c${i}:\n  image: repo/app:${tag}`).join('\n');
    const text = release(AUTO, values('1.0'));
    const result = plan(text, { 'docker.io/repo/app': { '1.0': 1, '1.1': 2 } });
    expect(result.problems).toEqual([]);
    expect(result.updates).toHaveLength(n);
    expect(result.edits.map((e) => [e.file, e.updates.length, e.after])).toEqual([
      ['hr.yaml', n, release(AUTO, values('1.1'))],
    ]);
  }, 120_000);
});

describe('the skip hint edits the filter annotation the container was read with', () => {
  // Adding `filter.fluxcd.io/app` beside a `fluxcd.io/tag.app` would make two filters that
  // disagree, and a warning on every run; the hint names the annotation to change instead.
  it.each([
    ['filter.fluxcd.io/chart-image', 'chart-image', undefined],
    ['fluxcd.io/tag.chart-image', 'chart-image', 'fluxcd.io/tag.chart-image'],
    ['flux.weave.works/tag.chart-image', 'chart-image', 'flux.weave.works/tag.chart-image'],
    ['filter.fluxcd.io/app', 'app', undefined],
    ['fluxcd.io/tag.app', 'app', 'fluxcd.io/tag.app'],
  ])('%s', (key, container, filterKey) => {
    // `app` is a subsection's image: its container is named after the key.
    const values =
      container === 'app'
        ? 'app:\n  image:\n    repository: bitnami/mongodb\n    tag: 4.0.3'
        : 'image:\n  repository: bitnami/mongodb\n  tag: 4.0.3';
    const text = release(`${AUTO}\n${key}: semver:~4.0`, values);
    const [update] = plan(text, { 'docker.io/bitnami/mongodb': { '4.0.3': 1, '4.0.4': 2 } }).updates;
    expect(update?.container).toBe(container);
    expect(update?.filterKey).toBe(filterKey);
    expect(ignoreVersionHint(update!)).toContain(`\`${key}: "semver:~4.0, !=4.0.4"\``);
  });

  it('following the hint refuses the tag without a second filter that disagrees', () => {
    const annotated = (filter: string) =>
      release(
        `${AUTO}\nfluxcd.io/tag.chart-image: ${filter}`,
        'image:\n  repository: bitnami/mongodb\n  tag: 4.0.3',
      );
    const registry = { 'docker.io/bitnami/mongodb': { '4.0.3': 1, '4.0.4': 2 } };
    const [update] = plan(annotated('semver:~4.0'), registry).updates;
    const suggested = /`fluxcd\.io\/tag\.chart-image: (".*")`/.exec(ignoreVersionHint(update!))![1]!;
    const after = plan(annotated(suggested), registry);
    expect(after.updates).toEqual([]);
    expect(after.problems).toEqual([]);
  });
});
