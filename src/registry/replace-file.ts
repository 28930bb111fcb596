/**
 * Writes a file in one step, so that it holds either what it held or the new text, never part of
 * either: the text goes to a new file beside it, created exclusively under a random dot-name
 * (`O_CREAT | O_EXCL | O_NOFOLLOW`: nothing planted at that name is followed or overwritten, and
 * another process cannot guess it), which is then renamed over the path (a link at the path is
 * replaced, not followed). A write that fails part way (a full disk, a file size limit) removes
 * the new file and leaves the path as it was. The digest cache file and the CLI's `--write` write
 * so.
 *
 * The new file is not synced to disk before the rename: this guards against a failed write and a
 * killed process (which may leave the new file behind), not a power cut, and a sync a file would
 * cost a run over many files seconds.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to `path` as the module comment says: the new file is created with `mode`, and
 * `prepare` may set more of it (its owner, its mode past the umask) before it is renamed. An error
 * creating the new file has `syscall` `open`, and nothing was created.
 */
export async function replaceFile(
  path: string,
  text: string,
  mode: number,
  prepare?: (file: FileHandle) => Promise<void>,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const file = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
    mode,
  );
  let renamed = false;
  try {
    try {
      await file.writeFile(text, 'utf8');
      await prepare?.(file);
    } finally {
      await file.close();
    }
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await unlink(temp).catch(() => undefined);
  }
}
