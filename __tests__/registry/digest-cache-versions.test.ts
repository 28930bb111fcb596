/**
 * A digest cache file written by another version of this Action (the CLI's folder is shared by every
 * version a user runs; a rollback meets a newer file): an older format is read, a newer one is never
 * trusted nor written over, a file of no known format is replaced; each unused file says why.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestCache } from '../../src/registry/digest-cache.js';
import { loadDigestCache, saveDigestCache } from '../../src/registry/digest-cache-file.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const T0 = Date.parse('2026-11-24T09:00:00Z');
const DAY = 24 * 60 * 60_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'digest-cache-versions-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entries = { [D1]: { created: '2024-01-02T03:04:05.000Z' } };

interface Case {
  name: string;
  file: unknown;
  /** Whether D1's entry is used. */
  used: boolean;
  /** The notice on loading (`PATH` for the file's path), if any. */
  notice?: string;
  /** Whether this run's save replaces the file. */
  replaced: boolean;
}

const CASES: Case[] = [
  { name: 'format 2 (this version)', file: { version: 2, entries, tags: {} }, used: true, replaced: true },
  { name: 'format 1 (older versions)', file: { version: 1, entries }, used: true, replaced: true },
  {
    name: 'format 3 (a newer version)',
    file: { version: 3, entries, tags: {} },
    used: false,
    notice:
      'The digest cache PATH was written by a newer version of this Action (format 3; this version reads ' +
      'formats 1 and 2); it is not used nor written over, and this run asks the registries instead.',
    replaced: false,
  },
  ...(
    [
      ['no format version', { entries }],
      ['format 0', { version: 0, entries }],
      ['a format version in text', { version: '2', entries }],
      ['a fractional format version', { version: 2.5, entries }],
      ['an array', [entries]],
      ['null', null],
    ] as const
  ).map(([name, file]): Case => ({
    name,
    file,
    used: false,
    notice:
      'The digest cache PATH has no format version this Action wrote; it is not used, and this run asks ' +
      'the registries instead.',
    replaced: true,
  })),
];

describe('a digest cache file of another format', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const path = join(dir, 'digests.json');
    const text = JSON.stringify(c.file);
    await writeFile(path, text);
    const notices: string[] = [];
    const cache = await loadDigestCache(path, T0, (m) => notices.push(m));

    expect(cache.get(D1) !== undefined).toBe(c.used);
    expect(notices).toEqual(c.notice ? [c.notice.replace('PATH', path)] : []);

    cache.recordTag('r.example.com/app', '1.0.0', D2, T0, DAY);
    cache.set(D2, { created: null });
    notices.length = 0;
    const saved = await saveDigestCache(path, cache, (m) => notices.push(m));
    expect(saved).toBe(c.replaced);
    const after = await readFile(path, 'utf8');
    if (c.replaced) {
      expect(JSON.parse(after)).toMatchObject({ version: 2 });
      expect(notices).toEqual([]);
    } else {
      expect(after).toBe(text);
      expect(notices).toEqual([
        `The digest cache was not saved: ${path} was written by a newer version of this Action, and is left for it.`,
      ]);
    }
  });
});

describe('DigestCache.fromJSON trusts no entry of a format it does not know', () => {
  it.each([3, 99, '2', null, undefined])('version %p', (version) => {
    expect(DigestCache.fromJSON({ version, entries }, T0).get(D1)).toBeUndefined();
  });
});
