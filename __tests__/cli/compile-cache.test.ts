/**
 * Node's compile cache of the CLI (src/cli-compile-cache.ts): where it is kept, when it is not,
 * and that compiled code is read only from a folder the user owns and no one else can write to.
 * Node's `module.enableCompileCache` is stood in for (turning it on would change how this test
 * process compiles what it loads next); the built CLI turns the real one on in
 * e2e/cli-start.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compileCacheFolder,
  enableCliCompileCache,
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
