/**
 * Reads a small file that comes from outside (the digest cache, the Docker config) without trusting
 * what is at its path: only a regular file (a link to one is followed) is read, checked before it is
 * opened (a device is never opened) and again on the descriptor (it may have been swapped); the open
 * cannot block (`O_NONBLOCK`, so a FIFO swapped in does not hang the run) nor take a terminal
 * (`O_NOCTTY`); and no more than `maxBytes` is read, even from a file that grows meanwhile.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { byteCount, groupedCount } from '../byte-count.js';

/** What {@link readRegularFile} found. `reason` completes "The file <path> ..." */
export type RegularFileRead =
  { ok: true; text: string } | { ok: false; missing: true } | { ok: false; missing: false; reason: string };

/** What a file that is not regular is, for messages: `a directory`, `a FIFO`, ... */
export function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a link';
  return 'not a regular file';
}

/** Reads `path` as UTF-8 if it is a regular file of at most `maxBytes`. Never throws. */
export async function readRegularFile(path: string, maxBytes: number): Promise<RegularFileRead> {
  const refused = (reason: string): RegularFileRead => ({ ok: false, missing: false, reason });
  try {
    let info: Stats;
    try {
      info = await stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, missing: true };
      throw e;
    }
    if (!info.isFile()) return refused(`is ${fileKind(info)}, not a file`);
    if (info.size > maxBytes)
      return refused(`is ${byteCount(info.size)}, over the ${groupedCount(maxBytes)}-byte limit`);
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    try {
      const opened = await file.stat();
      if (!opened.isFile()) return refused(`is ${fileKind(opened)}, not a file`);
      // One byte past the limit: a file that grew since is refused, not read without end.
      const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
      }
      if (length > maxBytes) return refused(`is over the ${groupedCount(maxBytes)}-byte limit`);
      return { ok: true, text: buffer.toString('utf8', 0, length) };
    } finally {
      await file.close();
    }
  } catch (e) {
    return refused(`could not be read (${(e as Error).message})`);
  }
}
