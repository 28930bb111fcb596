import fc from 'fast-check';
import { marked } from 'marked';
import { readFileSync } from 'node:fs';
import {
  COMMIT_TRAILER,
  escapeMarkdown,
  fileLink,
  ignoreVersionHint,
  markerOf,
  mostSignificantType,
  MAX_BODY_LENGTH,
  otherTypeLabels,
  parseMarker,
  releasesLink,
  renderBody,
  renderCommitMessage,
  renderLabels,
  renderMarker,
  renderTitle,
  type BodyContext,
} from '../../src/plan/pull-request-text.js';
import { releaseNotesKey, type ReleaseNotes } from '../../src/plan/release-notes-text.js';
import { RELEASE_NOTES_END, RELEASE_NOTES_START } from '../../src/plan/release-notes-parts.js';
import { parseFilter } from '../../src/filters/index.js';
import type { Update } from '../../src/plan/types.js';
import type { UpdateType } from '../../src/plan/update-type.js';
import { makeUpdate } from '../../test-support/github/updates.js';
import {
  detailsCloseWhereOpened,
  ENDS_WITH_AFTER,
  HOSTILE_PIECES,
  renderedWithAfter,
  withoutElements,
} from '../../test-support/rendered-markdown.js';

const context: BodyContext = {
  serverUrl: 'https://github.com',
  owner: 'acme',
  repo: 'fleet',
  base: 'main',
  branch: 'helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d',
};

/** An update's outside text fields, each `text`, its source `source`, and up to `notTaken` tags not taken. */
function updateFields(
  text: fc.Arbitrary<string>,
  source: fc.Arbitrary<string | undefined>,
  notTaken: number,
) {
  return fc.record({
    file: text,
    release: text,
    container: text,
    filter: text,
    chosenBy: text,
    source,
    notTaken: fc.array(fc.record({ tag: text, reason: text }), { maxLength: notTaken }),
  });
}

/** The same releases of `https://github.com/acme/app` as the notes of every update with a source. */
function sameNotesForEach(
  updates: readonly Update[],
  releases: ReleaseNotes['releases'],
): Map<string, ReleaseNotes> {
  const repositoryUrl = 'https://github.com/acme/app';
  return new Map(
    updates.flatMap((u) =>
      u.source
        ? [[releaseNotesKey(u.source, u.from, u.to), { repositoryUrl, releases, more: 0 }] as const]
        : [],
    ),
  );
}

describe('renderTitle', () => {
  it.each<[string, Update[], string | undefined, string | undefined, string]>([
    [
      'default',
      [makeUpdate()],
      undefined,
      undefined,
      'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
    ],
    [
      'conventional prefix',
      [makeUpdate()],
      undefined,
      'chore(deps):',
      'chore(deps): Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
    ],
    [
      'downgrade',
      [makeUpdate({ to: '4.0.2', downgrade: true })],
      undefined,
      undefined,
      'Downgrade bitnami/mongodb from 4.0.3 to 4.0.2 (data/mongodb)',
    ],
    [
      'downgrade with a template without {action}',
      [makeUpdate({ downgrade: true })],
      '{repository} {from} -> {to}',
      'chore(deps):',
      'chore(deps): bitnami/mongodb 4.0.3 -> 4.0.4 (downgrade)',
    ],
    [
      'update type',
      [makeUpdate({ from: '4.0.3', to: '5.0.0', type: 'major' })],
      'deps({type}): {repository} {to}',
      undefined,
      'deps(major): bitnami/mongodb 5.0.0',
    ],
    [
      'registry kept as written',
      [makeUpdate({ image: 'ghcr.io/acme/app:1.0', repository: 'ghcr.io/acme/app', from: '1.0', to: '1.1' })],
      undefined,
      undefined,
      'Update ghcr.io/acme/app from 1.0 to 1.1 (data/mongodb)',
    ],
    [
      'group of containers',
      [makeUpdate(), makeUpdate({ container: 'sidecar', type: 'minor' })],
      '{action} {repository} to {to} in {release} ({container}, {type})',
      undefined,
      'Update bitnami/mongodb to 4.0.4 in data/mongodb (chart-image, sidecar, minor, patch)',
    ],
    [
      '{type} lists a group’s types riskiest first',
      [
        makeUpdate({ type: 'patch' }),
        makeUpdate({ container: 'sidecar', type: 'minor' }),
        makeUpdate({ container: 'init', type: 'pre-release' }),
      ],
      '{repository} ({type})',
      undefined,
      'bitnami/mongodb (pre-release, minor, patch)',
    ],
    [
      'every placeholder',
      [makeUpdate()],
      '{action}|{type}|{repository}|{image}|{from}|{to}|{release}|{container}|{file}|{unknown}',
      undefined,
      'Update|patch|bitnami/mongodb|bitnami/mongodb:4.0.4|4.0.3|4.0.4|data/mongodb|chart-image|releases/mongodb.yaml|{unknown}',
    ],
    [
      'a newline in a name or the prefix stays one line',
      [makeUpdate({ name: 'mongo\ndb' })],
      undefined,
      'fix:\n',
      'fix: Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongo db)',
    ],
  ])('%s', (_name, updates, template, prefix, expected) => {
    expect(renderTitle(updates, template, prefix)).toBe(expected);
  });

  const exporter = (overrides: Partial<Update> = {}): Update =>
    makeUpdate({
      container: 'metrics',
      repository: 'docker.io/bitnami/mongodb-exporter',
      image: 'bitnami/mongodb-exporter:0.10.0',
      from: '0.10.0',
      to: '0.11.0',
      type: 'minor',
      ...overrides,
    });
  it.each<[string, Update[], string | undefined, string]>([
    [
      'several images of one release',
      [makeUpdate(), exporter()],
      undefined,
      'Update 2 images in data/mongodb',
    ],
    [
      'several images of one release, with a prefix',
      [makeUpdate(), exporter(), exporter({ container: 'backup', image: 'bitnami/kubectl:1.0', to: '1.1' })],
      'chore(deps):',
      'chore(deps): Update 3 images in data/mongodb',
    ],
    [
      'all downgrades',
      [makeUpdate({ to: '4.0.2', downgrade: true }), exporter({ to: '0.9.0', downgrade: true })],
      undefined,
      'Downgrade 2 images in data/mongodb',
    ],
    [
      'two containers on the same text count as one image',
      [makeUpdate(), makeUpdate({ container: 'alias' })],
      undefined,
      'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
    ],
    [
      'one image in several releases (group-by image)',
      [makeUpdate(), makeUpdate({ name: 'other', release: 'data/other', from: '4.0.2' })],
      undefined,
      'Update bitnami/mongodb from 4.0.3, 4.0.2 to 4.0.4 (data/mongodb, data/other)',
    ],
  ])('%s', (_name, updates, prefix, expected) => {
    expect(renderTitle(updates, undefined, prefix)).toBe(expected);
  });

  it('renders a custom template as written for several images of one release', () => {
    expect(renderTitle([makeUpdate(), exporter()], '{repository} {to}')).toBe(
      'bitnami/mongodb, bitnami/mongodb-exporter 4.0.4, 0.11.0',
    );
  });

  it('keeps titles within GitHub’s limit', () => {
    expect(renderTitle([makeUpdate({ name: 'x'.repeat(400) })]).length).toBeLessThanOrEqual(256);
  });

  it('cuts a long title between characters, never inside a surrogate pair (a lone half is no UTF-8)', () => {
    // The cut falls on the 255th UTF-16 unit: the first half of an emoji there would be left alone.
    const title = renderTitle([makeUpdate({ name: `${'x'.repeat(205)}${'😀'.repeat(40)}` })]);
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title.endsWith('xxxxx…')).toBe(true);
    expect(title).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('renderCommitMessage', () => {
  it('starts with the prefixed title, lists each update with its type, and ends with the trailer', () => {
    expect(
      renderCommitMessage(
        [makeUpdate(), makeUpdate({ container: 'sidecar', to: '4.0.2', downgrade: true })],
        undefined,
        'chore(deps):',
      ),
    ).toBe(
      [
        'chore(deps): Update 2 images in data/mongodb (1 downgrade)',
        '',
        '- data/mongodb (chart-image) in releases/mongodb.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.4 (patch)',
        '- data/mongodb (sidecar) in releases/mongodb.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.2 (downgrade)',
        '',
        COMMIT_TRAILER,
        '',
      ].join('\n'),
    );
  });
});

describe('renderLabels', () => {
  it.each<[string[], Update[], string[]]>([
    [['dependencies'], [makeUpdate()], ['dependencies']],
    [['dependencies', 'update:{type}'], [makeUpdate({ type: 'minor' })], ['dependencies', 'update:minor']],
    [['{type}'], [makeUpdate({ type: 'patch' }), makeUpdate({ type: 'major' })], ['major']],
    [
      ['update:{type}'],
      [makeUpdate({ type: 'minor' }), makeUpdate({ type: 'pre-release' })],
      ['update:pre-release'],
    ],
    [['update:{type}'], [makeUpdate({ type: 'build' }), makeUpdate({ type: 'patch' })], ['update:patch']],
    [
      ['deps', '{type}'],
      [makeUpdate({ type: 'major' }), makeUpdate({ type: 'downgrade' })],
      ['deps', 'downgrade'],
    ],
    [['x'.repeat(60)], [makeUpdate()], ['x'.repeat(50)]],
  ])('%j -> %j', (labels, updates, expected) => {
    expect(renderLabels(labels, updates)).toEqual(expected);
  });
});

describe('otherTypeLabels', () => {
  const major = [makeUpdate({ type: 'major' })];
  it.each<[string, string[], string[], string[]]>([
    // what, the configured labels, the pull request's labels, the ones to remove
    [
      'the patch label of a pull request now a major',
      ['update:{type}'],
      ['update:patch', 'update:major'],
      ['update:patch'],
    ],
    [
      'every other type, in any case',
      ['{type}'],
      ['Minor', 'build', 'DOWNGRADE', 'major'],
      ['Minor', 'build', 'DOWNGRADE'],
    ],
    ['labels of people and plain labels stay', ['deps', 'update:{type}'], ['deps', 'needs-qa', 'patch'], []],
    ['no {type} label configured', ['deps'], ['deps', 'update:patch'], []],
    ['two {type} labels', ['update:{type}', 'type/{type}'], ['type/minor', 'update:major'], ['type/minor']],
  ])('%s', (_what, labels, present, stale) => {
    expect(otherTypeLabels(present, labels, major)).toEqual(stale);
  });
});

describe('renderTitle: what a title always says', () => {
  const downgrade = makeUpdate({ to: '4.0.2', downgrade: true });
  const repushed = makeUpdate({ to: '4.0.3', fromDigest: 'sha256:aaa', toDigest: 'sha256:bbb' });

  it.each<[string, Update[], string | undefined, string]>([
    ['no downgrade note without a downgrade', [makeUpdate()], '{repository} {to}', 'bitnami/mongodb 4.0.4'],
    [
      '{action} of a group with some downgrades is Update',
      [makeUpdate(), downgrade],
      '{action} {to}',
      'Update 4.0.4, 4.0.2',
    ],
    ['{action} of a group of downgrades is Downgrade', [downgrade], '{action} {to}', 'Downgrade 4.0.2'],
    [
      'a downgrade among the images of a release is counted',
      [makeUpdate(), downgrade],
      undefined,
      'Update 2 images in data/mongodb (1 downgrade)',
    ],
    [
      'a re-pushed tag among other updates says its digest changed',
      [makeUpdate(), repushed],
      '{to}',
      '4.0.4, 4.0.3 (digest changed)',
    ],
    [
      'several images of several releases are not counted',
      [makeUpdate(), makeUpdate({ name: 'other', image: 'bitnami/redis:1.0', to: '1.1' })],
      undefined,
      'Update bitnami/mongodb, bitnami/redis from 4.0.3 to 4.0.4, 1.1 (data/mongodb, data/other)',
    ],
    [
      'downgrades among the images of a release are counted',
      [makeUpdate(), downgrade, makeUpdate({ container: 'c', to: '4.0.1', downgrade: true })],
      undefined,
      'Update 3 images in data/mongodb (2 downgrades)',
    ],
    [
      'a re-pushed tag among the images of a release',
      [makeUpdate({ to: '4.0.5' }), repushed],
      undefined,
      'Update 2 images in data/mongodb (digest changed)',
    ],
    [
      'a downgrade among updates without {action} gets the note',
      [makeUpdate(), downgrade],
      '{repository} {to}',
      'bitnami/mongodb 4.0.4, 4.0.2 (downgrade)',
    ],
    [
      'a re-pushed tag says its digest changed',
      [repushed],
      undefined,
      'Update bitnami/mongodb from 4.0.3 to 4.0.3 (data/mongodb) (digest changed)',
    ],
    [
      'placeholders are lower case; others are left as written',
      [makeUpdate()],
      '{Action} {} {to',
      '{Action} {} {to',
    ],
    ['a placeholder used twice', [makeUpdate()], '{to}/{to}', '4.0.4/4.0.4'],
    [
      'tabs, control and separator characters become one space',
      [makeUpdate({ container: 'a\t\u0000\u2028b\u007f\u2029\u001fc' })],
      '{container}',
      'a b c',
    ],
  ])('%s', (_name, updates, template, expected) => {
    expect(renderTitle(updates, template)).toBe(expected);
  });

  it.each([
    [
      'a release title of 256 characters is kept',
      256 - 'Update 2 images in data/'.length,
      `Update 2 images in data/${'n'.repeat(232)}`,
    ],
    [
      'a longer release title is cut to 256 with a mark',
      257 - 'Update 2 images in data/'.length,
      `Update 2 images in data/${'n'.repeat(231)}…`,
    ],
  ])('%s', (_name, length, expected) => {
    const name = 'n'.repeat(length);
    expect(renderTitle([makeUpdate({ name }), makeUpdate({ name, to: '4.0.5' })])).toBe(expected);
  });

  // A long title is cut before its notes: `(downgrade)` is what a title always says.
  const long = 'n'.repeat(300);
  it.each<[string, Update[], string | undefined, string]>([
    [
      'a downgrade without {action}',
      [makeUpdate({ name: long, to: '4.0.2', downgrade: true })],
      '{release} {to}',
      `data/${'n'.repeat(255 - 5 - ' (downgrade)'.length)}… (downgrade)`,
    ],
    [
      'a re-pushed tag',
      [makeUpdate({ name: long, to: '4.0.3', fromDigest: 'sha256:aaa' })],
      '{release}',
      `data/${'n'.repeat(255 - 5 - ' (digest changed)'.length)}… (digest changed)`,
    ],
    [
      'a downgrade among the images of a release',
      [makeUpdate({ name: long }), makeUpdate({ name: long, container: 'c', to: '4.0.1', downgrade: true })],
      undefined,
      `Update 2 images in data/${'n'.repeat(255 - 24 - ' (1 downgrade)'.length)}… (1 downgrade)`,
    ],
  ])('a long title keeps its note: %s', (_name, updates, template, expected) => {
    const title = renderTitle(updates, template);
    expect(title).toBe(expected);
    expect(title).toHaveLength(256);
  });

  it('counts the releases of one image that do not fit (group-by: image), instead of cutting the list', () => {
    const updates = Array.from({ length: 40 }, (_, i) => makeUpdate({ name: `release-${i}` }));
    expect(renderTitle(updates)).toBe('Update bitnami/mongodb from 4.0.3 to 4.0.4 (40 releases)');
    // Releases that fit are named.
    expect(renderTitle(updates.slice(0, 3))).toBe(
      'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/release-0, data/release-1, data/release-2)',
    );
  });

  it.each([
    ['a title of 256 characters is kept', 256, 'x'.repeat(256)],
    ['a longer title is cut to 256 with a mark', 257, `${'x'.repeat(255)}…`],
  ])('%s', (_name, length, expected) => {
    expect(renderTitle([makeUpdate({ container: 'x'.repeat(length) })], '{container}')).toBe(expected);
  });
});

describe('renderCommitMessage: one line per update', () => {
  it('ends with the trailer that marks the Action’s commits', () => {
    expect(renderCommitMessage([makeUpdate()]).endsWith('\n\nUpdated-by: helmrelease-image-updater\n')).toBe(
      true,
    );
  });

  it('a newline in a name cannot add a line (or a trailer) to the message', () => {
    const message = renderCommitMessage(
      [makeUpdate({ container: 'a\nSigned-off-by: x', release: 'r\n', file: 'f\r\ng.yaml' })],
      '{container}',
    );
    expect(message.split('\n')).toEqual([
      'a Signed-off-by: x',
      '',
      '- r (a Signed-off-by: x) in f g.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.4 (patch)',
      '',
      COMMIT_TRAILER,
      '',
    ]);
  });
});

describe('mostSignificantType', () => {
  it.each<[string, UpdateType[], UpdateType | undefined]>([
    ['a downgrade before a major', ['major', 'downgrade'], 'downgrade'],
    ['a major before a pre-release', ['pre-release', 'major'], 'major'],
    ['a pre-release before a minor', ['minor', 'pre-release'], 'pre-release'],
    ['a minor before a patch', ['patch', 'minor'], 'minor'],
    ['a patch before a build', ['build', 'patch'], 'patch'],
    ['a build alone', ['build'], 'build'],
    ['no updates', [], undefined],
  ])('%s', (_name, types, expected) => {
    expect(mostSignificantType(types.map((type) => makeUpdate({ type })))).toBe(expected);
  });
});

describe('renderLabels: names', () => {
  it.each<[string, string[], Update[], string[]]>([
    ['no labels', [], [makeUpdate()], []],
    ['{type} without updates gives no label', ['deps', 't:{type}'], [], ['deps']],
    [
      '{type} stands for the most significant type',
      ['t:{type}'],
      [makeUpdate({ type: 'build' }), makeUpdate({ type: 'minor' }), makeUpdate({ type: 'build' })],
      ['t:minor'],
    ],
    ['{type} may appear twice', ['{type}-{type}'], [makeUpdate({ type: 'minor' })], ['minor-minor']],
    [
      'the same label twice is one label',
      ['deps', 'deps', '{type}', 'patch'],
      [makeUpdate()],
      ['deps', 'patch'],
    ],
    ['blank labels are dropped', ['', ' ', 'deps'], [makeUpdate()], ['deps']],
    ['a label is one line', ['a\nb'], [makeUpdate()], ['a b']],
    ['a label of 50 characters is kept', ['y'.repeat(50)], [makeUpdate()], ['y'.repeat(50)]],
  ])('%s', (_name, labels, updates, expected) => {
    expect(renderLabels(labels, updates)).toEqual(expected);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['plain-1.2.3', 'plain-1.2.3'],
    ['a|b', 'a\\|b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    // GitHub links mentions and issues in rendered text, so entities alone would not stop it.
    ['@octocat #12', '@&#8203;octocat #&#8203;12'],
    ['**bold** [link](x)', '\\*\\*bold\\*\\* \\[link\\]\\(x\\)'],
    ['line\nbreak\r\nagain', 'line break again'],
    ['&amp;', '&amp;amp;'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('links', () => {
  it('links a file at a line on the base branch, percent-encoding the path', () => {
    expect(
      fileLink({ ...context, serverUrl: 'https://ghe.example.com/' }, 'dir with space/a#b.yaml', 7),
    ).toBe('https://ghe.example.com/acme/fleet/blob/main/dir%20with%20space/a%23b.yaml#L7');
  });

  it.each([
    ['https://github.com/bitnami/containers', 'https://github.com/bitnami/containers/releases'],
    ['https://github.com/bitnami/containers.git', 'https://github.com/bitnami/containers/releases'],
    [
      'https://github.com/bitnami/containers/tree/main/bitnami/mongodb',
      'https://github.com/bitnami/containers/releases',
    ],
    ['https://gitlab.com/group/project', 'https://gitlab.com/group/project/-/releases'],
    ['https://example.com/project', undefined],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
  ])('releases of %j', (source, expected) => {
    expect(releasesLink(source)).toBe(expected);
  });
});

describe('ignoreVersionHint', () => {
  it.each([
    ['semver:~4.0', '4.0.4', 'filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"'],
    ['semver:~4.0 || ~5.0', '5.0.1', 'filter.fluxcd.io/chart-image: "semver:~4.0, !=5.0.1 || ~5.0, !=5.0.1"'],
    ['semver:', '1.0.0', 'filter.fluxcd.io/chart-image: "semver:!=1.0.0"'],
  ])('%s, to %s: %s', (filter, to, annotation) => {
    const hint = ignoreVersionHint(makeUpdate({ filter, to }));
    expect(hint).toContain(`\`${annotation}\``);
    // The annotation written as suggested refuses exactly that version.
    const suggested = parseFilter(JSON.parse(annotation.slice(annotation.indexOf(': ') + 2)) as string);
    expect(suggested.matches(to)).toBe(false);
    expect(suggested.problem).toBeUndefined();
  });

  it('keeps the other versions the filter took', () => {
    const suggested = parseFilter('semver:~4.0, !=4.0.4');
    expect(['4.0.3', '4.0.5', '4.0.4', '4.1.0'].map((t) => suggested.matches(t))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  // A semver downgrade: the filter takes nothing as high as the current tag, so `!=4.0.2` would
  // bring 4.0.1 next, another downgrade. The hint says how to stay instead.
  it.each([
    ['semver:~4.0', '5.0.0', '4.0.2', 'semver:~4.0 || 5.0.0'],
    ['semver:~4.0 || ~3.0', 'v5.1.0-alpine', '4.0.2', 'semver:~4.0 || ~3.0 || v5.1.0-alpine'],
  ])('a downgrade under %s from %s: how to stay on it', (filter, from, to, kept) => {
    const hint = ignoreVersionHint(makeUpdate({ filter, from, to, downgrade: true }));
    expect(hint).not.toContain(`!=${to}`);
    expect(hint).toContain(`\`filter.fluxcd.io/chart-image: ${JSON.stringify(kept)}\``);
    expect(hint).toContain('`fluxcd.io/locked: "true"`');
    // The filter suggested takes the current tag and nothing above it among these: it stays.
    const suggested = parseFilter(kept);
    expect(suggested.problem).toBeUndefined();
    const taken = [to, from, '4.0.1', '3.0.9'].filter((t) => suggested.matches(t));
    expect(suggested.kind === 'semver' && [...taken].sort(suggested.compareTags)[0]).toBe(from);
  });

  it('a downgrade from a tag no constraint can name alone: the lock only', () => {
    const hint = ignoreVersionHint(
      makeUpdate({ filter: 'semver:~4.0', from: '5', to: '4.0.2', downgrade: true }),
    );
    expect(hint).not.toContain('filter.fluxcd.io');
    expect(hint).toContain('`fluxcd.io/locked: "true"`');
  });

  it('a re-pushed tag: its heading shows both digests, and it gets no hint (leaving the current tag out would move the container off it)', () => {
    const update = makeUpdate({
      from: '4.0.3',
      to: '4.0.3',
      fromDigest: `sha256:${'a'.repeat(64)}`,
      toDigest: `sha256:${'b'.repeat(64)}`,
      type: 'build',
    });
    expect(renderBody([update], context).split('\n')[0]).toBe(
      '### Update `bitnami/mongodb` from `4.0.3@sha256:aaaaaaaaaaaa` to `4.0.3@sha256:bbbbbbbbbbbb` (build, digest changed)',
    );
    expect(ignoreVersionHint(update)).toBe('');
    const body = renderBody([update], context);
    expect(body).toContain(
      'Closing this pull request without merging keeps the Action from proposing a new digest of `4.0.3` again; a newer tag is still proposed.\n',
    );
    expect(body).not.toContain('!=4.0.3');
  });

  it('says how to hold a release for glob and regex filters, which cannot leave out one tag', () => {
    expect(ignoreVersionHint(makeUpdate({ filter: 'glob:master-*', to: 'master-abc' }))).toContain(
      '`fluxcd.io/locked: "true"`',
    );
  });
});

describe('marker', () => {
  it('round-trips through the body', () => {
    const updates = [makeUpdate(), makeUpdate({ container: 'side-->car<script>' })];
    const body = renderBody(updates, context);
    expect(parseMarker(body)).toEqual(markerOf(context.branch, updates));
    expect(renderMarker(markerOf(context.branch, updates))).not.toMatch(/<script>|-->.*-->/s);
  });

  it.each([
    ['no body', null],
    ['no marker', 'Some text'],
    ['broken JSON', '<!-- helmrelease-image-updater: {"version": -->'],
    ['wrong shape', '<!-- helmrelease-image-updater: {"version":1,"branch":"b","updates":[{"file":1}]} -->'],
  ])('ignores %s', (_name, body) => {
    expect(parseMarker(body)).toBeUndefined();
  });
});

/** The body's top-level parts, by their first words, in order. */
/** The visible sections of a body, in order (the release notes part's markers are invisible). */
function sectionsOf(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line !== RELEASE_NOTES_START && line !== RELEASE_NOTES_END)
    .filter((line) =>
      /^(### |\*\*Why|\*\*Not taken|\*\*Release notes|No release notes|<details>|---|Closing|Opened by|<!-- )/.test(
        line,
      ),
    )
    .map((line) =>
      line.replace(/^(### \S+|\*\*[^*]+\*\*|<details>|---|Closing|Opened by|<!--|No release notes).*$/, '$1'),
    );
}

describe('renderBody', () => {
  const source = 'https://github.com/bitnami/containers';
  const notes: ReleaseNotes = {
    repositoryUrl: source,
    releases: [
      {
        tag: 'v4.0.4',
        name: 'MongoDB 4.0.4',
        url: `${source}/releases/tag/v4.0.4`,
        body: '## Fixes\n- a fix (#12) by @alice',
      },
    ],
    more: 0,
    compareUrl: `${source}/compare/v4.0.3...v4.0.4`,
  };

  it.each<[string, Update, BodyContext, string[], RegExp[]]>([
    [
      'semver update with release notes',
      makeUpdate({
        source,
        notTaken: [
          { tag: '5.0.0', reason: 'outside ~4.0' },
          { tag: '4.1.0-rc.1', reason: 'a pre-release, outside ~4.0' },
        ],
      }),
      { ...context, releaseNotes: new Map([[releaseNotesKey(source, '4.0.3', '4.0.4'), notes]]) },
      [
        '### Update',
        '**Why `4.0.4`:**',
        '**Not taken:**',
        '**Release notes**',
        '<details>',
        '---',
        'Closing',
        'Opened by',
        '<!--',
      ],
      [
        /^### Update `bitnami\/mongodb` from `4\.0\.3` to `4\.0\.4` \(patch\)$/m,
        /^- HelmRelease `data\/mongodb`, container `chart-image`$/m,
        /^- \[releases\/mongodb\.yaml line 12\]\(https:\/\/github\.com\/acme\/fleet\/blob\/main\/releases\/mongodb\.yaml#L12\) on `main`$/m,
        /^\*\*Why `4\.0\.4`:\*\* highest version matching \\~4\.0 \(filter `semver:~4\.0`\)\.$/m,
        /^- `5\.0\.0`: outside \\~4\.0$/m,
        /^- `4\.1\.0-rc\.1`: a pre-release, outside \\~4\.0$/m,
        /\[compare 4\.0\.3\.\.\.4\.0\.4\]\(https:\/\/github\.com\/bitnami\/containers\/compare\/v4\.0\.3\.\.\.v4\.0\.4\)/,
        /<details><summary>v4\.0\.4 · MongoDB 4\.0\.4<\/summary>/,
        /by @&#8203;alice/,
        /set `filter\.fluxcd\.io\/chart-image: "semver:~4\.0, !=4\.0\.4"`/,
      ],
    ],
    [
      'glob update: build time said once, with the gap to the current image',
      makeUpdate({
        from: 'master-aaa',
        to: 'master-bbb',
        filter: 'glob:master-*',
        type: 'build',
        chosenBy: 'newest build matching master-*, built 2026-11-04T10:00:00Z',
        created: '2026-11-04T10:00:00Z',
        fromCreated: '2026-11-01T10:00:00Z',
      }),
      context,
      ['### Update', '**Why `master-bbb`:**', 'No release notes', '---', 'Closing', 'Opened by', '<!--'],
      [
        /^\*\*Why `master-bbb`:\*\* newest build matching master-\\\*, built 2026-11-04T10:00:00Z \(filter `glob:master-\*`\)\. That is 3 days after the image of `master-aaa`\.$/m,
        /the image has no `org\.opencontainers\.image\.source` label/,
      ],
    ],
    [
      'downgrade, source not on GitHub: the link only',
      makeUpdate({
        to: '4.0.2',
        downgrade: true,
        type: 'downgrade',
        source: 'https://gitlab.com/acme/mongo',
      }),
      context,
      ['### **Downgrade**', '**Why `4.0.2`:**', '**Release notes**', '---', 'Closing', 'Opened by', '<!--'],
      [
        /lower version or an older build/,
        /^\*\*Release notes\*\* of \[gitlab\.com\/acme\/mongo\]\(https:\/\/gitlab\.com\/acme\/mongo\): \[releases\]\(https:\/\/gitlab\.com\/acme\/mongo\/-\/releases\)$/m,
      ],
    ],
  ])('%s', (_name, update, ctx, sections, patterns) => {
    const body = renderBody([update], ctx);
    expect(sectionsOf(body)).toEqual(sections.map((s) => s.replace(/^(### \S+|\*\*[^*]+\*\*).*$/, '$1')));
    for (const pattern of patterns) expect(body).toMatch(pattern);
    expect(body).not.toMatch(/built [^\n]*built/);
  });

  it('escapes names from files and keeps a label’s javascript: URL from becoming a link', () => {
    const body = renderBody(
      [makeUpdate({ container: 'evil`|<b>@admin</b>', source: 'javascript:alert(1)' })],
      context,
    );
    expect(body).toContain('container ``evil`|<b>@admin</b>``');
    expect(body).not.toMatch(/\]\(javascript:/);
    expect(body).toContain('Source: javascript:alert\\(1\\)');
  });

  it.each([
    ['an issue', 'https://github.com/victim/repo/issues/1'],
    ['a pull request, on www.', 'https://www.github.com/victim/repo/pull/2#top'],
    ['a discussion', 'https://github.com/victim/repo/discussions/3'],
  ])(
    'links a source label naming %s through redirect.github.com, so it gets no backlink',
    (_name, source) => {
      const body = renderBody([makeUpdate({ source })], context);
      const path = source.replace(/^https:\/\/(www\.)?github\.com/, '');
      expect(body).toContain(`**Release notes** of [victim/repo](https://redirect.github.com${path})`);
      expect(body).not.toMatch(/(?<!redirect\.)github\.com\/victim\/repo\/(issues|pull|discussions)\//);
    },
  );

  it('links a source label naming a folder of a repository as written', () => {
    const source = 'https://github.com/bitnami/containers/tree/main/bitnami/mongodb';
    expect(renderBody([makeUpdate({ source })], context)).toContain(
      `**Release notes** of [bitnami/containers](${source})`,
    );
  });

  it('shows a source label that is no URL as text that links no issue of ours nor github.com', () => {
    const body = renderBody(
      [makeUpdate({ source: 'see GH-9 and https://github.com/victim/repo/pull/2 or www.example.com' })],
      context,
    );
    const source = body.split('\n').find((line) => line.startsWith('Source: '))!;
    expect(source).toContain('GH-&#8203;9');
    const html = marked.parse(source, { gfm: true, async: false });
    const links = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(['https://redirect.github.com/victim/repo/pull/2', 'http://www.example.com']);
  });

  it('stays within GitHub’s limit for a large group, listing the first updates and marking the rest; the marker keeps all', () => {
    const updates = Array.from({ length: 250 }, (_, i) => makeUpdate({ container: `container-${i}` }));
    const body = renderBody(updates, context);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    expect(parseMarker(body)?.updates).toHaveLength(250);
    expect(body).toMatch(/…and \d+ more updates \(the commit message lists every one\)\./);
  });

  // The marker is in the footer: counted twice, it left a group of 200 updates no room at all, and
  // the body said "…and 200 more updates" under nothing.
  it.each([200, 250, 2000])(
    'shows the first updates of a group of %i, whose marker takes most of the room',
    (n) => {
      const updates = Array.from({ length: n }, (_, i) => makeUpdate({ container: `container-${i}` }));
      const body = renderBody(updates, context);
      expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
      const shown = (body.match(/^### Update /gm) ?? []).length;
      expect(shown).toBeGreaterThanOrEqual(20);
      expect(body).toContain(`…and ${n - shown} more updates (the commit message lists every one).`);
      expect(body.indexOf('### Update `bitnami/mongodb`')).toBe(0);
    },
  );

  it('stays within GitHub’s limit for a huge group: the marker keeps the first updates that fit', () => {
    const updates = Array.from({ length: 2000 }, (_, i) => makeUpdate({ container: `container-${i}` }));
    const body = renderBody(updates, context);
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    const kept = parseMarker(body)?.updates ?? [];
    expect(kept.length).toBeGreaterThan(200);
    expect(kept).toEqual(markerOf(context.branch, updates).updates.slice(0, kept.length));
  });

  /** An update whose every outside value is `size` characters of hostile text. */
  function hostileUpdate(size: number, seed: string): Update {
    const junk = (s: string): string =>
      (s + '<b>@x #1 `|').repeat(Math.ceil(size / (s.length + 11))).slice(0, size);
    return makeUpdate({
      file: junk(`f${seed}`),
      release: junk(`r${seed}`),
      container: junk(`c${seed}`),
      image: `${junk('i')}:4.0.3`,
      repository: junk('repo'),
      filter: `semver:${junk('~')}`,
      chosenBy: junk('chosen'),
      to: 'a'.repeat(128),
      source: `https://github.com/acme/${'x'.repeat(size)}`,
      notTaken: Array.from({ length: 10 }, () => ({ tag: 'b'.repeat(128), reason: junk('why') })),
    });
  }

  it('gives every image of a release its section and its notes (or their links) within GitHub’s limit', () => {
    const updates = Array.from({ length: 12 }, (_, i) =>
      makeUpdate({
        container: `c${i}`,
        repository: `ghcr.io/acme/app-${i}`,
        image: `ghcr.io/acme/app-${i}:1.0.0`,
        from: '1.0.0',
        to: '1.1.0',
        type: 'minor',
        source: `https://github.com/acme/app-${i}`,
      }),
    );
    const releaseNotes = new Map(
      updates.map((u) => [
        releaseNotesKey(u.source!, u.from, u.to),
        {
          repositoryUrl: u.source!,
          releases: Array.from({ length: 20 }, (_, r) => ({
            tag: `v1.0.${r}`,
            name: `v1.0.${r}`,
            url: `${u.source!}/releases/tag/v1.0.${r}`,
            body: `- change ${r} `.repeat(300),
          })),
          more: 0,
          compareUrl: `${u.source!}/compare/v1.0.0...v1.1.0`,
        },
      ]),
    );
    const body = renderBody(updates, { ...context, releaseNotes });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    for (const u of updates) {
      expect(body).toContain(`### Update \`ghcr.io/acme/app-${u.container.slice(1)}\` from`);
      expect(body).toContain(`**Release notes** of [acme/app-${u.container.slice(1)}]`);
    }
    expect(parseMarker(body)?.updates).toHaveLength(12);
  });

  it('stays within GitHub’s limit when every outside value is 40,000 characters', () => {
    const updates = [hostileUpdate(40000, '1'), hostileUpdate(40000, '2')];
    const releaseNotes = new Map(
      updates.map((u) => [
        releaseNotesKey(u.source!, u.from, u.to),
        {
          repositoryUrl: 'https://github.com/acme/app',
          releases: Array.from({ length: 50 }, (_, i) => ({
            tag: `v${i}`,
            name: 'n'.repeat(40000),
            url: 'https://github.com/acme/app/releases/tag/v1',
            body: '#1 '.repeat(40000),
          })),
          more: 1000,
          compareUrl: 'https://github.com/acme/app/compare/a...b',
        },
      ]),
    );
    const body = renderBody(updates, { ...context, branch: 'b'.repeat(40000), releaseNotes });
    expect(body.length).toBeLessThanOrEqual(62000);
    expect(parseMarker(body)).toBeDefined();
  });

  it('always fits GitHub’s limit and keeps a readable marker (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 3000 });
    const update = updateFields(
      text,
      fc.option(
        fc.oneof(
          text,
          text.map((t) => `https://github.com/acme/${t}`),
        ),
        { nil: undefined },
      ),
      6,
    );
    fc.assert(
      fc.property(
        fc.array(update, { minLength: 1, maxLength: 40 }),
        text,
        fc.array(fc.record({ tag: text, name: text, url: text, body: fc.string({ maxLength: 8000 }) }), {
          maxLength: 12,
        }),
        (fields, branch, releases) => {
          const updates = fields.map((f) => makeUpdate(f));
          const releaseNotes = sameNotesForEach(updates, releases);
          const body = renderBody(updates, { ...context, branch, releaseNotes });
          expect(body.length).toBeLessThanOrEqual(62000);
          expect(parseMarker(body)).toBeDefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('what a body with hostile text renders to (GitHub-flavoured Markdown, by marked)', () => {
  const piece = fc.constantFrom(...HOSTILE_PIECES, '`<b>`', '<b>', '~~~', '\n\n', '=', '-', '*', '_', '#1');
  const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

  it('keeps every outside text out of its HTML and its details closed where they were opened', () => {
    const update = updateFields(text, fc.constantFrom(undefined, 'https://github.com/acme/app'), 3);
    fc.assert(
      fc.property(
        fc.array(update, { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ tag: text, name: text, url: text, body: text }), { maxLength: 3 }),
        (fields, releases) => {
          const updates = fields.map((f) => makeUpdate(f));
          const releaseNotes = sameNotesForEach(updates, releases);
          const body = renderBody(updates, { ...context, releaseNotes });
          const html = renderedWithAfter(body);
          expect(html).toMatch(ENDS_WITH_AFTER);
          expect(withoutElements(html, 'code|pre')).not.toMatch(/<img|<b>/);
          expect(detailsCloseWhereOpened(html)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the README’s examples are real output', () => {
  // Wrapped lines joined, so an example may span a line break.
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');
  // The quick start's HelmRelease: data/mongodb, chart-image, bitnami/mongodb 4.0.3, semver:~4.0.
  const quickStart = makeUpdate();

  it.each([
    ['the quick start title', renderTitle([quickStart])],
    ['a prefixed title', renderTitle([quickStart], undefined, 'chore(deps):')],
  ])('%s', (_name, title) => {
    expect(readme).toContain(`*${title}*`);
  });

  it('the label example', () => {
    expect(renderLabels(['update:{type}'], [makeUpdate({ to: '4.1.0', type: 'minor' })])).toEqual([
      'update:minor',
    ]);
    expect(readme).toContain('(`update:{type}` labels a pull request `update:minor`)');
  });

  it('the annotation that skips a version', () => {
    expect(ignoreVersionHint(quickStart)).toContain('`filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`');
    expect(readme).toContain('`filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`');
  });
});
