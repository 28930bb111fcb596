/**
 * Node's compile cache for the CLI (issue 17). Node keeps V8's compiled code of the modules it
 * loads on disk, by file, and a later run that loads the same unchanged bundle does not compile
 * its 2 MB again: the CLI's `--version` goes from about 75 to 61 ms on Node 24, and a run over
 * issue 17's corpus ends 20–40 ms sooner. The cache holds the bundle's compiled code only, never
 * anything a run reads.
 *
 * It is kept beside the digest cache, in a folder of the user's own, not in Node's default folder
 * under the machine's shared temporary folder: compiled code read from a folder someone else can
 * write to is code they chose, run with the user's registry credentials at hand (babel/babel#1093).
 * So the cache is used only in a folder the user owns and no one else can write to; anywhere else
 * the CLI compiles as it would without one. Off with `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch)
 * or `--no-cache`; with `NODE_COMPILE_CACHE=dir` (Node's own) Node keeps it there from its start.
 * The folder is kept within {@link COMPILE_CACHE_BOUNDS}, which Node does not do.
 * The Action keeps none: a hosted runner starts each job on an empty disk, where a cache would
 * only cost its writing.
 */
import { readdirSync, rmSync, statSync, type Dirent } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { cliCacheFolder } from './cli-cache-folder.js';
import { makeDirectories } from './registry/make-directories.js';

/**
 * What the folder keeps. Node writes a folder per Node version (and architecture), holding an
 * entry per path the bundle was loaded from, and removes neither: a CLI run from many checkouts,
 * or under many Node versions, would grow it by 0.8 MB each for good.
 */
export const COMPILE_CACHE_BOUNDS = { versions: 3, entries: 8 };

/** Node's `module.enableCompileCache` (Node 22.1 and later), or a stand-in for it. */
export type EnableCompileCache = (folder: string) => { directory?: string };

/** Where the CLI keeps Node's compile cache, or undefined when it keeps none (the module comment). */
export function compileCacheFolder(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE || env.NODE_COMPILE_CACHE) return undefined;
  // The flag as cli-args.ts reads it, which takes `--no-cache=...` as `--no-cache`.
  if (argv.some((arg) => arg === '--no-cache' || arg.startsWith('--no-cache='))) return undefined;
  return join(cliCacheFolder(env), 'node-compile-cache');
}

/**
 * Whether compiled code may be read from a folder: one the user owns and that neither its group nor
 * others can write to. Without a user id (Windows) a folder under the user's profile is taken as theirs.
 */
export function isPrivateFolder(
  info: { uid: number; mode: number; isDirectory(): boolean },
  uid: number | undefined,
): boolean {
  if (!info.isDirectory()) return false;
  if (uid === undefined) return true;
  return info.uid === uid && (info.mode & 0o022) === 0;
}

/**
 * Keeps the compile cache within {@link COMPILE_CACHE_BOUNDS}: the versions' folders, then each
 * one's entries, written last are kept (an entry that is only read keeps its time, so one in use
 * may go; it is written again by its next run). Only what Node writes there is looked at: folders,
 * and files in them; a link is neither followed nor removed. A few calls when within the bounds.
 */
export function pruneCompileCache(folder: string, bounds = COMPILE_CACHE_BOUNDS): void {
  const newest = (at: string, kind: (entry: Dirent) => boolean, keep: number): string[] => {
    const paths = readdirSync(at, { withFileTypes: true })
      .filter(kind)
      .map((entry) => join(at, entry.name));
    if (paths.length <= keep) return paths;
    const written = paths
      .map((path) => ({ path, time: statSync(path).mtimeMs }))
      .sort((a, b) => b.time - a.time)
      .map(({ path }) => path);
    for (const path of written.slice(keep)) rmSync(path, { recursive: true, force: true });
    return written.slice(0, keep);
  };
  for (const version of newest(folder, (entry) => entry.isDirectory(), bounds.versions))
    newest(version, (entry) => entry.isFile(), bounds.entries);
}

/**
 * Turns the compile cache on for what the process loads next, in {@link compileCacheFolder} made
 * private to the user; returns that folder, or undefined when the cache stays off. Never throws: a
 * cache that cannot be kept costs only the compiling it would have saved.
 */
export async function enableCliCompileCache(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  // Not on Node 20 (the CLI's engines start at 22.13, but an older Node should still run it).
  enable: EnableCompileCache | undefined = (nodeModule as { enableCompileCache?: EnableCompileCache })
    .enableCompileCache,
  uid: number | undefined = process.getuid?.(),
): Promise<string | undefined> {
  const folder = compileCacheFolder(argv, env);
  if (folder === undefined || enable === undefined) return undefined;
  try {
    let info = statSync(folder, { throwIfNoEntry: false });
    if (info === undefined) {
      // Node's own recursive mkdir can spin for good under /proc (make-directories.ts): the
      // folder is made here, and Node only makes its own level inside it.
      await makeDirectories(dirname(folder));
      await mkdir(folder, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      info = statSync(folder);
    }
    if (!isPrivateFolder(info, uid)) return undefined;
    try {
      pruneCompileCache(folder);
    } catch {
      // Kept within its bounds on a later run; the cache still works meanwhile.
    }
    return enable(folder).directory === undefined ? undefined : folder;
  } catch {
    return undefined;
  }
}
