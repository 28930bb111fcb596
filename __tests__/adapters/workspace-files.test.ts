/**
 * The node:fs workspace edge on its own: the size limit at its exact boundary, files that change
 * between the listing and the read, and reads through the one buffer the port reuses.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import { runUpdate } from '../../src/run-update.js';
import { helmRelease, memoryLog, memoryRegistry, RUN_SETTINGS } from '../reliability/support.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workspace-files-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createWorkspaceFiles', () => {
  it('reads a file of exactly the limit and refuses one byte more, with its size', async () => {
    await writeFile(join(dir, 'at.yaml'), 'a'.repeat(16));
    await writeFile(join(dir, 'over.yaml'), 'a'.repeat(17));
    const files = createWorkspaceFiles(dir, 16);
    expect(await files.listFiles()).toEqual(['at.yaml', 'over.yaml']);
    expect(await files.readFile('at.yaml')).toEqual({ ok: true, text: 'a'.repeat(16) });
    expect(await files.readFile('over.yaml')).toEqual({
      ok: false,
      reason: 'it is 17 bytes, over the 16-byte limit for scanned files',
    });
  });

  it('returns each file whole and alone, whatever was read before it', async () => {
    const texts: Record<string, string | Buffer> = {
      'a-long.yaml': 'kind: HelmRelease\n'.repeat(20),
      'b-short.yaml': 'x: 1\n',
      'c-bad.yaml': Buffer.from([0x61, 0xc3]),
      'd-bom.yaml': '\uFEFFé: ü\r\n',
      'e-empty.yaml': '',
      'f-nul.yaml': Buffer.from([0x61, 0, 0x62]),
      'g-after.yaml': 'y: 2\n',
    };
    for (const [name, text] of Object.entries(texts)) await writeFile(join(dir, name), text);
    const files = createWorkspaceFiles(dir);
    const reads = [];
    for (const name of await files.listFiles()) reads.push(await files.readFile(name));
    expect(reads).toEqual([
      { ok: true, text: 'kind: HelmRelease\n'.repeat(20) },
      { ok: true, text: 'x: 1\n' },
      { ok: false, reason: 'it is not valid UTF-8' },
      { ok: true, text: '\uFEFFé: ü\r\n' },
      { ok: true, text: '' },
      { ok: false, reason: 'it is a binary file (it contains NUL bytes)' },
      { ok: true, text: 'y: 2\n' },
    ]);
  });

  it.each([
    ['as given', (d: string) => d],
    ['with a trailing separator', (d: string) => `${d}${sep}`],
    ['with . and .. segments', (d: string) => `${d}${sep}.${sep}apps${sep}..`],
  ])('lists and reads nested files with the root %s', async (_what, spell) => {
    await mkdir(join(dir, 'apps', 'web', 'deep'), { recursive: true });
    await writeFile(join(dir, 'top.yaml'), 'top: 1\n');
    await writeFile(join(dir, 'apps', 'web', 'deep', 'hr.yaml'), 'deep: 1\n');
    const files = createWorkspaceFiles(spell(dir));
    expect(await files.listFiles()).toEqual(['apps/web/deep/hr.yaml', 'top.yaml']);
    expect(await files.readFile('apps/web/deep/hr.yaml')).toEqual({ ok: true, text: 'deep: 1\n' });
    expect(await files.readFile('top.yaml')).toEqual({ ok: true, text: 'top: 1\n' });
  });

  it('refuses a listed file that became a directory or a link before it was read', async () => {
    await mkdir(join(dir, 'apps'));
    await writeFile(join(dir, 'apps', 'dir.yaml'), 'a: 1\n');
    await writeFile(join(dir, 'apps', 'link.yaml'), 'a: 1\n');
    await writeFile(join(dir, 'apps', 'target.yaml'), 'a: 1\n');
    const files = createWorkspaceFiles(dir);
    expect(await files.listFiles()).toEqual(['apps/dir.yaml', 'apps/link.yaml', 'apps/target.yaml']);
    await rm(join(dir, 'apps', 'dir.yaml'));
    await mkdir(join(dir, 'apps', 'dir.yaml'));
    await rm(join(dir, 'apps', 'link.yaml'));
    await symlink(join(dir, 'apps', 'target.yaml'), join(dir, 'apps', 'link.yaml'));
    expect(await files.readFile('apps/dir.yaml')).toEqual({ ok: false, reason: 'it is not a regular file' });
    expect((await files.readFile('apps/link.yaml')).ok).toBe(false);
    expect(await files.readFile('apps/target.yaml')).toEqual({ ok: true, text: 'a: 1\n' });
  });
});

describe('links', () => {
  it.each([
    ['a link beside its target', 'base/app.yaml', 'clusters/prod/app.yaml', ['base/app.yaml']],
    ['a link into another folder', 'base/app.yaml', 'app-link.yaml', ['base/app.yaml']],
    ['a link to a file in node_modules', 'node_modules/chart/hr.yaml', 'hr.yaml', []],
    ['a link to a file in .git', '.git/hr.yaml', 'apps/hr.yaml', []],
  ])('%s is listed under its target, once', async (_what, target, link, listed) => {
    await mkdir(dirname(join(dir, target)), { recursive: true });
    await mkdir(dirname(join(dir, link)), { recursive: true });
    await writeFile(join(dir, target), 'a: 1\n');
    await symlink(relative(dirname(join(dir, link)), join(dir, target)), join(dir, link));
    expect(await createWorkspaceFiles(dir).listFiles()).toEqual(listed);
  });

  it('keeps each link with its target, for Kustomize, which follows links; the listing enters no linked folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'workspace-files-outside-'));
    try {
      await mkdir(join(dir, 'apps', 'base'), { recursive: true });
      await mkdir(join(dir, 'clusters'));
      await mkdir(join(dir, 'node_modules', 'chart'), { recursive: true });
      await writeFile(join(dir, 'apps', 'base', 'app.yaml'), 'a: 1\n');
      await writeFile(join(outside, 'secret.yaml'), 'a: 1\n');
      const links: [string, string][] = [
        ['clusters/base', '../apps/base'], // a folder, relative
        ['clusters/app.yaml', join(dir, 'apps', 'base', 'app.yaml')], // a file, absolute
        ['clusters/root', '..'], // the workspace itself
        ['clusters/via', 'base'], // a link to a link: its final target
        ['clusters/chart', '../node_modules/chart'], // a skipped folder
        ['clusters/outside', outside], // out of the workspace
        ['clusters/dangling', 'nowhere'],
      ];
      for (const [link, target] of links) await symlink(target, join(dir, link));
      const files = createWorkspaceFiles(dir);
      expect(await files.listFiles()).toEqual(['apps/base/app.yaml']);
      expect([...files.links!()].sort()).toEqual([
        ['clusters/app.yaml', 'apps/base/app.yaml'],
        ['clusters/base', 'apps/base'],
        ['clusters/chart', null],
        ['clusters/outside', null],
        ['clusters/root', ''],
        ['clusters/via', 'apps/base'],
      ]);
      // The next listing starts afresh.
      await rm(join(dir, 'clusters'), { recursive: true });
      expect(await files.listFiles()).toEqual(['apps/base/app.yaml']);
      expect(files.links!().size).toBe(0);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('a HelmRelease linked from another folder is one release, updated in its own file', async () => {
    await mkdir(join(dir, 'base'));
    await mkdir(join(dir, 'clusters', 'prod'), { recursive: true });
    await writeFile(
      join(dir, 'base', 'app.yaml'),
      helmRelease({ name: 'app', values: ['image: nginx:1.0'] }),
    );
    await symlink('../../base/app.yaml', join(dir, 'clusters', 'prod', 'app.yaml'));
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: createWorkspaceFiles(dir),
      registry: memoryRegistry({ 'docker.io/library/nginx': ['1.0', '1.1'] }),
      log: memoryLog(),
    });
    expect(report.counts).toMatchObject({ files: 1, releases: 1 });
    expect(report.plan.updates.map((u) => [u.file, u.to])).toEqual([['base/app.yaml', '1.1']]);
  });
});

describe('directories that cannot be listed', () => {
  it('skips a directory nested past PATH_MAX with a warning and lists everything else', async () => {
    // Built with relative steps in bash (node:fs and dash refuse a path that long in one call), and
    // removed with rm -rf, which does not need it in one piece either.
    const segment = 'd'.repeat(250);
    const made = spawnSync(
      'bash',
      [
        '-c',
        `cd "$1" && mkdir deep && cd deep && for i in $(seq 17); do mkdir ${segment} && cd ${segment} || exit 1; done && echo 'x: 1' > far.yaml`,
        'bash',
        dir,
      ],
      { encoding: 'utf8' },
    );
    try {
      expect(made.status).toBe(0);
      await writeFile(join(dir, 'near.yaml'), 'x: 1\n');
      const files = createWorkspaceFiles(dir);
      expect(await files.listFiles()).toEqual(['near.yaml']);
      expect(files.problems).toHaveLength(1);
      expect(files.problems[0]).toMatchObject({ severity: 'warning', line: 0 });
      expect(files.problems[0].file.startsWith(`deep/${segment}/`)).toBe(true);
      expect(files.problems[0].message).toMatch(
        /^The directory deep\/d+…d+ was not scanned \(its path is longer than the system allows \(PATH_MAX\)\); files below it are not checked\.$/,
      );
    } finally {
      spawnSync('rm', ['-rf', join(dir, 'deep')]);
    }
  });

  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EIO', 'EIO: i/o error, scandir'],
  ])('skips a directory whose listing fails with %s and goes on', async (code, why) => {
    // Tests run as root, whom chmod 000 does not stop: the refusal is injected.
    await mkdir(join(dir, 'apps', 'locked'), { recursive: true });
    await mkdir(join(dir, 'apps', 'open'));
    await writeFile(join(dir, 'apps', 'locked', 'hidden.yaml'), 'x: 1\n');
    await writeFile(join(dir, 'apps', 'open', 'seen.yaml'), 'x: 1\n');
    const files = createWorkspaceFiles(dir, undefined, {
      readDirectory: (path) => {
        if (path.endsWith(`${sep}locked`))
          throw Object.assign(new Error(`${code}: i/o error, scandir`), { code });
        return readdirSync(path, { withFileTypes: true });
      },
    });
    expect(await files.listFiles()).toEqual(['apps/open/seen.yaml']);
    expect(files.problems).toEqual([
      {
        file: 'apps/locked',
        line: 0,
        severity: 'warning',
        message: `The directory apps/locked was not scanned (${why}); files below it are not checked.`,
      },
    ]);
    // A second listing reports afresh, not twice.
    await files.listFiles();
    expect(files.problems).toHaveLength(1);
  });

  it('still fails when the workspace root itself cannot be listed', async () => {
    await expect(createWorkspaceFiles(join(dir, 'missing')).listFiles()).rejects.toThrow(/ENOENT/);
  });
});
