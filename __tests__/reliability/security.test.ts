/**
 * Security: secrets never written anywhere, files outside the workspace never read, regex filters
 * in linear time, and hostile text from files and registries escaped where it lands (summary,
 * pull request body, branch names, commit messages).
 *
 * Where credentials may travel is tested at the client level in `__tests__/registry/`:
 * redirects to another host drop Authorization (`http.test.ts`), a `Link` to another host is
 * refused, the Bearer realm gets only the credentials of the registry asked, and blob redirects
 * to object storage carry none (`registry-client.test.ts`). The end-to-end test below runs the
 * built Action through a blob-redirecting front whose storage rejects any Authorization.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import { parseFilter } from '../../src/filters/index.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { groupUpdates } from '../../src/plan/branch-name.js';
import {
  ignoreVersionHint,
  renderBody,
  renderCommitMessage,
  renderTitle,
  COMMIT_TRAILER,
} from '../../src/plan/pull-request-text.js';
import type { Update } from '../../src/plan/types.js';
import { renderSummary } from '../../src/report/summary.js';
import { runUpdate, type RunReport } from '../../src/run-update.js';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { makeUpdate } from '../../test-support/github/updates.js';
import {
  seedMany,
  startFrontProxy,
  startRegistry,
  type FrontProxy,
  type RegistryServer,
} from '../../test-support/registry/index.js';
import { e2eDescribe } from '../e2e/e2e-gate.js';
import { createRegistryClient } from '../../src/registry/registry-client.js';
import { parseSettings } from '../../src/settings.js';
import { basic, sendJson, startHostileServer, type HostileServer } from '../registry/hostile-server.js';
import { helmRelease, memoryLog, memoryRegistry, memoryWorkspace, RUN_SETTINGS } from './support.js';

/** Every form a secret could leak in. */
function leakForms(secret: string, user?: string): string[] {
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
  ];
  if (user !== undefined) {
    forms.push(Buffer.from(`${user}:${secret}`).toString('base64'), `${user}:${secret}`);
  }
  // Base64 of the secret at each offset mod 3 inside longer text (e.g. inside a JSON auth blob).
  for (const pad of ['a', 'ab'])
    forms.push(
      Buffer.from(pad + secret)
        .toString('base64')
        .slice(4, -4),
    );
  return [...new Set(forms)];
}

describe('secrets', () => {
  const describeE2e = e2eDescribe();
  describeE2e('the built Action', () => {
    const PASSWORD = 'Reg1stry-Pa55word-9f3c1e';
    const IDENTITY = 'refresh-tok-7d2b5a0c';
    const GITHUB = 'ghs_SecretTokenForTheRun1234567890';
    let basic: RegistryServer;
    let token: RegistryServer;
    let front: FrontProxy;
    let standIn: GitHubStandIn;
    let dir: string;
    let run: ActionRun;

    beforeAll(async () => {
      [basic, token, standIn] = await Promise.all([
        startRegistry({ auth: 'basic', users: { tester: PASSWORD } }),
        startRegistry({
          auth: 'token',
          users: { tester: PASSWORD },
          token: { refreshTokens: { [IDENTITY]: 'tester' } },
        }),
        startGitHubStandIn(),
      ]);
      await seedMany(basic, [
        { path: 'team/app', tags: ['1.0.0'], created: '2024-01-01T00:00:00Z' },
        { path: 'team/app', tags: ['1.1.0'], created: '2024-02-01T00:00:00Z' },
      ]);
      await seedMany(token, [{ path: 'team/db', tags: ['2.0.0'], created: '2024-01-01T00:00:00Z' }]);
      front = await startFrontProxy({ target: basic.url, redirectBlobs: true });
      standIn.addToken(GITHUB, { contents: 'write', pull_requests: 'write', issues: 'write' });

      dir = await mkdtemp(join(tmpdir(), 'security-'));
      const workspace = join(dir, 'workspace');
      const files: Record<string, string> = {
        'apps/app.yaml': helmRelease({ name: 'app', values: [`image: ${front.host}/team/app:1.0.0`] }),
        'apps/db.yaml': helmRelease({ name: 'db', values: [`image: ${token.host}/team/db:2.0.0`] }),
        // A registry that refuses the password makes the run report an authentication failure.
        'apps/wrong.yaml': helmRelease({ name: 'wrong', values: [`image: ${basic.host}/team/app:1.0.0`] }),
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(workspace, path)), { recursive: true });
        await writeFile(join(workspace, path), text);
      }
      const dockerConfig = join(dir, 'docker', 'config.json');
      await mkdir(dirname(dockerConfig), { recursive: true });
      await writeFile(
        dockerConfig,
        JSON.stringify({
          auths: {
            [front.host]: { auth: Buffer.from(`tester:${PASSWORD}`).toString('base64') },
            [token.host]: { identitytoken: IDENTITY },
            [basic.host]: { username: 'tester', password: `${PASSWORD}-wrong` },
          },
        }),
      );
      await standIn.createRepository('acme', 'gitops', files);
      run = await runAction({
        workspace,
        repository: 'acme/gitops',
        apiUrl: standIn.url,
        token: GITHUB,
        inputs: { 'docker-config': dockerConfig, 'fail-on-error': 'false' },
      });
    }, 120_000);
    afterAll(async () => {
      await front?.stop();
      await Promise.all([basic?.stop(), token?.stop(), standIn?.stop()]);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('did its work (one pull request, an authentication problem), so there was something to leak', () => {
      expect(run.exitCode).toBe(0);
      expect(standIn.pulls('acme', 'gitops')).toHaveLength(1);
      expect(run.annotations.map((a) => a.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/authentication failed/)]),
      );
      // Blob redirects reached object storage without Authorization (it rejects any).
      expect(front.storage!.log.length).toBeGreaterThan(0);
      expect(front.storage!.log.filter((e) => e.authorization)).toEqual([]);
    });

    it('masks every secret before anything else is written', () => {
      const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
      for (const secret of [PASSWORD, IDENTITY, GITHUB]) expect(masks).toContain(`::add-mask::${secret}`);
    });

    it('writes no secret, in any form, to logs, outputs, summary, annotations, pull requests or commits', async () => {
      const pulls = standIn.pulls('acme', 'gitops');
      const commits = await Promise.all(
        pulls.map(
          async (p) =>
            (await standIn.readCommit('acme', 'gitops', (await standIn.branchSha('acme', 'gitops', p.head))!))
              .message,
        ),
      );
      const places: Record<string, string> = {
        // The runner consumes ::add-mask:: lines; they are how the secrets get masked.
        stdout: run.stdout
          .split('\n')
          .filter((l) => !l.startsWith('::add-mask::'))
          .join('\n'),
        stderr: run.stderr,
        outputs: JSON.stringify(run.outputs),
        summary: run.summary,
        annotations: JSON.stringify(run.annotations),
        pulls: JSON.stringify(pulls),
        commits: commits.join('\n'),
        branches: (await standIn.branches('acme', 'gitops')).join('\n'),
      };
      const leaks: string[] = [];
      for (const [secret, user] of [
        [PASSWORD, 'tester'],
        [IDENTITY, undefined],
        [GITHUB, 'x-access-token'],
      ] as const) {
        for (const form of leakForms(secret, user)) {
          for (const [place, text] of Object.entries(places))
            if (text.includes(form)) leaks.push(`${form} in ${place}`);
        }
      }
      expect(leaks).toEqual([]);
    });
  });
});

describe('registry error bodies that echo credentials', () => {
  const USER = 'tester';
  const PASSWORD = 'Reg1stry-Pa55word+9f3c1e';
  const TOKEN = 'opaque-token-3f9a1c7e5b';
  let registry: HostileServer;
  let realm: HostileServer;
  let report: RunReport;
  let summary: string;
  let log: string[];

  beforeAll(async () => {
    realm = await startHostileServer((_req, res) => sendJson(res, 200, { token: TOKEN }));
    // Every answer repeats what the request carried, the way some registries' errors do.
    registry = await startHostileServer((req, res) => {
      const path = req.url!;
      const authorization = req.headers.authorization;
      if (path.includes('/bearer/')) {
        if (authorization !== `Bearer ${TOKEN}`) {
          res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="s"` }).end();
        } else res.writeHead(403, { 'content-type': 'text/plain' }).end(`token ${TOKEN} is not allowed here`);
        return;
      }
      if (authorization !== basic(USER, PASSWORD)) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' }).end();
      } else if (path.includes('/json/')) {
        sendJson(res, 404, {
          errors: [{ code: 'NAME_UNKNOWN', message: `unknown to ${authorization} (${USER}/${PASSWORD})` }],
        });
      } else if (path.includes('/headers/')) {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`bad request ${JSON.stringify(req.headers)}`);
      } else {
        res
          .writeHead(400, { 'content-type': 'text/plain' })
          .end(
            `login ${encodeURIComponent(`${USER}:${PASSWORD}`)} / ${Buffer.from(PASSWORD).toString('base64')}`,
          );
      }
    });
    const images = ['json', 'headers', 'encoded', 'bearer'];
    const files = Object.fromEntries(
      images.map((name) => [
        `apps/${name}.yaml`,
        helmRelease({ name, values: [`image: ${registry.host}/${name}/app:1.0.0`] }),
      ]),
    );
    log = [];
    report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace(files),
      registry: createRegistryClient({
        credentials: new Map([[registry.host, { username: USER, password: PASSWORD }]]),
        http: { retries: 0 },
      }),
      log: memoryLog(log),
    });
    summary = renderSummary(report, true);
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), realm?.stop()]);
  });

  it('the registry did echo them (so there was something to leak)', () => {
    expect(report.problems).toHaveLength(4);
    expect(registry.log.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('reach problems, the summary and the log with every credential and token redacted', () => {
    const places = { problems: JSON.stringify(report.problems), summary, log: log.join('\n') };
    const leaks: string[] = [];
    for (const [secret, user] of [
      [PASSWORD, USER],
      [TOKEN, undefined],
    ] as const)
      for (const form of leakForms(secret, user))
        for (const [place, text] of Object.entries(places))
          if (text.includes(form)) leaks.push(`${form} in ${place}`);
    expect(leaks).toEqual([]);
    expect(report.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('NAME_UNKNOWN unknown to Basic ***')]),
    );
  });
});

describe('a password in a registry-mirrors URL', () => {
  it('is refused as an input error that never repeats it', () => {
    const read = (name: string) =>
      name === 'registry-mirrors' ? 'docker.io=https://bob:Hunter2-Secret@mirror.example.com/hub' : undefined;
    expect(() => parseSettings(read)).toThrow(
      /has a user name or password.*Docker config under mirror\.example\.com/,
    );
    expect(() => parseSettings(read)).not.toThrow(/Hunter2/);
  });
});

describe('nothing outside the workspace is read', () => {
  let dir: string;
  let report: RunReport;
  let escaping: RunReport;
  const ESCAPING = ['../outside/*.yaml', '../**', '/etc/*', 'apps/../../outside/*.yaml'];
  const OUTSIDE_IMAGE = 'outside/secret-app:1.0.0';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'escape-'));
    const root = join(dir, 'workspace');
    const outside = join(dir, 'outside');
    await mkdir(join(root, 'apps'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(
      join(outside, 'release.yaml'),
      helmRelease({ name: 'outside', values: [`image: ${OUTSIDE_IMAGE}`] }),
    );
    await writeFile(
      join(root, 'apps', 'inside.yaml'),
      helmRelease({ name: 'inside', values: ['image: nginx:1.0'] }),
    );
    await symlink(join(outside, 'release.yaml'), join(root, 'apps', 'linked-file.yaml'));
    await symlink(outside, join(root, 'apps', 'linked-dir'));
    await symlink('../../outside/release.yaml', join(root, 'apps', 'relative-link.yaml'));
    await symlink('/etc/passwd', join(root, 'apps', 'passwd.yaml'));
    await symlink(join(root, 'apps'), join(root, 'apps', 'loop'));
    const run = (paths: string[]) =>
      runUpdate(
        { ...RUN_SETTINGS, paths },
        {
          workspace: createWorkspaceFiles(root),
          registry: memoryRegistry({
            'docker.io/library/nginx': ['1.0', '1.1'],
            'docker.io/outside/secret-app': ['9.9.9'],
          }),
          log: memoryLog(),
        },
      );
    report = await run(['**/*.yaml']);
    escaping = await run(['**/*.yaml', ...ESCAPING]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scans only the file inside; links out (files, directories, relative, absolute) are ignored', () => {
    expect(report.counts).toMatchObject({ files: 1, scanned: 1, releases: 1 });
    expect(report.plan.containers.map((c) => c.image)).toEqual(['nginx:1.0']);
    expect(JSON.stringify(report)).not.toContain('secret-app');
    expect(JSON.stringify(report)).not.toContain('root:');
  });

  it('`..` and absolute globs stop the run, each named, before anything is read', () => {
    expect(escaping.counts).toMatchObject({ scanned: 0, releases: 0 });
    expect(escaping.problems.map((p) => p.message)).toEqual(
      ESCAPING.map((pattern) =>
        expect.stringContaining(
          pattern.startsWith('/')
            ? `"${pattern}" is an absolute path`
            : `"${pattern}" leads outside the workspace`,
        ),
      ),
    );
    expect(JSON.stringify(escaping)).not.toContain('secret-app');
    expect(JSON.stringify(escaping)).not.toContain('root:');
  });

  it.each([
    '../outside/release.yaml',
    'apps/linked-file.yaml',
    'apps/linked-dir/release.yaml',
    'apps/relative-link.yaml',
    'apps/passwd.yaml',
    '/etc/passwd',
  ])('refuses to read %s directly', async (path) => {
    const read = await createWorkspaceFiles(join(dir, 'workspace')).readFile(path);
    expect(read.ok).toBe(false);
  });
});

describe('regex filters run in linear time', () => {
  it.each([
    ['regex:^(a+)+$', `${'a'.repeat(100_000)}!`],
    ['regex:^(a|a)*$', `${'a'.repeat(100_000)}!`],
    ['regex:^(a*)*b$', 'a'.repeat(100_000)],
    ['regex:^(x+x+)+y$', 'x'.repeat(100_000)],
  ])('%s on a 100,000-character tag returns (no catastrophic backtracking)', (filter, tag) => {
    expect(parseFilter(filter).matches(tag)).toBe(false);
  });

  it('a hostile filter over 1,000 long tags still plans', async () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `${'a'.repeat(120)}${i}`);
    const text = helmRelease({
      values: ['image: nginx:1.0'],
      annotations: ['filter.fluxcd.io/chart-image: "regex:^(a+)+$"'],
    });
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: { listFiles: async () => ['a.yaml'], readFile: async () => ({ ok: true, text }) },
      registry: memoryRegistry({ 'docker.io/library/nginx': ['1.0', ...tags] }),
      log: memoryLog(),
    });
    expect(report.plan.containers.map((c) => c.decision)).toEqual(['no-matching-tag']);
  });
});

describe('hostile text is escaped where it lands', () => {
  const HOSTILE = [
    '<img src=x onerror=alert(1)>',
    '| a | b |',
    '[click](javascript:alert(1))',
    '@everyone #1 `code` **bold**',
    '</td></tr></table><script>x</script>',
    'line\nbreak',
    '&lt;already&gt;',
    '--><img src=x onerror=alert(1)><!--',
  ];

  function hostileUpdate(text: string): Update {
    return makeUpdate({
      release: `apps/${text}`,
      name: text,
      container: text,
      chosenBy: text,
      filter: `glob:${text}`,
      file: `apps/${text}.yaml`,
    });
  }

  /** A report whose every text field is `text` (its update's, `update`'s when given). */
  function hostileReport(text: string, update = hostileUpdate(text)) {
    return {
      plan: {
        containers: (['update', 'locked', 'up-to-date'] as const).map((decision) => ({
          file: update.file,
          line: 1,
          documentIndex: 0,
          release: update.release,
          container: text,
          image: text,
          repository: text,
          current: text,
          filter: text,
          decision,
          reason: text,
          ...(decision === 'update' ? { update } : {}),
        })),
        updates: [update],
        edits: [],
        problems: [],
      },
      pullRequests: ['created', 'held-back', 'skipped'].map((action) => ({
        action,
        branch: text,
        updates: [update],
        reason: text,
        number: 7,
        url: `https://github.com/acme/gitops/pull/7?${text}`,
      })),
      problems: [{ file: text, line: 1, message: text, severity: 'warning' as const }],
      counts: { files: 1, scanned: 1, releases: 1, containers: 1, repositories: 1 },
      timings: { scan: 0, registry: 0, plan: 0, pullRequests: 0 },
    };
  }

  it.each(HOSTILE)('summary: %j becomes inert text', (text) => {
    const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'gitops', ref: 'main' };
    const summary = renderSummary(hostileReport(text), false, links);
    // Only the summary's own tags are HTML; no value adds a tag, a link or a line.
    const ownTags = /<\/?(details|summary|sub|code|b)>|<br>/g;
    expect(summary.replace(ownTags, '')).not.toContain('<');
    expect(summary).not.toMatch(/(?<!\\)\]\((?!https:\/\/github\.com\/acme\/gitops\/)/);
    expect(summary.split('\n')).toHaveLength(
      renderSummary(hostileReport('x'), false, links).split('\n').length,
    );
  });

  it.each(HOSTILE)('pull request body: %j becomes inert text', (text) => {
    const body = renderBody([hostileUpdate(text)], {
      serverUrl: 'https://github.com',
      owner: 'acme',
      repo: 'gitops',
      base: 'main',
      branch: 'b',
    });
    // The hidden marker is one HTML comment that no value can close early.
    const start = body.indexOf('<!-- helmrelease-image-updater:');
    expect(body.indexOf('-->', start)).toBe(body.length - '-->\n'.length);
    // Inside a code span nothing is rendered; everything else must be inert text.
    const visible = withoutCodeSpans(body.slice(0, start));
    expect(visible).not.toMatch(/<(img|script)/);
    expect(visible).not.toMatch(/[^\\]\]\(javascript:/);
    expect(visible).not.toMatch(/@everyone/);
    expect(visible).not.toMatch(/#1/);
  });

  /** Markdown with its inline code spans (a run of backticks up to the next run as long) removed. */
  function withoutCodeSpans(markdown: string): string {
    return markdown.replace(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
  }

  it.each(HOSTILE)('commit message and title: %j cannot add lines or trailers', (text) => {
    const injected = `${text}\n\nSigned-off-by: Mallory <m@example.com>\n${COMMIT_TRAILER}`;
    const update = makeUpdate({
      container: injected,
      name: injected,
      release: `apps/${injected}`,
      file: `apps/${injected}.yaml`,
    });
    expect(renderTitle([update])).not.toContain('\n');
    const message = renderCommitMessage([update]);
    expect(message.split('\n').filter((l) => l.startsWith('Signed-off-by'))).toEqual([]);
    expect(message.split('\n').filter((l) => l === COMMIT_TRAILER)).toHaveLength(1);
    // Title, blank line, one line per update, blank line, trailer.
    expect(message.split('\n')).toHaveLength(6);
  });

  const NAMES = [
    '../../etc',
    'a..b',
    '@{-1}',
    'refs/heads/main',
    'x.lock',
    'sp ace',
    'ti~l^d:e?*[',
    '\\back',
    '.hidden',
    'ünïcødé',
    '-dash',
    '',
    '/',
    'a//b',
    'trailing.',
  ];
  const gitRefOk = (branch: string): boolean =>
    spawnSync('git', ['check-ref-format', '--branch', branch]).status === 0;

  it.each(NAMES.map((n) => [JSON.stringify(n), n] as const))(
    'branch name for release/container %s is a valid ref',
    (_shown, name) => {
      const update = makeUpdate({ namespace: name, name, release: `${name}/${name}`, container: name });
      const [{ branch }] = groupUpdates([update], 'container', 'helmrelease-image-updater/');
      expect(gitRefOk(branch!)).toBe(true);
      const [{ branch: byImage }] = groupUpdates(
        [makeUpdate({ repository: `docker.io/${name}`, to: name || 'x' })],
        'image',
        'u/',
      );
      expect(gitRefOk(byImage!)).toBe(true);
    },
  );

  it('containers whose names sanitise alike: every update in exactly one pull request, the same in any order', () => {
    const updates = ['a b', 'a-b', 'a:b', 'a?b', 'c'].map((container, i) =>
      makeUpdate({ container, line: 10 + i }),
    );
    const requests = groupUpdates(updates, 'container', 'p/');
    const branchOf = (rs: typeof requests) =>
      Object.fromEntries(rs.flatMap((r) => r.updates.map((u) => [u.container, r.branch])));
    expect(requests.flatMap((r) => r.updates)).toHaveLength(updates.length);
    expect(Object.keys(branchOf(requests)).sort()).toEqual(updates.map((u) => u.container).sort());
    expect(branchOf(groupUpdates([...updates].reverse(), 'container', 'p/'))).toEqual(branchOf(requests));
    expect(new Set(requests.map((r) => r.branch)).size).toBe(requests.length);
  });

  it('a container named with a newline, read from a real file, cannot inject commit trailers', () => {
    const text = helmRelease({
      values: ['"app\\n\\nSigned-off-by: Mallory <m@example.com>":', '  image: nginx:1.0'],
    });
    const container = scanFile('a.yaml', text).releases[0]!.containers[0]!;
    expect(container.container).toContain('\n');
    const message = renderCommitMessage([makeUpdate({ container: container.container })]);
    expect(message.split('\n').filter((l) => l.startsWith('Signed-off-by'))).toEqual([]);
  });

  describe('bidirectional and zero-width characters in names (Trojan Source) show as escapes', () => {
    // A right-to-left override reorders the text after it up to the end of its paragraph, past a
    // code span's end: the body's `container X` line or skip hint, or a title, would read backwards.
    const text = helmRelease({
      name: 'web\u202egnp.lmay',
      values: ['"chart\u200b-image\u2066":', '  image: nginx:1.0'],
    });
    const read = scanFile('apps/\u202ex.yaml', text).releases[0]!;
    const update = makeUpdate({
      release: read.name,
      name: read.name,
      container: read.containers[0]!.container,
      file: 'apps/\u202ex.yaml',
    });
    const invisible = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
    const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'gitops', ref: 'main' };
    const context = {
      serverUrl: 'https://github.com',
      owner: 'acme',
      repo: 'gitops',
      base: 'main',
      branch: 'b',
    };
    const marker = '<!-- helmrelease-image-updater:';

    it('are read from a real file as written', () => {
      expect([update.release, update.container]).toEqual(['web\u202egnp.lmay', 'chart\u200b-image\u2066']);
    });

    it.each<[string, () => string]>([
      ['title', () => renderTitle([update], '{release} {container} {file}')],
      ['commit message', () => renderCommitMessage([update])],
      // The marker (a hidden comment the writer reads back) keeps the names as they are.
      ['pull request body', () => renderBody([update], context).split(marker)[0]!],
      ['job summary', () => renderSummary(hostileReport('x', update), false, links)],
    ])('%s', (_where, render) => {
      const shown = render();
      expect(shown).not.toMatch(invisible);
      expect(shown).toContain('u202e');
      expect(shown).toContain('u200b');
    });

    it('the skip hint names the annotation in double quotes, where the escape means the character', () => {
      const hint = ignoreVersionHint(update);
      expect(hint).toContain('"filter.fluxcd.io/chart\\u200b-image\\u2066": "semver:~4.0, !=4.0.4"');
      expect(JSON.parse('"filter.fluxcd.io/chart\\u200b-image\\u2066"')).toBe(
        `filter.fluxcd.io/${update.container}`,
      );
    });
  });
});
