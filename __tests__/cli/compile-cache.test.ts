/**
 * The CLI's compile cache (src/cli-compile-cache.ts): where it is kept, when it is not, that
 * compiled code is read only from a folder the user owns and no one else can write to, that an
 * entry is read only whole, when a run writes one, and the bounds the folder is kept within. V8's
 * code cache is real here: small bundles are compiled with node:vm in this process (which changes
 * nothing of how it compiles anything else); the built CLI keeps it in e2e/cli-start.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COMPILE_CACHE_BOUNDS,
  compileCacheFolder,
  entryPath,
  openCompileCache,
  pruneCompileCache,
  readEntry,
  runCliBundle,
  shouldWriteEntry,
  writeEntry,
} from '../../src/cli-compile-cache.js';

const FOLDER = join('helmrelease-image-updater', 'compile-cache');

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
    [
      "with NODE_COMPILE_CACHE (Node's own, which never sees the bundle)",
      [],
      { XDG_CACHE_HOME: '/x/cache', NODE_COMPILE_CACHE: '/y' },
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
  ])('%s', (_name, argv, env, expected) => {
    expect(compileCacheFolder(argv, env)).toBe(expected);
  });
});

describe('openCompileCache', () => {
  let dir: string;
  const uid = process.getuid!();
  const open = (env: Record<string, string | undefined>, options: { argv?: string[]; uid?: number } = {}) =>
    openCompileCache(options.argv ?? [], env, options.uid ?? uid);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compile-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("makes the folder, and this Node's folder in it, private to the user", async () => {
    const folder = join(dir, 'cache', FOLDER);
    const version = await open({ XDG_CACHE_HOME: join(dir, 'cache') });
    expect(version).toBe(join(folder, `${process.version}-${process.arch}`));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(version!)).mode & 0o777).toBe(0o700);
  });

  it('uses a private folder that is already there', async () => {
    const folder = join(dir, FOLDER);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await expect(open({ XDG_CACHE_HOME: dir })).resolves.toContain(`${folder}/`);
  });

  it("removes the folder of Node's own compile cache that earlier versions kept, as it makes its own", async () => {
    const legacy = join(dir, 'helmrelease-image-updater', 'node-compile-cache', 'v24.0.0-x64-0');
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, 'e1'), 'code');
    await open({ XDG_CACHE_HOME: dir });
    expect(await readdir(join(dir, 'helmrelease-image-updater'))).toEqual(['compile-cache']);
  });

  it('keeps the folder within its bounds', async () => {
    const folder = join(dir, FOLDER);
    const version = join(folder, 'v24.0.0-x64-0');
    await mkdir(version, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
    for (let i = 0; i < COMPILE_CACHE_BOUNDS.entries + 2; i += 1)
      await writeFile(join(version, `e${i}`), 'code');
    await open({ XDG_CACHE_HOME: dir });
    expect(await readdir(version)).toHaveLength(COMPILE_CACHE_BOUNDS.entries);
  });

  it.each([
    ['others can write to', 0o707],
    ['its group can write to', 0o770],
  ])('keeps none in a folder %s (their compiled code would run)', async (_name, mode) => {
    const folder = join(dir, FOLDER);
    await mkdir(folder, { recursive: true });
    await chmod(folder, mode);
    await expect(open({ XDG_CACHE_HOME: dir })).resolves.toBeUndefined();
  });

  it("keeps none when this Node's folder in it is not private", async () => {
    const folder = join(dir, FOLDER);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const version = (await open({ XDG_CACHE_HOME: dir }))!;
    await chmod(version, 0o777);
    await expect(open({ XDG_CACHE_HOME: dir })).resolves.toBeUndefined();
  });

  it('keeps none in a folder another user owns', async () => {
    await mkdir(join(dir, FOLDER), { recursive: true, mode: 0o700 });
    await expect(open({ XDG_CACHE_HOME: dir }, { uid: uid + 1 })).resolves.toBeUndefined();
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
  ])('keeps none, without an error, with %s', async (_name, cacheHome) => {
    await expect(open({ XDG_CACHE_HOME: await cacheHome() })).resolves.toBeUndefined();
  });

  it.each([
    ['with --no-cache', ['--no-cache'], {}],
    ['with NODE_DISABLE_COMPILE_CACHE', [], { NODE_DISABLE_COMPILE_CACHE: '1' }],
  ])('makes no folder %s', async (_name, argv, env) => {
    await expect(open({ XDG_CACHE_HOME: dir, ...env }, { argv })).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('an entry', () => {
  let dir: string;
  let path: string;
  const data = Buffer.from('V8 code, as V8 wrote it');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compile-cache-entry-'));
    path = entryPath(dir, Buffer.from('the bundle'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("is named by the bundle's checksum: another bundle, another entry", () => {
    expect(path).toMatch(/\/[0-9a-f]{8}\.v8$/);
    expect(entryPath(dir, Buffer.from('the bundle!'))).not.toBe(path);
  });

  it.each([true, false])(
    'reads back as written (written after a plan: %s), leaving no other file',
    async (afterAPlan) => {
      writeEntry(path, data, afterAPlan);
      expect(readEntry(path)).toEqual({ data, afterAPlan });
      expect(await readdir(dir)).toHaveLength(1);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    },
  );

  it.each([
    ['none', async () => rm(path)],
    ['cut short (a write stopped half way)', async () => truncate(path, 30)],
    ['cut before its data', async () => truncate(path, 10)],
    [
      'with a byte of its data changed (a bad disk)',
      async () => {
        const bytes = await readFile(path);
        bytes[bytes.length - 1] ^= 1;
        await writeFile(path, bytes);
      },
    ],
    [
      'of another format',
      async () => {
        const bytes = await readFile(path);
        bytes[7] ^= 1;
        await writeFile(path, bytes);
      },
    ],
    [
      'a folder',
      async () => {
        await rm(path);
        await mkdir(path);
      },
    ],
  ])('is not read when it is %s', async (_name, damage) => {
    writeEntry(path, data, true);
    await damage();
    expect(readEntry(path)).toBeUndefined();
  });

  it('is not read past its bound', () => {
    writeEntry(path, data, true);
    expect(readEntry(path, data.length + 19)).toBeUndefined();
    expect(readEntry(path, data.length + 20)).toEqual({ data, afterAPlan: true });
  });

  it('is not written, without an error, where it cannot be', async () => {
    const missing = join(dir, 'no-such-folder', 'e.v8');
    expect(() => writeEntry(missing, data, true)).not.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('shouldWriteEntry', () => {
  const entry = (afterAPlan: boolean) => ({ data: Buffer.from('x'), afterAPlan });
  it.each([
    ['none yet', undefined, false, false, true],
    ['none yet, after a plan', undefined, false, true, true],
    ['V8 refused it', entry(true), true, true, true],
    ['V8 refused it, and this run did not plan', entry(true), true, false, true],
    ['written by a run that did not plan, and this one planned', entry(false), false, true, true],
    ['written by a run that did not plan, nor did this one', entry(false), false, false, false],
    ['written after a plan', entry(true), false, true, false],
    ['written after a plan, and this run did not plan', entry(true), false, false, false],
  ])('%s: %s', (_name, found, refused, planned, expected) => {
    expect(shouldWriteEntry(found, refused, planned)).toBe(expected);
  });
});

describe('runCliBundle', () => {
  let dir: string;
  let bundle: string;
  const env = () => ({ XDG_CACHE_HOME: join(dir, 'cache') });
  /**
   * A bundle as scripts/function-script.mjs makes one. It runs in Node's own context, not the
   * test's, so it tells what it saw in a file beside it, and plans when a file `plan` is there.
   */
  const writeBundle = (body = '') =>
    writeFile(
      bundle,
      `(async function (createRequire, url) {
        'use strict';
        const fs = createRequire(url)('node:fs');
        const planned = () => fs.existsSync(new URL('./plan', url));
        fs.appendFileSync(new URL('./runs', url), JSON.stringify({ url, planned: planned() }) + '\\n');
        ${body}
        return { ranAPlan: planned };
      })\n`,
    );
  const runs = async () =>
    (await readFile(join(dir, 'runs'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
  const entryOf = async () => {
    const cache = join(dir, 'cache', FOLDER);
    const [version] = await readdir(cache);
    const entries = await readdir(join(cache, version!));
    expect(entries).toHaveLength(1);
    return join(cache, version!, entries[0]!);
  };
  const run = async (planned: boolean, argv: string[] = []) => {
    if (planned) await writeFile(join(dir, 'plan'), '');
    else await rm(join(dir, 'plan'), { force: true });
    await runCliBundle(bundle, argv, env());
  };
  /** Sets the entry's time a minute back, and returns that time (to the second). */
  const backdate = async (path: string) => {
    const back = Math.round((await stat(path)).mtimeMs / 1000) - 60;
    await utimes(path, back, back);
    return back;
  };
  const writtenAt = async (path: string) => Math.round((await stat(path)).mtimeMs / 1000);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compile-cache-run-'));
    bundle = join(dir, 'cli-main.js');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs the bundle with createRequire and its file URL, and resolves once it has run', async () => {
    await writeBundle();
    await run(false);
    expect(await runs()).toEqual([{ url: `file://${bundle}`, planned: false }]);
  });

  it('writes an entry after a run, again after the first that plans, and then no more', async () => {
    await writeBundle();
    await run(false);
    const path = await entryOf();
    expect(readEntry(path)?.afterAPlan).toBe(false);
    let back = await backdate(path);
    await run(false);
    expect(await writtenAt(path)).toBe(back);
    await run(true);
    expect(readEntry(path)?.afterAPlan).toBe(true);
    back = await backdate(path);
    await run(true);
    await run(false);
    expect(await writtenAt(path)).toBe(back);
    expect(await runs()).toHaveLength(5);
  });

  it('writes the entry again when V8 refuses it (another V8, other flags or another source)', async () => {
    await writeBundle();
    await run(true);
    const path = await entryOf();
    const own = readEntry(path)!.data;
    // A whole entry, but of another bundle's code.
    await writeBundle('const other = true;');
    const other = entryPath(join(path, '..'), await readFile(bundle));
    writeEntry(other, own, true);
    await run(true);
    expect(readEntry(other)?.data.equals(own)).toBe(false);
    expect(readEntry(other)?.afterAPlan).toBe(true);
  });

  it('keeps none, and still runs, with --no-cache', async () => {
    await writeBundle();
    await run(true, ['--no-cache']);
    expect((await readdir(dir)).sort()).toEqual(['cli-main.js', 'plan', 'runs']);
    expect(await runs()).toHaveLength(1);
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
