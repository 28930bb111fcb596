/**
 * Checkouts written into temporary folders for the tests that run the CLI's commands over real
 * files, removed together when the suite ends.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes checkouts for one suite, and removes them all. */
export interface TemporaryCheckouts {
  /** A fresh folder with these files (and a `.git` folder unless `git` is false); returns its path. */
  write(files: Record<string, string>, git?: boolean): Promise<string>;
  /** Removes every folder written (for `afterAll`). */
  removeAll(): Promise<void>;
}

/** Temporary checkouts whose folders' names start with `prefix`. */
export function temporaryCheckouts(prefix: string): TemporaryCheckouts {
  const roots: string[] = [];
  return {
    async write(files, git = true) {
      const root = await mkdtemp(join(tmpdir(), prefix));
      roots.push(root);
      if (git) await mkdir(join(root, '.git'));
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
      return root;
    },
    async removeAll() {
      await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
    },
  };
}
