/**
 * End to end: configuration mistakes, through the built Action as the runner starts it
 * (`test-support/e2e/run-action.ts`: every `with:` key becomes an `INPUT_*` variable, declared or
 * not). Each one stops the run before any write, or is said loudly; none ends green in silence.
 * No registry is involved: every release here is unautomated or the run stops first, or the
 * registry it names refuses every connection.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../../test-support/e2e/run-action.js';
import { startGitHubStandIn, WRITE_TOKEN, type GitHubStandIn } from '../../test-support/github/stand-in.js';
import { e2eDescribe } from './e2e-gate.js';
import { writeFiles } from './fixture-repository.js';

const describeE2e = e2eDescribe();

/** The summary's text with its escapes (HTML entities, Markdown backslashes) turned back. */
function summaryText(markdown: string): string {
  return markdown
    .replace(/\\([\\`*_[\]|~])/g, '$1')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#64;/g, '@')
    .replace(/&amp;/g, '&');
}

/** A HelmRelease without `fluxcd.io/automated`: found and listed, but no registry is asked. */
const UNAUTOMATED = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  values:
    image:
      repository: nginx
      tag: 1.25.0
`;

const FILES = {
  'clusters/prod/apps/web.yaml': UNAUTOMATED,
  'clusters/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n',
};

describeE2e('the built Action refuses or reports configuration mistakes', () => {
  let standIn: GitHubStandIn;
  const temporary: string[] = [];

  /** A workspace holding `files`, with a `.git` folder unless `checkout` is false. */
  async function workspace(files: Record<string, string>, checkout = true): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-mistakes-'));
    temporary.push(dir);
    await writeFiles(dir, files);
    if (checkout) await mkdir(join(dir, '.git'));
    return dir;
  }

  const stepOptions = (dir: string, inputs: Record<string, string>) => ({
    workspace: dir,
    repository: 'acme/gitops',
    apiUrl: standIn.url,
    token: WRITE_TOKEN,
    inputs,
  });

  async function step(dir: string, inputs: Record<string, string>): Promise<ActionRun> {
    return runAction(stepOptions(dir, inputs));
  }

  /** The messages of the `::error` annotations. */
  const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    await standIn.createRepository('acme', 'gitops', FILES);
  });

  afterAll(async () => {
    await standIn?.stop();
    for (const dir of temporary) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [{ dryrun: 'true' }, 'Input "dryrun": this Action has no such input; did you mean "dry-run"?'],
    [{ path: 'clusters/**' }, 'Input "path": this Action has no such input; did you mean "paths"?'],
    [{ label: 'deps' }, 'Input "label": this Action has no such input; did you mean "labels"?'],
    [{ 'dry run': 'true' }, 'Input "dry_run": this Action has no such input; did you mean "dry-run"?'],
    [
      { 'title-template': '{action} {img} to {to}' },
      'Input "title-template": unknown placeholder {img}; did you mean {image}?',
    ],
    [
      { 'commit-message-template': 'chore(deps): bump {containr}' },
      'Input "commit-message-template": unknown placeholder {containr}; did you mean {container}?',
    ],
    [
      { 'docker-config': 'missing/config.json' },
      'Input "docker-config": missing/config.json does not exist; give the path of a docker config file',
    ],
  ])('%j fails before anything is read or written', async (inputs, message) => {
    standIn.clearLog();
    const run = await step(await workspace(FILES), inputs);
    expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
      exitCode: 1,
      errors: [expect.stringContaining(message)],
    });
    expect(run.outputs).toEqual({});
    expect(standIn.writeRequests()).toEqual([]);
  });

  it.each([
    [{ paths: 'cluster/**/*.yaml' }, 'paths: "cluster/**/*.yaml" matches no file in the workspace'],
    [
      { paths: 'clusters' },
      'paths: "clusters" names a folder, not files; write "clusters/**" for every file in it',
    ],
    [{ exclude: 'clusters/staging/**' }, 'exclude: "clusters/staging/**" matches no file in the workspace'],
  ])('a pattern that matches nothing, %j, stops the run with an error naming it', async (inputs, message) => {
    standIn.clearLog();
    const run = await step(await workspace(FILES), inputs);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([expect.stringContaining(message), expect.stringMatching(/^Stopped: /)]);
    expect(summaryText(run.summary)).toContain(message);
    expect(JSON.parse(run.outputs.problems)).toEqual([
      { file: '', line: 0, severity: 'error', message: expect.stringContaining(message) },
    ]);
    expect(standIn.writeRequests()).toEqual([]);
  });

  // A base branch that does not exist is a configuration mistake: no pull request can ever be
  // written, so the step fails whatever fail-on-error says (it ended green with fail-on-error: false).
  it.each([
    [{ 'base-branch': 'mian', 'fail-on-error': 'false' }],
    [{ 'base-branch': 'mian', 'fail-on-error': 'false', 'dry-run': 'true' }],
  ])('%j fails the step, naming the input, after publishing the plan', async (inputs) => {
    standIn.clearLog();
    const run = await runAction({
      workspace: await workspace(FILES),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs,
      fromSource: true,
    });
    const message = 'The base branch "mian" does not exist in acme/gitops; check the "base-branch" input.';
    expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({ exitCode: 1, errors: [message] });
    expect(JSON.parse(run.outputs.problems)).toEqual([{ file: '', line: 0, severity: 'error', message }]);
    expect(summaryText(run.summary)).toContain(message);
    expect(standIn.writeRequests()).toEqual([]);
  });

  // An input another input leaves without effect widens nothing: a warning, annotated and among
  // the problems, and the run goes on (from the sources: newer than the last built bundle).
  it('merge-method with automerge: none is a warning in the log, the problems and the summary', async () => {
    const run = await runAction({
      ...stepOptions(await workspace(FILES), { 'merge-method': 'rebase', 'dry-run': 'true' }),
      fromSource: true,
    });
    const message =
      'merge-method: rebase has no effect with automerge: none; remove it, or set automerge to patch, minor or all';
    expect(run.exitCode).toBe(0);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([message]);
    expect(run.stdout).toContain(`::warning title=helmrelease-image-updater::${message}`);
    expect(JSON.parse(run.outputs.problems)).toEqual([{ file: '', line: 0, severity: 'warning', message }]);
    expect(summaryText(run.summary)).toContain(message);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it.each([['./clusters/**'], ['clusters/'], ['{clusters,apps}/**/*.{yaml,yml}']])(
    'paths %j finds the HelmRelease',
    async (paths) => {
      const run = await step(await workspace(FILES), { paths, 'dry-run': 'true' });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('1 HelmRelease in 1 file\n');
      expect(run.annotations).toEqual([]);
    },
  );

  // From the sources: the words of these messages changed after the bundle was last built.
  const notACheckout = (dir: string) =>
    `The workspace ${dir} is not a git checkout (no .git) and holds no HelmRelease; run actions/checkout before this step.`;

  it.each([
    ['no inputs', {}],
    ['paths naming a folder it lacks', { paths: 'clusters/**' }],
  ])(
    'an empty workspace that is not a checkout fails, saying to run actions/checkout (%s)',
    async (_n, inputs) => {
      const dir = await workspace({}, false);
      const run = await runAction({ ...stepOptions(dir, inputs), fromSource: true });
      expect(run.exitCode).toBe(1);
      expect(errors(run)[0]).toBe(notACheckout(dir));
      expect(run.summary).toMatch(/not a git checkout/);
      expect(standIn.writeRequests()).toEqual([]);
    },
  );

  // actions/checkout without git leaves no .git: a paths mistake in such a workspace is that
  // mistake alone, not a missing checkout of a workspace said to hold no HelmRelease.
  it('a workspace without .git that holds releases, stopped by a paths typo, names only the typo', async () => {
    const dir = await workspace(FILES, false);
    const run = await runAction({ ...stepOptions(dir, { paths: 'cluster/**' }), fromSource: true });
    expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
      exitCode: 1,
      errors: [
        'paths: "cluster/**" matches no file in the workspace. Nothing was scanned or written.',
        'Stopped: a paths or exclude pattern needs fixing (see the problems); nothing was scanned or written.',
      ],
    });
    expect(run.summary).not.toMatch(/not a git checkout/);
    expect(standIn.writeRequests()).toEqual([]);
  });

  describe('a run for a pull request from a fork (a read-only token)', () => {
    /** A step run for a `pull_request` event whose head repository is `head`. */
    async function pullRequestStep(
      head: string,
      inputs: Record<string, string>,
      options: { fromSource?: boolean } = {},
    ): Promise<ActionRun> {
      const dir = await workspace(FILES);
      const eventPath = join(dir, '..', `${dir.split('/').pop()}-event.json`);
      temporary.push(eventPath);
      await writeFile(eventPath, JSON.stringify({ pull_request: { head: { repo: { full_name: head } } } }));
      return runAction({
        workspace: dir,
        repository: 'acme/gitops',
        apiUrl: standIn.url,
        token: WRITE_TOKEN,
        inputs,
        env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath },
        ...options,
      });
    }

    it('stops before any work, saying why and what to do instead', async () => {
      standIn.clearLog();
      const run = await pullRequestStep('mallory/gitops', {});
      expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
        exitCode: 1,
        errors: [
          expect.stringMatching(
            /^This run is for a pull request from mallory\/gitops \(pull_request event\): GitHub gives such runs a read-only token, .* or with dry-run: true on pull requests\.$/,
          ),
        ],
      });
      expect(standIn.requests).toEqual([]);
    });

    // Such a run gets no secrets: a `token: ${{ secrets.APP_TOKEN }}` is empty. It said "a token is
    // needed to write pull requests", as if the secret were missing from the repository.
    it('says so too when the token input is empty, as a secret is in such a run', async () => {
      standIn.clearLog();
      const run = await pullRequestStep('mallory/gitops', { token: '' }, { fromSource: true });
      expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
        exitCode: 1,
        errors: [
          expect.stringMatching(
            /^This run is for a pull request from mallory\/gitops \(pull_request event\)/,
          ),
        ],
      });
      expect(standIn.requests).toEqual([]);
    });

    it.each([
      ['a dry run for a fork', 'mallory/gitops', { 'dry-run': 'true' }],
      ['a pull request from a branch of this repository', 'acme/gitops', {}],
    ])('goes ahead for %s', async (_name, head, inputs) => {
      const run = await pullRequestStep(head, inputs);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('1 HelmRelease in 1 file\n');
    });
  });

  // Run from the source: the step's last line is the shell's own (main.ts), which the bundle
  // carries only once rebuilt.
  it('a HelmRelease held back by a mistake fails the step, and the failure says so', async () => {
    const blocked = UNAUTOMATED.replace(
      '  namespace: apps\n',
      '  namespace: apps\n  annotations:\n    fluxcd.io/automated: "true"\n    filter.fluxcd.io/chart-imag: semver:~1.25\n',
    );
    const run = await runAction({
      workspace: await workspace({ ...FILES, 'clusters/prod/apps/web.yaml': blocked }),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: {},
      fromSource: true,
    });
    expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
      exitCode: 1,
      errors: [
        expect.stringContaining('filter.fluxcd.io/chart-imag names no container of this HelmRelease'),
        '1 problem is an error (an image that could not be checked, a HelmRelease held back by a mistake in its annotations or YAML, or a pull request that could not be written); see the annotations and the job summary (fail-on-error: false leaves them there without failing the step)',
      ],
    });
  });

  // Mistakes that were ignored without a word, each updating the release as if it were not written:
  // each now fails the step with an error at the mistake's file and line, and no registry is asked.
  const AUTOMATED = UNAUTOMATED.replace(
    '  namespace: apps\n',
    '  namespace: apps\n  annotations:\n    fluxcd.io/automated: "true"\n',
  );
  it.each<[string, Record<string, string>, { file: string; line: number; message: string }]>([
    [
      'a misspelt registry alias key (the image would be read from Docker Hub)',
      {
        'clusters/prod/apps/web.yaml': AUTOMATED.replace(
          '    fluxcd.io/automated: "true"\n',
          '    fluxcd.io/automated: "true"\n    registy.fluxcd.io/web: reg\n    repository.fluxcd.io/web: image.repository\n',
        ).replace('  values:\n', '  values:\n    reg: registry.example.com\n'),
      },
      {
        file: 'clusters/prod/apps/web.yaml',
        line: 8,
        message: 'registy.fluxcd.io/web looks like a misspelling of registry.fluxcd.io/web',
      },
    ],
    [
      "a kustomization's filter for a container no release has",
      {
        'clusters/prod/apps/web.yaml': AUTOMATED,
        'clusters/prod/kustomization.yaml':
          'resources:\n  - apps/web.yaml\ncommonAnnotations:\n  filter.fluxcd.io/chart-imag: semver:~1.25\n',
      },
      {
        file: 'clusters/prod/kustomization.yaml',
        line: 4,
        message: 'filter.fluxcd.io/chart-imag in commonAnnotations of clusters/prod/kustomization.yaml',
      },
    ],
    [
      'a misspelt commonAnnotations field',
      {
        'clusters/prod/apps/web.yaml': AUTOMATED,
        'clusters/prod/kustomization.yaml':
          'resources:\n  - apps/web.yaml\ncommonAnnotation:\n  fluxcd.io/locked: "true"\n',
      },
      {
        file: 'clusters/prod/kustomization.yaml',
        line: 3,
        message: 'commonAnnotation is no field of a kustomization (did you mean commonAnnotations?)',
      },
    ],
  ])('%s fails the step with an error at its line', async (_name, files, expected) => {
    const run = await runAction({
      workspace: await workspace({ ...FILES, ...files }),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: {},
      fromSource: true,
    });
    const [first] = run.annotations.filter((a) => a.level === 'error');
    expect({ exitCode: run.exitCode, file: first?.file, line: first?.line }).toEqual({
      exitCode: 1,
      file: expected.file,
      line: expected.line,
    });
    expect(first?.message).toContain(expected.message);
    expect(errors(run)).toHaveLength(2);
  });

  /** The fixture and `count` automated releases each with a misspelt filter annotation: an error each. */
  const misspeltFilters = (count: number): Record<string, string> => {
    const files: Record<string, string> = { ...FILES };
    for (let i = 1; i <= count; i += 1) {
      files[`clusters/prod/apps/web-${i}.yaml`] = UNAUTOMATED.replace('name: web', `name: web-${i}`).replace(
        '  namespace: apps\n',
        '  namespace: apps\n  annotations:\n    fluxcd.io/automated: "true"\n    filter.fluxcd.io/chart-imag: semver:~1.25\n',
      );
    }
    return files;
  };

  // GitHub shows 10 errors and 10 warnings a step and drops the rest without a word: the step's
  // failure (an error too) must not be the one dropped, and no problem may be lost.
  it('past 10 errors, 8 are annotated, then a count of the rest, then the failure; the log holds the rest', async () => {
    const run = await runAction({
      workspace: await workspace(misspeltFilters(12)),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'dry-run': 'true' },
      fromSource: true,
    });
    const held = expect.stringContaining(
      'filter.fluxcd.io/chart-imag names no container of this HelmRelease',
    );
    expect({ exitCode: run.exitCode, errors: errors(run) }).toEqual({
      exitCode: 1,
      errors: [
        ...Array.from({ length: 8 }, () => held),
        "4 more errors than GitHub shows as annotations: each is in the job summary, and in this step's log",
        expect.stringMatching(/^12 problems are errors /),
      ],
    });
    const annotated = run.annotations.filter((a) => a.file).map((a) => a.file);
    const logged = [
      ...run.stdout.matchAll(
        /^error (clusters\/prod\/apps\/web-\d+\.yaml):\d+: filter\.fluxcd\.io\/chart-imag names no container/gm,
      ),
    ].map((m) => m[1]);
    expect([...annotated, ...logged].sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `clusters/prod/apps/web-${i + 1}.yaml`).sort(),
    );
    expect(JSON.parse(run.outputs.problems)).toHaveLength(12);
  });

  // GitHub fails a job whose outputs pass 1 MB: each output is kept within its bound, and says so.
  it('an output past its bound lists its first entries, and a warning says how many of how many', async () => {
    const count = 700;
    const run = await runAction({
      workspace: await workspace(misspeltFilters(count)),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      inputs: { 'dry-run': 'true', 'fail-on-error': 'false' },
      fromSource: true,
    });
    const problems = JSON.parse(run.outputs.problems) as { file: string; message: string }[];
    expect(run.outputs.problems.length).toBeLessThanOrEqual(120_000);
    expect(problems.length).toBeGreaterThan(100);
    expect(problems.length).toBeLessThan(count);
    expect(problems.every((p) => p.message.includes('filter.fluxcd.io/chart-imag names no container'))).toBe(
      true,
    );
    expect(run.annotations.map((a) => a.message)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The \`problems\` output lists the first ${problems.length} of ${count} problems: GitHub fails a job`,
        ),
      ),
    );
    expect(run.exitCode).toBe(0);
  });

  it('a registry none of whose repositories can be read is said once, in the log and the summary', async () => {
    const image = (name: string, repository: string) =>
      UNAUTOMATED.replace('name: web', `name: ${name}`)
        .replace(
          '  namespace: apps\n',
          '  namespace: apps\n  annotations:\n    fluxcd.io/automated: "true"\n',
        )
        .replace('repository: nginx', `repository: registry.down.example/${repository}`);
    const run = await runAction({
      workspace: await workspace({
        ...FILES,
        'clusters/prod/apps/web.yaml': image('web', 'acme/web'),
        'clusters/prod/apps/api.yaml': image('api', 'acme/api'),
        'clusters/prod/apps/api-canary.yaml': image('api-canary', 'acme/api'),
      }),
      repository: 'acme/gitops',
      apiUrl: standIn.url,
      token: WRITE_TOKEN,
      // Port 9 on loopback: nothing listens, so every connection is refused at once.
      inputs: { 'dry-run': 'true', 'registry-mirrors': 'registry.down.example=http://127.0.0.1:9' },
      fromSource: true,
    });
    const said = [...run.stdout.matchAll(/^Registry registry\.down\.example: (.*)$/gm)].map((m) => m[1]);
    expect(said).toEqual([
      expect.stringMatching(
        /^none of its 2 repositories could be read, so 3 containers were not checked; the first error: could not check registry\.down\.example\/acme\/(web|api): .*ECONNREFUSED/,
      ),
    ]);
    // Each container is still an error of its own, at its file and line.
    expect(errors(run).filter((message) => message.includes('could not check'))).toHaveLength(3);
    expect(summaryText(run.summary)).toContain(
      '- **Registry not read** <code>registry.down.example</code>: none of its 2 repositories could be read, so 3 containers were not checked (each is listed below).',
    );
  });

  it('a checkout without any HelmRelease says so in a warning and in the summary', async () => {
    const run = await step(await workspace({ 'k8s/deployment.yaml': 'kind: Deployment\n' }), {});
    expect(run.exitCode).toBe(0);
    const message = 'No HelmRelease found in 1 file (every *.yaml and *.yml file); nothing was checked.';
    expect(run.annotations).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining(message) }),
    ]);
    expect(summaryText(run.summary)).toContain(message);
  });
});
