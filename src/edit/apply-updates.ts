/**
 * Applies planned tag updates to a file's text and proves the result: the edited text is scanned
 * again and every container must read back exactly as planned (updated ones with their new tag,
 * all others unchanged). Flux v1 read with Go and wrote with Python and failed when they disagreed
 * (issues #1454, #3206); here one model reads and writes, and an edit that does not verify is refused.
 */
import { scanFile } from '../helmrelease/scan-file.js';
import { releaseId, type FileScan, type HelmRelease, type ImageOccurrence } from '../helmrelease/types.js';
import type { Update } from '../update.js';
import { applySplices, spliceForTag, type Splice } from './splice-tag.js';

/** The fields of an update that locate and change one container. */
export type UpdateTarget = Pick<Update, 'release' | 'documentIndex' | 'container' | 'repository' | 'to'> &
  Partial<Pick<Update, 'from'>>;

/** The edited text, or a sentence saying why the edit was refused. */
export type ApplyResult = { ok: true; text: string } | { ok: false; reason: string };

/** The reference text with its tag replaced. */
export function withTag(occurrence: ImageOccurrence, tag: string): string {
  const { reference } = occurrence;
  if (reference.tag === undefined) return `${reference.text}:${tag}`;
  return reference.text.slice(0, reference.text.length - reference.tag.length) + tag;
}

/** Finds the release an update names: by `namespace/name`, then by document index among equals. */
function findRelease(scan: FileScan, target: UpdateTarget): HelmRelease | undefined {
  const same = scan.releases.filter((r) => releaseId(r) === target.release);
  if (same.length <= 1) return same[0];
  return same.find((r) => r.documentIndex === target.documentIndex);
}

/** A stable key for a container within a file. */
function containerKey(release: HelmRelease, container: string): string {
  return `${release.documentIndex}\u0000${container}`;
}

/**
 * Applies `targets` to `text` (the content of `file`, which may differ from the text the plan was
 * made from, e.g. the base branch's) and verifies the outcome.
 */
export function applyUpdates(
  file: string,
  text: string,
  targets: readonly UpdateTarget[],
  /** `scanFile(file, text)`, when the caller has it already. */
  scanned?: FileScan,
): ApplyResult {
  const before = scanned ?? scanFile(file, text);
  // Keyed by start offset; each splice remembers the tag it writes.
  const splices = new Map<number, Splice & { tag: string }>();
  for (const target of targets) {
    const release = findRelease(before, target);
    if (!release) return { ok: false, reason: `HelmRelease ${target.release} is not in ${file}` };
    const occurrence = release.containers.find((c) => c.container === target.container);
    if (!occurrence)
      return { ok: false, reason: `container ${target.container} is not in HelmRelease ${target.release}` };
    if (occurrence.reference.repository !== target.repository) {
      return {
        ok: false,
        reason: `container ${target.container} of ${target.release} now uses ${occurrence.reference.repository}, not ${target.repository}`,
      };
    }
    if (occurrence.reference.tag === target.to) continue; // already there
    if (target.from !== undefined && occurrence.reference.tag !== target.from) {
      // The text moved on since the plan (e.g. the base branch has another tag now): the plan's
      // choice was made against `from` and may be a downgrade here, so it is not applied.
      return {
        ok: false,
        reason: `${target.release} ${target.container} now has tag ${occurrence.reference.tag ?? '(none)'}, not ${target.from}; the update to ${target.to} was planned from ${target.from}`,
      };
    }
    const made = spliceForTag(text, occurrence, target.to);
    if (!made.ok) return { ok: false, reason: `${target.release} ${target.container}: ${made.reason}` };
    const existing = splices.get(made.splice.start);
    if (existing && (existing.end !== made.splice.end || existing.text !== made.splice.text)) {
      return { ok: false, reason: `two updates disagree about the same text at line ${occurrence.line}` };
    }
    splices.set(made.splice.start, { ...made.splice, tag: target.to });
  }
  if (splices.size === 0) return { ok: true, text };
  const written = [...splices.values()];
  const after = applySplices(text, written);

  // Every container whose tag text was rewritten (an alias and a detected image may share it)
  // must now read the new tag; every other container must read as before.
  const expected = new Map<string, string>();
  for (const release of before.releases) {
    for (const c of release.containers) {
      const range = c.tag.scalar?.range;
      const touched = range && written.find((s) => s.start >= range.start && s.end <= range.end);
      expected.set(containerKey(release, c.container), touched ? withTag(c, touched.tag) : c.reference.text);
    }
  }
  const reread = scanFile(file, after);
  let seen = 0;
  for (const release of reread.releases) {
    for (const c of release.containers) {
      seen += 1;
      const want = expected.get(containerKey(release, c.container));
      if (want !== c.reference.text) {
        return {
          ok: false,
          reason: `the edited file would read ${c.container} of ${releaseId(release)} as ${c.reference.text}, not ${want ?? 'no such container'}; the edit was refused`,
        };
      }
    }
  }
  if (seen !== expected.size) {
    return {
      ok: false,
      reason: 'the edited file would no longer have the same containers; the edit was refused',
    };
  }
  return { ok: true, text: after };
}
