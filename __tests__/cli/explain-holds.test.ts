/**
 * `explain FILE` holds a release back where a run would for what another file says (a Kustomize
 * patch document, a kustomization's commonAnnotations, patches or components, a `.flux.yaml`),
 * with the run's own error at that file's line, rather than promising an update the run holds
 * back, and it scans the files `--paths` and `--exclude` select, as a run does. Run from the source
 * (`src/cli.ts` under tsx) in a temporary checkout; each case runs the core (`runUpdate`, over the
 * same files) too, and explain's error must be one of the run's.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createWorkspaceFiles, type WorkspaceLimits } from '../../src/adapters/workspace-files.js';
import { CLI_DEFAULTS, parseArgs } from '../../src/cli-args.js';
import { explainCommand } from '../../src/cli-explain.js';
import { parseSettings } from '../../src/settings.js';
import type { RegistryPort, TagDetails } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { explainedProblems } from '../../test-support/explain-verdicts.js';
import { patchDocument } from '../../test-support/helmrelease/flux-v1-documents.js';
import { temporaryCheckouts } from '../../test-support/temporary-checkouts.js';
import { release } from '../kustomize/support.js';

/** An automated HelmRelease apps/app (image nginx:1.0), as its base file holds it. */
const APP = release('app', 'nginx:1.0');

const BASE: Record<string, string> = {
  'apps/base/app.yaml': APP,
  'apps/base/kustomization.yaml': 'resources:\n  - app.yaml\n',
};

/** The prod overlay's kustomization with these lines after its resources (line 3 onwards). */
function overlay(...lines: string[]): Record<string, string> {
  return overlayOf('prod', ...lines);
}

/** A cluster's overlay of the base, with these lines after its resources (line 3 onwards). */
function overlayOf(cluster: string, ...lines: string[]): Record<string, string> {
  return {
    [`clusters/${cluster}/kustomization.yaml`]: ['resources:', '  - ../../apps/base', ...lines, ''].join(
      '\n',
    ),
  };
}

/** The prod and staging overlays, each locking the base release in its commonAnnotations (line 4). */
const TWO_LOCKING_OVERLAYS: Record<string, string> = {
  ...overlayOf('prod', 'commonAnnotations:', '  fluxcd.io/locked: "true"'),
  ...overlayOf('staging', 'commonAnnotations:', '  fluxcd.io/locked: "true"'),
};

/** A Kustomize patch document (a HelmRelease without a chart) locking apps/app, in the prod overlay. */
const LOCKING_PATCH: Record<string, string> = {
  'clusters/prod/app-patch.yaml': patchDocument(['fluxcd.io/locked: "true"']),
};

const TAGS = ['1.0', '1.1'];

/** An in-memory registry listing {@link TAGS} for every repository, oldest first. */
const registry: RegistryPort = {
  listTags: async () => [...TAGS],
  describeTags: async (_repository, tags) =>
    new Map<string, TagDetails>(
      tags.map((tag) => [
        tag,
        { digest: `sha256:${tag}`, created: new Date(Date.UTC(2000, 0, TAGS.indexOf(tag) + 1)) },
      ]),
    ),
};

const log = { info: () => undefined, group: <T>(_: string, work: () => Promise<T>) => work() };

const checkouts = temporaryCheckouts('cli-explain-holds-');
afterAll(checkouts.removeAll);
/** A checkout with these files (and a `.git` folder unless `git` is false). */
const checkout = checkouts.write;

/** The report's line under the file's name, joined back where explain wrapped it at 100 columns. */
function holdsLine(stdout: string): string {
  const lines = stdout.split('\n');
  return lines
    .slice(1, lines.indexOf('', 1))
    .map((line) => line.trim())
    .join(' ');
}

const CHECKED =
  'Holds from other files (a .flux.yaml, a Kustomize patch, a kustomization): checked in . ' +
  '(the repository root: the nearest folder above the file with .git)';

/**
 * The release's lines below its header: its hold (joined back where explain wrapped it: its lines
 * at two spaces up to its container's, the one before the container's own at four), and each
 * container's decision (lines at four spaces but its image and filter).
 */
function releaseLines(stdout: string): { hold: string | undefined; decisions: string[] } {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('HelmRelease '));
  const block = lines.slice(start + 1, lines.indexOf('', start));
  const held = block.findIndex((line) => line.startsWith('  no update: '));
  let end = held + 1;
  while (held >= 0 && /^ {2}\S/.test(block[end] ?? '') && !/^ {4}/.test(block[end + 1] ?? '')) end++;
  return {
    hold:
      held < 0
        ? undefined
        : block
            .slice(held, end)
            .map((line) => line.trim())
            .join(' '),
    decisions: block
      .filter((line) => /^ {4}\S/.test(line) && !/^ {4}(image|filter) /.test(line))
      .map((line) => line.trim()),
  };
}

/** How often `text` is said in the report, its wrapped lines joined back. */
function timesSaid(stdout: string, text: string): number {
  return stdout.replace(/\s+/g, ' ').split(text).length - 1;
}

/** The base release with this annotation written after its automated one (line 8). */
function withAnnotation(line: string): Record<string, string> {
  return {
    'apps/base/app.yaml': APP.replace('    fluxcd.io/automated: "true"\n', `$&    ${line}\n`),
  };
}

describe('explain FILE applies the holds of other files a run applies', () => {
  // One row per way a release gets `blocked`: an unusable annotation in its own file, a Kustomize
  // patch document, a kustomization's narrowing (commonAnnotations, patches, components), a
  // kustomization that cannot be read. The hold's reason is said once, in its error under
  // Problems; the release's line says where that is, and its container only that it is held.
  it.each<[string, Record<string, string>, [string, RegExp][], string, string]>([
    [
      'a Kustomize patch document (a HelmRelease without a chart) locking it',
      LOCKING_PATCH,
      [
        [
          'clusters/prod/app-patch.yaml:7',
          /^fluxcd\.io\/locked in clusters\/prod\/app-patch\.yaml is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
      ],
      'no update: held by clusters/prod/app-patch.yaml:7 (see Problems)',
      'it reads as a Kustomize patch',
    ],
    [
      "a kustomization's commonAnnotations locking it",
      overlay('commonAnnotations:', '  fluxcd.io/locked: "true"'),
      [
        [
          'clusters/prod/kustomization.yaml:4',
          /fluxcd\.io\/locked.*is for HelmRelease apps\/app in apps\/base\/app\.yaml: Kustomize puts it on what it builds/,
        ],
      ],
      'no update: held by clusters/prod/kustomization.yaml:4 (see Problems)',
      'fluxcd.io/locked in commonAnnotations of clusters/prod/kustomization.yaml is for',
    ],
    [
      "a kustomization's inline patch filtering it",
      overlay(
        'patches:',
        '  - target:',
        '      kind: HelmRelease',
        '      name: app',
        '    patch: |',
        '      - op: add',
        '        path: /metadata/annotations/filter.fluxcd.io~1chart-image',
        '        value: semver:~1.0',
      ),
      [
        [
          'clusters/prod/kustomization.yaml:8',
          /filter\.fluxcd\.io\/chart-image.*is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
      ],
      'no update: held by clusters/prod/kustomization.yaml:8 (see Problems)',
      'is for HelmRelease apps/app in apps/base/app.yaml',
    ],
    [
      "a kustomization's component locking it",
      {
        ...overlay('components:', '  - ../../components/lock'),
        'components/lock/kustomization.yaml': [
          'apiVersion: kustomize.config.k8s.io/v1alpha1',
          'kind: Component',
          'commonAnnotations:',
          '  fluxcd.io/locked: "true"',
          '',
        ].join('\n'),
      },
      [
        [
          'components/lock/kustomization.yaml:4',
          /fluxcd\.io\/locked.*is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
      ],
      'no update: held by components/lock/kustomization.yaml:4 (see Problems)',
      'is for HelmRelease apps/app in apps/base/app.yaml',
    ],
    [
      'a kustomization it cannot read (an alias in its commonAnnotations), its error past line 1',
      overlay('locks: &locks', '  fluxcd.io/locked: "true"', 'commonAnnotations: *locks'),
      [
        [
          'clusters/prod/kustomization.yaml:5',
          /^clusters\/prod\/kustomization\.yaml, which could not be read .*may lock or filter HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
      ],
      'no update: held by clusters/prod/kustomization.yaml:5 (see Problems)',
      'may lock or filter HelmRelease apps/app in apps/base/app.yaml',
    ],
    [
      'an unusable annotation in its own file (a filter that is not a semver constraint)',
      withAnnotation('filter.fluxcd.io/chart-image: semver:~~1'),
      [
        [
          'apps/base/app.yaml:8',
          /^filter\.fluxcd\.io\/chart-image: filter `semver:~~1` is not a valid semver constraint .*; this HelmRelease is held \(no update\) until the filter is fixed$/,
        ],
      ],
      'no update: a policy annotation at line 8 is unusable (see Problems)',
      'is not a valid semver constraint',
    ],
    // Held by two other files: each one's error, at its own line, as the run shows them; the
    // release's line names both, and only the first one's reason is said (in its error).
    [
      'two overlays each locking it in their commonAnnotations',
      TWO_LOCKING_OVERLAYS,
      [
        [
          'clusters/prod/kustomization.yaml:4',
          /^fluxcd\.io\/locked in commonAnnotations of clusters\/prod\/kustomization\.yaml is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
        [
          'clusters/staging/kustomization.yaml:4',
          /^fluxcd\.io\/locked in commonAnnotations of clusters\/staging\/kustomization\.yaml is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
      ],
      'no update: held by clusters/prod/kustomization.yaml:4 and clusters/staging/kustomization.yaml:4 (see Problems)',
      'fluxcd.io/locked in commonAnnotations of clusters/prod/kustomization.yaml is for',
    ],
    [
      "a Kustomize patch document locking it, and an overlay's commonAnnotations locking it too",
      { ...LOCKING_PATCH, ...overlayOf('staging', 'commonAnnotations:', '  fluxcd.io/locked: "true"') },
      [
        [
          'clusters/prod/app-patch.yaml:7',
          /^fluxcd\.io\/locked in clusters\/prod\/app-patch\.yaml is for HelmRelease apps\/app in apps\/base\/app\.yaml/,
        ],
        [
          'clusters/staging/kustomization.yaml:4',
          /^fluxcd\.io\/locked in commonAnnotations of clusters\/staging\/kustomization\.yaml is for HelmRelease apps\/app/,
        ],
      ],
      'no update: held by clusters/prod/app-patch.yaml:7 and clusters/staging/kustomization.yaml:4 (see Problems)',
      'it reads as a Kustomize patch',
    ],
    [
      "an unusable annotation in its own file, and an overlay's commonAnnotations locking it",
      {
        ...withAnnotation('filter.fluxcd.io/chart-image: semver:~~1'),
        ...overlay('commonAnnotations:', '  fluxcd.io/locked: "true"'),
      },
      [
        [
          'apps/base/app.yaml:8',
          /^filter\.fluxcd\.io\/chart-image: filter `semver:~~1` is not a valid semver constraint/,
        ],
        [
          'clusters/prod/kustomization.yaml:4',
          /^fluxcd\.io\/locked in commonAnnotations of clusters\/prod\/kustomization\.yaml is for HelmRelease apps\/app/,
        ],
      ],
      'no update: a policy annotation at line 8 is unusable, and it is held by clusters/prod/kustomization.yaml:4 (see Problems)',
      'is not a valid semver constraint',
    ],
  ])(
    "%s: no update, and the run's error at each hold's file and line, its reason said once",
    async (_name, extra, holds, hold, reason) => {
      const root = await checkout({ ...BASE, ...extra });
      const run = await runCliFromSource(['explain', 'apps/base/app.yaml', '--tags', TAGS.join(',')], {
        cwd: root,
      });
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
      expect(holdsLine(run.stdout)).toBe(CHECKED);
      expect(run.stdout).not.toMatch(/update to 1\.1/);
      expect(releaseLines(run.stdout)).toEqual({
        hold,
        decisions: ['no update: its HelmRelease is held (above)'],
      });
      expect(timesSaid(run.stdout, reason)).toBe(1);
      const shown = explainedProblems(run.stdout).map((line) => /^error (line \d+|\S+): (.*)$/.exec(line)!);
      // A problem of the file explained is shown at its line, one of another file with its path.
      expect(shown.map(([, where]) => where)).toEqual(
        holds.map(([at]) => at.replace(/^apps\/base\/app\.yaml:/, 'line ')),
      );
      shown.forEach(([, , text], i) => expect(text).toMatch(holds[i]![1]));

      // The run over the same checkout holds the release with the same errors, at the same places.
      const report = await runUpdate(
        { paths: [], exclude: [], requireAutomated: true },
        { workspace: createWorkspaceFiles(root), registry, log },
      );
      expect(report.plan.updates).toEqual([]);
      const ranProblems = report.problems.map(
        (p) => `${p.file}:${p.line}: ${p.message.replace(/\s+/g, ' ')}`,
      );
      for (const [i, [at]] of holds.entries()) expect(ranProblems).toContain(`${at}: ${shown[i]![2]}`);
    },
  );

  it('a .flux.yaml above the file: not edited, as a run leaves it', async () => {
    const root = await checkout({ ...BASE, 'apps/.flux.yaml': 'version: 1\npatchUpdated: {}\n' });
    const run = await runCliFromSource(['explain', 'apps/base/app.yaml', '--tags', TAGS.join(',')], {
      cwd: root,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/update to 1\.1/);
    // The reason is said once, under Problems; the container's line points there.
    expect(run.stdout).toContain('    not edited: apps/.flux.yaml governs this file (see Problems)\n');
    expect(run.stdout.match(/Flux v1 manifest generation/g)).toHaveLength(1);
    expect(explainedProblems(run.stdout)).toEqual([
      'warning line 2: Flux v1 manifest generation: apps/.flux.yaml governs this file, and Flux wrote image ' +
        "updates through the config's updaters (a patchUpdated patch file, or commandUpdated commands), not " +
        'into this file; it is not edited. If Flux v1 no longer deploys from it (Flux v2 ignores .flux.yaml), ' +
        'delete apps/.flux.yaml',
    ]);
    const report = await runUpdate(
      { paths: [], exclude: [], requireAutomated: true },
      { workspace: createWorkspaceFiles(root), registry, log },
    );
    expect(report.plan.updates).toEqual([]);
  });

  it('a release nothing else holds is explained as before, with where the holds were checked', async () => {
    const root = await checkout({ ...BASE, ...overlay('namePrefix: prod-') });
    const run = await runCliFromSource(['explain', 'apps/base/app.yaml', '--tags', TAGS.join(',')], {
      cwd: root,
    });
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'apps/base/app.yaml',
        '  Holds from other files (a .flux.yaml, a Kustomize patch, a kustomization): checked in . (the',
        '  repository root: the nearest folder above the file with .git)',
        '',
        'HelmRelease apps/app (line 2, helm.fluxcd.io/v1): automated',
        '  chart-image (line 14, detected in the values)',
        '    image nginx:1.0: docker.io/library/nginx, tag 1.0',
        '    filter glob:* (no filter annotation: every tag but latest and signatures, newest build first)',
        '    with the given tags: update to 1.1 (newest build)',
        '',
      ].join('\n'),
    );
  });

  it.each<[string, boolean, (root: string) => string[], string]>([
    [
      'without .git above the file: its folder, and that files outside it were not checked',
      false,
      () => ['explain', 'apps/base/app.yaml'],
      "checked in apps/base (the file's folder: no folder above it has .git, so files outside it were not checked)",
    ],
    [
      'with --dir: that folder',
      false,
      (root) => ['explain', join(root, 'apps/base/app.yaml'), '--dir', root],
      'checked in ',
    ],
  ])('%s', async (_name, git, args, expected) => {
    const root = await checkout(
      { ...BASE, ...overlay('commonAnnotations:', '  fluxcd.io/locked: "true"') },
      git,
    );
    const run = await runCliFromSource(args(root), { cwd: root });
    expect(run.exitCode).toBe(0);
    expect(holdsLine(run.stdout)).toContain(expected);
    // Only the --dir reaches the overlay that locks the release.
    expect(run.stdout.includes('no update: ')).toBe(git || args(root).includes('--dir'));
  });

  it('a link to a file of the checkout is explained as the file a run reads: held where the run holds it', async () => {
    const root = await checkout({ ...BASE, ...overlay('commonAnnotations:', '  fluxcd.io/locked: "true"') });
    await symlink('apps/base/app.yaml', join(root, 'app-link.yaml'));
    const run = await runCliFromSource(['explain', 'app-link.yaml', '--tags', TAGS.join(',')], { cwd: root });
    expect(run.exitCode).toBe(0);
    expect(holdsLine(run.stdout)).toBe(CHECKED);
    expect(run.stdout).not.toMatch(/update to 1\.1/);
    expect(releaseLines(run.stdout).hold).toMatch(/^no update: .*clusters\/prod\/kustomization\.yaml/);
  });

  it('a file outside the --dir given is bad usage (exit 2)', async () => {
    const root = await checkout(BASE);
    await mkdir(join(root, 'clusters'));
    const run = await runCliFromSource(['explain', 'apps/base/app.yaml', '--dir', 'clusters'], { cwd: root });
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toContain('explain: apps/base/app.yaml is not inside --dir clusters');
  });

  describe('a workspace past a bound a run stops at', () => {
    const FILES = { ...BASE, ...overlay('commonAnnotations:', '  fluxcd.io/locked: "true"') };
    // The whole workspace's text: the release and base kustomization scanned, then the overlay.
    const ALL = Object.values(FILES).reduce((n, text) => n + text.length, 0);

    /** explain of the base release in process, with the workspace's bounds lowered. */
    async function explain(limits: WorkspaceLimits) {
      const root = await checkout(FILES);
      const file = join(root, 'apps/base/app.yaml');
      const args = parseArgs(['explain', file, '--dir', root], {});
      const settings = parseSettings((name) => args.inputs.get(name)?.join('\n'), CLI_DEFAULTS);
      const out = { stdout: '', stderr: '' };
      const exitCode = await explainCommand(
        file,
        args,
        settings,
        {
          stdout: (text) => (out.stdout += text),
          stderr: (text) => (out.stderr += text),
        },
        limits,
      );
      return { exitCode, ...out, root };
    }

    it.each([
      [
        'the listing',
        { maxEntries: 7 },
        /could not be listed: The workspace holds more than 7 files, folders and links/,
      ],
      [
        'the reads (at the overlay that locks the release)',
        { maxTotalBytes: ALL - 1 },
        new RegExp(
          `^helmrelease-image-updater: explain: The files read hold more than ${ALL - 1} bytes together, the most a run reads \\(clusters/prod/kustomization.yaml passed it\\)`,
        ),
      ],
    ])('one over %s: exit 2 with the bound, no report', async (_what, limits, message) => {
      const run = await explain(limits);
      expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
    });

    it('at exactly both bounds: the report, with the overlay holding the release', async () => {
      // .git, apps, base, app.yaml, kustomization.yaml, clusters, prod, kustomization.yaml.
      const run = await explain({ maxEntries: 8, maxTotalBytes: ALL });
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
      expect(run.stdout).toContain('no update: ');
    });
  });
});

/** The run's settings for one `--paths GLOB` or `--exclude GLOB`. */
function scopeOf([flag, glob]: string[]): { paths: string[]; exclude: string[] } {
  return { paths: flag === '--paths' ? [glob!] : [], exclude: flag === '--exclude' ? [glob!] : [] };
}

/** What explain says becomes of apps/app, in a word or its release's hold line. */
function explained(stdout: string): string {
  if (holdsLine(stdout).includes('does not scan this file')) return 'not scanned';
  const { hold } = releaseLines(stdout);
  if (hold !== undefined) return hold;
  return stdout.includes('with the given tags: update to 1.1') ? 'updated' : 'unknown';
}

/** What the run does with apps/app, in explain's words. */
function ran(report: Awaited<ReturnType<typeof runUpdate>>): string {
  const container = report.plan.containers.find((c) => c.file === 'apps/base/app.yaml');
  if (container === undefined) return 'not scanned';
  if (container.decision === 'update' && container.update?.to === '1.1') return 'updated';
  // Every error holds it (each hold's at its own line), in the order explain names them.
  const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.file}:${p.line}`);
  const held = errors.length < 2 ? errors.join('') : `${errors.slice(0, -1).join(', ')} and ${errors.at(-1)}`;
  return container.decision === 'error' && errors.length > 0
    ? `no update: held by ${held} (see Problems)`
    : 'unknown';
}

describe('explain FILE --paths / --exclude: the files a run with them scans', () => {
  const LOCKING_OVERLAY = overlay('commonAnnotations:', '  fluxcd.io/locked: "true"');
  it.each<[string, string[], Record<string, string>, string]>([
    ['--paths leaving the file out', ['--paths', 'clusters/**'], LOCKING_OVERLAY, 'not scanned'],
    ['--exclude taking the file out', ['--exclude', 'apps/base/app.yaml'], LOCKING_OVERLAY, 'not scanned'],
    // The run reads every kustomization of the workspace, whatever its paths select.
    [
      '--paths leaving out the overlay that locks it',
      ['--paths', 'apps/**'],
      LOCKING_OVERLAY,
      'no update: held by clusters/prod/kustomization.yaml:4 (see Problems)',
    ],
    [
      '--exclude taking out the overlay that locks it',
      ['--exclude', 'clusters/**'],
      LOCKING_OVERLAY,
      'no update: held by clusters/prod/kustomization.yaml:4 (see Problems)',
    ],
    // A patch document is a HelmRelease the run reads only in the files it scans.
    [
      '--paths leaving out a Kustomize patch document locking it',
      ['--paths', 'apps/**'],
      LOCKING_PATCH,
      'updated',
    ],
    [
      '--paths leaving out both overlays that lock it',
      ['--paths', 'apps/**'],
      TWO_LOCKING_OVERLAYS,
      'no update: held by clusters/prod/kustomization.yaml:4 and clusters/staging/kustomization.yaml:4 (see Problems)',
    ],
    [
      '--paths leaving out a patch document locking it, an overlay locking it too',
      ['--paths', 'apps/**'],
      { ...LOCKING_PATCH, ...overlayOf('staging', 'commonAnnotations:', '  fluxcd.io/locked: "true"') },
      'no update: held by clusters/staging/kustomization.yaml:4 (see Problems)',
    ],
  ])('%s (%j): as the run with them', async (_name, flags, extra, expected) => {
    const root = await checkout({ ...BASE, ...extra });
    const args = ['explain', 'apps/base/app.yaml', '--tags', TAGS.join(','), ...flags];
    const run = await runCliFromSource(args, { cwd: root });
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    const report = await runUpdate(
      { ...scopeOf(flags), requireAutomated: true },
      { workspace: createWorkspaceFiles(root), registry, log },
    );
    expect({ explain: explained(run.stdout), run: ran(report) }).toEqual({
      explain: expected,
      run: expected,
    });
  });

  it.each<[string[], string]>([
    [['--paths', 'nope/**'], 'paths: "nope/**" matches no file in the workspace'],
    [
      ['--exclude', 'clusters'],
      'exclude: "clusters" names a folder, not files; write "clusters/**" for every file in it',
    ],
  ])('a pattern the run stops on stops explain (exit 2): %j', async (flags, message) => {
    const root = await checkout({ ...BASE, ...LOCKING_OVERLAY });
    const run = await runCliFromSource(['explain', 'apps/base/app.yaml', ...flags], { cwd: root });
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toBe(`helmrelease-image-updater: explain: --${message} (the workspace: .)\n`);
    const report = await runUpdate(
      { ...scopeOf(flags), requireAutomated: true },
      { workspace: createWorkspaceFiles(root), registry, log },
    );
    expect(report.stopped).toBeDefined();
    expect(report.problems.map((p) => p.message)).toEqual([`${message}. Nothing was scanned or written.`]);
  });
});
