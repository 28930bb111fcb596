/**
 * The digest cache's file as hostile input: links planted where the temporary file goes, paths
 * that are directories, FIFOs, devices or links to them, files too large to load, and a cache too
 * large to write.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DigestCache, MAX_CACHED_TAGS } from '../../src/registry/digest-cache.js';
import { MAX_CACHED_LISTINGS } from '../../src/registry/remembered-listings.js';
import {
  MAX_CACHE_FILE_BYTES,
  discardDigestCache,
  loadDigestCache,
  saveDigestCache,
} from '../../src/registry/digest-cache-file.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const REPO = 'registry.example.com/team/app';
const DAY = 24 * 60 * 60_000;
const T0 = Date.parse('2026-11-24T09:00:00Z');

let dir: string;
let notices: string[];
const notice = (message: string) => notices.push(message);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'digest-cache-file-'));
  notices = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A cache holding one tag and its digest. */
function smallCache(): DigestCache {
  const cache = new DigestCache();
  cache.recordTag(REPO, '1.0.0', D1, T0, DAY);
  cache.set(D1, { created: '2024-01-02T03:04:05.000Z' });
  return cache;
}

describe('writing', () => {
  it('never follows a link planted at a temporary name, and leaves no temporary file', async () => {
    const path = join(dir, 'digests.json');
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious');
    // The name the temporary file used to have, and a spread of guesses around it.
    for (const name of [
      `digests.json.${process.pid}.tmp`,
      `.digests.json.${process.pid}.tmp`,
      'digests.json.tmp',
    ])
      await symlink(victim, join(dir, name));
    expect(await saveDigestCache(path, smallCache(), notice)).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(lstatSync(path).isFile()).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(
      (await readdir(dir)).filter((f) => f.includes('tmp') && !lstatSync(join(dir, f)).isSymbolicLink()),
    ).toEqual([]);
    expect((await loadDigestCache(path, T0)).tag(REPO, '1.0.0')?.digest).toBe(D1);
    expect(notices).toEqual([]);
  });

  it('replaces a link at the cache path instead of writing through it', async () => {
    const path = join(dir, 'digests.json');
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, path);
    expect(await saveDigestCache(path, smallCache(), notice)).toBe(true);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(lstatSync(path).isFile()).toBe(true);
  });

  it('creates the directory', async () => {
    const path = join(dir, 'a', 'b', 'digests.json');
    expect(await saveDigestCache(path, smallCache(), notice)).toBe(true);
    expect((await loadDigestCache(path, T0)).size).toBe(1);
  });

  it('leaves out the oldest tags until the file fits its limit, so it can always be loaded again', async () => {
    const cache = new DigestCache();
    for (let i = 0; i < 200; i++) {
      const digest = `sha256:${i.toString(16).padStart(64, '0')}`;
      cache.recordTag(REPO, `t${i}`, digest, T0 + i * 1000, DAY);
      cache.set(digest, { created: null });
    }
    const whole = Buffer.byteLength(JSON.stringify(cache.toJSON()));
    const path = join(dir, 'digests.json');
    expect(await saveDigestCache(path, cache, notice, Math.floor(whole / 3))).toBe(true);
    expect((await stat(path)).size).toBeLessThanOrEqual(whole / 3);
    const loaded = await loadDigestCache(path, T0, notice, Math.floor(whole / 3));
    expect(loaded.tag(REPO, 't199')).toBeDefined();
    expect(loaded.tag(REPO, 't0')).toBeUndefined();
    expect(loaded.size).toBeGreaterThan(0);
    expect(notices).toEqual([]);
  });

  it('is not written, and says so, when not even its listing sizes fit the limit', async () => {
    const cache = new DigestCache();
    // Listing sizes are kept however few tags are, so 100 of them alone pass 2,048 bytes.
    for (let i = 0; i < 100; i++) cache.listings.record(`ghcr.io/team/app-${i}`, 1, T0);
    const path = join(dir, 'digests.json');
    expect(await saveDigestCache(path, cache, notice, 2048)).toBe(false);
    expect(notices).toEqual(['The digest cache was not saved: it does not fit in 2,048 bytes.']);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a rerun that learned nothing', () => {
  /** The small cache's file, laid out as no save writes it, so that a rewrite shows. */
  async function writeReadable(path: string, version = 2): Promise<string> {
    await saveDigestCache(path, smallCache(), notice);
    const json = JSON.parse(await readFile(path, 'utf8')) as { version: number };
    const text = `${JSON.stringify({ ...json, version }, null, 2)}\n`;
    await writeFile(path, text);
    return text;
  }

  const other = (path: string) => join(dirname(path), 'other.json');
  const same = (path: string) => path;
  it.each([
    { when: 'nothing changed', version: 2, change: async () => undefined, target: same, is: 'left as read' },
    {
      when: 'a tag was recorded',
      version: 2,
      change: async (cache: DigestCache) => cache.recordTag(REPO, '1.0.1', D1, T0 + 1, DAY),
      target: same,
      is: 'written',
    },
    {
      when: 'it was in the first format',
      version: 1,
      change: async () => undefined,
      target: same,
      is: 'written',
    },
    {
      when: 'the file was removed since',
      version: 2,
      change: async (_: DigestCache, path: string) => rm(path),
      target: same,
      is: 'written',
    },
    {
      when: 'it is saved to another file',
      version: 2,
      change: async (_: DigestCache, path: string) => writeFile(other(path), '{}'),
      target: other,
      is: 'written',
    },
  ])('a cache read from its file, when $when, is $is', async ({ version, change, target, is }) => {
    const path = join(dir, 'digests.json');
    const text = await writeReadable(path, version);
    const cache = await loadDigestCache(path, T0 + 1);
    await change(cache, path);
    expect(await saveDigestCache(target(path), cache, notice)).toBe(true);
    const after = await readFile(target(path), 'utf8');
    expect(after === text ? 'left as read' : 'written').toBe(is);
    // Either way, the file holds the cache, in the current format.
    expect((await loadDigestCache(target(path), T0 + 1)).toJSON()).toEqual(cache.toJSON());
    expect(JSON.parse(after)).toMatchObject({ version: 2 });
    expect(notices).toEqual([]);
  });

  it('writes over a file that could not be read, though the run learned nothing', async () => {
    const path = join(dir, 'digests.json');
    await writeFile(path, 'not json');
    const cache = await loadDigestCache(path, T0, notice);
    expect(await saveDigestCache(path, cache, notice)).toBe(true);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ version: 2 });
  });
});

describe('a cache path that is not a regular file', () => {
  const fifo = (path: string) => execFileSync('mkfifo', [path]);
  const cases: [string, string, (path: string) => Promise<unknown> | unknown][] = [
    ['a directory', 'a directory', (path) => mkdir(path)],
    ['a FIFO', 'a FIFO', fifo],
    ['a device (a link to /dev/null)', 'a device', (path) => symlink('/dev/null', path)],
    [
      'a link to a directory',
      'a directory',
      async (path) => {
        await mkdir(`${path}.d`);
        await symlink(`${path}.d`, path);
      },
    ],
    [
      'a link to a FIFO',
      'a FIFO',
      (path) => {
        fifo(`${path}.fifo`);
        return symlink(`${path}.fifo`, path);
      },
    ],
  ];

  it.each(cases)('%s is not read (and never blocks), with a notice', async (_name, kind, make) => {
    const path = join(dir, 'digests.json');
    await make(path);
    expect((await loadDigestCache(path, T0, notice)).size).toBe(0);
    expect(notices).toEqual([
      `The digest cache ${path} is ${kind}, not a file; it is not used, and this run asks the registries instead.`,
    ]);
  });

  it.each(cases)('%s is not written over, with a notice', async (_name, kind, make) => {
    const path = join(dir, 'digests.json');
    await make(path);
    const before = lstatSync(path);
    expect(await saveDigestCache(path, smallCache(), notice)).toBe(false);
    expect(notices).toEqual([`The digest cache was not saved: ${path} is ${kind}, not a file.`]);
    const after = lstatSync(path);
    expect([after.ino, after.mode]).toEqual([before.ino, before.mode]);
  });

  it.each(cases)('%s is not removed by the Action (which then uses no cache)', async (_name, _kind, make) => {
    const path = join(dir, 'digests.json');
    await make(path);
    const before = lstatSync(path);
    // A link is removed (the link, not its target); anything else is left alone.
    const freed = await discardDigestCache(path, notice);
    if (before.isSymbolicLink()) {
      expect([freed, notices]).toEqual([true, []]);
      expect(() => lstatSync(path)).toThrow(/ENOENT/);
    } else {
      expect(freed).toBe(false);
      expect(notices).toEqual([
        expect.stringMatching(/not a file; it is left alone and no cache is used\.$/),
      ]);
      expect(lstatSync(path).ino).toBe(before.ino);
    }
  });
});

describe('discarding a file the Actions cache did not restore', () => {
  it('removes a file and frees the path; a missing file is free already', async () => {
    const path = join(dir, 'digests.json');
    await writeFile(path, '{}');
    expect(await discardDigestCache(path, notice)).toBe(true);
    expect(await discardDigestCache(path, notice)).toBe(true);
    expect(notices).toEqual([]);
  });
});

describe('loading', () => {
  it('ignores a file over the default limit without reading it', async () => {
    const path = join(dir, 'digests.json');
    await writeFile(path, '');
    await truncate(path, MAX_CACHE_FILE_BYTES + 1);
    expect((await loadDigestCache(path, T0, notice)).size).toBe(0);
    expect(notices).toEqual([
      `The digest cache ${path} is 33,554,433 bytes, over the 33,554,432-byte limit; it is not used, and this run asks the registries instead.`,
    ]);
  });

  it('reads a file of exactly the limit', async () => {
    const path = join(dir, 'digests.json');
    const json = JSON.stringify(smallCache().toJSON());
    await writeFile(path, json);
    expect((await loadDigestCache(path, T0, notice, Buffer.byteLength(json))).size).toBe(1);
    expect((await loadDigestCache(path, T0, notice, Buffer.byteLength(json) - 1)).size).toBe(0);
    expect(notices).toHaveLength(1);
  });

  it.each([
    ['nothing there', undefined, []],
    ['not JSON', '{', ['is not valid JSON']],
    ['a newer version', JSON.stringify({ version: 99, entries: {} }), ['was written by a newer version']],
    [
      'JSON nesting past 64 levels (a crafted file: 31 MiB of it took 15 s and 1.6 GB)',
      `{"version":2,"entries":{},"x":${'['.repeat(65)}${']'.repeat(65)}}`,
      ['is JSON that nests deeper than 64 levels; not read'],
    ],
  ])('starts empty with %s', async (_name, content, expected) => {
    const path = join(dir, 'digests.json');
    if (content !== undefined) await writeFile(path, content);
    expect((await loadDigestCache(path, T0, notice)).size).toBe(0);
    expect(
      notices.map(
        (n) =>
          /is (not valid JSON|JSON that nests deeper than 64 levels; not read)|was written by a newer version/.exec(
            n,
          )?.[0],
      ),
    ).toEqual(expected);
  });
});

describe('entry counts are bounded', () => {
  it(`keeps the ${MAX_CACHED_TAGS} most recently confirmed tags, and reads no more than that`, () => {
    const cache = new DigestCache();
    const extra = 5;
    for (let i = 0; i < MAX_CACHED_TAGS + extra; i++) cache.recordTag(REPO, `t${i}`, D1, T0 + i, DAY);
    cache.set(D1, { created: null });
    const json = cache.toJSON();
    const kept = Object.keys(json.tags[REPO]!);
    expect(kept).toHaveLength(MAX_CACHED_TAGS);
    expect(kept[0]).toBe(`t${extra}`);
    // A file holding more (written by hand, or by another build) is read only up to the cap.
    const bigger = { ...json, tags: { ...json.tags, 'other.example.com/x': { a: json.tags[REPO]!['t9'] } } };
    const loaded = DigestCache.fromJSON(bigger, T0);
    expect(loaded.toJSON().tags['other.example.com/x']).toBeUndefined();
  });

  it(`keeps the ${MAX_CACHED_LISTINGS} most recent listing sizes`, () => {
    const cache = new DigestCache();
    for (let i = 0; i <= MAX_CACHED_LISTINGS; i++) cache.listings.record(`r.example.com/${i}`, 2, T0 + i);
    const listings = Object.keys(cache.toJSON().listings);
    expect(listings).toHaveLength(MAX_CACHED_LISTINGS);
    expect(listings).not.toContain('r.example.com/0');
  });
});
