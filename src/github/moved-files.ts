/**
 * HelmRelease files moved on the base branch (renamed, or a release moved into another file). A
 * pull request's branch name hashes its file's path, so after a move the same bump gets another
 * branch: without this, the old pull request stayed open beside a new one (and could no longer
 * merge), and a tag a person had refused under the old path was proposed again under the new one.
 *
 * A marker's update is taken to have moved only when the base no longer holds its release in its
 * file (the file is gone, or the release is not in it) and exactly one file of the run's updates
 * has that release, container and image repository and is not the file of another open pull
 * request of ours (two clusters' copies of one release stay apart). Anything less certain is not a
 * move: the old pull request then stays open with the warning that it no longer applies.
 */
import type { MarkerUpdate, PullRequestMarker } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import type { OpenPull } from './pull-request-facts.js';

/** Where containers of our open pull requests moved: {@link movedKey} of the old place → new file. */
export type MovedFiles = ReadonlyMap<string, string>;

/** A container's place before a move: its file, release and container. */
export function movedKey(m: { file: string; release: string; container: string }): string {
  return JSON.stringify([m.file, m.release, m.container]);
}

/** The file a marker's update is in on the base now: the one it moved to, or its own. */
export function fileNow(m: MarkerUpdate, moved?: MovedFiles): string {
  return moved?.get(movedKey(m)) ?? m.file;
}

/** True when a marker's update and a planned update are one container (its file moved or not). */
export function sameContainer(m: MarkerUpdate, u: Update, moved?: MovedFiles): boolean {
  return fileNow(m, moved) === u.file && m.release === u.release && m.container === u.container;
}

/** The files a pull request's containers moved from and to, `from → to` each once. */
export function movesOf(marker: PullRequestMarker, moved?: MovedFiles): { from: string; to: string }[] {
  const moves = new Map<string, { from: string; to: string }>();
  for (const m of marker.updates) {
    const to = fileNow(m, moved);
    if (to !== m.file) moves.set(`${m.file}\0${to}`, { from: m.file, to });
  }
  return [...moves.values()];
}

/** True when `u` is the marker's container, from the same image repository, in another file. */
function inAnotherFile(m: MarkerUpdate, u: Update): boolean {
  return (
    u.file !== m.file &&
    u.release === m.release &&
    u.container === m.container &&
    u.repository === m.repository
  );
}

/**
 * The moves of `pulls`' containers: each marker update that `gone` says the base no longer holds
 * in its file, with the one file of `updates` that holds the same container now (see the module
 * comment for when a file counts as that one).
 */
export function findMoves(
  pulls: readonly OpenPull[],
  open: Iterable<OpenPull>,
  updates: readonly Update[],
  gone: (m: MarkerUpdate) => boolean,
): Map<string, string> {
  const openPulls = [...open];
  const moved = new Map<string, string>();
  for (const pull of pulls) {
    for (const m of pull.marker.updates) {
      if (!gone(m)) continue;
      // Files another open pull request of ours proposes this container in are that one's.
      const claimed = new Set(
        openPulls
          .filter((other) => other.number !== pull.number)
          .flatMap((other) => other.marker.updates)
          .filter((o) => o.release === m.release && o.container === m.container)
          .map((o) => o.file),
      );
      const files = new Set(
        updates.filter((u) => inAnotherFile(m, u) && !claimed.has(u.file)).map((u) => u.file),
      );
      if (files.size === 1) moved.set(movedKey(m), [...files][0]);
    }
  }
  return moved;
}

/**
 * The marker's updates that match `updates` only if their files moved: same release, container,
 * image repository and new tag, another file. Each is the update's target only if the base no
 * longer holds its release in its file (a closed pull request from before the file moved).
 */
export function moveCandidates(marker: PullRequestMarker, updates: readonly Update[]): MarkerUpdate[] {
  return marker.updates.filter((m) => updates.some((u) => inAnotherFile(m, u) && u.to === m.to));
}
