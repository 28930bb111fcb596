/**
 * `mkdir -p` without Node's recursive mkdir, which on Node 20 and 24 never settles (it spins at
 * 100% CPU) when `mkdir` answers ENOENT under a parent that exists, as anywhere under `/proc`
 * does: a `--cache-file` or `--stats-file` there hung the CLI for good.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Creates `directory` and its missing parents: walks up to the first folder that exists, then
 * creates each missing level with a plain `mkdir`, so every step ends (bounded by the path's
 * depth) and a failure is an error naming the level that could not be made.
 */
export async function makeDirectories(directory: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(directory); ; at = dirname(at)) {
    const info = await stat(at).catch((e: NodeJS.ErrnoException) => {
      // Missing, or under a file (found as "not a folder" further up).
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
      throw e;
    });
    if (info) {
      if (!info.isDirectory()) throw new Error(`${at} is not a folder`);
      break;
    }
    // The root is always there; this only guards the loop.
    if (dirname(at) === at) break;
    missing.push(at);
  }
  for (const level of missing.reverse()) {
    await mkdir(level).catch((e: NodeJS.ErrnoException) => {
      // Made meanwhile by another process: fine, as with mkdir -p.
      if (e.code === 'EEXIST') return;
      throw new Error(`the folder ${level} could not be created (${e.code ?? e.message})`);
    });
  }
}
