/**
 * Node's compile cache of the CLI (src/cli-compile-cache.ts): where it is kept, when it is not,
 * that compiled code is read only from a folder the user owns and no one else can write to, and
 * the bounds the folder is kept within.
 * Node's `module.enableCompileCache` is stood in for (turning it on would change how this test
 * process compiles what it loads next); the built CLI turns the real one on in
 * e2e/cli-start.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMPILE_CACHE_BOUNDS,
  compileCacheFolder,
  enableCliCompileCache,
  pruneCompileCache,
  type EnableCompileCache,
} from '../../src/cli-compile-cache.js';

const FOLDER = join('helmrelease-image-updater', 'node-compile-cache');

describe('compileCacheFolder', () => {
  it.each([
    [
      'beside the digest cache, under $XDG_CACHE_HOME',
      [],
      { XDG_CACHE_HOME: '/x/cache' },
      join('/x/cache', FOLDER),
    ],
    ['under ~/.cache without $XDG_CACHE_HOME', [], {}, join(homedir(), '.cache', FOLDER)],
    [
      'under ~/.cache with an empty $XDG_CACHE_HOME',
      [],
      { XDG_CACHE_HOME: '' },
      join(homedir(), '.cache', FOLDER),
    ],
    [
      'with another cache file',
      ['--cache-file', '/x/digests.json'],
      { XDG_CACHE_HOME: '/x/cache' },
      join('/x/cache', FOLDER),
    ],
    ['none with --no-cache', ['--json', '--no-cache'], { XDG_CACHE_HOME: '/x/cache' }, undefined],
    ['none with --no-cache=… (read as --no-cache)', ['--no-cache=true'], {}, undefined],
    [
      "none with Node's switch NODE_DISABLE_COMPILE_CACHE",
      [],
      { NODE_DISABLE_COMPILE_CACHE: '1' },
      undefined,
    ],
    [
      "none of its own with NODE_COMPILE_CACHE (Node's own, on from its start)",
      [],
      { NODE_COMPILE_CACHE: '/y' },
      undefined,
    ],
  ])('%s', (_name, argv, env, expected) => {
    expect(compileCacheFolder(argv, env)).toBe(expected);
  });
});

describe('enableCliCompileCache', () => {
  let dir: string;
  let enabled: string[];
  const enable: EnableCompileCache = (folder) => {
    enabled.push(folder);
    return { directory: folder };
  };
  const uid = process.getuid!();
  const run = (env: Record<string, string | undefined>, options: { argv?: string[]; uid?: number } = {}) =>
    enableCliCompileCache(options.argv ?? [], env, enable, options.uid ?? uid);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
    enabled = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes the folder, private to the user, and turns the cache on there', async () => {
    const folder = join(dir, 'cache', FOLDER);
    await expect(run({ XDG_CACHE_HOME: join(dir, 'cache') })).resolves.toBe(folder);
    expect(enabled).toEqual([folder]);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
  });

  it('turns it on in a private folder that is already there', async () => {
    const folder = join(dir, FOLDER);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await expect(run({ XDG_CACHE_HOME: dir })).resolves.toBe(folder);
    expect(enabled).toEqual([folder]);
  });

  it('keeps the folder within its bounds before turning the cache on', async () => {
    const folder = join(dir, FOLDER);
    const version = join(folder, 'v24.0.0-x64-0');
    await mkdir(version, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
    for (let i = 0; i < COMPILE_CACHE_BOUNDS.entries + 2; i += 1)
      await writeFile(join(version, `e${i}`), 'code');
    await expect(run({ XDG_CACHE_HOME: dir })).resolves.toBe(folder);
    expect(await readdir(version)).toHaveLength(COMPILE_CACHE_BOUNDS.entries);
  });

  it.each([
    ['others can write to', 0o707],
    ['its group can write to', 0o770],
  ])('leaves it off in a folder %s (their compiled code would run)', async (_name, mode) => {
    const folder = join(dir, FOLDER);
    await mkdir(folder, { recursive: true });
    await chmod(folder, mode);
    await expect(run({ XDG_CACHE_HOME: dir })).resolves.toBeUndefined();
    expect(enabled).toEqual([]);
  });

  it('leaves it off in a folder another user owns', async () => {
    await mkdir(join(dir, FOLDER), { recursive: true, mode: 0o700 });
    await expect(run({ XDG_CACHE_HOME: dir }, { uid: uid + 1 })).resolves.toBeUndefined();
    expect(enabled).toEqual([]);
  });

  it.each([
    [
      'a file where the folder would be',
      async () => {
        await mkdir(join(dir, 'helmrelease-image-updater'));
        await writeFile(join(dir, FOLDER), 'x');
        return dir;
      },
    ],
    [
      'a file where a parent would be',
      async () => {
        await writeFile(join(dir, 'file'), 'x');
        return join(dir, 'file');
      },
    ],
    // Node's recursive mkdir would spin there for good (make-directories.ts).
    ['a folder under /proc, where no folder can be made', async () => '/proc/self/no-such-folder'],
  ])('leaves it off, without an error, with %s', async (_name, cacheHome) => {
    await expect(run({ XDG_CACHE_HOME: await cacheHome() })).resolves.toBeUndefined();
    expect(enabled).toEqual([]);
  });

  it("leaves it off when Node cannot keep it there (Node's answer has no directory)", async () => {
    const refused: EnableCompileCache = () => ({});
    await expect(enableCliCompileCache([], { XDG_CACHE_HOME: dir }, refused, uid)).resolves.toBeUndefined();
  });

  it.each([
    ['on a Node without it (before 22.1)', [], {}, undefined],
    ['with --no-cache', ['--no-cache'], {}, enable],
    ['with NODE_DISABLE_COMPILE_CACHE', [], { NODE_DISABLE_COMPILE_CACHE: '1' }, enable],
  ])('makes no folder %s', async (_name, argv, env, nodeEnable) => {
    await expect(
      enableCliCompileCache(argv, { XDG_CACHE_HOME: dir, ...env }, nodeEnable, uid),
    ).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    expect(enabled).toEqual([]);
  });
});

describe('pruneCompileCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compile-cache-prune-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Writes `files` under `dir`, each written `age` seconds ago (a folder's age set after its files). */
  async function layout(files: Record<string, number>, folders: Record<string, number> = {}): Promise<void> {
    for (const [path, age] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), 'code');
      await utimes(join(dir, path), Date.now() / 1000 - age, Date.now() / 1000 - age);
    }
    for (const [path, age] of Object.entries(folders))
      await utimes(join(dir, path), Date.now() / 1000 - age, Date.now() / 1000 - age);
  }

  /** Every file left under `dir`, as `folder/file`. */
  async function left(): Promise<string[]> {
    const found: string[] = [];
    for (const version of (await readdir(dir)).sort())
      for (const entry of (await readdir(join(dir, version)).catch(() => [])).sort())
        found.push(`${version}/${entry}`);
    return found;
  }

  it.each([
    [
      'within its bounds: nothing goes',
      { versions: 3, entries: 8 },
      { 'v24-a/e1': 10, 'v24-a/e2': 20, 'v22-b/e1': 30 },
      { 'v24-a': 10, 'v22-b': 30 },
      ['v22-b/e1', 'v24-a/e1', 'v24-a/e2'],
    ],
    [
      'the entries written longest ago go past the bound',
      { versions: 3, entries: 2 },
      { 'v24-a/e1': 30, 'v24-a/e2': 10, 'v24-a/e3': 20, 'v24-a/e4': 40 },
      {},
      ['v24-a/e2', 'v24-a/e3'],
    ],
    [
      "the versions' folders written longest ago go, with their entries",
      { versions: 2, entries: 8 },
      { 'v20-a/e1': 5, 'v22-b/e1': 5, 'v24-c/e1': 5 },
      { 'v20-a': 300, 'v22-b': 100, 'v24-c': 200 },
      ['v22-b/e1', 'v24-c/e1'],
    ],
  ])('%s', async (_name, bounds, files, folders, expected) => {
    await layout(files, folders);
    pruneCompileCache(dir, bounds);
    expect(await left()).toEqual(expected);
  });

  it('neither follows nor removes a link, to a folder or a file', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'compile-cache-outside-'));
    try {
      await writeFile(join(outside, 'kept'), 'x');
      await mkdir(join(dir, 'v24-a'));
      await symlink(outside, join(dir, 'v24-link'));
      await symlink(join(outside, 'kept'), join(dir, 'v24-a', 'e-link'));
      await layout({ 'v24-a/e1': 10, 'v24-b/e1': 20 }, { 'v24-a': 10, 'v24-b': 20 });
      pruneCompileCache(dir, { versions: 1, entries: 1 });
      expect(await left()).toEqual(['v24-a/e-link', 'v24-a/e1', 'v24-link/kept']);
      expect(await readdir(outside)).toEqual(['kept']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
