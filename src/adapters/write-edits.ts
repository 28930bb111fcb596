/**
 * The CLI's `--write`: each edited file written back in turn. A file that cannot be written
 * (read-only, a full disk, gone) is an error at that file, and the others are still written: one
 * such file must not lose the rest of the run's edits, nor its report (it did: the first failure
 * ended the CLI with a stack trace before anything was printed).
 */
import { error, type Problem } from '../problems.js';
import type { FileEdit } from '../plan/types.js';
import { FileNotWrittenError } from './write-workspace-file.js';

/** How many files were written, and a problem for each that could not be. */
export interface WrittenEdits {
  files: number;
  problems: Problem[];
}

/** Writes every edit with `write`, in order. */
export async function writeEdits(
  edits: readonly FileEdit[],
  write: (edit: FileEdit) => Promise<void>,
): Promise<WrittenEdits> {
  const written: WrittenEdits = { files: 0, problems: [] };
  for (const edit of edits) {
    try {
      await write(edit);
      written.files += 1;
    } catch (e) {
      const lost = edit.updates.length === 1 ? 'its update was' : `its ${edit.updates.length} updates were`;
      written.problems.push(
        error(
          edit.file,
          edit.updates[0]?.line ?? 0,
          `the file could not be written (${(e as Error).message}), so ${lost} not applied; ${
            e instanceof FileNotWrittenError ? e.advice : 'make it writable and run again'
          }`,
        ),
      );
    }
  }
  return written;
}
