/**
 * End to end: the built CLI (`dist/cli.js`) run as a user runs it from a shell
 * (`test-support/e2e/run-cli.ts`), against a real distribution registry, over the same fixture
 * GitOps repository as the Action's e2e test. The plan as JSON, the table and `--write` run under
 * each Node runtime (the tests' own, Node 22 and Node 24; see e2e-gate.ts `e2eRuntimes`).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../test-support/e2e/run-cli.js';
import { nodeWarnings } from '../../test-support/e2e/node-runtimes.js';
import { e2eDescribe, e2eRuntimes } from './e2e-gate.js';
import { startE2eEnvironment, type E2eEnvironment } from './e2e-environment.js';
import { EXPECTED_BUMPS, EXPECTED_PROBLEMS, reportedFields } from './fixture-repository.js';

const describeE2e = e2eDescribe();

describeE2e('the built CLI on the fixture GitOps repository', () => {
  let env: E2eEnvironment;
  let workspace: string;
  const cliMirrors = (): string[] => env.mirrors.flatMap((m) => ['--registry-mirrors', m]);

  beforeAll(async () => {
    env = await startE2eEnvironment();
    workspace = await env.workspace();
  });

  afterAll(async () => {
    await env?.stop();
  });

  // The tests' own Node, the lowest the CLI admits (22) and the Action's runtime (24), over the same
  // bodies; the rest runs under the tests' own.
  for (const { runtime, describe: describeUnder } of e2eRuntimes('cli')) {
    describeUnder(`under ${runtime.label}`, () => {
      const cli = (args: readonly string[]) => runCli(args, { node: runtime.execPath });

      it('--json prints exactly one JSON object with normalised repositories, and exits 1', async () => {
        const run = await cli(['--dir', workspace, '--json', '--no-cache', ...cliMirrors()]);
        expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: '' });
        const json = JSON.parse(run.stdout) as {
          containers: { release: string; container: string; decision: string; to?: string }[];
          updates: Record<string, unknown>[];
          problems: unknown[];
        };
        expect(Object.keys(json)).toEqual(['containers', 'updates', 'problems', 'notices']);
        // Every container with its decision, not only the updates.
        const decisions = json.containers.map((c) => [c.release, c.container, c.decision, c.to]);
        expect(decisions).toEqual(
          expect.arrayContaining([
            ...EXPECTED_BUMPS.map((b) => [b.release, b.container, 'update', b.to]),
            ['apps/cache', 'chart-image', 'locked', undefined],
            ['apps/sessions', 'chart-image', 'not-automated', undefined],
            ['apps/legacy', 'chart-image', 'error', undefined],
          ]),
        );
        expect(decisions).toHaveLength(EXPECTED_BUMPS.length + 3);
        expect(json.updates).toEqual(EXPECTED_BUMPS.map((b) => expect.objectContaining(reportedFields(b))));
        for (const update of json.updates) expect(update).not.toHaveProperty('pullRequest');
        expect(json.problems).toEqual(
          EXPECTED_PROBLEMS.map((p) => ({ ...p, message: expect.stringMatching(p.message) })),
        );
      });

      it('prints a table with each problem once, and exits 1 when a HelmRelease could not be read', async () => {
        const run = await cli([
          '--dir',
          workspace,
          '--no-cache',
          '--exclude',
          'clusters/production/apps/missing.yaml',
          ...cliMirrors(),
        ]);
        expect({ exitCode: run.exitCode, warnings: nodeWarnings(run.stderr) }).toEqual({
          exitCode: 1,
          warnings: [],
        });
        expect(run.stdout).toMatch(new RegExp(`^Updates \\(${EXPECTED_BUMPS.length}\\):$`, 'm'));
        for (const b of EXPECTED_BUMPS) {
          expect(run.stdout).toContain(
            `\n  ${b.release} (${b.container}) ${b.repository} ${b.from} -> ${b.to}`,
          );
          expect(run.stdout).toContain(`\n    ${b.file}:${b.line} · `);
        }
        // The job summary's groups: the locked one listed, the one not automated counted.
        expect(run.stdout).toMatch(/^Locked \(1\):\n {2}apps\/cache \(chart-image\) /m);
        expect(run.stdout).toMatch(/^Other containers: .*\b1 not automated\b/m);
        // Fits 100 columns; each problem once.
        expect(run.stdout.split('\n').filter((line) => line.length > 100)).toEqual([]);
        const broken = EXPECTED_PROBLEMS[0];
        expect(run.stdout.split(`${broken.file}:${broken.line}`)).toHaveLength(2);
      });

      it('--write changes only the tag bytes, and a second plan finds nothing to do', async () => {
        const target = await env.workspace();
        const run = await cli(['--dir', target, '--write', '--no-cache', ...cliMirrors()]);
        expect({ exitCode: run.exitCode, warnings: nodeWarnings(run.stderr) }).toEqual({
          exitCode: 1,
          warnings: [],
        });
        for (const [path, before] of Object.entries(env.fixture)) {
          const after = await readFile(join(target, path), 'utf8');
          const bumps = EXPECTED_BUMPS.filter((b) => b.file === path);
          let expected = before;
          for (const b of bumps) {
            const lines = expected.split('\n');
            lines[b.line - 1] = b.after;
            expected = lines.join('\n');
          }
          expect({ path, after }).toEqual({ path, after: expected });
        }
        const again = await cli(['--dir', target, '--json', '--no-cache', ...cliMirrors()]);
        expect((JSON.parse(again.stdout) as { updates: unknown[] }).updates).toEqual([]);
      });
    });
  }

  it('exits 0 when every image could be checked, even with updates', async () => {
    const run = await runCli([
      '--dir',
      workspace,
      '--no-cache',
      '--exclude',
      'clusters/production/apps/missing.yaml,clusters/production/apps/broken.yaml',
      ...cliMirrors(),
    ]);
    expect({ exitCode: run.exitCode, problems: run.stdout.match(/^Problems.*/m) }).toEqual({
      exitCode: 0,
      problems: null,
    });
    expect(run.stdout).toMatch(new RegExp(`^Updates \\(${EXPECTED_BUMPS.length}\\):$`, 'm'));
  });

  it('takes list values separated by commas or newlines, and repeated flags', async () => {
    const run = await runCli([
      '--dir',
      workspace,
      '--json',
      '--no-cache',
      '--paths',
      'clusters/production/data/*.yaml,clusters/production/apps/web.yaml',
      '--paths=clusters/production/messaging/**\nclusters/production/apps/missing.yaml',
      '--exclude',
      'clusters/production/apps/missing.yaml',
      ...cliMirrors(),
    ]);
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.stdout) as {
      updates: { release: string; container: string }[];
      problems: [];
    };
    expect(json.updates.map((u) => `${u.release} ${u.container}`)).toEqual([
      'apps/web chart-image',
      'apps/web worker',
      'data/mongodb chart-image',
      'data/mongodb metrics',
      'messaging/nats streaming',
    ]);
    // The mirrors name every registry of the fixture; these paths leave out its one quay.io image.
    expect(json.problems).toEqual([
      {
        file: '',
        line: 0,
        severity: 'warning',
        message:
          'registry-mirrors: quay.io is the registry of no image found in the HelmReleases scanned; its mirror was not used.',
      },
    ]);
  });

  it('--stats-file writes the counts, --cache-file keeps the digests', async () => {
    const dir = await env.workspace({});
    const stats = join(dir, 'out', 'stats.json');
    const cache = join(dir, 'cache', 'digests.json');
    const plan = async (...flags: string[]) => {
      const run = await runCli([
        '--dir',
        workspace,
        '--json',
        '--stats-file',
        stats,
        '--cache-file',
        cache,
        ...flags,
        ...cliMirrors(),
      ]);
      const written = JSON.parse(await readFile(stats, 'utf8')) as {
        counts: Record<string, number>;
        requests: Record<string, number>;
        trustedTagDigests: number;
      };
      return {
        exitCode: run.exitCode,
        stdout: JSON.parse(run.stdout) as unknown,
        counts: written.counts,
        heads: written.requests.headManifest,
        gets: written.requests.getManifest! + written.requests.getBlob!,
        trusted: written.trustedTagDigests,
      };
    };
    const cold = await plan();
    expect(cold.exitCode).toBe(1);
    expect(cold.counts).toEqual({ files: 7, scanned: 7, releases: 7, containers: 10, repositories: 8 });
    expect(cold.gets).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(cache, 'utf8'))).toBeInstanceOf(Object);

    // Again with the cache: by default the CLI still asks about every tag (HEAD only); told to
    // trust tag digests for a day, it asks about none, and plans the same.
    const asking = await plan();
    expect(asking).toMatchObject({ stdout: cold.stdout, heads: cold.heads, gets: 0, trusted: 0 });
    const trusting = await plan('--tag-digest-max-age', '24h');
    expect(trusting).toMatchObject({ stdout: cold.stdout, heads: 0, gets: 0, trusted: cold.heads });
    // An empty value is refused, as every flag's is: neither the Action's default nor the CLI's.
    const empty = await runCli(['--dir', workspace, '--tag-digest-max-age=', ...cliMirrors()]);
    expect({ exitCode: empty.exitCode, stdout: empty.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(empty.stderr).toContain('--tag-digest-max-age: is empty; give a value, or leave the flag out');
  });

  it.each([
    ['a directory', (path: string) => mkdir(path)],
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path])],
  ])(
    'with --json, a cache path that is %s is a notice in the JSON; the run completes',
    async (kind, make) => {
      const dir = await env.workspace({});
      const cache = join(dir, 'digests.json');
      await make(cache);
      const run = await runCli(['--dir', workspace, '--json', '--cache-file', cache, ...cliMirrors()]);
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 1, stderr: '' });
      const json = JSON.parse(run.stdout) as { updates: unknown[]; notices: string[] };
      expect(json.updates).toHaveLength(EXPECTED_BUMPS.length);
      expect(json.notices).toEqual([
        `The digest cache ${cache} is ${kind}, not a file; it is not used, and this run asks the registries instead.`,
        `The digest cache was not saved: ${cache} is ${kind}, not a file.`,
      ]);
    },
  );

  it.each([
    ['an unknown flag', ['--bogus'], '--bogus: unknown flag'],
    ['a flag without its value', ['--dir'], '--dir: needs a value'],
    ['a bad value', ['--registry-concurrency', '0'], '--registry-concurrency: expected a whole number'],
    ['a bad duration', ['--tag-digest-max-age', '2w'], '--tag-digest-max-age: expected 0 or a duration'],
    ['a positional argument', ['examples'], 'unexpected argument "examples"'],
    ['a value on a switch', ['--json=yes'], '--json: takes no value'],
    [
      'a bad value of a pull-request flag',
      ['--group-by', 'repository'],
      '--group-by: expected container, image, release',
    ],
    [
      'a missing directory',
      ['--dir', '/nonexistent/gitops'],
      '--dir: /nonexistent/gitops is not a directory',
    ],
  ])('exits 2 for bad usage: %s', async (_name, args, message) => {
    const run = await runCli(args);
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toContain(message);
  });

  it("takes the Action's pull-request inputs (no effect) and boolean flags given alone", async () => {
    const run = await runCli([
      '--dir',
      workspace,
      '--no-cache',
      '--labels',
      'deps',
      '--group-by',
      'image',
      '--dry-run',
      '--require-automated',
      '--exclude',
      'clusters/production/apps/missing.yaml',
      '--exclude',
      'clusters/production/apps/broken.yaml',
      '--json',
      ...cliMirrors(),
    ]);
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout) as { updates: unknown[] };
    expect(output.updates).toHaveLength(EXPECTED_BUMPS.length);
  });

  it('--help lists every flag', async () => {
    const run = await runCli(['--help']);
    expect(run.exitCode).toBe(0);
    const flags = [
      'dir',
      'json',
      'write',
      'cache-file',
      'no-cache',
      'stats-file',
      'help',
      'paths',
      'exclude',
      'require-automated',
      'registry-mirrors',
      'insecure-registries',
      'docker-config',
      'registry-concurrency',
      'tag-digest-max-age',
      'minimum-release-age',
      'update-repushed-digests',
      'registry-budget',
      'fail-on-error',
      'detection',
      'images',
      'registry-aliases',
      'tags',
      'version',
    ];
    for (const flag of flags) expect(run.stdout).toMatch(new RegExp(`^ +--${flag}\\b`, 'm'));
    const listed = [...run.stdout.matchAll(/^ +--([a-z-]+)/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...flags].sort());
    for (const flag of ['base-branch', 'labels', 'group-by', 'max-pull-requests', 'dry-run']) {
      expect(run.stdout).toContain(`--${flag}`);
    }
  });
});
