/**
 * The CLI's compile cache (issue 17): V8's compiled code of the CLI's bundle, kept on disk after a
 * run, so that later runs neither compile the bundle's 2 MB nor, as they go, the thousand or so
 * functions a run calls (V8 compiles a function when it is first called: 30-70 ms of compiling a
 * run, logged, much of it in the first file's parse, before the first registry request leaves;
 * about 40 ms less CPU a run with this cache, docs/performance.md round 19). Node's own
 * compile cache (`module.enableCompileCache`) keeps only what V8 compiled before the module ran,
 * so dist/cli.js compiles the bundle itself with node:vm (scripts/function-script.mjs makes it a
 * script) and keeps V8's code cache as it stands once a run has planned. The cache holds compiled
 * code only, never anything a run reads.
 *
 * It is kept beside the digest cache, in a folder of the user's own, not under the machine's
 * shared temporary folder: compiled code read from a folder someone else can write to is code they
 * chose, run with the user's registry credentials at hand (babel/babel#1093). So the cache is used
 * only in a folder the user owns and no one else can write to; anywhere else the CLI compiles as it
 * would without one. An entry is named by a checksum of the bundle's text and holds one of its
 * own, and V8 refuses code of another V8, another set of V8 flags or another source. Off with
 * `--no-cache` or `NODE_DISABLE_COMPILE_CACHE=1` (Node's switch). The folder is kept within
 * {@link COMPILE_CACHE_BOUNDS}. The Action keeps none: a hosted runner starts each job on an empty
 * disk, where a cache would only cost its writing.
 */
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants as vmConstants, Script } from 'node:vm';
import * as zlib from 'node:zlib';
import { cliCacheFolder } from './cli-cache-folder.js';
import { makeDirectories } from './registry/make-directories.js';

/**
 * What the folder keeps: a folder per Node version and architecture, each holding an
 * entry per bundle (a CLI run from many checkouts, or after upgrades), the ones written last; and
 * the largest entry it reads (the bundle's is about 1.5 MB).
 */
export const COMPILE_CACHE_BOUNDS = { versions: 3, entries: 8, entryBytes: 64 * 1024 * 1024 };

/** zlib's CRC-32 (Node 20.15 and 22.2 on): without it, no cache. */
const crc32: ((data: Buffer) => number) | undefined = (zlib as { crc32?: (data: Buffer) => number }).crc32;

/** The folder earlier versions kept Node's own compile cache in, beside this one: removed. */
const LEGACY_FOLDER = 'node-compile-cache';

/** Where the CLI keeps its compile cache, or undefined when it keeps none (the module comment). */
export function compileCacheFolder(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  // The flag as cli-args.ts reads it, which takes `--no-cache=...` as `--no-cache`.
  if (argv.some((arg) => arg === '--no-cache' || arg.startsWith('--no-cache='))) return undefined;
  return join(cliCacheFolder(env), 'compile-cache');
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
 * may go; it is written again by its next run). Only what the cache writes there is looked at:
 * folders, and files in them; a link is neither followed nor removed. A few calls when within the
 * bounds.
 */
export function pruneCompileCache(
  folder: string,
  bounds: { versions: number; entries: number } = COMPILE_CACHE_BOUNDS,
): void {
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
 * The compile cache's folder for this process's Node, made private to the user, within its
 * bounds; undefined when the cache stays off (off by a switch, or no private folder can be had).
 * Never throws: a cache that cannot be kept costs only the compiling it would have saved.
 */
export async function openCompileCache(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  uid: number | undefined = process.getuid?.(),
): Promise<string | undefined> {
  const folder = compileCacheFolder(argv, env);
  if (folder === undefined || crc32 === undefined) return undefined;
  try {
    let info = statSync(folder, { throwIfNoEntry: false });
    if (info === undefined) {
      // Node's own recursive mkdir can spin for good under /proc (make-directories.ts): the
      // folder is made here, one level at a time.
      await makeDirectories(dirname(folder));
      await makePrivateFolder(folder);
      info = statSync(folder);
      rmSync(join(dirname(folder), LEGACY_FOLDER), { recursive: true, force: true });
    }
    if (!isPrivateFolder(info, uid)) return undefined;
    try {
      pruneCompileCache(folder);
    } catch {
      // Kept within its bounds on a later run; the cache still works meanwhile.
    }
    const version = join(folder, versionFolderName());
    await makePrivateFolder(version);
    return isPrivateFolder(statSync(version), uid) ? version : undefined;
  } catch {
    return undefined;
  }
}

async function makePrivateFolder(path: string): Promise<void> {
  await mkdir(path, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
}

/**
 * The folder of the code this Node makes and takes: its version and architecture. Not V8's own
 * tag of its version and flags (`v8.cachedDataVersionTag()`): loading node:v8 for it cost the
 * start 1.7 ms, and V8 refuses code made under other flags anyway (the entry is then written again).
 */
function versionFolderName(): string {
  return `${process.version}-${process.arch}`;
}

/** The entry of a bundle's text in a version's folder: named by the text's checksum. */
export function entryPath(versionFolder: string, bundle: Buffer): string {
  return join(versionFolder, `${crc32!(bundle).toString(16).padStart(8, '0')}.v8`);
}

/**
 * An entry's layout: 8 bytes of {@link MAGIC}, a byte of flags ({@link AFTER_A_PLAN}), three
 * spare, the checksum of V8's data and its length (both 32 bits, little end first), then V8's data.
 */
const MAGIC = Buffer.from('HRIUv8c1');
const HEADER_BYTES = 20;
/** The entry was written after a run that planned, so it holds what a plan compiles. */
const AFTER_A_PLAN = 1;

/** A compile cache entry as read: V8's data, and whether a run that planned wrote it. */
export interface CompileCacheEntry {
  data: Buffer;
  afterAPlan: boolean;
}

/** Reads an entry; undefined when there is none or it is not whole (a write cut short, a bad disk). */
export function readEntry(
  path: string,
  maxBytes = COMPILE_CACHE_BOUNDS.entryBytes,
): CompileCacheEntry | undefined {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info?.isFile() || info.size > maxBytes || info.size < HEADER_BYTES) return undefined;
    const bytes = readFileSync(path);
    if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const data = bytes.subarray(HEADER_BYTES);
    if (bytes.readUInt32LE(16) !== data.length || bytes.readUInt32LE(12) !== crc32!(data)) return undefined;
    return { data, afterAPlan: (bytes[8]! & AFTER_A_PLAN) !== 0 };
  } catch {
    return undefined;
  }
}

/**
 * Writes an entry whole or not at all: into a file of the process's own, then renamed over the
 * entry, so a run that reads it meanwhile finds the old entry or the new one. Never throws.
 */
export function writeEntry(path: string, data: Buffer, afterAPlan: boolean): void {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header);
  header[8] = afterAPlan ? AFTER_A_PLAN : 0;
  header.writeUInt32LE(crc32!(data), 12);
  header.writeUInt32LE(data.length, 16);
  const partial = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([header, data]), { mode: 0o600, flag: 'wx' });
    renameSync(partial, path);
  } catch {
    rmSync(partial, { force: true });
  }
}

/**
 * Whether a run writes its entry: when there was none, when V8 refused it, or when a run that did
 * not plan (`--version`, `--help`, `explain`) wrote it and this one planned, compiling the rest.
 */
export function shouldWriteEntry(
  entry: CompileCacheEntry | undefined,
  refused: boolean,
  planned: boolean,
): boolean {
  return entry === undefined || refused || (planned && !entry.afterAPlan);
}

/** What the CLI's bundle resolves to, once its top level (the whole run) is done. */
export interface CliBundleExports {
  /** Whether the run planned (cli.ts), so compiled what a plan calls. */
  ranAPlan(): boolean;
}

/** The bundle as scripts/function-script.mjs makes it: a function of `createRequire` and its URL. */
type CliBundleFunction = (require: typeof createRequire, url: string) => Promise<CliBundleExports>;

/**
 * Runs the CLI's bundle at `bundlePath` (the whole run), compiled with the entry of the compile
 * cache when there is one, and writes the entry afterwards when {@link shouldWriteEntry} says so.
 */
export async function runCliBundle(
  bundlePath: string,
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const bundle = readFileSync(bundlePath);
  const folder = await openCompileCache(argv, env);
  const path = folder === undefined ? undefined : entryPath(folder, bundle);
  const entry = path === undefined ? undefined : readEntry(path);
  const url = pathToFileURL(bundlePath).href;
  const script = new Script(bundle.toString('utf8'), {
    filename: url,
    ...(entry ? { cachedData: entry.data } : {}),
    // The bundle imports nothing itself (scripts/function-script.mjs); Node's loader if it ever does.
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const refused = entry !== undefined && script.cachedDataRejected === true;
  const run = script.runInThisContext() as CliBundleFunction;
  const exported = await run(createRequire, url);
  const planned = exported.ranAPlan();
  if (path !== undefined && shouldWriteEntry(entry, refused, planned))
    writeEntry(path, script.createCachedData(), planned);
}
