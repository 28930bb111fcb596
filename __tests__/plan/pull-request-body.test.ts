import {
  fileLink,
  ignoreVersionHint,
  MAX_BODY_LENGTH,
  releasesLink,
  renderBody,
  writtenRepository,
  type BodyContext,
} from '../../src/plan/pull-request-body.js';
import { buildSemverFilter } from '../../src/filters/semver-filter.js';
import { registryPage } from '../../src/plan/registry-page.js';
import {
  RELEASE_NOTES_END,
  RELEASE_NOTES_START,
  releaseNotesParts,
  withReleaseNotesParts,
} from '../../src/plan/release-notes-parts.js';
import { parseMarker, renderMarker, markerOf } from '../../src/plan/pull-request-marker.js';
import { releaseNotesKey, type ReleaseNotes } from '../../src/plan/release-notes-text.js';
import type { Update } from '../../src/plan/types.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const ZWSP = '&#8203;';
const SOURCE = 'https://github.com/bitnami/containers';
const context: BodyContext = {
  serverUrl: 'https://github.com',
  owner: 'acme',
  repo: 'fleet',
  base: 'main',
  branch: 'updates/data/mongodb/chart-image-1a2b3c4d',
};

/** Release notes for one tag change of `SOURCE`. */
function notesFor(update: Update, notes: Partial<ReleaseNotes> = {}): BodyContext {
  return {
    ...context,
    releaseNotes: new Map([
      [
        releaseNotesKey(update.source ?? SOURCE, update.from, update.to),
        { repositoryUrl: SOURCE, releases: [], more: 0, ...notes },
      ],
    ]),
  };
}

/** The lines of a body between the update sections and the footer. */
function notesPart(body: string): string[] {
  const start = body.indexOf(RELEASE_NOTES_START) + RELEASE_NOTES_START.length + 1;
  return body
    .slice(start, body.indexOf(RELEASE_NOTES_END))
    .split('\n')
    .filter((line) => line !== '');
}

/**
 * What a reviewer reads about release notes in each update section of a body, by the section's
 * heading: the notes lines (markers and blank lines left out) up to the next section or the footer.
 */
function notesBySection(body: string): [string, string[]][] {
  const sections: [string, string[]][] = [];
  for (const line of body.slice(0, body.lastIndexOf('\n---\n')).split('\n')) {
    if (line.startsWith('### ')) sections.push([line, []]);
    else if (/^(\*\*Release notes|No release notes|Source: |<details>|…and )/.test(line))
      sections.at(-1)?.[1].push(line);
  }
  return sections;
}

/** An update of the image `name` (its own source repository) in the same release. */
function imageUpdate(name: string, from: string, to: string, overrides: Partial<Update> = {}): Update {
  return makeUpdate({
    container: name,
    repository: `ghcr.io/acme/${name}`,
    image: `ghcr.io/acme/${name}:${from}`,
    from,
    to,
    source: `https://github.com/acme/${name}`,
    ...overrides,
  });
}

/** Release notes with one release of `tag` for each update, keyed as the body looks them up. */
function releasesOf(updates: readonly Update[], body = (u: Update): string => `Notes of ${u.container}`) {
  return new Map(
    updates.map((u) => [
      releaseNotesKey(u.source!, u.from, u.to),
      {
        repositoryUrl: u.source!,
        releases: [{ tag: `v${u.to}`, name: '', url: `${u.source!}/releases/tag/v${u.to}`, body: body(u) }],
        more: 0,
        compareUrl: `${u.source!}/compare/v${u.from}...v${u.to}`,
      },
    ]),
  );
}

describe('renderBody: a whole body', () => {
  it('says what changes, why, what was not taken, the release notes, what closing does, and carries the marker', () => {
    const update = makeUpdate({
      source: SOURCE,
      created: '2026-11-04T10:00:00Z',
      fromCreated: '2026-11-04T05:00:00Z',
      notTaken: [{ tag: '5.0.0', reason: 'outside ~4.0' }],
    });
    const body = renderBody(
      [update],
      notesFor(update, {
        releases: [
          {
            tag: 'v4.0.4',
            name: 'MongoDB 4.0.4',
            url: `${SOURCE}/releases/tag/v4.0.4`,
            body: '## Fixes\n- a fix (#12) by @alice',
          },
        ],
        more: 2,
        compareUrl: `${SOURCE}/compare/v4.0.3...v4.0.4`,
      }),
    );
    expect(body.split('\n')).toEqual([
      '### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)',
      '',
      '- HelmRelease `data/mongodb`, container `chart-image`',
      '- [releases/mongodb.yaml line 12](https://github.com/acme/fleet/blob/main/releases/mongodb.yaml#L12) on `main`',
      '- [bitnami/mongodb on Docker Hub](https://hub.docker.com/r/bitnami/mongodb): its tags and their dates',
      '',
      '**Why `4.0.4`:** highest version matching \\~4.0 (filter `semver:~4.0`). Built 2026-11-04 10:00 UTC. That is 5 hours after the image of `4.0.3`.',
      '',
      '**Not taken:**',
      '- `5.0.0`: outside \\~4.0',
      '',
      RELEASE_NOTES_START,
      '**Release notes** of [bitnami/containers](https://github.com/bitnami/containers) · [compare 4.0.3...4.0.4](https://github.com/bitnami/containers/compare/v4.0.3...v4.0.4)',
      '',
      '<details><summary>v4.0.4 · MongoDB 4.0.4</summary>',
      '',
      '#### Fixes',
      `- a fix ([#${ZWSP}12](https://redirect.github.com/bitnami/containers/issues/12)) by @${ZWSP}alice`,
      '',
      '</details>',
      '',
      '…and 2 earlier (see [releases](https://github.com/bitnami/containers/releases)).',
      '',
      RELEASE_NOTES_END,
      '---',
      '',
      'Closing this pull request without merging keeps the Action from proposing `4.0.4` again; a newer tag is still proposed. To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
      '',
      'Opened by helmrelease-image-updater from branch `updates/data/mongodb/chart-image-1a2b3c4d`.',
      '',
      renderMarker(markerOf(context.branch, [update])),
      '',
    ]);
  });

  it('a downgrade says so in its heading and explains it', () => {
    const body = renderBody([makeUpdate({ to: '4.0.2', downgrade: true })], context);
    expect(body.split('\n').slice(0, 10)).toEqual([
      '### **Downgrade** `bitnami/mongodb` from `4.0.3` to `4.0.2` (downgrade)',
      '',
      '- HelmRelease `data/mongodb`, container `chart-image`',
      '- [releases/mongodb.yaml line 12](https://github.com/acme/fleet/blob/main/releases/mongodb.yaml#L12) on `main`',
      '- [bitnami/mongodb on Docker Hub](https://hub.docker.com/r/bitnami/mongodb): its tags and their dates',
      '',
      '**Why `4.0.2`:** highest version matching \\~4.0 (filter `semver:~4.0`).',
      '',
      'The filter now chooses a lower version or an older build than the current tag (as Flux v1 would).',
      '',
    ]);
  });
});

describe('renderBody: a digest pin', () => {
  const OLD = `sha256:${'a'.repeat(64)}`;
  const NEW = `sha256:${'b'.repeat(64)}`;
  /** The section's list lines, after the HelmRelease and file lines. */
  const listed = (overrides: Partial<Update>): string[] =>
    renderBody([makeUpdate(overrides)], context)
      .split('\n')
      .filter((line) => line.startsWith('- Pinned'));

  it.each<[string, Partial<Update>, string[]]>([
    [
      'a pin that moves with its tag shows both digests',
      { pinnedDigest: OLD, toDigest: NEW },
      [
        '- Pinned by digest: from `sha256:aaaaaaaaaaaa` to `sha256:bbbbbbbbbbbb`, the digest the registry serves for `4.0.4`',
      ],
    ],
    [
      'the new digest alone when the pin it moves from is not known',
      { toDigest: NEW },
      ['- Pinned by digest: to `sha256:bbbbbbbbbbbb`, the digest the registry serves for `4.0.4`'],
    ],
    // A re-pushed tag says its digests in the heading already.
    ['a re-pushed tag: no line', { to: '4.0.3', fromDigest: OLD, toDigest: NEW }, []],
    ['no pin: no line', {}, []],
  ])('%s', (_name, overrides, expected) => {
    expect(listed(overrides)).toEqual(expected);
  });
});

describe('renderBody: why this tag', () => {
  /** What the "Why" line of a body says after the rule and the filter. */
  const why = (overrides: Partial<Update>): string =>
    renderBody([makeUpdate(overrides)], context)
      .split('\n')
      .find((line) => line.startsWith('**Why `4.0.4`:** '))!
      .split(' (filter `semver:~4.0`).')[1]!
      .trim();

  it.each<[string, Partial<Update>, string]>([
    ['no build time', {}, ''],
    ['the build time', { created: '2026-11-04T10:00:00Z' }, 'Built 2026-11-04 10:00 UTC.'],
    ['a build time that is not ISO is shown as given', { created: 'yesterday' }, 'Built yesterday.'],
    ['a long odd build time is capped', { created: 'y'.repeat(50) }, `Built ${'y'.repeat(39)}….`],
    [
      'the build time is not repeated when the rule already says it',
      { created: '2026-11-04T10:00:00Z', chosenBy: 'newest, built 2026-11-04T10:00:00Z' },
      '',
    ],
    ['the current image’s build time alone says nothing', { fromCreated: '2026-11-04T05:00:00Z' }, ''],
    ...(
      [
        ['2026-11-04T09:30:00Z', '1 hour after'],
        ['2026-11-04T09:00:00Z', '1 hour after'],
        ['2026-11-04T08:31:00Z', '1 hour after'],
        ['2026-11-04T10:00:00Z', '0 hours after'],
        ['2026-11-04T05:00:00Z', '5 hours after'],
        ['2026-11-02T11:00:00Z', '47 hours after'],
        ['2026-11-02T10:00:00Z', '2 days after'],
        ['2026-10-25T10:00:00Z', '10 days after'],
        ['2026-11-04T11:00:00Z', '1 hour before'],
        ['2026-11-07T10:00:00Z', '3 days before'],
      ] as const
    ).map(([fromCreated, gap]): [string, Partial<Update>, string] => [
      `the gap to the current image (${gap})`,
      { created: '2026-11-04T10:00:00Z', fromCreated },
      `Built 2026-11-04 10:00 UTC. That is ${gap} the image of \`4.0.3\`.`,
    ]),
    [
      'no gap when a build time cannot be read',
      { created: '2026-11-04T10:00:00Z', fromCreated: 'unknown' },
      'Built 2026-11-04 10:00 UTC.',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(why(overrides)).toBe(expected);
  });
});

describe('renderBody: what was not taken', () => {
  it('lists at most four tags, escaped', () => {
    const notTaken = ['5', '6', '7', '8', '9'].map((tag) => ({
      tag: `${tag}.0.0`,
      reason: `outside *${tag}*`,
    }));
    const lines = renderBody([makeUpdate({ notTaken })], context).split('\n');
    const start = lines.indexOf('**Not taken:**');
    expect(lines.slice(start, start + 6)).toEqual([
      '**Not taken:**',
      '- `5.0.0`: outside \\*5\\*',
      '- `6.0.0`: outside \\*6\\*',
      '- `7.0.0`: outside \\*7\\*',
      '- `8.0.0`: outside \\*8\\*',
      '',
    ]);
  });

  it('has no section when every tag was taken', () => {
    expect(renderBody([makeUpdate()], context)).not.toContain('Not taken');
  });
});

describe('renderBody: release notes', () => {
  const withSource = (source: string | undefined): Update => makeUpdate({ source });
  const noLabel =
    'No release notes for `bitnami/mongodb`: the image has no `org.opencontainers.image.source` label. Its maintainers can add one (`LABEL org.opencontainers.image.source=https://github.com/<owner>/<repo>`, or `docker/metadata-action`).';

  it.each<[string, Update, BodyContext, string[]]>([
    ['no source label', withSource(undefined), context, [noLabel]],
    [
      'a source that is no URL is shown as text',
      withSource('see <docs> @team'),
      context,
      [`Source: see &lt;docs&gt; @${ZWSP}team`],
    ],
    [
      'a source URL longer than 2000 characters is shown as text, capped at 200',
      withSource(`${SOURCE}/${'x'.repeat(2000)}`),
      context,
      // As text, which GitHub links through the redirect (no backlink).
      [
        `Source: ${`${SOURCE}/${'x'.repeat(2000)}`.slice(0, 199).replace('https://github.com/', 'https://redirect.github.com/')}…`,
      ],
    ],
    [
      'a GitHub source without fetched notes: its releases',
      withSource(SOURCE),
      context,
      [
        '**Release notes** of [bitnami/containers](https://github.com/bitnami/containers): [releases](https://github.com/bitnami/containers/releases)',
      ],
    ],
    [
      'a GitLab source: its releases',
      withSource('https://gitlab.com/acme/mongo/'),
      context,
      [
        '**Release notes** of [gitlab.com/acme/mongo](https://gitlab.com/acme/mongo/): [releases](https://gitlab.com/acme/mongo/-/releases)',
      ],
    ],
    [
      'another host: the link alone',
      withSource('https://example.com/mongo_db/'),
      context,
      ['**Release notes** of [example.com/mongo\\_db](https://example.com/mongo_db/)'],
    ],
    [
      'another host with a long path: the name capped at 300',
      withSource(`https://example.com/${'p'.repeat(400)}`),
      context,
      [
        `**Release notes** of [example.com/${'p'.repeat(299 - 'example.com/'.length)}…](https://example.com/${'p'.repeat(400)})`,
      ],
    ],
    [
      'a source URL of 2000 characters is still linked',
      withSource(`${SOURCE}/${'x'.repeat(2000 - SOURCE.length - 1)}`),
      context,
      [
        `**Release notes** of [bitnami/containers](${SOURCE}/${'x'.repeat(2000 - SOURCE.length - 1)}): [releases](https://github.com/bitnami/containers/releases)`,
      ],
    ],
    [
      'notes of a source not on GitHub are not shown',
      withSource('https://gitlab.com/acme/mongo'),
      notesFor(withSource('https://gitlab.com/acme/mongo'), {
        releases: [{ tag: 'v1', name: '', url: SOURCE, body: 'x' }],
      }),
      [
        '**Release notes** of [gitlab.com/acme/mongo](https://gitlab.com/acme/mongo): [releases](https://gitlab.com/acme/mongo/-/releases)',
      ],
    ],
    [
      'notes that could not be read say why',
      withSource(SOURCE),
      notesFor(withSource(SOURCE), { problem: 'rate limited <429>' }),
      [
        '**Release notes** of [bitnami/containers](https://github.com/bitnami/containers): could not be read (rate limited &lt;429&gt;) · [releases](https://github.com/bitnami/containers/releases)',
      ],
    ],
    [
      'no release between the tags',
      withSource(SOURCE),
      notesFor(withSource(SOURCE), { compareUrl: `${SOURCE}/compare/a...b` }),
      [
        '**Release notes** of [bitnami/containers](https://github.com/bitnami/containers): no GitHub release between `4.0.3` and `4.0.4` · [releases](https://github.com/bitnami/containers/releases) · [compare 4.0.3...4.0.4](https://github.com/bitnami/containers/compare/a...b)',
      ],
    ],
    [
      'no compare link without both tags',
      withSource(SOURCE),
      notesFor(withSource(SOURCE)),
      [
        '**Release notes** of [bitnami/containers](https://github.com/bitnami/containers): no GitHub release between `4.0.3` and `4.0.4` · [releases](https://github.com/bitnami/containers/releases)',
      ],
    ],
  ])('%s', (_name, update, ctx, expected) => {
    expect(notesPart(renderBody([update], ctx))).toEqual(expected);
  });

  it('counts the releases not shown, both those not fetched and those over the limit', () => {
    const update = withSource(SOURCE);
    const releases = Array.from({ length: 10 }, (_, i) => ({
      tag: `v${i}`,
      name: '',
      url: SOURCE,
      body: 'x',
    }));
    const lines = notesPart(renderBody([update], notesFor(update, { releases, more: 3 })));
    expect(lines.filter((line) => line.startsWith('<details>'))).toHaveLength(8);
    expect(lines.at(-1)).toBe(
      '…and 5 earlier (see [releases](https://github.com/bitnami/containers/releases)).',
    );
  });

  it('says nothing more when every release is shown', () => {
    const update = withSource(SOURCE);
    const releases = Array.from({ length: 8 }, (_, i) => ({
      tag: `v${i}`,
      name: '',
      url: SOURCE,
      body: 'x',
    }));
    const lines = notesPart(renderBody([update], notesFor(update, { releases })));
    expect(lines.at(-1)).toBe('</details>');
  });
});

describe('renderBody: each image’s release notes under its own section', () => {
  const web = imageUpdate('web', '1.0.0', '1.1.0');
  const exporter = imageUpdate('exporter', '0.9.2', '0.10.0');
  const noLabel = (name: string): string =>
    `No release notes for \`${name}\`: the image has no \`org.opencontainers.image.source\` label. Its maintainers can add one (\`LABEL org.opencontainers.image.source=https://github.com/<owner>/<repo>\`, or \`docker/metadata-action\`).`;
  const heading = (u: Update): string =>
    `### Update \`${u.image.replace(/:[^:]*$/, '')}\` from \`${u.from}\` to \`${u.to}\` (patch)`;
  const notesOf = (u: Update): string[] => [
    `**Release notes** of [acme/${u.container}](https://github.com/acme/${u.container}) · [compare ${u.from}...${u.to}](https://github.com/acme/${u.container}/compare/v${u.from}...v${u.to})`,
    `<details><summary>v${u.to}</summary>`,
  ];
  const linksOf = (u: Update): string[] => [
    `**Release notes** of [acme/${u.container}](https://github.com/acme/${u.container}): [releases](https://github.com/acme/${u.container}/releases)`,
  ];

  it.each<[string, Update[], BodyContext, [string, string[]][]]>([
    [
      'two images with notes: each section carries its own',
      [web, exporter],
      { ...context, releaseNotes: releasesOf([web, exporter]) },
      [
        [heading(web), notesOf(web)],
        [heading(exporter), notesOf(exporter)],
      ],
    ],
    [
      'notes not fetched: each section links its own releases',
      [web, exporter],
      context,
      [
        [heading(web), linksOf(web)],
        [heading(exporter), linksOf(exporter)],
      ],
    ],
    [
      'images without a source label: said under each, once per repository',
      [
        makeUpdate(),
        makeUpdate({ container: 'b' }),
        makeUpdate({ container: 'c', image: 'bitnami/redis:4.0.3', repository: 'docker.io/bitnami/redis' }),
      ],
      context,
      [
        [heading(makeUpdate()), [noLabel('bitnami/mongodb')]],
        [
          heading(makeUpdate()),
          ['**Release notes:** as for container `chart-image` of `data/mongodb` above.'],
        ],
        [heading(makeUpdate({ image: 'bitnami/redis:4.0.3' })), [noLabel('bitnami/redis')]],
      ],
    ],
    [
      'the same source and tags: shown once, the later section points to it',
      [web, { ...web, container: 'web-worker', release: 'data/worker' }, exporter],
      { ...context, releaseNotes: releasesOf([web, exporter]) },
      [
        [heading(web), notesOf(web)],
        [heading(web), ['**Release notes:** as for container `web` of `data/mongodb` above.']],
        [heading(exporter), notesOf(exporter)],
      ],
    ],
  ])('%s', (_name, updates, ctx, expected) => {
    expect(notesBySection(renderBody(updates, ctx))).toEqual(expected);
  });

  it('a single image’s body keeps the plain markers around its one part', () => {
    const body = renderBody([web], { ...context, releaseNotes: releasesOf([web]) });
    expect([...releaseNotesParts(body).keys()]).toEqual(['']);
    expect(body).toContain(`${RELEASE_NOTES_START}\n**Release notes** of [acme/web]`);
  });

  it('leaves the releases out, then keeps only a line, when they do not fit; images past the sections are counted', () => {
    const updates = Array.from({ length: 120 }, (_, i) =>
      makeUpdate({ source: `${SOURCE}${i}`, container: `c${i}` }),
    );
    const releaseNotes = releasesOf(updates, () => 'n'.repeat(2900));
    const body = renderBody(updates, { ...context, releaseNotes });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH);
    const lines = notesBySection(body).flatMap(([, notes]) => notes);
    const withReleases = lines.filter((line) => line.startsWith('<details>')).length;
    const linksOnly = lines.filter((line) => line.endsWith('/releases)')).length;
    const leftOut = lines.filter((line) => line === '**Release notes** left out for length.').length;
    expect(withReleases).toBeGreaterThan(0);
    expect(linksOnly).toBeGreaterThan(0);
    const more =
      /^…and (\d+) more updates \(the commit message lists every one\)\. Release notes of (\d+) more images left out for length\.$/m.exec(
        body,
      );
    expect(more?.[1]).toBe(more?.[2]);
    expect(withReleases + linksOnly + leftOut + Number(more?.[2])).toBe(120);
  });
});

describe('renderBody: the footer', () => {
  /** The footer's lines between the rule and the "Opened by" line. */
  const closing = (updates: Update[]): string[] => {
    const lines = renderBody(updates, context).split('\n');
    return lines.slice(lines.lastIndexOf('---') + 2, lines.findIndex((l) => l.startsWith('Opened by')) - 1);
  };
  const together =
    'Closing this pull request without merging keeps the Action from proposing each of these tags again for its container; a newer tag of any of them is still proposed, without the others.';
  const hint = (container: string, to: string): string =>
    `- \`${container}\`: To skip \`${to}\` for good, set \`filter.fluxcd.io/${container}: "semver:~4.0, !=${to}"\`.`;

  it.each<[string, Update[], string[]]>([
    [
      'one tag for the whole group: named, with the annotation that skips it',
      [makeUpdate(), makeUpdate({ file: 'other.yaml' })],
      [
        'Closing this pull request without merging keeps the Action from proposing `4.0.4` again; a newer tag is still proposed. To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
      ],
    ],
    [
      'different tags: each one’s annotation',
      [makeUpdate(), makeUpdate({ to: '4.0.5' })],
      [together, '', hint('chart-image', '4.0.4'), hint('chart-image', '4.0.5')],
    ],
    [
      'different containers: each one’s annotation, once',
      [makeUpdate(), makeUpdate({ container: 'sidecar' }), makeUpdate({ file: 'b.yaml' })],
      [together, '', hint('chart-image', '4.0.4'), hint('sidecar', '4.0.4')],
    ],
    [
      'one image in several releases (group-by: image): each hint names its release, whose annotation it is',
      [
        makeUpdate({ file: 'a.yaml', name: 'a' }),
        makeUpdate({ file: 'b.yaml', name: 'b', filter: 'semver:^4' }),
        makeUpdate({ file: 'c.yaml', name: 'c' }),
      ],
      [
        together,
        '',
        '- `chart-image` of `data/a`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
        '- `chart-image` of `data/b`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:^4, !=4.0.4"`.',
        '- `chart-image` of `data/c`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
      ],
    ],
    ['no updates', [], [together, '']],
    [
      'exactly five annotations: all listed, no count',
      ['a', 'b', 'c', 'd', 'e'].map((container) => makeUpdate({ container })),
      [together, '', ...['a', 'b', 'c', 'd', 'e'].map((c) => hint(c, '4.0.4'))],
    ],
    [
      'at most five annotations',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((container) => makeUpdate({ container })),
      [together, '', ...['a', 'b', 'c', 'd', 'e'].map((c) => hint(c, '4.0.4')), '- …and 2 more.'],
    ],
  ])('%s', (_name, updates, expected) => {
    expect(closing(updates)).toEqual(expected);
  });
});

describe('ignoreVersionHint', () => {
  it.each<[string, Partial<Update>, string]>([
    [
      'a semver range gets != in each alternative',
      { filter: 'semver:>=1.0 <2.0 || ~3.0' },
      'To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:>=1.0 <2.0, !=4.0.4 || ~3.0, !=4.0.4"`.',
    ],
    [
      'an empty alternative becomes != alone',
      { filter: 'semver:~4.0 || ' },
      'To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4 || !=4.0.4"`.',
    ],
    [
      'a blank range becomes != alone',
      { filter: 'semver:  ' },
      'To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:!=4.0.4"`.',
    ],
    [
      'a container name YAML would misread is quoted',
      { container: 'my app' },
      'To skip `4.0.4` for good, set `"filter.fluxcd.io/my app": "semver:~4.0, !=4.0.4"`.',
    ],
    [
      'a plain container name with dots, dashes and underscores is not quoted',
      { container: 'a.b-c_D9' },
      'To skip `4.0.4` for good, set `filter.fluxcd.io/a.b-c_D9: "semver:~4.0, !=4.0.4"`.',
    ],
    // A version with a missing part is named in full: Masterminds reads `!=1.10` as `!=1.10.x`,
    // which would also leave out every later 1.10 patch (and here bring back 1.2).
    [
      'a semver filter’s two-part version is named in full',
      { filter: 'semver:~1', from: '1.2', to: '1.10' },
      'To skip `1.10` for good, set `filter.fluxcd.io/chart-image: "semver:~1, !=1.10.0"`.',
    ],
    [
      'a semver filter’s one-part version with a v, and a pre-release, are named in full',
      { filter: 'semver:>=1.0.0-0', from: 'v1', to: 'v2-rc.1' },
      'To skip `v2-rc.1` for good, set `filter.fluxcd.io/chart-image: "semver:>=1.0.0-0, !=2.0.0-rc.1"`.',
    ],
    [
      'a glob filter cannot leave out one tag',
      { filter: 'glob:1.*', from: '1.2.3', to: '1.2.4' },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `semver:` filter with `!=1.2.4`.',
    ],
    // A tag no semver constraint can name: `semver:!=master-b` does not parse and holds the release.
    [
      'a glob filter’s tag that is no version: narrow the glob',
      { filter: 'glob:master-*', to: 'master-b' },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or narrow the filter so that `master-b` does not match it.',
    ],
    [
      'a regex filter’s four-part tag, which is no semver version either',
      { filter: 'regex:^1\\.2\\.', from: '1.2.3.4', to: '1.2.4.0' },
      'A regex filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or narrow the filter so that `1.2.4.0` does not match it.',
    ],
    [
      'nor can a regex filter; a version with a missing part is named in full',
      { filter: 'regex:^v[0-9]+$', to: 'v2' },
      'A regex filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `semver:` filter with `!=2.0.0`.',
    ],
    // No annotation: there is no glob filter to look for, and the one to add is named.
    [
      'no filter annotation',
      { filter: 'glob:*', noFilterAnnotation: true, to: '4.1.0' },
      'With no filter annotation every tag but latest is taken, and one tag cannot be left out: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or add `filter.fluxcd.io/chart-image` with a `semver:` constraint and `!=4.1.0`.',
    ],
    [
      'no filter annotation, and a tag that is no version',
      { filter: 'glob:*', noFilterAnnotation: true, from: '1.25.3-alpine', to: 'mainline' },
      'With no filter annotation every tag but latest is taken, and one tag cannot be left out: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or add `filter.fluxcd.io/chart-image` with a `glob:` or `regex:` pattern that `mainline` does not match.',
    ],
    // The same version spelled otherwise (a semver filter takes the lexically greater): `!=v2.5.0`
    // would leave out the current 2.5.0 too, and the filter would then take a lower version.
    [
      'a semver filter’s tag that spells the current version otherwise',
      { filter: 'semver:^2', from: '2.5.0', to: 'v2.5.0', type: 'build' },
      '`v2.5.0` is the version of the current `2.5.0`, spelled otherwise, and a semver filter cannot leave out one spelling: to stay on `2.5.0`, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `glob:` or `regex:` filter that `v2.5.0` does not match.',
    ],
    [
      'a floating minor tag and its first patch',
      { filter: 'semver:~1.27', from: '1.27', to: '1.27.0', type: 'build' },
      '`1.27.0` is the version of the current `1.27`, spelled otherwise, and a semver filter cannot leave out one spelling: to stay on `1.27`, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `glob:` or `regex:` filter that `1.27.0` does not match.',
    ],
    [
      'a glob filter’s tag that spells the current version otherwise: narrow the glob',
      { filter: 'glob:*', from: '2.5.0', to: 'v2.5.0', type: 'build' },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or narrow the filter so that `v2.5.0` does not match it.',
    ],
    [
      'no filter annotation, and a tag that spells the current version otherwise',
      { filter: 'glob:*', noFilterAnnotation: true, from: '2.5.0', to: 'v2.5.0', type: 'build' },
      'With no filter annotation every tag but latest is taken, and one tag cannot be left out: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or add `filter.fluxcd.io/chart-image` with a `glob:` or `regex:` pattern that `v2.5.0` does not match.',
    ],
    // A semver downgrade says how to stay on the current tag (pull-request-text.test.ts checks the
    // filter it gives keeps it); a constraint is written without the annotation's spaces.
    [
      'a semver downgrade from a tag no constraint names alone: the lock only',
      { filter: 'semver:~4.0', from: '5', to: '4.0.2', downgrade: true },
      'The filter takes no tag as high as the current `5`, so skipping `4.0.2` would only bring the next lower one: to stay on `5`, set `fluxcd.io/locked: "true"` on the HelmRelease.',
    ],
    [
      'a semver downgrade under a constraint written with spaces',
      { filter: 'semver: ~4.0 ', from: '5.0.0', to: '4.0.2', downgrade: true },
      'The filter takes no tag as high as the current `5.0.0`, so skipping `4.0.2` would only bring the next lower one: to stay on `5.0.0`, set `filter.fluxcd.io/chart-image: "semver:~4.0 || 5.0.0"`, or set `fluxcd.io/locked: "true"` on the HelmRelease.',
    ],
    [
      'a semver downgrade under a blank constraint: the current version alone',
      { filter: 'semver:  ', from: '5.0.0', to: '4.0.2', downgrade: true },
      'The filter takes no tag as high as the current `5.0.0`, so skipping `4.0.2` would only bring the next lower one: to stay on `5.0.0`, set `filter.fluxcd.io/chart-image: "semver:5.0.0"`, or set `fluxcd.io/locked: "true"` on the HelmRelease.',
    ],
    // A glob filter takes the newest build, a backport too: its downgrade is one tag like another.
    [
      'a glob filter’s downgrade',
      { filter: 'glob:*', from: '5.0.0', to: '4.0.4', downgrade: true },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `semver:` filter with `!=4.0.4`.',
    ],
    [
      'a glob filter’s version after a tag that is no version',
      { filter: 'glob:*', from: 'mainline', to: '1.25.4' },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `semver:` filter with `!=1.25.4`.',
    ],
    [
      'a glob:* someone wrote is a glob filter',
      { filter: 'glob:*', to: 'v2.0.1' },
      'A glob filter cannot leave out one tag: to stay on the current tag, set `fluxcd.io/locked: "true"` on the HelmRelease, or use a `semver:` filter with `!=v2.0.1`.',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(ignoreVersionHint(makeUpdate(overrides))).toBe(expected);
  });
});

describe('ignoreVersionHint: the filter a skip line gives', () => {
  // Set as written, it leaves the tag out and keeps the current one: never a move off it.
  it.each<[string, string, string]>([
    // filter, current tag, tag to skip
    ['semver:~4.0', '4.0.3', '4.0.4'],
    ['semver:^1', '1.2', '1.10'],
    ['semver:>=1.0.0-0', 'v1', 'v2-rc.1'],
    ['semver:^2', '2.5.0', 'v2.5.0'],
    ['semver:^2', 'v2.5.0', '2.5.0+build.2'],
    ['semver:~1.27', '1.27', '1.27.0'],
  ])('%s, %s to %s', (filter, from, to) => {
    const hint = ignoreVersionHint(makeUpdate({ filter, from, to, type: 'patch' }));
    const written = /"semver:([^"]*)"/.exec(hint)?.[1];
    if (written === undefined) {
      expect(hint).toContain(`to stay on \`${from}\``);
      return;
    }
    const skipping = buildSemverFilter(written, `semver:${written}`);
    expect([skipping.valid, skipping.matches(from), skipping.matches(to)]).toEqual([true, true, false]);
  });
});

describe('renderBody: the filter the Why line names', () => {
  it.each<[string, Partial<Update>, string]>([
    // the update, its Why line
    ['a semver annotation', {}, '**Why `4.0.4`:** highest version matching \\~4.0 (filter `semver:~4.0`).'],
    // A reviewer reading `glob:*` would look for an annotation nobody wrote.
    [
      'no filter annotation',
      { filter: 'glob:*', noFilterAnnotation: true, chosenBy: 'newest build' },
      '**Why `4.0.4`:** newest build (no filter annotation: every tag but latest and signatures).',
    ],
    [
      'an annotation that says glob:*',
      { filter: 'glob:*', chosenBy: 'newest build matching *' },
      '**Why `4.0.4`:** newest build matching \\* (filter `glob:*`).',
    ],
  ])('%s', (_name, overrides, line) => {
    const body = renderBody([makeUpdate(overrides)], context).split('\n');
    expect(body.find((l) => l.startsWith('**Why '))).toBe(line);
  });
});

describe('writtenRepository', () => {
  it.each([
    ['bitnami/mongodb:4.0.3', 'bitnami/mongodb'],
    ['mongodb', 'mongodb'],
    ['localhost:5000/team/app:1.0', 'localhost:5000/team/app'],
    ['localhost:5000/team/app', 'localhost:5000/team/app'],
    ['app@sha256:abc', 'app'],
    ['app:1.0@sha256:abc', 'app'],
    ['', 'docker.io/bitnami/mongodb'],
  ])('%j -> %j', (image, expected) => {
    expect(writtenRepository({ image, repository: 'docker.io/bitnami/mongodb' })).toBe(expected);
  });
});

describe('fileLink', () => {
  it.each<[string, Partial<BodyContext>, string, string]>([
    [
      'a file on the base branch',
      {},
      'releases/a.yaml',
      'https://github.com/acme/fleet/blob/main/releases/a.yaml#L7',
    ],
    [
      'trailing slashes of the server go',
      { serverUrl: 'https://ghe.example.com//' },
      'a.yaml',
      'https://ghe.example.com/acme/fleet/blob/main/a.yaml#L7',
    ],
    [
      'every part is percent-encoded',
      { owner: 'a b', repo: 'c#d', base: 'release/1.0 x' },
      'dir with space/a#b.yaml',
      'https://github.com/a%20b/c%23d/blob/release/1.0%20x/dir%20with%20space/a%23b.yaml#L7',
    ],
  ])('%s', (_name, overrides, file, expected) => {
    expect(fileLink({ ...context, ...overrides }, file, 7)).toBe(expected);
  });
});

describe('releasesLink', () => {
  it.each<[string, string | undefined]>([
    ['https://github.com/bitnami/containers', 'https://github.com/bitnami/containers/releases'],
    ['http://github.com/bitnami/containers/', 'http://github.com/bitnami/containers/releases'],
    ['https://github.com/bitnami/containers.git', 'https://github.com/bitnami/containers/releases'],
    ['https://github.com/bitnami/containers/tree/main/x', 'https://github.com/bitnami/containers/releases'],
    ['https://gitlab.com/group/sub/project.git', 'https://gitlab.com/group/sub/project/-/releases'],
    ['https://gitlab.com/group/project//', 'https://gitlab.com/group/project/-/releases'],
    ['https://github.com/bitnami', undefined],
    ['https://gitlab.com/group', undefined],
    ['https://www.github.com/bitnami/containers', undefined],
    ['https://example.com/a/b', undefined],
    ['javascript:alert(1)', undefined],
  ])('%j -> %j', (source, expected) => {
    expect(releasesLink(source)).toBe(expected);
  });
});

describe('the release notes parts', () => {
  const part = `${RELEASE_NOTES_START}\nnotes\n${RELEASE_NOTES_END}`;
  const keyed = (key: string, text: string): string =>
    `<!-- release-notes ${key} -->\n${text}\n${RELEASE_NOTES_END}`;

  it.each<[string, string, Record<string, string>]>([
    ['a body with one part', `head\n${part}\nfoot`, { '': part }],
    ['a body without one', 'head\nfoot', {}],
    ['an end without a start', `head\n${RELEASE_NOTES_END}`, {}],
    ['a start without an end', `head\n${RELEASE_NOTES_START}\nfoot`, {}],
    ['an end before the start', `${RELEASE_NOTES_END}\n${RELEASE_NOTES_START}\nfoot`, {}],
    ['an end both before and after the start', `${RELEASE_NOTES_END}\n${part}`, { '': part }],
    ['a marker inside a line is no marker', `- \`${RELEASE_NOTES_START}\`\n${part}`, { '': part }],
    ['a marker after text is no marker', `x ${RELEASE_NOTES_START}\nnotes\n${RELEASE_NOTES_END}`, {}],
    ['a marker before text is no marker', `${RELEASE_NOTES_START} x\nnotes\n${RELEASE_NOTES_END}`, {}],
    [
      'a body with keyed parts',
      `a\n${keyed('0000000a', 'A')}\nb\n${keyed('0000000b', 'B')}\nfoot`,
      { '0000000a': keyed('0000000a', 'A'), '0000000b': keyed('0000000b', 'B') },
    ],
  ])('are read from %s', (_name, body, expected) => {
    expect(Object.fromEntries(releaseNotesParts(body))).toEqual(expected);
  });

  it.each<[string, string, Record<string, string>, string | undefined]>([
    [
      'replaced in a body that has one',
      `head\n${part}\nfoot`,
      { '': `${RELEASE_NOTES_START}\nnew $& $1\n${RELEASE_NOTES_END}` },
      `head\n${RELEASE_NOTES_START}\nnew $& $1\n${RELEASE_NOTES_END}\nfoot`,
    ],
    ['not added to a body without one', 'head\nfoot', { '': part }, undefined],
    [
      'each replaced by its key, whatever the order',
      `a\n${keyed('0000000a', 'A')}\nb\n${keyed('0000000b', 'B')}\nfoot`,
      { '0000000b': keyed('0000000b', 'new B'), '0000000a': keyed('0000000a', 'new A') },
      `a\n${keyed('0000000a', 'new A')}\nb\n${keyed('0000000b', 'new B')}\nfoot`,
    ],
    [
      'not replaced when one of two parts has no counterpart',
      `a\n${keyed('0000000a', 'A')}\nb\n${keyed('0000000b', 'B')}\nfoot`,
      { '0000000a': keyed('0000000a', 'new A') },
      undefined,
    ],
    [
      'not replaced when one part has no counterpart (a body written before parts had keys)',
      `a\n${keyed('0000000a', 'A')}\nb\n${keyed('0000000b', 'B')}\nfoot`,
      { '': part },
      undefined,
    ],
  ])('are %s', (_name, body, parts, expected) => {
    expect(withReleaseNotesParts(body, new Map(Object.entries(parts)))).toBe(expected);
  });

  it.each<[string, Update[]]>([
    ['one image', [makeUpdate({ source: SOURCE })]],
    [
      'a group, its images in another order the next time',
      [imageUpdate('web', '1.0.0', '1.1.0'), imageUpdate('exporter', '0.9.2', '0.10.0'), makeUpdate()],
    ],
  ])('round-trip from one body to the next: %s', (_name, updates) => {
    const old = renderBody(updates, {
      ...context,
      releaseNotes: releasesOf(updates.filter((u) => u.source)),
    });
    const reordered = [...updates].reverse();
    const fresh = renderBody(updates.length > 1 ? reordered : updates, context);
    const next = withReleaseNotesParts(fresh, releaseNotesParts(old));
    const expected = renderBody(updates.length > 1 ? reordered : updates, {
      ...context,
      releaseNotes: releasesOf(updates.filter((u) => u.source)),
    });
    expect(next).toBe(expected);
    expect(parseMarker(next!)).toEqual(parseMarker(expected));
  });
});

describe('release notes cannot end or start a part of ours', () => {
  // Fenced code is kept as written, so a release could hold our markers on lines of their own.
  it.each([
    ['an end marker', RELEASE_NOTES_END],
    ['an end marker with text after it', `${RELEASE_NOTES_END}x`],
    ['an end marker after spaces', `  ${RELEASE_NOTES_END}`],
    ['a start marker', RELEASE_NOTES_START],
    ['a keyed start marker', '<!-- release-notes 0000000a -->'],
  ])('%s in fenced code', (_name, line) => {
    const update = makeUpdate({ source: SOURCE });
    const body = renderBody([update], {
      ...context,
      releaseNotes: releasesOf([update], () => `\`\`\`\n${line}\n\`\`\`\nafter`),
    });
    const parts = [...releaseNotesParts(body)];
    expect(parts.map(([key]) => key)).toEqual(['']);
    const [, part] = parts[0]!;
    // The part runs to the end of the notes: the release's details close inside it.
    expect(part).toContain('after\n\n</details>');
    expect(body.slice(body.indexOf(part) + part.length)).not.toContain('</details>');
  });
});

describe('registryPage: the image’s page, as Renovate links a package', () => {
  it.each<[string, { name: string; url: string } | undefined]>([
    ['docker.io/library/nginx', { name: 'Docker Hub', url: 'https://hub.docker.com/_/nginx' }],
    ['docker.io/bitnami/redis', { name: 'Docker Hub', url: 'https://hub.docker.com/r/bitnami/redis' }],
    [
      'quay.io/prometheus/node-exporter',
      { name: 'Quay', url: 'https://quay.io/repository/prometheus/node-exporter' },
    ],
    // Names as distribution allows them: runs of hyphens, single and double underscores, dots.
    ['docker.io/acme/web--app', { name: 'Docker Hub', url: 'https://hub.docker.com/r/acme/web--app' }],
    ['docker.io/acme/web__app.v2', { name: 'Docker Hub', url: 'https://hub.docker.com/r/acme/web__app.v2' }],
    // Whether ghcr.io's owner is a user or an organisation decides its page: not told from the name.
    ['ghcr.io/acme/web-app', undefined],
    ['registry.example.com/team/app', undefined],
    ['127.0.0.1:5000/team/app', undefined],
    // Docker Hub and Quay have two-part names only; anything else is no page of theirs.
    ['docker.io/a/b/c', undefined],
    ['quay.io/a', undefined],
    ['docker.io/Bitnami/redis', undefined],
    ['docker.io/bitnami/re dis', undefined],
  ])('%s', (repository, expected) => {
    expect(registryPage(repository)).toEqual(expected);
  });

  it('an image on another registry gets no page line', () => {
    const lines = renderBody(
      [makeUpdate({ repository: 'ghcr.io/acme/app', image: 'ghcr.io/acme/app:4.0.3' })],
      context,
    );
    expect(lines).not.toContain('Docker Hub');
  });
});
