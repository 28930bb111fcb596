/**
 * The node:fs workspace edge on its own: the size limit at its exact boundary, files that change
 * between the listing and the read, reads through the one buffer the port reuses, and the bounds
 * on the whole workspace (entries listed, bytes read), met with lowered limits.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep, win32 } from 'node:path';
import {
  createWorkspaceFiles,
  isInside,
  readFailure,
  MAX_LISTED_ENTRIES,
  MAX_TOTAL_BYTES,
  type WorkspaceLimits,
} from '../../src/adapters/workspace-files.js';
import { WorkspaceBoundError, type PullRequestPort } from '../../src/ports.js';
import { runUpdate } from '../../src/run-update.js';
import { MAX_KEPT_BYTES } from '../../src/scan/kept-text.js';
import type { Update } from '../../src/update.js';
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
      // Windows PowerShell's `>` writes UTF-16 LE with a byte order mark: said as what it is.
      'h-utf16le.yaml': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('kind: HelmRelease\n', 'utf16le'),
      ]),
      'i-utf16be.yaml': Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from('kind: HelmRelease\n', 'utf16le').swap16(),
      ]),
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
      {
        ok: false,
        reason:
          'it is encoded in UTF-16 LE (it starts with that byte order mark); save it as UTF-8 to have it read',
      },
      {
        ok: false,
        reason:
          'it is encoded in UTF-16 BE (it starts with that byte order mark); save it as UTF-8 to have it read',
      },
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

  it('refuses a listed file that became a FIFO, without waiting for a writer', async () => {
    await writeFile(join(dir, 'pipe.yaml'), 'a: 1\n');
    await writeFile(join(dir, 'empty.yaml'), '');
    const files = createWorkspaceFiles(dir);
    expect(await files.listFiles()).toEqual(['empty.yaml', 'pipe.yaml']);
    await rm(join(dir, 'pipe.yaml'));
    expect(spawnSync('mkfifo', [join(dir, 'pipe.yaml')]).status).toBe(0);
    // A writer comes after a while, so that an open waiting for one (the read is synchronous and
    // nothing could time it out) ends, reading what it writes, rather than hanging the suite.
    const writer = spawn(
      'timeout',
      ['20', 'bash', '-c', 'sleep 2; echo "b: 2" > "$1"', 'bash', join(dir, 'pipe.yaml')],
      {
        stdio: 'ignore',
      },
    );
    try {
      expect(await files.readFile('pipe.yaml')).toEqual({ ok: false, reason: 'it is not a regular file' });
      expect(await files.readFile('empty.yaml')).toEqual({ ok: true, text: '' });
    } finally {
      writer.kill('SIGKILL');
    }
  });
});

describe('isInside', () => {
  it.each([
    ['the root itself', win32, 'C:\\ws', 'C:\\ws', true],
    ['a file below the root', win32, 'C:\\ws', 'C:\\ws\\apps\\a.yaml', true],
    ['a file named ..a in the root', win32, 'C:\\ws', 'C:\\ws\\..a.yaml', true],
    ['the same path on another drive', win32, 'C:\\ws', 'D:\\ws\\a.yaml', false],
    ['another drive', win32, 'C:\\ws', 'D:\\', false],
    ['a network share', win32, 'C:\\ws', '\\\\server\\share\\a.yaml', false],
    ['a sibling folder', win32, 'C:\\ws', 'C:\\other\\a.yaml', false],
    ["the root's parent", win32, 'C:\\ws\\repo', 'C:\\ws', false],
    ['a file below the root', posix, '/ws', '/ws/apps/a.yaml', true],
    ['a file named ..a in the root', posix, '/ws', '/ws/..a.yaml', true],
    ['a sibling folder', posix, '/ws', '/other/a.yaml', false],
    ["the root's parent", posix, '/ws/repo', '/ws', false],
  ])('%s (%#)', (_what, paths, root, path, inside) => {
    expect(isInside(root, path, paths)).toBe(inside);
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

describe('a file that cannot be read', () => {
  it.each([
    [
      'EACCES',
      "permission denied: the step's user may not read it (check its mode and owner; a container step may have written it as root)",
    ],
    [
      'EPERM',
      "permission denied: the step's user may not read it (check its mode and owner; a container step may have written it as root)",
    ],
    ['ENOENT', 'it was removed or renamed while the run read the workspace'],
    ['ELOOP', 'it is a link that leads back to itself'],
    ['EIO', "EIO: i/o error, open '/w/a.yaml'"],
  ])('%s says why in words, not in the system call', (code, why) => {
    // Tests run as root, whom chmod 000 does not stop: the refusal is injected.
    expect(readFailure(Object.assign(new Error(`${code}: i/o error, open '/w/a.yaml'`), { code }))).toBe(why);
  });

  it('a link that loops, and a file gone since the listing, are read as such', async () => {
    await mkdir(join(dir, 'apps'));
    await symlink('loop.yaml', join(dir, 'apps', 'loop.yaml'));
    await writeFile(join(dir, 'apps', 'gone.yaml'), 'x: 1\n');
    const files = createWorkspaceFiles(dir);
    await files.listFiles();
    await rm(join(dir, 'apps', 'gone.yaml'));
    expect(await files.readFile('apps/loop.yaml')).toEqual({
      ok: false,
      reason: 'it is a link that leads back to itself',
    });
    expect(await files.readFile('apps/gone.yaml')).toEqual({
      ok: false,
      reason: 'it was removed or renamed while the run read the workspace',
    });
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
    // Recorded as data too: a kustomization's path there is not known to be missing.
    expect(files.unlisted?.()).toEqual(new Map([['apps/locked', why]]));
    // A second listing reports afresh, not twice.
    await files.listFiles();
    expect(files.problems).toHaveLength(1);
    expect(files.unlisted?.().size).toBe(1);
  });

  it('a file whose name is not valid UTF-8 is a warning saying so, not a file that does not exist', async () => {
    // Made with a Buffer path: node:fs reads names back as UTF-8, with U+FFFD for such bytes.
    await writeFile(Buffer.from(`${dir}/caf\xe9.yaml`, 'latin1'), 'x: 1\n');
    // A name that really holds U+FFFD (valid UTF-8) is an ordinary file.
    await writeFile(join(dir, 'real\uFFFD.yaml'), 'x: 1\n');
    await writeFile(join(dir, 'ok.yaml'), 'x: 1\n');
    const files = createWorkspaceFiles(dir);
    expect((await files.listFiles()).sort()).toEqual(['ok.yaml', 'real\uFFFD.yaml']);
    expect(files.problems).toEqual([
      {
        file: 'caf\uFFFD.yaml',
        line: 0,
        severity: 'warning',
        message:
          'caf\uFFFD.yaml was not read: its name is not valid UTF-8 (shown with \uFFFD for the bytes that are not); rename it',
      },
    ]);
    expect(await files.readFile('real\uFFFD.yaml')).toEqual({ ok: true, text: 'x: 1\n' });
  });

  it('still fails when the workspace root itself cannot be listed', async () => {
    await expect(createWorkspaceFiles(join(dir, 'missing')).listFiles()).rejects.toThrow(/ENOENT/);
  });
});

/** The listing bound's message for a limit of `max` entries. */
const tooManyEntries = (max: number) =>
  `The workspace holds more than ${max} files, folders and links, the most a run lists. ` +
  "Check out only the folders Flux builds from (actions/checkout's sparse-checkout; keep every " +
  'folder a kustomization names, so that its locks are read), or give the CLI a narrower --dir: ' +
  'paths and exclude do not narrow the listing, which looks for kustomizations everywhere.';

/** The total bound's message for a limit of `max` bytes passed by reading `file`. */
const tooManyBytes = (max: string, file: string) =>
  `The files read hold more than ${max} together, the most a run reads (${file} passed it). ` +
  'Narrow paths or add exclude patterns to leave out large YAML files that hold no HelmRelease ' +
  '(generated manifests, CRD bundles); kustomizations and the patch files they name are read wherever they are.';

/** The kept-text bound's message for a limit of `max` bytes passed by keeping `file`. */
const tooMuchKept = (max: number, file: string) =>
  `The files that may hold a HelmRelease, the kustomizations and their patch files hold more ` +
  `than ${max} bytes of text together, the most a run keeps (${file} passed it). ` +
  'Narrow paths or add exclude patterns to leave out files a HelmRelease is only mentioned in; ' +
  'kustomizations and the patch files they name are read wherever they are.';

describe('bounds on the whole workspace', () => {
  /** 3 + 2 entries walked (.git counts as a folder met, not entered); 10 + 10 + 5 bytes. */
  async function smallWorkspace(): Promise<void> {
    await mkdir(join(dir, 'apps'));
    await mkdir(join(dir, '.git', 'objects'), { recursive: true });
    await writeFile(join(dir, '.git', 'objects', 'pack'), 'x');
    await writeFile(join(dir, 'apps', 'a.yaml'), 'a: 123456\n');
    await writeFile(join(dir, 'apps', 'b.yaml'), 'b: 123456\n');
    await writeFile(join(dir, 'top.yaml'), 't: 1\n');
  }

  it('the defaults are those documented', () => {
    expect([MAX_LISTED_ENTRIES, MAX_TOTAL_BYTES, MAX_KEPT_BYTES]).toEqual([
      1_000_000,
      4 * 1024 ** 3,
      512 * 1024 ** 2,
    ]);
  });

  it.each([
    ['exactly the bound', 5, ['apps/a.yaml', 'apps/b.yaml', 'top.yaml']],
    ['one entry over it', 4, tooManyEntries(4)],
  ])('a listing of %s of entries', async (_what, maxEntries, expected) => {
    await smallWorkspace();
    const listing = createWorkspaceFiles(dir, undefined, {}, { maxEntries }).listFiles();
    if (typeof expected === 'string') {
      await expect(listing).rejects.toEqual(new WorkspaceBoundError(expected, 'entries'));
      await expect(listing).rejects.toMatchObject({ bound: 'entries' });
    } else {
      expect(await listing).toEqual(expected);
    }
  });

  it.each<[string, WorkspaceLimits & { maxBytes?: number }, string[]]>([
    ['exactly the bound', { maxTotalBytes: 25 }, ['a: 123456\n', 'b: 123456\n', 't: 1\n']],
    [
      'one byte over it',
      { maxTotalBytes: 24 },
      ['a: 123456\n', 'b: 123456\n', tooManyBytes('24 bytes', 'top.yaml')],
    ],
    [
      // A file over the per-file limit is read up to it (9 bytes here) before it is refused.
      'files refused as too large, which count what was read of them',
      { maxTotalBytes: 17, maxBytes: 8 },
      // Once met, the bound stays met until the next listing.
      ['refused', tooManyBytes('17 bytes', 'apps/b.yaml'), tooManyBytes('17 bytes', 'top.yaml')],
    ],
    ['the default bounds', {}, ['a: 123456\n', 'b: 123456\n', 't: 1\n']],
  ])('reads of %s', async (_what, { maxBytes, ...limits }, expected) => {
    await smallWorkspace();
    const files = createWorkspaceFiles(dir, maxBytes, {}, limits);
    const reads: string[] = [];
    for (const path of await files.listFiles()) {
      try {
        const read = await files.readFile(path);
        reads.push(read.ok ? read.text : 'refused');
      } catch (e) {
        reads.push(e instanceof WorkspaceBoundError && e.bound === 'bytes' ? e.message : String(e));
      }
    }
    expect(reads).toEqual(expected);
  });

  it('counts the reads since the last listing', async () => {
    await smallWorkspace();
    const files = createWorkspaceFiles(dir, undefined, {}, { maxTotalBytes: 20 });
    await files.listFiles();
    await files.readFile('apps/a.yaml');
    await files.readFile('apps/b.yaml');
    await expect(files.readFile('top.yaml')).rejects.toThrow(tooManyBytes('20 bytes', 'top.yaml'));
    await files.listFiles();
    expect(await files.readFile('top.yaml')).toEqual({ ok: true, text: 't: 1\n' });
  });

  it('names a bound of whole MiB in MiB too', async () => {
    await writeFile(join(dir, 'big.yaml'), 'x'.repeat(1024 * 1024 + 1));
    const files = createWorkspaceFiles(dir, undefined, {}, { maxTotalBytes: 1024 * 1024 });
    await files.listFiles();
    await expect(files.readFile('big.yaml')).rejects.toThrow(
      tooManyBytes('1,048,576 bytes (1 MiB)', 'big.yaml'),
    );
  });
});

describe('a run that meets a bound of the whole workspace', () => {
  // Read in this order with paths apps/**: the releases, then the kustomization (found anywhere),
  // which locks the app release. 8 entries walked.
  const APP = helmRelease({ name: 'app', values: ['image: nginx:1.0'] });
  const WEB = helmRelease({ name: 'web', values: ['image: redis:1.0'] });
  const PROD = 'resources: [../../apps/base]\ncommonAnnotations: {fluxcd.io/locked: "true"}\n';
  const TREE = {
    'apps/base/app.yaml': APP,
    'apps/web/web.yaml': WEB,
    'clusters/prod/kustomization.yaml': PROD,
  };
  const ALL = APP.length + WEB.length + PROD.length;

  async function run(limits: WorkspaceLimits, maxKeptBytes?: number, tree: Record<string, string> = TREE) {
    for (const [path, text] of Object.entries(tree)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const written: Update[][] = [];
    /** What the registry was told when the run stopped (its listings start during the scan). */
    const registryStops: string[] = [];
    const pullRequests: PullRequestPort = {
      async write(updates) {
        written.push([...updates]);
        return {
          results: updates.map((u) => ({ action: 'created', branch: u.release, updates: [u] })),
          problems: [],
        };
      },
    };
    const report = await runUpdate(
      { ...RUN_SETTINGS, paths: ['apps/**'], ...(maxKeptBytes === undefined ? {} : { maxKeptBytes }) },
      {
        workspace: createWorkspaceFiles(dir, undefined, {}, limits),
        registry: {
          ...memoryRegistry({
            'docker.io/library/nginx': ['1.0', '1.1'],
            'docker.io/library/redis': ['1.0', '1.1'],
          }),
          stop: (reason: string) => registryStops.push(reason),
        },
        log: memoryLog(),
        pullRequests,
      },
    );
    return { report, written, registryStops };
  }

  it.each([
    ['the listing', { maxEntries: 7 }, tooManyEntries(7), 'the workspace holds more files than a run lists'],
    [
      'the reads, at a HelmRelease file',
      { maxTotalBytes: APP.length + WEB.length - 1 },
      tooManyBytes(`${APP.length + WEB.length - 1} bytes`, 'apps/web/web.yaml'),
      "the workspace's files hold more text than a run reads",
    ],
    [
      // Without it the app release would be updated: the kustomization locking it is unread.
      'the reads, at the kustomization that locks a release',
      { maxTotalBytes: ALL - 1 },
      tooManyBytes(`${ALL - 1} bytes`, 'clusters/prod/kustomization.yaml'),
      "the workspace's files hold more text than a run reads",
    ],
  ])(
    'one over %s: the run stops with one error and writes nothing',
    async (_what, limits, message, stopped) => {
      const { report, written, registryStops } = await run(limits);
      expectStopped(report, written, message, stopped);
      // Past the listing, the first release's repository is being listed: the run lets it go.
      expect(registryStops).toEqual(
        'maxEntries' in limits ? [] : ['the run stopped before the registry phase'],
      );
    },
  );

  it.each([
    [
      'at a HelmRelease file',
      APP.length + WEB.length - 1,
      tooMuchKept(APP.length + WEB.length - 1, 'apps/web/web.yaml'),
    ],
    [
      // Without it the app release would be updated: the kustomization locking it would be dropped.
      'at the kustomization that locks a release',
      ALL - 1,
      tooMuchKept(ALL - 1, 'clusters/prod/kustomization.yaml'),
    ],
  ])(
    'one byte over the text kept, %s: the run stops with one error and writes nothing',
    async (_what, max, message) => {
      const { report, written } = await run({}, max);
      expectStopped(report, written, message, 'the files a run keeps hold more text than it keeps');
    },
  );

  it('a YAML file that names no HelmRelease is read but not kept: exactly at the bound, the run goes on', async () => {
    // Four times the bound, in a file the scan drops once read (no "HelmRelease" in it).
    const crds = `kind: CustomResourceDefinition\nspec: {description: "${'x'.repeat(4 * ALL)}"}\n`;
    const { report, written } = await run({}, ALL, { ...TREE, 'apps/crds.yaml': crds });
    expect(report.stopped).toBeUndefined();
    expect(written.flat().map((u) => [u.file, u.to])).toEqual([['apps/web/web.yaml', '1.1']]);
  });

  function expectStopped(
    report: Awaited<ReturnType<typeof run>>['report'],
    written: Update[][],
    message: string,
    stopped: string,
  ): void {
    expect(report.stopped).toBe(`${stopped} (see the problems); nothing was written`);
    expect(report.problems).toEqual([
      { file: '', line: 0, severity: 'error', message: `${message} Nothing was updated or written.` },
    ]);
    expect({ updates: report.plan.updates, pullRequests: report.pullRequests, written }).toEqual({
      updates: [],
      pullRequests: [],
      written: [],
    });
  }

  it('at exactly both bounds the run reads everything: the lock holds app, web is written', async () => {
    const { report, written } = await run({ maxEntries: 8, maxTotalBytes: ALL });
    expect(report.stopped).toBeUndefined();
    expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual([
      ['apps/app', 'error'],
      ['apps/web', 'update'],
    ]);
    expect(written.flat().map((u) => [u.file, u.release, u.to])).toEqual([
      ['apps/web/web.yaml', 'apps/web', '1.1'],
    ]);
  });
});
