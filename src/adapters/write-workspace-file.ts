/**
 * The CLI's `--write` of one edited file: the file ends up holding either the text the run read or
 * the edited text, never part of either. `writeFile` truncated the file before writing, so a write
 * that failed part way (a full disk, a file size limit, the process killed) left the release cut
 * short, while the run said its update "was not applied".
 *
 * - The edited text is written in one step (`replace-file.ts`: a new file beside it, renamed over
 *   it), and the new file takes the file's permission bits (and, for root, its owner).
 * - The file is left alone, and the write is a {@link FileNotWrittenError} saying why, when it is
 *   no longer a regular file, or no longer holds the text the run read (edited meanwhile: the plan
 *   was made from the old text). A file the user may not write is refused as before: renaming needs
 *   only the folder's permission, and a read-only file in a writable folder stays read-only.
 * - Written in place, as before, where a new file would change more than the text: a file with
 *   other hard links (they would keep the old text), one owned by another user that the run may
 *   write but cannot give back, or one in a folder the run may not create files in.
 */
import { constants } from 'node:fs';
import { access, lstat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileKind, readRegularFile } from '../registry/regular-file.js';
import { replaceFile } from '../registry/replace-file.js';

/** A file `--write` left as it was, with why and what to do. */
export class FileNotWrittenError extends Error {
  /**
   * @param reason completes "the file could not be written (...)"
   * @param advice what to do about it, a clause ("run again ...")
   */
  constructor(
    reason: string,
    readonly advice: string,
  ) {
    super(reason);
    this.name = 'FileNotWrittenError';
  }
}

/** Errors of creating the new file that mean the folder takes no new file: written in place. */
const FOLDER_REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Writes `after` over the workspace file at `path`, which held `before` when the run read it. */
export async function writeWorkspaceFile(
  root: string,
  path: string,
  before: string,
  after: string,
): Promise<void> {
  const target = join(root, ...path.split('/'));
  const info = await lstat(target);
  if (!info.isFile()) {
    throw new FileNotWrittenError(
      `it is ${fileKind(info)} now, not the file the run read`,
      'run again, to plan from what is there now',
    );
  }
  // The file's own permission says whether it may change, as it did for a write in place.
  await access(target, constants.W_OK);
  // Read no further than the text the run read could reach: a file that grew is told apart too.
  const now = await readRegularFile(target, Buffer.byteLength(before));
  if (!now.ok || now.text !== before) {
    throw new FileNotWrittenError(
      'it changed after the run read it',
      'run again, to plan from what it holds now',
    );
  }
  const uid = process.getuid?.();
  const ownerKept = uid === undefined || uid === 0 || info.uid === uid;
  if (info.nlink > 1 || !ownerKept) {
    await writeFile(target, after, 'utf8');
    return;
  }
  try {
    await replaceFile(target, after, 0o600, async (file) => {
      // The owner first: changing it clears the set-user-ID and set-group-ID bits.
      if (uid === 0) await file.chown(info.uid, info.gid);
      await file.chmod(info.mode & 0o7777);
    });
  } catch (e) {
    const { code, syscall } = e as NodeJS.ErrnoException;
    // The folder takes no new file (its own permission, a read-only mount): as before, in place.
    if (syscall !== 'open' || !FOLDER_REFUSED.has(code ?? '')) throw e;
    await writeFile(target, after, 'utf8');
  }
}
