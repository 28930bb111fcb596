/**
 * The digest cache's file (see `digest-cache.ts` for what it holds). It is only a cache, so nothing
 * about it ever fails a run: a file that cannot be used is ignored with a notice and the run asks
 * the registries instead. Because the path is in a shared temporary folder (the Action's
 * `RUNNER_TEMP`) or the user's cache folder, the file is handled as hostile input:
 *
 * - read only when it is a regular file (a link to one is followed), never blocking on a FIFO, and
 *   only up to {@link MAX_CACHE_FILE_BYTES} (a 147 MB file once cost 1.07 GB of memory); see
 *   `regular-file.ts`;
 * - written in one step (`replace-file.ts`: a new file beside it, created exclusively under a
 *   random name, renamed over the path; a link at the path is replaced, not followed); never
 *   written over a directory, FIFO, socket or device at the path;
 * - written no larger than it may be read: the oldest tags are left out until the JSON fits.
 */
import type { Stats } from 'node:fs';
import { lstat, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { cacheFormatOf, DigestCache, FORMAT_VERSION, MAX_CACHED_TAGS } from './digest-cache.js';
import { makeDirectories } from './make-directories.js';
import { fileKind, readRegularFile } from './regular-file.js';
import { replaceFile } from './replace-file.js';
import { parseRegistryJson, TooDeepJsonError, unreadableJson } from './registry-json.js';
import { byteCount } from '../byte-count.js';

/** Largest cache file read or written (with {@link MAX_CACHED_TAGS} tags a file is about 30 MB). */
export const MAX_CACHE_FILE_BYTES = 32 * 1024 * 1024;

/** Receives a sentence about cache trouble (the Action logs it; the CLI's `--json` lists it). */
export type CacheNotice = (message: string) => void;

const ignore: CacheNotice = () => undefined;

/** `stat` of `path`, or undefined when nothing is there (or a link points nowhere). */
async function statIfPresent(path: string, follow = true): Promise<Stats | undefined> {
  try {
    return await (follow ? stat(path) : lstat(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The path each cache loaded from a file was read from. */
const readFrom = new WeakMap<DigestCache, string>();
/**
 * The path of a file a newer version wrote, for the empty cache used instead: that file is left
 * for the newer version (a rollback, or two versions sharing the CLI's folder), not written over.
 */
const newerAt = new WeakMap<DigestCache, string>();

/**
 * Loads a cache file. A missing file is an empty cache; a file that is not a regular file, is
 * larger than `maxBytes`, cannot be read, is not JSON, or is of a format this version does not read
 * (a newer version's, or none) is an empty cache and a notice.
 */
export async function loadDigestCache(
  path: string,
  now: number = Date.now(),
  onNotice: CacheNotice = ignore,
  maxBytes: number = MAX_CACHE_FILE_BYTES,
): Promise<DigestCache> {
  const unused = (why: string) => {
    onNotice(`The digest cache ${path} ${why}; it is not used, and this run asks the registries instead.`);
    return new DigestCache();
  };
  const read = await readRegularFile(path, maxBytes);
  if (!read.ok) return read.missing ? new DigestCache() : unused(read.reason);
  const { text } = read;
  try {
    // Counted first: a crafted file of 31 MiB of [[[...]]] cost 15 s and 1.6 GB to parse.
    const value = parseRegistryJson(text);
    const format = cacheFormatOf(value);
    if (format.kind === 'newer') {
      onNotice(
        `The digest cache ${path} was written by a newer version of this Action (format ${format.version}; ` +
          `this version reads formats 1 and ${FORMAT_VERSION}); it is not used nor written over, and this ` +
          'run asks the registries instead.',
      );
      const cache = new DigestCache();
      newerAt.set(cache, path);
      return cache;
    }
    if (format.kind === 'unknown') return unused('has no format version this Action wrote');
    const cache = DigestCache.fromJSON(value, now);
    readFrom.set(cache, path);
    return cache;
  } catch (error) {
    return unused(
      error instanceof TooDeepJsonError ? `is JSON that ${unreadableJson(error)}` : 'is not valid JSON',
    );
  }
}

/**
 * Writes a cache file atomically, creating its directory, unless the file the cache was read from
 * is still there and the run changed nothing worth keeping. Returns whether the file holds the
 * cache (written, or left as read); when it does not, `onNotice` says why. Never throws.
 */
export async function saveDigestCache(
  path: string,
  cache: DigestCache,
  onNotice: CacheNotice = ignore,
  maxBytes: number = MAX_CACHE_FILE_BYTES,
): Promise<boolean> {
  try {
    const existing = await statIfPresent(path);
    if (existing && !existing.isFile()) {
      onNotice(`The digest cache was not saved: ${path} is ${fileKind(existing)}, not a file.`);
      return false;
    }
    // A rerun that learned nothing (every listing and digest as before) leaves the file it read
    // as it was: writing it again cost a warm run's end 3-4 ms on the issue corpus (issue 17). An
    // older format, a file gone since, or another path is written.
    if (existing && readFrom.get(cache) === path && cache.sameAsRead) return true;
    if (existing && newerAt.get(cache) === path) {
      onNotice(
        `The digest cache was not saved: ${path} was written by a newer version of this Action, and is left for it.`,
      );
      return false;
    }
    const json = serializeWithin(cache, maxBytes);
    if (json === undefined) {
      onNotice(`The digest cache was not saved: it does not fit in ${byteCount(maxBytes)}.`);
      return false;
    }
    await makeDirectories(dirname(path));
    await replaceFile(path, json, 0o600);
    return true;
  } catch (e) {
    onNotice(`The digest cache ${path} was not saved: ${(e as Error).message}`);
    return false;
  }
}

/**
 * The cache's JSON in at most `maxBytes`: all of it when it fits, else with ever fewer tags (the
 * oldest left out); undefined if not even an empty cache fits.
 */
function serializeWithin(cache: DigestCache, maxBytes: number): string | undefined {
  let maxTags = MAX_CACHED_TAGS;
  for (;;) {
    const json = JSON.stringify(cache.serialize(maxTags));
    if (Buffer.byteLength(json) <= maxBytes) return json;
    if (maxTags === 0) return undefined;
    maxTags = Math.floor(maxTags / 2);
  }
}

/**
 * Removes a cache file that must not be used (the Action's, when the Actions cache restored
 * nothing: the file may be another run's). Only a file or a link is removed (a link, not what it
 * points at); anything else at the path is left alone with a notice. Returns whether the path is
 * now free, i.e. whether the cache may be used there. Never throws.
 */
export async function discardDigestCache(path: string, onNotice: CacheNotice = ignore): Promise<boolean> {
  try {
    const info = await statIfPresent(path, false);
    if (!info) return true;
    if (info.isFile() || info.isSymbolicLink()) {
      await unlink(path);
      return true;
    }
    onNotice(
      `The digest cache path ${path} is ${fileKind(info)}, not a file; it is left alone and no cache is used.`,
    );
  } catch (e) {
    onNotice(`The digest cache ${path} could not be removed (${(e as Error).message}); no cache is used.`);
  }
  return false;
}
