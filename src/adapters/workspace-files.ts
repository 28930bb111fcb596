/**
 * WorkspacePort over node:fs. Lists regular files below the workspace without entering `.git` or
 * `node_modules`, never follows a link that leaves the workspace, and refuses files that are too
 * large, binary or not UTF-8.
 */
import { lstat, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { WorkspacePort } from '../ports.js';

/** Files larger than this are skipped with a problem (HelmRelease files are a few KiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/** True when `path` is `root` or inside it. */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/** A WorkspacePort rooted at `root`. */
export function createWorkspaceFiles(root: string, maxBytes = MAX_FILE_BYTES): WorkspacePort {
  let realRoot: Promise<string> | undefined;
  const rootReal = () => (realRoot ??= realpath(root));

  async function walk(dir: string, out: string[]): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, out);
      } else if (entry.isFile()) {
        out.push(relative(root, full).split(sep).join('/'));
      } else if (entry.isSymbolicLink()) {
        // A linked file is listed only when its target is a regular file inside the workspace;
        // linked directories are not entered (no loops, no escapes).
        try {
          const target = await realpath(full);
          if (isInside(await rootReal(), target) && (await stat(target)).isFile()) {
            out.push(relative(root, full).split(sep).join('/'));
          }
        } catch {
          // A dangling link: nothing to read.
        }
      }
    }
  }

  return {
    async listFiles() {
      const files: string[] = [];
      await walk(root, files);
      return files.sort();
    },
    async readFile(path) {
      const full = join(root, ...path.split('/'));
      try {
        const target = await realpath(full);
        if (!isInside(await rootReal(), target))
          return { ok: false, reason: 'it links outside the workspace' };
        const info = await lstat(target);
        if (!info.isFile()) return { ok: false, reason: 'it is not a regular file' };
        if (info.size > maxBytes) {
          return {
            ok: false,
            reason: `it is ${info.size} bytes, over the ${maxBytes}-byte limit for scanned files`,
          };
        }
        const bytes = await readFile(target);
        if (bytes.includes(0)) return { ok: false, reason: 'it is a binary file (it contains NUL bytes)' };
        try {
          return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
        } catch {
          return { ok: false, reason: 'it is not valid UTF-8' };
        }
      } catch (e) {
        return { ok: false, reason: (e as Error).message };
      }
    },
  };
}

/** Writes edited files back (CLI `--write`). Paths are workspace-relative. */
export async function writeWorkspaceFile(root: string, path: string, text: string): Promise<void> {
  await writeFile(join(root, ...path.split('/')), text, 'utf8');
}
