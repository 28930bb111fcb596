/**
 * Where a planned update lands in a file as it is now: its container, checked against what the plan
 * read (the release, the repository, the digest pin, the tag it was planned from), and the splices
 * that write its new tag and digest. The text may have moved on since the plan (the base branch's):
 * a target that no longer fits is refused with a sentence, never applied to something else.
 */
import {
  DEFAULT_FILTER_VALUE,
  UNANNOTATED_FILTER,
  formatFilter,
  isCandidate,
  parseFilter,
} from '../filters/index.js';
import { releaseHold } from '../helmrelease/release-hold.js';
import { releaseId, type FileScan, type HelmRelease, type ImageOccurrence } from '../helmrelease/types.js';
import type { Update } from '../update.js';
import { spliceForTag, type Splice } from './splice-tag.js';
import { sharedAnchorReason } from '../helmrelease/document-anchors.js';

/** The fields of an update that locate and change one container. */
export type UpdateTarget = Pick<Update, 'release' | 'documentIndex' | 'container' | 'repository' | 'to'> &
  Partial<Pick<Update, 'from' | 'detection' | 'toDigest' | 'fromDigest' | 'filter'>> & {
    /**
     * Set for a target read back from a pull request's marker, which records no filter: the text's
     * filter must still let `to` through (one narrowed since may not), as a plan's target must have
     * the very filter that chose it.
     */
    allowedHere?: true;
  };

/**
 * The policy an edit is held to beyond the text's own annotations: whether the run updates only
 * releases with `fluxcd.io/automated: "true"` (the `require-automated` input).
 */
export interface EditPolicy {
  requireAutomated: boolean;
}

/** The tag as written, with its digest when pinned (`1.2.3@sha256:…`). */
export function pinText(reference: {
  tag?: string | undefined;
  digest?: string | undefined;
}): string | undefined {
  if (reference.tag === undefined) return undefined;
  return reference.digest ? `${reference.tag}@${reference.digest}` : reference.tag;
}

/** The reference text with its tag (and digest, when pinned) replaced by `tag` (`1.2.4@sha256:…`). */
export function withTag(occurrence: ImageOccurrence, tag: string): string {
  const { reference } = occurrence;
  const old = pinText(reference);
  if (old === undefined) return `${reference.text}:${tag}`;
  return reference.text.slice(0, reference.text.length - old.length) + tag;
}

/** A stable key for a container within a file. */
export function containerKey(release: HelmRelease, container: string): string {
  return `${release.documentIndex}\u0000${container}`;
}

/** A splice with the tag it writes and the start of the scalar it rewrites. */
export interface TagSplice extends Splice {
  tag: string;
  /** Start offset of the scalar holding the tag (shared by containers on the same text). */
  scalarStart: number;
  /** Index of the YAML document the scalar is in. */
  document: number;
}

/** A target found in the file, with the splice that applies it (none when the tag is already there). */
export interface Located {
  index: number;
  /** The container's {@link containerKey}. */
  key: string;
  occurrence: ImageOccurrence;
  splice: TagSplice | undefined;
  /** The rewrite of a `digest:` key beside the tag, for an image pinned by one. */
  digestSplice?: TagSplice | undefined;
}

/** A file's releases by `namespace/name` and containers by release, so each target is found at once. */
export interface ScanIndex {
  releases: Map<string, HelmRelease[]>;
  /** By {@link containerKey}. */
  containers: Map<string, ImageOccurrence>;
}

/** Indexes a scan for {@link locate}. */
export function indexScan(scan: FileScan): ScanIndex {
  const releases = new Map<string, HelmRelease[]>();
  const containers = new Map<string, ImageOccurrence>();
  for (const release of scan.releases) {
    const id = releaseId(release);
    const list = releases.get(id);
    if (list) list.push(release);
    else releases.set(id, [release]);
    for (const c of release.containers) containers.set(containerKey(release, c.container), c);
  }
  return { releases, containers };
}

/** Finds a target's container and makes its splice, or says why it cannot be applied. */
export function locate(
  file: string,
  text: string,
  scan: ScanIndex,
  target: UpdateTarget,
  index: number,
  policy: EditPolicy = { requireAutomated: false },
): { ok: true; located: Located } | { ok: false; reason: string; releaseAbsent?: true } {
  // By `namespace/name`, then by document index among equals.
  const same = scan.releases.get(target.release) ?? [];
  const release = same.length <= 1 ? same[0] : same.find((r) => r.documentIndex === target.documentIndex);
  if (!release) {
    // A target that names no document (read back from a pull request's marker) cannot choose.
    const reason =
      same.length > 1 && target.documentIndex < 0
        ? `HelmRelease ${target.release} is in ${file} more than once, and the update does not say which`
        : `HelmRelease ${target.release} is not in ${file}`;
    // Marked when no document has it, so the writer can tell a release moved to another file.
    return same.length === 0 ? { ok: false, reason, releaseAbsent: true } : { ok: false, reason };
  }
  const key = containerKey(release, target.container);
  const occurrence = scan.containers.get(key);
  if (!occurrence)
    return { ok: false, reason: `container ${target.container} is not in HelmRelease ${target.release}` };
  if (occurrence.reference.repository !== target.repository) {
    return {
      ok: false,
      reason: `container ${target.container} of ${target.release} now uses ${occurrence.reference.repository}, not ${target.repository}`,
    };
  }
  // The text's own policies still decide (the base branch's may be locked, or filtered more
  // narrowly, than the text the plan read): an edit never carries what they refuse.
  const hold = releaseHold(release.policies, policy.requireAutomated);
  if (hold) {
    return {
      ok: false,
      reason: `HelmRelease ${target.release} is ${hold.reason} here, so ${target.container} is not updated to ${target.to}`,
    };
  }
  const filter = occurrence.filter?.value ?? DEFAULT_FILTER_VALUE;
  if (target.filter !== undefined && filter !== target.filter) {
    return {
      ok: false,
      reason: `${target.container} of ${target.release} has the filter ${filter} here, not ${target.filter}, which chose ${target.to}`,
    };
  }
  if (target.allowedHere) {
    const allowed = occurrence.filter ? parseFilter(filter) : UNANNOTATED_FILTER;
    if (!isCandidate(allowed, target.to)) {
      return {
        ok: false,
        reason: `${target.container} of ${target.release} has the filter ${formatFilter(allowed)} here, which does not allow ${target.to}`,
      };
    }
  }
  if (occurrence.sharedAnchor) {
    return {
      ok: false,
      reason: `${target.release} ${target.container}: ${sharedAnchorReason(occurrence.sharedAnchor)}`,
    };
  }
  const byKey = occurrence.digestKey !== undefined && occurrence.reference.tag !== undefined;
  const pinned = occurrence.reference.digest !== undefined || byKey;
  if (pinned !== (target.toDigest !== undefined)) {
    return {
      ok: false,
      reason: `${target.release} ${target.container} is ${pinned ? 'now pinned by digest' : 'no longer pinned by digest'}; the update to ${target.to} was planned ${pinned ? 'without' : 'with'} one`,
    };
  }
  const pin = occurrence.reference.digest ?? occurrence.digestKey?.value;
  if (target.fromDigest !== undefined && pin !== target.fromDigest && pin !== target.toDigest) {
    // A re-pushed tag's new digest replaces the pin the plan read, never one written since. (The
    // image is pinned here, as the plan was: it has a pin.)
    return {
      ok: false,
      reason: `${target.release} ${target.container} is now pinned to ${pin!}, not ${target.fromDigest}; the new digest of ${target.to} was planned from ${target.fromDigest}`,
    };
  }
  const want = target.toDigest && !byKey ? `${target.to}@${target.toDigest}` : target.to;
  const document = Math.floor(release.documentIndex);
  // A `digest:` key beside the tag is rewritten with it (keeping its quotes), as a second splice.
  let digestSplice: TagSplice | undefined;
  const digestKey = occurrence.digestKey;
  if (byKey && digestKey && digestKey.value !== target.toDigest) {
    if (digestKey.style === 'block')
      return {
        ok: false,
        reason: `${target.release} ${target.container}: the digest is a YAML block scalar`,
      };
    const quote = digestKey.style === 'single' ? "'" : digestKey.style === 'double' ? '"' : '';
    const { start, end } = digestKey.range;
    const written = `${quote}${target.toDigest!}${quote}`;
    digestSplice = { start, end, text: written, tag: target.toDigest!, scalarStart: start, document };
  }
  if (pinText(occurrence.reference) === want)
    return { ok: true, located: { index, key, occurrence, splice: undefined, digestSplice } };
  if (target.from !== undefined && occurrence.reference.tag !== target.from) {
    // The text moved on since the plan (e.g. the base branch has another tag now): the plan's
    // choice was made against `from` and may be a downgrade here, so it is not applied.
    return {
      ok: false,
      reason: `${target.release} ${target.container} now has tag ${occurrence.reference.tag ?? '(none)'}, not ${target.from}; the update to ${target.to} was planned from ${target.from}`,
    };
  }
  const made = spliceForTag(text, occurrence, want);
  if (!made.ok) return { ok: false, reason: `${target.release} ${target.container}: ${made.reason}` };
  const scalarStart = occurrence.tag.scalar!.range.start;
  return {
    ok: true,
    located: {
      index,
      key,
      occurrence,
      // A HelmRelease inside a List document has a fractional index within its document's.
      splice: { ...made.splice, tag: want, scalarStart, document },
      digestSplice,
    },
  };
}
