/**
 * The CLI's `--write` of one edited file: the file ends up holding either the text the run read or
 * the edited text, never part of either. `writeFile` truncated the file before writing, so a write
 * that failed part way (a full disk, a file size limit, the process killed) left the release cut
 * short, while the run said its update "was not applied".
 *
 * - The edited text goes to a new file beside it, created exclusively under a random dot-name
 *   (`O_EXCL | O_NOFOLLOW`: nothing planted at that name is followed or overwritten), which takes
 *   the file's permission bits (and, for root, its owner) and is then renamed over it. It is not
 *   synced to disk first: this guards against a failed write and a killed process, not a power cut,
 *   and a sync a file would cost a run over many files seconds.
 * - The file is left alone, and the write is a {@link FileNotWrittenError} saying why, when it is
 *   no longer a regular file, or no longer holds the text the run read (edited meanwhile: the plan
 *   was made from the old text). A file the user may not write is refused as before: renaming needs
 *   only the folder's permission, and a read-only file in a writable folder stays read-only.
 * - Written in place, as before, where a new file would change more than the text: a file with
 *   other hard links (they would keep the old text), one owned by another user that the run may
 *   write but cannot give back, or one in a folder the run may not create files in.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, open, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileKind } from '../registry/regular-file.js';

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
  if (!(await holds(target, before))) {
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
  // Dot-prefixed and random: another process cannot guess it, and a listing skips it.
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  let file: FileHandle;
  try {
    file = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o600,
    );
  } catch (e) {
    if (!FOLDER_REFUSED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await writeFile(target, after, 'utf8');
    return;
  }
  let renamed = false;
  try {
    try {
      await file.writeFile(after, 'utf8');
      // The owner first: changing it clears the set-user-ID and set-group-ID bits.
      if (uid === 0) await file.chown(info.uid, info.gid);
      await file.chmod(info.mode & 0o7777);
    } finally {
      await file.close();
    }
    await rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}

/** Whether the file at `path` holds exactly `text` (read no further than `text` could reach). */
async function holds(path: string, text: string): Promise<boolean> {
  const expected = Buffer.from(text, 'utf8');
  const file = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    // One byte more than expected: a file that grew is told apart without reading all of it.
    const buffer = Buffer.alloc(expected.length + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
    }
    return length === expected.length && buffer.subarray(0, length).equals(expected);
  } finally {
    await file.close();
  }
}
