/**
 * Text that several containers read: an alias annotation on the paths of a detected image (R4.5),
 * or an alias whose tag is another image's `digest:` key. An edit of such a scalar changes what
 * every one of them reads, so it is made only when every reader is a target writing the same bytes
 * there; otherwise it would move a container its own filter (or lock, or decision) kept in place.
 * Pure.
 */
import { releaseId, scalarStartsOf, type FileScan, type ImageOccurrence } from '../helmrelease/types.js';
import { containerKey, type Located, type TagSplice } from './locate-target.js';

/** A container that reads a scalar, as its tag or as its `digest:` key. */
export interface Reader {
  key: string;
  occurrence: ImageOccurrence;
  /** `namespace/name` of its release. */
  release: string;
}

/** The containers of a scan by the start of each scalar they read (their tag, their digest key). */
export function readersByScalar(scan: FileScan): Map<number, Reader[]> {
  const readers = new Map<number, Reader[]>();
  const add = (start: number, reader: Reader) => {
    const list = readers.get(start);
    if (list) list.push(reader);
    else readers.set(start, [reader]);
  };
  for (const release of scan.releases) {
    for (const occurrence of release.containers) {
      const reader = {
        key: containerKey(release, occurrence.container),
        occurrence,
        release: releaseId(release),
      };
      for (const start of scalarStartsOf(occurrence)) add(start, reader);
    }
  }
  return readers;
}

/** The splices a located target makes (its tag's, and its `digest:` key's). */
export function splicesOf(located: Located): TagSplice[] {
  return [located.splice, located.digestSplice].filter((s) => s !== undefined);
}

/** The line of the scalar at `start` that an occurrence reads (its tag, else its digest key). */
function lineOf(occurrence: ImageOccurrence, start: number): number {
  const { scalar } = occurrence.tag;
  return scalar?.range.start === start
    ? scalar.range.line
    : (occurrence.digestKey?.range.line ?? occurrence.line);
}

/** Whether two splices write the same bytes over the same text. */
function sameEdit(a: TagSplice, b: TagSplice): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

/**
 * Why a located target may not write its text, or undefined when it may: every other container
 * reading a scalar it rewrites must be a target too, rewriting that scalar to the same bytes.
 * `targets` holds every located target of the same edit by {@link containerKey}.
 */
export function sharedTextRefusal(
  located: Located,
  readers: ReadonlyMap<number, readonly Reader[]>,
  targets: ReadonlyMap<string, Located>,
): string | undefined {
  for (const splice of splicesOf(located)) {
    for (const reader of readers.get(splice.scalarStart) ?? []) {
      const other = targets.get(reader.key);
      // Itself (a second target for one container is compared with the first).
      if (other === located) continue;
      const same = other && splicesOf(other).find((s) => s.scalarStart === splice.scalarStart);
      if (same && sameEdit(same, splice)) continue;
      const line = lineOf(located.occurrence, splice.scalarStart);
      const what = same
        ? `which is updated to ${same.tag} there`
        : `which is not updated to ${splice.tag} with it`;
      return (
        `it conflicts with ${reader.occurrence.container} on the same text: the text at line ${line} is also ` +
        `read by ${reader.occurrence.container} of ${reader.release}, ${what}`
      );
    }
  }
  return undefined;
}
