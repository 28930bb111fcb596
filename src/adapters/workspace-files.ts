/**
 * WorkspacePort over node:fs. Lists regular files below the workspace without entering `.git` or
 * `node_modules`, lists a link to a file inside it under that file's own path, never follows a
 * link that leaves the workspace, keeps each link it meets with its target (for Kustomize's paths,
 * which follow links), and refuses files that are too large, binary or not UTF-8.
 *
 * Listing and reading use node:fs's synchronous calls behind the async port on purpose: the scan
 * does nothing else meanwhile, and each promise-based call is a libuv thread-pool round trip
 * (readFile alone is four: open, fstat, read, close). On the benchmark's 10,000 files the
 * promise-based reads took 1.6-1.9 s, the synchronous ones 55 ms (see `npm run bench`).
 *
 * Each read goes into one buffer the port reuses, without an fstat: the walk's directory entry
 * already says the file is regular (O_NOFOLLOW refuses one that became a link since, a directory
 * fails with EISDIR), and the size is only needed when the read overflows the limit. On the
 * benchmark's 10,000 files, fstat and a buffer per file cost 70 ms, reading into one 45 ms. The
 * price: the buffer (the size limit plus one byte) lives as long as the port, and a file over the
 * limit is read up to the limit before it is refused.
 *
 * A directory below the root that cannot be listed (no permission, a path longer than PATH_MAX,
 * removed meanwhile) is skipped with a warning in {@link WorkspaceFiles.problems}; the rest of the
 * workspace is still scanned. Only an unreadable root stops the listing.
 *
 * The whole workspace is bounded too, not only each file: the entries the listing walks and the
 * bytes read after it. Either met rejects with a {@link WorkspaceBoundError} that stops the run,
 * rather than skipping what is past it: the walk or the reads would stop at an arbitrary file, and
 * a kustomization past it could lock a release that would then be updated. The walk's depth needs
 * no bound of its own: a folder past PATH_MAX (4,096 bytes, so at most some 2,000 levels of
 * one-letter names) cannot be listed and is skipped as above.
 */
import {
  type Dirent,
  constants,
  closeSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import nodePath, { join, relative, sep, type PlatformPath } from 'node:path';
import { WorkspaceBoundError, type WorkspacePort } from '../ports.js';
import { byteCount, groupedCount } from '../byte-count.js';
import { warning, type Problem } from '../problems.js';

/** Files larger than this are skipped with a problem (HelmRelease files are a few KiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Entries (files, folders, links) the listing walks before the run stops: a hundred times the
 * benchmark's 10,000 files. An entry cost about 1.5 µs and 210 bytes of heap here (200,000 empty
 * files in 200 folders: 310 ms, 42 MB kept), so the bound costs about 2 s and 210 MB.
 */
export const MAX_LISTED_ENTRIES = 1_000_000;

/**
 * Bytes the reads after a listing may take together before the run stops: 1,024 files at the
 * per-file bound. A bound on the work, not on memory: a file that names no HelmRelease is dropped
 * once read (100 files of 4 MiB were read and dropped in 0.4 s here, the process at 160 MB), and
 * the text a run keeps has its own, smaller bound (`MAX_KEPT_BYTES`, scan/kept-text.ts).
 */
export const MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024;

/** Bounds on the whole workspace, lowered by tests (as `maxBytes` is) to meet them with a few files. */
export interface WorkspaceLimits {
  /** Entries the listing walks; {@link MAX_LISTED_ENTRIES} unless given. */
  maxEntries?: number;
  /** Bytes read from files after a listing, together; {@link MAX_TOTAL_BYTES} unless given. */
  maxTotalBytes?: number;
}

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/** A path for a message: whole unless it is absurdly long (one over PATH_MAX is 4 KiB). */
function shortened(path: string): string {
  return path.length <= 300 ? path : `${path.slice(0, 150)}…${path.slice(-100)}`;
}

/**
 * True when `path` is `root` or inside it. On Windows a path on another drive (`D:\x` from
 * `C:\ws`) has no relative form: path.relative returns it whole, which neither starts with `..`
 * nor with a separator, so it was taken for a path inside and listed as `D:/x`. `paths` is
 * node:path (path.win32 in tests).
 */
export function isInside(
  root: string,
  path: string,
  paths: Pick<PlatformPath, 'relative' | 'isAbsolute' | 'sep'> = nodePath,
): boolean {
  const rel = paths.relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${paths.sep}`) && !paths.isAbsolute(rel));
}

/**
 * git-crypt writes a locked (still encrypted) file as this 10-byte header and ciphertext; see
 * https://github.com/AGWA/git-crypt/blob/master/commands.cpp (`"\0GITCRYPT\0"`).
 */
const GIT_CRYPT_HEADER = Buffer.from('\0GITCRYPT\0', 'latin1');

/** True for a file git-crypt left encrypted (the repository was not unlocked). */
function isGitCryptLocked(bytes: Uint8Array): boolean {
  return (
    bytes.length >= GIT_CRYPT_HEADER.length &&
    GIT_CRYPT_HEADER.equals(bytes.subarray(0, GIT_CRYPT_HEADER.length))
  );
}

/**
 * The UTF-16 a file is written in, by its byte order mark (Windows PowerShell's `>` and
 * `Out-File` write UTF-16 LE with one), else undefined. yaml.v2, and so Flux v1, read such a file;
 * here it would be "binary" for its NUL bytes, a word that says neither what it is nor what to do.
 */
function utf16Encoding(bytes: Uint8Array): string | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 BE';
  return undefined;
}

/** The workspace port plus what its listing had to skip. */
export interface WorkspaceFiles extends WorkspacePort {
  /** Warnings for directories the last listing could not enter (the shells add them to the report). */
  readonly problems: Problem[];
}

/** The file-system calls of the walk that tests may replace (to fail one as root cannot). */
export interface WorkspaceFileSystem {
  readDirectory?: (path: string) => Dirent[];
}

/** A WorkspacePort rooted at `root`. */
export function createWorkspaceFiles(
  root: string,
  maxBytes = MAX_FILE_BYTES,
  fileSystem: WorkspaceFileSystem = {},
  limits: WorkspaceLimits = {},
): WorkspaceFiles {
  const maxEntries = limits.maxEntries ?? MAX_LISTED_ENTRIES;
  const maxTotalBytes = limits.maxTotalBytes ?? MAX_TOTAL_BYTES;
  const readDirectory =
    fileSystem.readDirectory ?? ((path: string) => readdirSync(path, { withFileTypes: true }));
  const problems: Problem[] = [];
  let realRoot: string | undefined;
  const rootReal = () => (realRoot ??= realpathSync.native(root));
  // Files the walk met as regular files (not through a link), with their full path: reading them
  // needs no realpath and no second path.join.
  const plainFiles = new Map<string, string>();
  // The links the last listing met: link path -> target path, null for a target outside the listing.
  const links = new Map<string, string | null>();
  // The folders the last listing could not enter: workspace path -> why.
  const unlisted = new Map<string, string>();
  // One byte over the limit, so a full buffer means "too large". Allocated on the first read.
  let buffer: Buffer | undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  // What the last listing walked and the reads since took, against the bounds.
  let entriesListed = 0;
  let bytesRead = 0;

  /**
   * Reads a file through one descriptor into the shared buffer: open, read to the end, close.
   * The bytes returned are only valid until the next call.
   */
  function readBytes(path: string, noFollow: boolean): Buffer | { tooLarge: number } | { notFile: true } {
    // O_NOFOLLOW: a file the walk saw as regular that became a link since is refused, not followed.
    // O_NONBLOCK: one that became a FIFO is opened at once, not waited on for a writer forever (the
    // read is synchronous: nothing could time it out); O_NOCTTY: a terminal is never taken.
    const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
    const fd = openSync(path, noFollow ? flags | constants.O_NOFOLLOW : flags);
    try {
      const bytes = (buffer ??= Buffer.allocUnsafe(maxBytes + 1));
      let read = 0;
      try {
        while (read < bytes.length) {
          const n = readSync(fd, bytes, read, bytes.length - read, read);
          if (n === 0) break;
          read += n;
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // EAGAIN: a FIFO with a writer and nothing written yet (ESPIPE: one read at an offset).
        if (code === 'EISDIR' || code === 'EAGAIN' || code === 'ESPIPE') return { notFile: true };
        throw e;
      }
      bytesRead += read;
      // Nothing read: an empty file, or a FIFO without a writer, which the stat tells apart.
      if (read === 0 && !fstatSync(fd).isFile()) return { notFile: true };
      if (read > maxBytes) {
        // Too much to read: only now is the size (for the message) or the file type worth a stat.
        const info = fstatSync(fd);
        return info.isFile() ? { tooLarge: info.size } : { notFile: true };
      }
      return bytes.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  /** True when something is at `path` (a name really holding U+FFFD is one). */
  function lstatExists(path: string): boolean {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  }

  function walk(dir: string, prefix: string, out: string[]): void {
    let entries: Dirent[];
    try {
      entries = readDirectory(dir);
    } catch (e) {
      if (prefix === '') throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENAMETOOLONG'
            ? 'its path is longer than the system allows (PATH_MAX)'
            : (e as Error).message;
      const path = prefix.slice(0, -1);
      unlisted.set(path, why);
      problems.push(
        warning(
          path,
          0,
          `The directory ${shortened(path)} was not scanned (${why}); files below it are not checked.`,
        ),
      );
      return;
    }
    for (const entry of entries) {
      if (++entriesListed > maxEntries) {
        throw new WorkspaceBoundError(
          `The workspace holds more than ${groupedCount(maxEntries)} files, folders and links, the most a run lists. ` +
            "Check out only the folders Flux builds from (actions/checkout's sparse-checkout; keep every " +
            'folder a kustomization names, so that its locks are read), or give the CLI a narrower --dir: ' +
            'paths and exclude do not narrow the listing, which looks for kustomizations everywhere.',
          'entries',
        );
      }
      // Below the root, `dir` is already normalised and an entry name holds no separator, so
      // concatenation gives what path.join would, at a fraction of its cost per entry.
      const full = prefix === '' ? join(dir, entry.name) : `${dir}${sep}${entry.name}`;
      // Names are read as UTF-8: one that is not comes back with U+FFFD in it and names no file
      // (every read of it said ENOENT). Said once, as what it is.
      if (entry.name.includes('\uFFFD') && !lstatExists(full)) {
        const shown = prefix + entry.name;
        problems.push(
          warning(
            shown,
            0,
            `${shortened(shown)} was not read: its name is not valid UTF-8 (shown with \uFFFD for the bytes that are not); rename it`,
          ),
        );
        continue;
      }
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full, `${prefix}${entry.name}/`, out);
      } else if (entry.isFile()) {
        // Built from the walk's own prefix: path.relative per file costs more than the readdir.
        const path = prefix + entry.name;
        plainFiles.set(path, full);
        out.push(path);
      } else if (entry.isSymbolicLink()) {
        // A linked file is listed under its target's own path, when that is a regular file inside
        // the workspace (not in a skipped directory): the release lives there, so that is the file
        // an edit must change. Listed under the link, the same release was read twice, proposed
        // twice, and the pull request of the link's path replaced the link with a copy of the file.
        // Linked directories are not entered (no loops, no escapes), but each link is kept with
        // its target: Kustomize follows links, so a kustomization naming one builds its target.
        try {
          const target = realpathSync.native(full);
          const parts = isInside(rootReal(), target) ? relative(rootReal(), target).split(sep) : undefined;
          const link = prefix + entry.name;
          if (parts === undefined || parts.some((part) => SKIPPED_DIRECTORIES.has(part))) {
            links.set(link, null);
          } else {
            const info = statSync(target);
            const path = parts.join('/');
            if (info.isFile()) out.push(path);
            if (info.isFile() || info.isDirectory()) links.set(link, path);
          }
        } catch {
          // A dangling link: nothing to read.
        }
      }
    }
  }

  return {
    problems,
    async listFiles() {
      const files: string[] = [];
      problems.length = 0;
      links.clear();
      unlisted.clear();
      entriesListed = 0;
      bytesRead = 0;
      walk(root, '', files);
      // A file and the links to it are one file.
      return [...new Set(files)].sort();
    },
    links: () => links,
    unlisted: () => unlisted,
    async readFile(path) {
      const plain = plainFiles.get(path);
      const full = plain ?? join(root, ...path.split('/'));
      try {
        let target = full;
        if (plain === undefined) {
          target = realpathSync.native(full);
          if (!isInside(rootReal(), target)) return { ok: false, reason: 'it links outside the workspace' };
          if (!lstatSync(target).isFile()) return { ok: false, reason: 'it is not a regular file' };
        }
        const bytes = readBytes(target, target === full);
        if (bytesRead > maxTotalBytes) {
          throw new WorkspaceBoundError(
            `The files read hold more than ${byteCount(maxTotalBytes)} together, the most a run reads ` +
              `(${shortened(path)} passed it). Narrow paths or add exclude patterns to leave out large YAML ` +
              'files that hold no HelmRelease (generated manifests, CRD bundles); kustomizations and the ' +
              'patch files they name are read wherever they are.',
            'bytes',
          );
        }
        if ('notFile' in bytes) return { ok: false, reason: 'it is not a regular file' };
        if ('tooLarge' in bytes) {
          return {
            ok: false,
            reason: `it is ${groupedCount(bytes.tooLarge)} bytes, over the ${groupedCount(maxBytes)}-byte limit for scanned files`,
          };
        }
        if (isGitCryptLocked(bytes)) {
          return {
            ok: false,
            reason:
              'it is encrypted with git-crypt (locked), so it is skipped; run `git-crypt unlock` before this step to have it read',
          };
        }
        const utf16 = utf16Encoding(bytes);
        if (utf16 !== undefined) {
          return {
            ok: false,
            reason: `it is encoded in ${utf16} (it starts with that byte order mark); save it as UTF-8 to have it read`,
          };
        }
        if (bytes.includes(0)) return { ok: false, reason: 'it is a binary file (it contains NUL bytes)' };
        try {
          return { ok: true, text: decoder.decode(bytes) };
        } catch {
          return { ok: false, reason: 'it is not valid UTF-8' };
        }
      } catch (e) {
        if (e instanceof WorkspaceBoundError) throw e;
        return { ok: false, reason: readFailure(e) };
      }
    },
  };
}

/**
 * Why a file could not be read, as its reader can act on it: the system's message names the
 * call and the runner's absolute path, and says nothing of what to do.
 */
export function readFailure(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return "permission denied: the step's user may not read it (check its mode and owner; a container step may have written it as root)";
    case 'ENOENT':
      return 'it was removed or renamed while the run read the workspace';
    case 'ELOOP':
      return 'it is a link that leads back to itself';
    case 'EISDIR':
      return 'it is not a regular file';
    default:
      return (e as Error).message;
  }
}
