/**
 * Release notes in pull request bodies, against the strict GitHub stand-in: which releases are
 * read and shown, the compare link, and the whole pull request (title, commit message, body
 * sections) as a reviewer gets it.
 */
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import { createReleaseNotesSource, MAX_RELEASE_PAGES } from '../../src/github/release-notes.js';
import { writePullRequests, type PullRequestWriterOptions } from '../../src/github/pull-request-writer.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import { COMMIT_TRAILER, GITHUB_BODY_LIMIT, parseMarker } from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/update.js';
import { WRITE_TOKEN, startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const OWNER = 'acme';
const PREFIX = 'helmrelease-image-updater/';
const FILE = 'apps/app.yaml';
const SOURCE_OWNER = 'upstream';

function helmRelease(tag: string): string {
  return `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: app
  namespace: web
  annotations:
    fluxcd.io/automated: "true"
    filter.fluxcd.io/chart-image: semver:~1
spec:
  values:
    image:
      repository: upstream/app
      tag: ${tag}
`;
}

/** The update of web/app from 1.0.0 to `to`, its image labelled with `source`. */
function appUpdate(to: string, source: string | undefined, from = '1.0.0'): Update {
  return makeUpdate({
    file: FILE,
    line: 14,
    release: 'web/app',
    namespace: 'web',
    name: 'app',
    repository: 'docker.io/upstream/app',
    image: `upstream/app:${from}`,
    newImage: `upstream/app:${to}`,
    from,
    to,
    filter: 'semver:~1',
    chosenBy: 'highest version matching ~1',
    type: 'minor',
    notTaken: [{ tag: '2.0.0', reason: 'outside ~1' }],
    ...(source ? { source } : {}),
  });
}

let standIn: GitHubStandIn;
let github: GitHubClient;
let repo: string;
let sourceRepo: string;
let count = 0;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = createGitHubClient({ token: WRITE_TOKEN, baseUrl: standIn.url, retries: 0, spaceWrites: false });
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(async () => {
  count++;
  repo = `fleet-${count}`;
  sourceRepo = `app-${count}`;
  await standIn.createRepository(OWNER, repo, { [FILE]: helmRelease('1.0.0') });
  await standIn.createRepository(SOURCE_OWNER, sourceRepo, { 'README.md': 'app\n' });
  standIn.clearLog();
});
afterEach(() => {
  expect(standIn.violations).toEqual([]);
});

function run(updates: Update[], overrides: Partial<PullRequestWriterOptions> = {}) {
  return writePullRequests(groupUpdates(updates, 'container', PREFIX), {
    github,
    owner: OWNER,
    repo,
    branchPrefix: PREFIX,
    applyUpdates,
    commitPrefix: 'chore(deps):',
    releaseNotes: createReleaseNotesSource({ github }),
    ...overrides,
  });
}

/** The GET requests to the source repository, as `operationId path`. */
function sourceCalls(): string[] {
  return standIn.requests
    .filter((r) => r.path.startsWith(`/repos/${SOURCE_OWNER}/`))
    .map((r) => `${r.operationId} ${r.path.replace(`/repos/${SOURCE_OWNER}/${sourceRepo}`, '')} ${r.status}`);
}

async function publish(
  ...releases: [string, string?, { prerelease?: boolean; draft?: boolean; tagged?: boolean }?][]
) {
  for (const [tag, body, extra] of releases) {
    await standIn.addRelease(SOURCE_OWNER, sourceRepo, {
      tag,
      name: `App ${tag}`,
      body: body ?? `Notes of ${tag}`,
      ...extra,
    });
  }
}

describe('a pull request with release notes', () => {
  it('has the title, commit message and body sections a reviewer reads, and the releases between the tags', async () => {
    await publish(
      ['v0.9.0'],
      ['v1.0.0'],
      ['v1.1.0-rc.1', 'rc notes', { prerelease: true }],
      ['v1.1.0', '## Fixed\n- crash on start (#12), thanks @alice\n- <img src=x onerror=alert(1)>'],
      ['v1.2.0-draft', 'draft', { draft: true }],
      ['v1.2.0'],
      ['v2.0.0'],
    );
    const source = `https://github.com/${SOURCE_OWNER}/${sourceRepo}`;
    const { results, problems } = await run([appUpdate('1.2.0', source)]);
    expect(problems).toEqual([]);
    expect(results.map((r) => r.action)).toEqual(['created']);

    const [pull] = standIn.pulls(OWNER, repo);
    expect(pull.title).toBe('chore(deps): Update upstream/app from 1.0.0 to 1.2.0 (web/app)');
    const head = await standIn.readCommit(OWNER, repo, (await standIn.branchSha(OWNER, repo, pull.head))!);
    expect(head.message.trim()).toBe(
      [
        'chore(deps): Update upstream/app from 1.0.0 to 1.2.0 (web/app)',
        '',
        `- web/app (chart-image) in ${FILE}: upstream/app:1.0.0 -> upstream/app:1.2.0 (minor)`,
        '',
        COMMIT_TRAILER,
      ].join('\n'),
    );

    const body = pull.body!;
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const order = [
      '### Update `upstream/app` from `1.0.0` to `1.2.0` (minor)',
      '- HelmRelease `web/app`, container `chart-image`',
      `- [${FILE} line 14](https://github.com/${OWNER}/${repo}/blob/main/${FILE}#L14) on \`main\``,
      '**Why `1.2.0`:** highest version matching \\~1 (filter `semver:~1`).',
      '**Not taken:**',
      '- `2.0.0`: outside \\~1',
      `**Release notes** of [${SOURCE_OWNER}/${sourceRepo}](${source}) · [compare 1.0.0...1.2.0](${source}/compare/v1.0.0...v1.2.0)`,
      '<details><summary>v1.2.0 · App v1.2.0</summary>',
      '<details><summary>v1.1.0 · App v1.1.0</summary>',
      'Closing this pull request without merging',
      '<!-- helmrelease-image-updater:',
    ];
    const positions = order.map((line) => body.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Not the current tag's release, the pre-release, the draft or a tag outside the range.
    expect(body).not.toMatch(/<summary>v(1\.0\.0|1\.1\.0-rc\.1|1\.2\.0-draft|2\.0\.0|0\.9\.0)/);
    // Sanitised: no mention, the issue linked in the source repository, no HTML.
    expect(body).toContain('thanks @&#8203;alice');
    expect(body).toContain(
      `[#&#8203;12](https://redirect.github.com/${SOURCE_OWNER}/${sourceRepo}/issues/12)`,
    );
    expect(body).toContain('&lt;img src=x');
    expect(body).toContain('`filter.fluxcd.io/chart-image: "semver:~1, !=1.2.0"`');
    expect(parseMarker(body)?.updates).toHaveLength(1);

    expect(sourceCalls()).toEqual([
      'repos/list-releases /releases 200',
      'repos/compare-commits-with-basehead /compare/v1.0.0...v1.2.0 200',
    ]);
  });

  it('writes nothing on a re-run (the same notes give the same body)', async () => {
    await publish(['v1.0.0'], ['v1.1.0']);
    const update = appUpdate('1.1.0', `https://github.com/${SOURCE_OWNER}/${sourceRepo}`);
    await run([update]);
    standIn.clearLog();
    const { results } = await run([update]);
    expect(results.map((r) => r.action)).toEqual(['unchanged']);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it('keeps the notes of the pull request it wrote on a re-run: no request to the source repository', async () => {
    await publish(['v1.0.0'], ['v1.1.0', 'Notes of the first run']);
    const update = appUpdate('1.1.0', `https://github.com/${SOURCE_OWNER}/${sourceRepo}`);
    await run([update]);
    const written = standIn.pulls(OWNER, repo)[0].body!;
    expect(written).toContain('Notes of the first run');
    // A release edited afterwards changes nothing: the notes are those read when it was written.
    await publish(['v1.0.1', 'published later']);
    standIn.clearLog();
    const { results } = await run([update]);
    expect(results.map((r) => r.action)).toEqual(['unchanged']);
    expect({ source: sourceCalls(), writes: standIn.writeRequests() }).toEqual({ source: [], writes: [] });
    expect(standIn.pulls(OWNER, repo)[0].body).toBe(written);
  });

  it('reads the notes again for a newer tag', async () => {
    await publish(['v1.0.0'], ['v1.1.0'], ['v1.2.0', 'Notes of the newer tag']);
    const source = `https://github.com/${SOURCE_OWNER}/${sourceRepo}`;
    await run([appUpdate('1.1.0', source)]);
    standIn.clearLog();
    const { results } = await run([appUpdate('1.2.0', source)]);
    expect(results.map((r) => r.action)).toEqual(['updated']);
    expect(sourceCalls()).toContain('repos/list-releases /releases 200');
    expect(standIn.pulls(OWNER, repo)[0].body).toContain('Notes of the newer tag');
  });

  it('matches bare tags, and reads each repository’s releases once for several pull requests', async () => {
    await publish(['1.0.0'], ['1.1.0'], ['1.2.0']);
    const source = `https://github.com/${SOURCE_OWNER}/${sourceRepo}.git`;
    const other = appUpdate('1.1.0', source);
    await standIn.commitFiles(OWNER, repo, 'main', {
      'apps/worker.yaml': helmRelease('1.0.0').replace('name: app', 'name: worker'),
    });
    const { results } = await run([
      appUpdate('1.2.0', source),
      { ...other, file: 'apps/worker.yaml', release: 'web/worker', name: 'worker' },
    ]);
    expect(results.map((r) => r.action)).toEqual(['created', 'created']);
    const bodies = standIn.pulls(OWNER, repo).map((p) => p.body!);
    expect(bodies[0]).toContain(`/compare/1.0.0...1.2.0`);
    expect(bodies[0]).toContain('<summary>1.2.0 · App 1.2.0</summary>');
    expect(bodies[0]).toContain('<summary>1.1.0 · App 1.1.0</summary>');
    expect(bodies[1]).toContain(`/compare/1.0.0...1.1.0`);
    expect(sourceCalls().filter((c) => c.startsWith('repos/list-releases'))).toHaveLength(1);
  });

  it('gives no compare link when a tag is missing, after trying both spellings', async () => {
    await publish(['v1.1.0']);
    const { results } = await run([appUpdate('1.1.0', `https://github.com/${SOURCE_OWNER}/${sourceRepo}`)]);
    expect(results.map((r) => r.action)).toEqual(['created']);
    expect(standIn.pulls(OWNER, repo)[0].body).not.toContain('/compare/');
    expect(standIn.pulls(OWNER, repo)[0].body).toContain('<summary>v1.1.0 · App v1.1.0</summary>');
    expect(sourceCalls()).toEqual([
      'repos/list-releases /releases 200',
      'repos/compare-commits-with-basehead /compare/v1.0.0...v1.1.0 404',
      'repos/compare-commits-with-basehead /compare/1.0.0...v1.1.0 404',
    ]);
  });

  it('reads at most a bounded number of release pages', async () => {
    for (let i = 0; i < 100 * MAX_RELEASE_PAGES + 5; i++)
      await standIn.addRelease(SOURCE_OWNER, sourceRepo, { tag: `v1.0.${i + 1}`, tagged: false });
    await run([appUpdate('1.0.400', `https://github.com/${SOURCE_OWNER}/${sourceRepo}`)]);
    expect(sourceCalls().filter((c) => c.startsWith('repos/list-releases'))).toHaveLength(MAX_RELEASE_PAGES);
    const body = standIn.pulls(OWNER, repo)[0].body!;
    expect(body.match(/<details>/g)).toHaveLength(8);
    expect(body).toMatch(/…and \d+ earlier \(see \[releases\]/);
  });

  it('says so in one line when the source repository cannot be read, and still opens the pull request', async () => {
    const { results, problems } = await run([
      appUpdate('1.1.0', `https://github.com/${SOURCE_OWNER}/no-such-repo`),
    ]);
    expect(problems).toEqual([]);
    expect(results.map((r) => r.action)).toEqual(['created']);
    expect(standIn.pulls(OWNER, repo)[0].body).toMatch(
      /\*\*Release notes\*\* of \[upstream\/no-such-repo\]\([^)]*\): could not be read \(the repository was not found/,
    );
  });

  it.each([
    [
      'no source label',
      undefined,
      /No release notes for `upstream\/app`: the image has no `org\.opencontainers\.image\.source` label/,
    ],
    [
      'a source that is not on GitHub',
      'https://gitlab.com/upstream/app',
      /\*\*Release notes\*\* of \[gitlab\.com\/upstream\/app\]\(https:\/\/gitlab\.com\/upstream\/app\): \[releases\]/,
    ],
  ])('%s: one line, no GitHub request for it', async (_name, source, line) => {
    await run([appUpdate('1.1.0', source)]);
    expect(standIn.pulls(OWNER, repo)[0].body).toMatch(line);
    expect(sourceCalls()).toEqual([]);
  });

  it('keeps a 40,000-character source label and hostile release notes within GitHub’s limits', async () => {
    await publish(
      ['v1.0.0'],
      ...Array.from({ length: 12 }, (_, i): [string, string] => [
        `v1.0.${i + 1}`,
        `@alice <b>#1</b> ${'x'.repeat(200_000)}`,
      ]),
    );
    const huge = appUpdate(
      '1.0.12',
      `https://github.com/${SOURCE_OWNER}/${sourceRepo}#${'a'.repeat(40_000)}`,
    );
    const { results } = await run([huge]);
    expect(results.map((r) => r.action)).toEqual(['created']);
    for (const pull of standIn.pulls(OWNER, repo)) {
      expect(pull.body!.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
      expect(pull.body).not.toMatch(/@alice/);
    }
  });
});

describe('labels by update type', () => {
  it('labels each pull request with its own type, creating each label once', async () => {
    const minor = appUpdate('1.1.0', undefined);
    await standIn.commitFiles(OWNER, repo, 'main', {
      'apps/worker.yaml': helmRelease('1.0.0').replace('name: app', 'name: worker'),
    });
    const patch = {
      ...appUpdate('1.0.1', undefined),
      file: 'apps/worker.yaml',
      release: 'web/worker',
      name: 'worker',
      type: 'patch' as const,
    };
    const { results } = await run([minor, patch], { labels: ['dependencies', 'update:{type}'] });
    expect(results.map((r) => r.action)).toEqual(['created', 'created']);
    expect(standIn.pulls(OWNER, repo).map((p) => p.labels)).toEqual([
      ['dependencies', 'update:minor'],
      ['dependencies', 'update:patch'],
    ]);
    expect(standIn.labels(OWNER, repo).sort()).toEqual(['dependencies', 'update:minor', 'update:patch']);
    expect(standIn.requests.filter((r) => r.operationId === 'issues/create-label')).toHaveLength(3);
  });
});
