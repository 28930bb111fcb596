/**
 * Applies planned tag updates to a file's text and proves the result: the edited text is scanned
 * again and every container must read back exactly as planned (updated ones with their new tag,
 * all others unchanged). Flux v1 read with Go and wrote with Python and failed when they disagreed
 * (issues #1454, #3206); here one model reads and writes, and an edit that does not verify is refused.
 *
 * All of a file's updates are spliced in one pass and verified with one parse of the documents they
 * changed (issue 12: re-applying and re-parsing the file per update took 441 s for 543 updates in one
 * file). Only when that one check fails are the culprits looked for, by halving, so a bad update
 * costs a few parses, not one per update. Finding each target and checking that the plan still
 * holds for the text is `locate-target.ts`'s.
 */
import { scanFile } from '../helmrelease/scan-file.js';
import { releaseId, type FileScan, type HelmRelease } from '../helmrelease/types.js';
import { documentsAt, type DocumentChunk } from '../helmrelease/parse-documents.js';
import { applySplices } from './splice-tag.js';
import {
  containerKey,
  indexScan,
  locate,
  withTag,
  type EditPolicy,
  type Located,
  type TagSplice,
  type UpdateTarget,
} from './locate-target.js';
import { readersByScalar, sharedTextRefusal, splicesOf } from './shared-text.js';

export type { EditPolicy, UpdateTarget } from './locate-target.js';

/**
 * The edited text, or a sentence saying why the edit was refused; `releaseAbsent` when a target's
 * HelmRelease is not in the file at all (it may have moved to another file).
 */
export type ApplyResult = { ok: true; text: string } | { ok: false; reason: string; releaseAbsent?: true };

/**
 * What became of one target of {@link editFile}: applied, or refused with a sentence. `conflict`
 * marks a target that is fine alone but writes text another container reads too, which is not
 * updated to the same tag with it (an alias and a detected image on one scalar whose filters chose
 * differently): a configuration mistake, where any other refusal means the edit itself could not
 * be made.
 */
export type TargetOutcome = { ok: true } | { ok: false; reason: string; conflict: boolean };

/** A file's text with every applicable target applied (and verified), and each target's outcome. */
export interface FileEditResult {
  text: string;
  /** One per target, in the targets' order. */
  outcomes: TargetOutcome[];
}

/**
 * The documents of the edited text that hold a splice, for re-reading only those: a splice rewrites
 * part of one scalar on one line and never writes a line break, so it can neither make nor remove a
 * `---` line, and every other document of the file reads as it did.
 */
function editedDocuments(splices: readonly TagSplice[]): (chunk: DocumentChunk) => boolean {
  // Where each splice lands in the edited text, in order.
  const ordered = [...splices].sort((a, b) => a.start - b.start);
  const at: number[] = [];
  let shift = 0;
  for (const s of ordered) {
    at.push(s.start + shift);
    shift += s.text.length - (s.end - s.start);
  }
  return documentsAt(at);
}

/**
 * Splices the located targets into `text` and re-reads the documents they changed with one parse:
 * every target must now read its new tag, every other container of those documents must read as
 * before (one that shares a target's text, refused by shared-text.ts, would read the new tag).
 */
function spliceAndVerify(
  file: string,
  text: string,
  before: FileScan,
  located: readonly Located[],
  reread: typeof scanFile,
): ApplyResult {
  const splices = splicesOfAll(located);
  if (splices.length === 0) return { ok: true, text };
  const targets = new Set(located.map((l) => l.key));
  const after = applySplices(text, splices);
  if (after === undefined)
    return { ok: false, reason: 'two updates overlap in the text; the edit was refused' };
  const documents = new Set(splices.map((s) => s.document));
  const inEditedDocument = (release: HelmRelease) => documents.has(Math.floor(release.documentIndex));
  const byScalar = new Map<number, TagSplice>();
  for (const s of splices) byScalar.set(s.scalarStart, s);
  const expected = new Map<string, string>();
  /** The `digest:` key each container must read afterwards (absent: none). */
  const expectedDigest = new Map<string, string>();
  for (const release of before.releases) {
    if (!inEditedDocument(release)) continue;
    for (const c of release.containers) {
      const key = containerKey(release, c.container);
      // Only a target's own splices change what it reads; any other container reads as before.
      const target = targets.has(key);
      const touched = target && c.tag.scalar && byScalar.get(c.tag.scalar.range.start);
      expected.set(key, touched ? withTag(c, touched.tag) : c.reference.text);
      if (c.digestKey) {
        const digest = target && byScalar.get(c.digestKey.range.start);
        expectedDigest.set(key, digest ? digest.tag : c.digestKey.value);
      }
    }
  }
  let seen = 0;
  const options = { detection: before.detection };
  for (const release of reread(file, after, editedDocuments(splices), options).releases) {
    // A file that cannot be read by documents (directives, `...`) is re-read whole.
    if (!inEditedDocument(release)) continue;
    for (const c of release.containers) {
      seen += 1;
      const want = expected.get(containerKey(release, c.container));
      const wantDigest = expectedDigest.get(containerKey(release, c.container));
      if (wantDigest !== c.digestKey?.value) {
        return {
          ok: false,
          reason: `the edited file would read the digest of ${c.container} of ${releaseId(release)} as ${c.digestKey?.value ?? 'none'}, not ${wantDigest ?? 'none'}; the edit was refused`,
        };
      }
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

/** The containers of located targets, for a message: the first few, then how many more. */
function namesOf(located: readonly Located[]): string {
  const names = located.slice(0, 3).map((l) => l.occurrence.container);
  if (located.length > 3) names.push(`${located.length - 3} more`);
  return names.join(', ');
}

/** Located targets by container, the first of each (a later one for the same container is compared with it). */
function firstByKey(found: readonly Located[]): Map<string, Located> {
  const byKey = new Map<string, Located>();
  for (const located of found) if (!byKey.has(located.key)) byKey.set(located.key, located);
  return byKey;
}

/** The splices of located targets, one per start (two containers on one text write it once). */
function splicesOfAll(located: readonly Located[]): TagSplice[] {
  const byStart = new Map<number, TagSplice>();
  for (const splice of located.flatMap(splicesOf))
    if (!byStart.has(splice.start)) byStart.set(splice.start, splice);
  return [...byStart.values()];
}

/**
 * Applies every target of one file that can be applied, in order, and says what became of each.
 * A target is refused when it cannot be found or spliced, when it writes text another container
 * reads that is not a target writing the same (shared-text.ts), or when the edit would not read
 * back as planned; the others still go ahead,
 * and the returned text (all of them applied) was verified by re-reading it.
 */
export function editFile(
  file: string,
  text: string,
  targets: readonly UpdateTarget[],
  /** `scanFile(file, text)`, when the caller has it already. */
  scanned?: FileScan,
  /** Reads an edited text back (the scanner; tests count its calls). */
  reread: typeof scanFile = scanFile,
): FileEditResult {
  const before = scanned ?? scanFile(file, text, undefined, { detection: targets[0]?.detection });
  const index = indexScan(before);
  const outcomes: TargetOutcome[] = targets.map(() => ({ ok: true }));
  const found: Located[] = [];
  targets.forEach((target, position) => {
    const result = locate(file, text, index, target, position);
    if (result.ok) found.push(result.located);
    else outcomes[position] = { ok: false, reason: result.reason, conflict: false };
  });
  // A text several containers read is written only when all of them are targets writing the same.
  const byKey = firstByKey(found);
  const readers = readersByScalar(before);
  const candidates: Located[] = [];
  for (const located of found) {
    const refusal = sharedTextRefusal(located, readers, byKey);
    if (refusal === undefined) candidates.push(located);
    else outcomes[located.index] = { ok: false, reason: refusal, conflict: true };
  }

  // The common case: everything verifies at once.
  let accepted: Located[] = [];
  let rest = candidates;
  let edited = text;
  const attempt = (located: readonly Located[]) => spliceAndVerify(file, text, before, located, reread);
  while (rest.length > 0) {
    const all = attempt([...accepted, ...rest]);
    if (all.ok) {
      edited = all.text;
      break;
    }
    // The first target whose addition breaks the verification, by halving: every prefix up to
    // `high` fails (with `failure`), and the one up to `low - 1` verified (with `passed`).
    let low = 0;
    let high = rest.length - 1;
    let failure = all.reason;
    let passed: string | undefined;
    while (low < high) {
      const middle = (low + high) >> 1;
      const prefix = attempt([...accepted, ...rest.slice(0, middle + 1)]);
      if (prefix.ok) {
        low = middle + 1;
        passed = prefix.text;
      } else {
        high = middle;
        failure = prefix.reason;
      }
    }
    if (low > 0) {
      accepted = [...accepted, ...rest.slice(0, low)];
      edited = passed!;
    }
    const culprit = rest[low];
    // With nothing accepted before it, the failing prefix was the culprit alone.
    const alone: ApplyResult = accepted.length === 0 ? { ok: false, reason: failure } : attempt([culprit]);
    outcomes[culprit.index] = alone.ok
      ? {
          ok: false,
          reason: `it conflicts with ${namesOf(accepted)} on the same text (${failure})`,
          conflict: true,
        }
      : { ok: false, reason: alone.reason, conflict: false };
    rest = rest.slice(low + 1);
  }
  return { text: edited, outcomes };
}

/** How many scans {@link applyUpdates} keeps (each holds at most one file's text and releases). */
const RECENT_SCANS = 4;
// Stryker disable next-line ArrayDeclaration: a cache: without it each call scans the same text again, to the same scan
const recentScans: { file: string; text: string; scan: FileScan }[] = [];

/**
 * The scan of a text, reusing a recent one: the pull request writer applies each bump to the same
 * base text, and a file of thousands of releases need not be parsed again for every pull request.
 */
function scanRecent(file: string, text: string, detection: UpdateTarget['detection']): FileScan {
  const hit = recentScans.find(
    // Stryker disable next-line ArrowFunction,ConditionalExpression: a lookup that misses scans the text again, to the same scan
    (r) =>
      r.text === text &&
      r.scan.detection === detection &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: nothing here reads the file name a scan holds, so another file's scan of the same text reads the same
      r.file === file,
  );
  // Stryker disable next-line ConditionalExpression: a cache: without it each call scans the same text again, to the same scan
  if (hit) return hit.scan;
  const scan = scanFile(file, text, undefined, { detection });
  // Stryker disable next-line ObjectLiteral: a cache: without it each call scans the same text again, to the same scan
  recentScans.unshift({ file, text, scan });
  recentScans.length = Math.min(recentScans.length, RECENT_SCANS);
  return scan;
}

/**
 * Applies `targets` to `text` (the content of `file`, which may differ from the text the plan was
 * made from, e.g. the base branch's) and verifies the outcome: all of them, or none with the reason
 * of the first refusal.
 */
export function applyUpdates(
  file: string,
  text: string,
  targets: readonly UpdateTarget[],
  /** `scanFile(file, text)`, when the caller has it already. */
  scanned?: FileScan,
  /** What the run requires of a release beyond its annotations (the writer passes its input). */
  policy?: EditPolicy,
): ApplyResult {
  const before = scanned ?? scanRecent(file, text, targets[0]?.detection);
  const index = indexScan(before);
  const found: Located[] = [];
  for (const [position, target] of targets.entries()) {
    const result = locate(file, text, index, target, position, policy);
    if (!result.ok) return result;
    found.push(result.located);
  }
  const byKey = firstByKey(found);
  const readers = readersByScalar(before);
  for (const located of found) {
    const refusal = sharedTextRefusal(located, readers, byKey);
    if (refusal !== undefined) return { ok: false, reason: refusal };
  }
  return spliceAndVerify(file, text, before, found, scanFile);
}
