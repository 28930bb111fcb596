import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyUpdates, type UpdateTarget } from '../../src/edit/apply-updates.js';
import { pinText, withTag } from '../../src/edit/locate-target.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { needsQuoting } from '../../src/edit/splice-tag.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'edit');
const cases = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.targets.json'))
  .map((name) => name.slice(0, -'.targets.json'.length))
  .sort();

function read(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function targetsOf(name: string): UpdateTarget[] {
  const raw = JSON.parse(read(`${name}.targets.json`)) as Omit<UpdateTarget, 'documentIndex'>[];
  return raw.map((t) => ({ ...t, documentIndex: -1 }));
}

describe('applyUpdates golden files', () => {
  it.each(cases)('%s', (name) => {
    const input = read(`${name}.yaml`);
    const expected = read(`${name}.expected.yaml`);
    const result = applyUpdates(`${name}.yaml`, input, targetsOf(name));
    expect(result).toEqual({ ok: true, text: expected });
  });

  it.each(cases)('%s re-reads to the planned references', (name) => {
    const result = applyUpdates(`${name}.yaml`, read(`${name}.yaml`), targetsOf(name));
    if (!result.ok) throw new Error(result.reason);
    const reread = scanFile(name, result.text);
    for (const target of targetsOf(name)) {
      const container = reread.releases
        .flatMap((r) => r.containers)
        .find((c) => c.container === target.container);
      expect(container?.reference.tag).toBe(target.to);
      expect(container?.reference.repository).toBe(target.repository);
    }
  });
});

describe('applyUpdates refusals', () => {
  const release = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    image: repo/app
    tag: |-
      1.0
    other:
      image: repo/other@sha256:${'a'.repeat(64)}
`;
  it.each([
    ['a block scalar tag', 'chart-image', 'docker.io/repo/app', 'the tag is written as a YAML block scalar'],
    ['a digest-pinned image', 'other', 'docker.io/repo/other', 'pinned by digest'],
    ['a missing container', 'nope', 'docker.io/repo/app', 'container nope is not in HelmRelease app'],
    ['a changed repository', 'chart-image', 'docker.io/repo/else', 'now uses docker.io/repo/app'],
  ])('refuses %s', (_what, container, repository, reason) => {
    const result = applyUpdates('f.yaml', release, [
      { release: 'app', documentIndex: 0, container, repository, to: '2.0' },
    ]);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('refuses a text whose tag moved on since the plan (it could be a downgrade there)', () => {
    const text =
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata: {name: a}\nspec:\n  values:\n    image: x:4.0.6\n';
    const result = applyUpdates('f.yaml', text, [
      {
        release: 'a',
        documentIndex: 0,
        container: 'chart-image',
        repository: 'docker.io/library/x',
        from: '4.0.3',
        to: '4.0.4',
      },
    ]);
    expect(result).toEqual({
      ok: false,
      reason: 'a chart-image now has tag 4.0.6, not 4.0.3; the update to 4.0.4 was planned from 4.0.3',
    });
  });

  it('leaves a file whose tag is already the target unchanged', () => {
    const text =
      'kind: HelmRelease\napiVersion: helm.fluxcd.io/v1\nmetadata: {name: a}\nspec:\n  values:\n    image: x:2\n';
    expect(
      applyUpdates('f.yaml', text, [
        {
          release: 'a',
          documentIndex: 0,
          container: 'chart-image',
          repository: 'docker.io/library/x',
          to: '2',
        },
      ]),
    ).toEqual({ ok: true, text });
  });
});

describe('needsQuoting', () => {
  it.each([
    ['1.10', true],
    ['0x10', true],
    ['1e3', true],
    ['no', true],
    ['on', true],
    ['true', true],
    ['null', true],
    ['2024-01-01', true],
    ['012', true],
    ['1_000', true],
    ['190:20:30', true],
    ['150', true],
    ['v1.10', false],
    ['1.2.3', false],
    ['latest', false],
    ['master-abc123', false],
    ['4.0.3-debian-9-r1', false],
  ])('%s -> %s', (tag, quote) => {
    expect(needsQuoting(tag)).toBe(quote);
  });
});

describe('applyUpdates reads each text with the detection its targets were planned with', () => {
  const text =
    'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    a:\n      b:\n        image: repo/app:1.0\n';
  const deep: UpdateTarget = {
    release: 'app',
    documentIndex: 0,
    container: 'a.b',
    repository: 'docker.io/repo/app',
    to: '1.1',
    detection: 'deep',
  };
  it.each([
    // the order of the calls must not matter: a scan is reused only for the same file, text and detection
    ['deep, then Flux v1', [deep, { ...deep, detection: undefined }]],
    ['Flux v1, then deep', [{ ...deep, detection: undefined }, deep]],
  ] as [string, UpdateTarget[]][])('%s', (_order, targets) => {
    const results = targets.map((t) => applyUpdates('f.yaml', text, [t]));
    const byDetection = targets.map((t) => t.detection ?? 'flux-v1');
    expect(Object.fromEntries(byDetection.map((d, i) => [d, results[i]]))).toEqual({
      deep: { ok: true, text: text.replace('repo/app:1.0', 'repo/app:1.1') },
      'flux-v1': { ok: false, reason: 'container a.b is not in HelmRelease app' },
    });
  });

  it('does not reuse the scan of another file or another text', () => {
    const other = text.replace('name: app', 'name: other');
    const target: UpdateTarget = { ...deep, release: 'other' };
    expect(applyUpdates('f.yaml', text, [deep]).ok).toBe(true);
    expect(applyUpdates('g.yaml', text, [target])).toEqual({
      ok: false,
      reason: 'HelmRelease other is not in g.yaml',
      releaseAbsent: true,
    });
    expect(applyUpdates('f.yaml', other, [target])).toEqual({
      ok: true,
      text: other.replace('repo/app:1.0', 'repo/app:1.1'),
    });
  });
});

const CONFLICT = 'it conflicts with twin on the same text: the text at line 10 is also read by twin of app,';

describe('applyUpdates with two containers on one text (an alias and a detected image)', () => {
  const text =
    'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\n  annotations:\n    repository.fluxcd.io/twin: c0.image\nspec:\n  values:\n    c0:\n      image: repo/app:1.0\n';
  const c0: UpdateTarget = {
    release: 'app',
    documentIndex: 0,
    container: 'c0',
    repository: 'docker.io/repo/app',
    to: '1.1',
  };
  it.each([
    // the twin's tag, the result
    ['1.1', { ok: true, text: text.replace('repo/app:1.0', 'repo/app:1.1') }],
    ['1.2', { ok: false, reason: `${CONFLICT} which is updated to 1.2 there` }],
    ['1.10', { ok: false, reason: `${CONFLICT} which is updated to 1.10 there` }],
  ])('the twin to %s', (to, result) => {
    expect(applyUpdates('f.yaml', text, [c0, { ...c0, container: 'twin', to }])).toEqual(result);
  });

  it('the image alone (the twin in no pull request of its own): refused, the twin would move with it', () => {
    expect(applyUpdates('f.yaml', text, [c0])).toEqual({
      ok: false,
      reason: `${CONFLICT} which is not updated to 1.1 with it`,
    });
  });
});

describe('pinText and withTag: the tag as written, and the reference with another', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    // tag, digest, the text
    ['1.0', undefined, '1.0'],
    ['1.0', digest, `1.0@${digest}`],
    [undefined, digest, undefined],
    [undefined, undefined, undefined],
  ])('tag %s, digest %s', (tag, pin, text) => {
    expect(pinText({ tag, digest: pin })).toBe(text);
  });

  it.each([
    // the image as written, the new tag, the reference after
    ['repo/app:1.0', '1.1', 'repo/app:1.1'],
    [`repo/app:1.0@${digest}`, `1.1@${digest}`, `repo/app:1.1@${digest}`],
    ['repo/app', '1.1', 'repo/app:1.1'],
    ['registry.local:5000/app', '1.1', 'registry.local:5000/app:1.1'],
  ])('%s with tag %s', (image, tag, after) => {
    const text = `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    image: ${image}\n`;
    const occurrence = scanFile('f.yaml', text).releases[0]!.containers[0]!;
    expect(withTag(occurrence, tag)).toBe(after);
  });

  it('applies no targets by leaving the text as it is', () => {
    const text = 'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec: {}\n';
    expect(applyUpdates('f.yaml', text, [])).toEqual({ ok: true, text });
  });
});

describe('applyUpdates finds each target as it was planned', () => {
  /** A HelmRelease `app` whose only image is `image`. */
  const doc = (image: string) =>
    `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    image: ${image}\n`;
  const bump = (plan: Partial<UpdateTarget>): UpdateTarget => ({
    release: 'app',
    documentIndex: 0,
    container: 'chart-image',
    repository: 'docker.io/repo/app',
    to: '1.1',
    ...plan,
  });

  describe('among releases of one name, the one in the planned document', () => {
    const three = (tags: string[]) => tags.map((tag) => doc(`repo/app:${tag}`)).join('---\n');
    const text = three(['1.0', '2.0', '3.0']);
    it.each([
      // the planned document, the result
      [0, { ok: true, text: three(['1.1', '2.0', '3.0']) }],
      [1, { ok: true, text: three(['1.0', '1.1', '3.0']) }],
      [2, { ok: true, text: three(['1.0', '2.0', '1.1']) }],
      [3, { ok: false, reason: 'HelmRelease app is not in f.yaml' }],
    ])('document %s', (documentIndex, result) => {
      expect(applyUpdates('f.yaml', text, [bump({ documentIndex })])).toEqual(result);
    });
  });

  it.each([
    // what, the image as written, the plan, the result (the image after, or the reason)
    ['the tag the plan read', 'repo/app:1.0', { from: '1.0' }, { image: 'repo/app:1.1' }],
    ['the planned tag, written since the plan', 'repo/app:1.1', { from: '1.0' }, { image: 'repo/app:1.1' }],
    [
      'another tag written since the plan',
      'repo/app:1.2',
      { from: '1.0' },
      { reason: 'app chart-image now has tag 1.2, not 1.0; the update to 1.1 was planned from 1.0' },
    ],
    [
      'no tag any more',
      'repo/app',
      { from: '1.0' },
      { reason: 'app chart-image now has tag (none), not 1.0; the update to 1.1 was planned from 1.0' },
    ],
    [
      'no tag, and the plan read none',
      'repo/app',
      {},
      { reason: 'app chart-image: the image has no tag to update' },
    ],
  ])('%s', (_what, image, plan, result) => {
    expect(applyUpdates('f.yaml', doc(image), [bump(plan)])).toEqual(
      'image' in result ? { ok: true, text: doc(result.image) } : { ok: false, ...result },
    );
  });

  it('an untagged image beside a block scalar digest has no tag to update (its digest is not what refuses it)', () => {
    const text = doc('repo/app').replace(
      'image: repo/app\n',
      `image:\n      repository: repo/app\n      digest: |-\n        sha256:${'a'.repeat(64)}\n`,
    );
    expect(applyUpdates('f.yaml', text, [bump({})])).toEqual({
      ok: false,
      reason: 'app chart-image: the image has no tag to update',
    });
  });

  it('a block scalar tag that already reads as planned is left as it is', () => {
    const text = doc('repo/app').concat('    tag: |-\n      1.1\n');
    expect(applyUpdates('f.yaml', text, [bump({ from: '1.0' })])).toEqual({ ok: true, text });
  });
});

describe("applyUpdates holds an edit to the text's own policies", () => {
  // The writer applies the plan to the base branch's text, which may say more than the text the
  // plan read: locked since, or never unlocked, or filtered more narrowly.
  const release = (annotations: string) =>
    `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: ns\n  annotations:\n${annotations}spec:\n  values:\n    image: repo/app:1.0\n`;
  const automated = '    fluxcd.io/automated: "true"\n';
  const target: UpdateTarget = {
    release: 'ns/app',
    documentIndex: 0,
    container: 'chart-image',
    repository: 'docker.io/repo/app',
    from: '1.0',
    to: '2.0',
    filter: 'glob:*',
  };
  const updated = (annotations: string) => ({
    ok: true,
    text: release(annotations).replace('repo/app:1.0', 'repo/app:2.0'),
  });
  const refused = (reason: string) => ({ ok: false, reason });
  it.each([
    // what, the annotations, require-automated, the result
    ['automated, no filter', automated, true, updated(automated)],
    ['not automated, not required', '    a: b\n', false, updated('    a: b\n')],
    [
      'not automated, required',
      '    a: b\n',
      true,
      refused(
        'HelmRelease ns/app is not automated (no fluxcd.io/automated: "true") here, so chart-image is not updated to 2.0',
      ),
    ],
    [
      'locked, with its message',
      `${automated}    fluxcd.io/locked: "true"\n    fluxcd.io/locked_msg: incident freeze\n`,
      true,
      refused(
        'HelmRelease ns/app is locked (fluxcd.io/locked: "true"): incident freeze here, so chart-image is not updated to 2.0',
      ),
    ],
    [
      'locked, automation not required',
      '    fluxcd.io/locked: "true"\n',
      false,
      refused(
        'HelmRelease ns/app is locked (fluxcd.io/locked: "true") here, so chart-image is not updated to 2.0',
      ),
    ],
    [
      'ignored',
      `${automated}    fluxcd.io/ignore: "true"\n`,
      true,
      refused(
        'HelmRelease ns/app is ignored (fluxcd.io/ignore: "true") here, so chart-image is not updated to 2.0',
      ),
    ],
    [
      'a narrower filter',
      `${automated}    filter.fluxcd.io/chart-image: semver:~1.0\n`,
      true,
      refused('chart-image of ns/app has the filter semver:~1.0 here, not glob:*, which chose 2.0'),
    ],
    [
      'a filter that does not parse (the release is blocked)',
      `${automated}    filter.fluxcd.io/chart-image: semver:~~1\n`,
      true,
      { ok: false },
    ],
  ])('%s', (_what, annotations, requireAutomated, result) => {
    const applied = applyUpdates('f.yaml', release(annotations), [target], undefined, { requireAutomated });
    expect(applied).toMatchObject(result);
  });

  it('the filter the plan chose with, written the same way here, lets the edit through', () => {
    const filtered = `${automated}    filter.fluxcd.io/chart-image: semver:>=1.0\n`;
    expect(
      applyUpdates('f.yaml', release(filtered), [{ ...target, filter: 'semver:>=1.0' }], undefined, {
        requireAutomated: true,
      }),
    ).toEqual(updated(filtered));
  });
});

describe('two updates whose edits overlap in the text', () => {
  const B = `sha256:${'b'.repeat(64)}`;
  // The alias `twin` reads its image from c0's digest key: c0's new digest and the twin's new tag
  // would both rewrite that text.
  const text = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: app
  annotations:
    repository.fluxcd.io/twin: c0.image.digest
spec:
  values:
    c0:
      image:
        repository: repo/app
        tag: 1.0.0
        digest: "repo/x:1.0"
`;
  const c0: UpdateTarget = {
    release: 'app',
    documentIndex: 0,
    container: 'c0',
    repository: 'docker.io/repo/app',
    to: '1.1.0',
    toDigest: B,
  };
  const twin: UpdateTarget = {
    ...c0,
    container: 'twin',
    repository: 'docker.io/repo/x',
    to: '1.1',
    toDigest: undefined,
  };
  it.each([
    ['the image first', [c0, twin]],
    ['the alias first', [twin, c0]],
  ])('%s: the edit is refused', (_order, targets) => {
    expect(applyUpdates('f.yaml', text, targets)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^it conflicts with (twin|c0) on the same text: the text at line 13 /),
    });
  });
});

describe('applyUpdates: a tag an alias reuses is never edited', () => {
  const text =
    'apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n    c0:\n      image: repo/app\n      tag: &t "1.0"\n    c1:\n      image: repo/app\n      tag: *t\n';
  const c0: UpdateTarget = {
    release: 'app',
    documentIndex: 0,
    container: 'c0',
    repository: 'docker.io/repo/app',
    to: '1.1',
  };
  it('refused (the base branch may have gained the alias since the plan)', () => {
    expect(applyUpdates('f.yaml', text, [c0])).toEqual({
      ok: false,
      reason:
        'app c0: its tag is anchored (&t) and reused at line 12 (*t), so an edit would change what that line reads too; write the tag itself in each place instead of &t and *t to have it updated',
    });
  });
});
