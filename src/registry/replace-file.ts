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
 * killed process, not a power cut, and a sync a file would cost a run over many files seconds.
 *
 * A process stopped by a signal while a new file is written (Ctrl-C, the Actions **Cancel**
 * button's SIGINT then SIGTERM, a closed terminal's SIGHUP) removes it first, then ends of the
 * signal as it would have; before, a `.app.yaml.<random>.tmp` as large as the file was left in the
 * checkout. SIGKILL still leaves it: nothing runs then.
 */
import { randomBytes } from 'node:crypto';
import { constants, unlinkSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
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
  removeOnSignal(temp);
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
    keepOnSignal(temp);
  }
}

/** The signals that end a process by default and can be caught. */
const STOPPING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The new files being written now, removed when a stopping signal comes. */
const writing = new Set<string>();

/** Listens for the stopping signals while `temp` is written (only then, so it changes nothing else). */
function removeOnSignal(temp: string): void {
  if (writing.size === 0) for (const signal of STOPPING_SIGNALS) process.on(signal, stopped);
  writing.add(temp);
}

/** `temp` is renamed or removed: no longer ours to remove. */
function keepOnSignal(temp: string): void {
  writing.delete(temp);
  if (writing.size === 0) for (const signal of STOPPING_SIGNALS) process.removeListener(signal, stopped);
}

/**
 * Removes the new files being written, then raises the signal again with this listener gone, so
 * the process ends of it as it would have without one (a listener of its own keeps it running);
 * unless another listener of that signal is left, which would not have let it end either.
 */
function stopped(signal: NodeJS.Signals): void {
  for (const temp of writing) {
    try {
      unlinkSync(temp);
    } catch {
      // Not created yet, or renamed meanwhile: nothing of ours is left at that name.
    }
  }
  for (const temp of [...writing]) keepOnSignal(temp);
  // Another listener (the Action's cancellation, action-cancel.ts) decides how the process ends:
  // raising the signal again would be its second signal, which ends the run before its report.
  if (process.listenerCount(signal) > 0) return;
  try {
    process.kill(process.pid, signal);
  } catch {
    // Windows sends itself no SIGHUP: the exit status a shell gives a process ended by it.
    process.exit(128 + (osConstants.signals[signal] ?? 0));
  }
}
