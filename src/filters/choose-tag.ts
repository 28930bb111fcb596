/**
 * Chooses a container's new tag from its repository's tags, as Flux v1 did (FLUX-V1-RULES R6.6
 * and R7; `pkg/update/images.go` `FilterAndSortRepositoryMetadata`, `pkg/daemon/images.go`
 * `calculateChanges`):
 *
 * 1. Keep the tags that pass the filter. A tag equal to `latest` in any case is never kept unless
 *    the filter is exactly the glob `latest`; a signature, attestation or SBOM tag
 *    (`sha256-<digest>.sig`) never is.
 * 2. semver: order by version, highest first (no build times needed).
 *    glob/regex: order by build time, newest first; equal times go to the smallest tag.
 *    A kept tag whose details could not be read is left out with a problem. (Flux skipped the
 *    whole container then; one broken tag should not block every update.)
 * 3. The first tag is chosen. Nothing to do when it is the current tag.
 * 4. glob/regex only: the current tag must be in the registry with a build time, and the chosen
 *    tag must have one too, or the container is skipped ("image with zero created timestamp").
 * 5. Flux moves to the top of the list even when that is lower or older than the current tag;
 *    kept, but marked as a downgrade so the pull request can say so (and automerge leaves it):
 *    a lower version, whichever order chose it (a backport, the newest build, is one), or an
 *    older build.
 *
 * Untagged and digest-pinned references never reach this module; the caller skips them. Which
 * tags are candidates (step 1) is candidate-tags.ts's.
 */
import { compareCreated } from '../image/created-time.js';
import type { RegistryError, TagDetails } from '../ports.js';
import { isCandidate } from './candidate-tags.js';
import { notTakenTags, type NotTakenTag } from './not-taken.js';
import { formatFilter } from './parse-filter.js';
import { plural } from '../plural.js';
import { compareVersions, parseTagVersion } from './semver-filter.js';
import type { TagFilter } from './types.js';

/** What to do with one container's tag. */
export type TagDecision =
  | {
      kind: 'update';
      /** The tag to write. */
      tag: string;
      /** True when the chosen tag is a lower version, or an older build, than the current one. */
      downgrade: boolean;
      /** For reviewers: "highest version matching ~4.0", "newest build matching master-*, built …". */
      chosenBy: string;
      /** Build time of the chosen image (ISO 8601), when it was read. */
      created?: string;
      /** The chosen image's `org.opencontainers.image.source` label, when known. */
      source?: string;
      /** The chosen image's `org.opencontainers.image.revision` label, when known. */
      revision?: string;
      /** Build time of the current image (ISO 8601), when it was read. */
      fromCreated?: string;
      /** Higher versions that were not taken, and why (for reviewers). */
      notTaken: NotTakenTag[];
      /** The better tags the minimum release age holds back (release-age.ts). */
      heldBack?: string;
    }
  | { kind: 'up-to-date'; chosenBy: string }
  | { kind: 'no-matching-tag'; reason: string }
  | {
      kind: 'skipped';
      reason: string;
      /**
       * Set when the registry failed to describe every tag the filter kept: the container could
       * not be checked at all, which is an error (fail-on-error), not a skip for a known reason.
       */
      unchecked?: true;
    }
  /** Held by the minimum release age (release-age.ts). */
  | { kind: 'too-new'; reason: string };

/** The decision plus sentences about individual tags that were left out. */
export interface TagChoice {
  decision: TagDecision;
  /** E.g. "tag 1.2.3 matches glob:* but its metadata could not be read: …; it was skipped". */
  problems: string[];
}

/** Input to {@link chooseTag}. */
export interface ChooseTagInput {
  filter: TagFilter;
  /** The container's current tag. */
  current: string;
  /** Every tag of the repository. */
  tags: readonly string[];
  /** Details of (at least) the tags from tagsNeedingDetails (candidate-tags.ts); ignored for semver. */
  details: ReadonlyMap<string, TagDetails | RegistryError>;
}

/** Tags named one by one in a problem; more are counted. */
const MAX_TAGS_NAMED = 3;
/** Different failures named in the reason a container could not be checked; more are counted. */
const MAX_FAILURES_NAMED = 2;

/** A digest in a registry's message: each tag's own, so it is not what tells failures apart. */
const DIGEST = /\bsha(?:256|384|512):[0-9a-f]{32,}/g;

/**
 * A failure's message with what names one tag (its digest, the tag in a path or reference) put
 * as `<digest>` and `<tag>`: the same failure for 30 tags is then one sentence, not 30 (GitHub
 * shows 10 warnings a step, and 30 at one line said nothing more than one).
 */
function withoutTagParts(message: string, tag: string): string {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message
    .replace(DIGEST, '<digest>')
    .replace(new RegExp(`(?<=[:/])${escaped}(?=$|[\\s:;,)])`, 'g'), '<tag>');
}

/** The first few of some tags: "1.0, 1.1, 1.2, ...". */
function named(tags: readonly string[]): string {
  return tags.length > MAX_TAGS_NAMED ? `${tags.slice(0, MAX_TAGS_NAMED).join(', ')}, ...` : tags.join(', ');
}

/** "tag 1.2: why", or "30 tags (1.0, 1.1, 1.2, ...): why, with <digest> for each tag's own". */
function failureOf(group: readonly { tag: string; message: string }[], shared: string): string {
  const tags = group.map(({ tag }) => tag);
  return group.length === 1
    ? `tag ${tags[0]}: ${group[0].message}`
    : `${tags.length} tags (${named(tags)}): ${shared}`;
}

/** Chooses the new tag for one container; pure. */
export function chooseTag(input: ChooseTagInput): TagChoice {
  const { filter, tags } = input;
  const candidates = [...new Set(tags)].filter((tag) => isCandidate(filter, tag));
  if (candidates.length === 0) return { decision: noMatch(filter, tags, input.current), problems: [] };
  return filter.kind === 'semver' ? chooseByVersion(input, candidates) : chooseByTime(input, candidates);
}

function noMatch(filter: TagFilter, tags: readonly string[], current: string): TagDecision {
  const shown = formatFilter(filter);
  const onlyLatest = tags.some((tag) => tag.toLowerCase() === 'latest' && filter.matches(tag));
  const count = tags.length === 1 ? '1 tag' : `${tags.length} tags`;
  return {
    kind: 'no-matching-tag',
    reason:
      tags.length === 0
        ? 'the repository has no tags'
        : `none of the repository's ${count} matches ${shown}` +
          (onlyLatest ? ' (a `latest` tag is only chosen by the filter `glob:latest`)' : '') +
          preReleaseHint(filter, current),
  };
}

/**
 * Why a semver range matches nothing when the current tag is a pre-release of a version it allows
 * (`v3.1.0-k8s1.11` under `~v3.1`): ranges match pre-releases only when they name one (Masterminds).
 */
function preReleaseHint(filter: TagFilter, current: string): string {
  if (filter.kind !== 'semver' || !filter.valid) return '';
  const version = parseTagVersion(current);
  if (version === undefined || version.prerelease === '') return '';
  const release = `${version.major}.${version.minor}.${version.patch}`;
  if (!filter.matches(release)) return '';
  return (
    `; the current tag ${current} is a pre-release, and a range matches pre-releases only when it names one ` +
    `itself: write semver:~${release}-0 to follow ${version.major}.${version.minor}.x pre-releases, or use a regexp filter`
  );
}

function chooseByVersion(input: ChooseTagInput, candidates: string[]): TagChoice {
  const filter = input.filter;
  if (filter.kind !== 'semver') throw new Error('chooseByVersion needs a semver filter');
  const chosen = [...candidates].sort(filter.compareTags)[0] as string;
  const chosenBy = filter.valid
    ? `highest version matching ${filter.pattern}`
    : `highest version (the constraint \`${filter.pattern}\` is invalid, so every version matches)`;
  if (chosen === input.current) return { decision: { kind: 'up-to-date', chosenBy }, problems: [] };
  const downgrade = isLowerVersion(chosen, input.current);
  // A semver filter's refused tags are all those above the chosen one; no tag is matched again.
  const notTaken = notTakenTags(filter, input.tags, chosen, () => false);
  return { decision: { kind: 'update', tag: chosen, downgrade, chosenBy, notTaken }, problems: [] };
}

/**
 * True when both tags are versions and `tag` is the lower one. The same version spelled
 * differently (`1.10` and `1.10.0`) is not lower.
 */
function isLowerVersion(tag: string, current: string): boolean {
  const version = parseTagVersion(tag);
  const currentVersion = parseTagVersion(current);
  return (
    version !== undefined && currentVersion !== undefined && compareVersions(version, currentVersion) < 0
  );
}

function chooseByTime(input: ChooseTagInput, candidates: string[]): TagChoice {
  const candidateSet = new Set(candidates);
  const { filter, current, tags, details } = input;
  const shown = formatFilter(filter);
  const readable: { tag: string; details: TagDetails }[] = [];
  const notRead: string[] = [];
  /** Tags whose details failed, by their error (a deadline fails many tags with one message). */
  const failed = new Map<string, { tag: string; message: string }[]>();
  for (const tag of candidates) {
    const found = usableDetails(details.get(tag));
    if (found === undefined) {
      notRead.push(tag);
    } else if (found instanceof Error) {
      // Each tag's failure names its own digest or tag: one sentence for the same failure.
      const message = withoutTagParts(found.message, tag);
      const group = failed.get(message);
      if (group) group.push({ tag, message: found.message });
      else failed.set(message, [{ tag, message: found.message }]);
    } else {
      readable.push({ tag, details: found });
    }
  }
  if (readable.length === 0 && failed.size > 0) {
    // Nothing to compare: the container could not be checked, whatever the others say.
    const groups = [...failed].map(([shared, group]) => failureOf(group, shared));
    const more =
      groups.length > MAX_FAILURES_NAMED
        ? `; and ${plural(groups.length - MAX_FAILURES_NAMED, 'other failure')}`
        : '';
    return {
      decision: {
        kind: 'skipped',
        unchecked: true,
        reason:
          `none of the tags matching ${shown} could be read from the registry: ` +
          `${groups.slice(0, MAX_FAILURES_NAMED).join('; ')}${more}`,
      },
      problems: [],
    };
  }
  /** The sentences about the tags left out, less one the skip reason names already. */
  const leftOut = (saidElsewhere?: string): string[] => {
    const problems: string[] = [];
    for (const [shared, group] of failed) {
      const left = group.filter(({ tag }) => tag !== saidElsewhere);
      const tags = left.map(({ tag }) => tag);
      if (left.length === 1) {
        problems.push(
          `tag ${tags[0]} matches ${shown} but its metadata could not be read: ${left[0].message}; it was skipped`,
        );
      } else if (left.length > 1) {
        problems.push(
          `${tags.length} tags matching ${shown} (${named(tags)}) could not be read: ${shared}; they were skipped`,
        );
      }
    }
    // A registry describes a bounded number of tags per repository per run: thousands of unread
    // tags are one sentence, not thousands, and it says the choice is limited by them.
    const unread = notRead.filter((tag) => tag !== saidElsewhere);
    if (unread.length > MAX_TAGS_NAMED) {
      problems.push(
        `${unread.length} tags matching ${shown} were not described by the registry this run ` +
          `(${named(unread)}), so the newest build of the ` +
          `${describedTags(readable.length)} is chosen; it may not be the newest of all`,
      );
    } else {
      for (const tag of unread) {
        problems.push(`tag ${tag} matches ${shown} but its metadata was not read; it was skipped`);
      }
    }
    return problems;
  };
  const problems = leftOut();
  if (readable.length === 0) {
    return {
      decision: { kind: 'skipped', reason: `no tag matching ${shown} could be read from the registry` },
      problems,
    };
  }
  readable.sort(compareByCreated);
  const top = readable[0] as { tag: string; details: TagDetails };
  const what = filter.kind === 'regex' ? `regex ${filter.pattern}` : filter.pattern;
  const built = top.details.created === undefined ? '' : `, built ${formatTime(top.details.created)}`;
  // Without an annotation, "matching *" names a pattern nobody wrote; "newest build" is the rule.
  const chosenBy = filter.unannotated ? `newest build${built}` : `newest build matching ${what}${built}`;
  if (top.tag === current) return { decision: { kind: 'up-to-date', chosenBy }, problems };

  const skip = (reason: string, saidElsewhere?: string): TagChoice => ({
    decision: { kind: 'skipped', reason },
    problems: saidElsewhere === undefined ? problems : leftOut(saidElsewhere),
  });
  const orderNote = `${shown} orders tags by build time and needs the current image's build time to compare`;
  if (!tags.includes(current)) {
    return skip(
      `the current tag ${current} is not in the registry (deleted, never pushed, or a typo); ${orderNote}`,
    );
  }
  const currentDetails = usableDetails(details.get(current));
  if (currentDetails === undefined || currentDetails instanceof Error) {
    const why =
      currentDetails === undefined ? 'were not read' : `could not be read: ${currentDetails.message}`;
    // The skip reason names the current tag's trouble; say it once.
    return skip(`the details of the current tag ${current} ${why}; ${orderNote}`, current);
  }
  if (currentDetails.created === undefined) {
    return skip(`the current image (tag ${current}) has no creation time; ${orderNote}`);
  }
  if (top.details.created === undefined) {
    return skip(
      `the newest tag matching ${shown}, ${top.tag}, has no creation time, so builds cannot be ordered`,
    );
  }
  return {
    decision: {
      kind: 'update',
      tag: top.tag,
      // Moving off `latest` is what Flux does, not a downgrade a reviewer should worry about. A
      // newer build of a lower version (4.0.3 to a 3.6.5 built later) still is one.
      downgrade:
        current.toLowerCase() !== 'latest' &&
        (compareCreated(top.details.created, currentDetails.created) < 0 || isLowerVersion(top.tag, current)),
      chosenBy,
      created: formatTime(top.details.created),
      ...(top.details.source === undefined ? {} : { source: top.details.source }),
      ...(top.details.revision === undefined ? {} : { revision: top.details.revision }),
      fromCreated: formatTime(currentDetails.created),
      // The candidates were found once; a set answers for them without matching a tag again.
      notTaken: notTakenTags(filter, tags, top.tag, (tag) => candidateSet.has(tag)),
    },
    problems,
  };
}

/**
 * Flux v1's `NewerByCreated`: newest first; a missing time is the oldest; equal times go to the
 * lexically smallest tag (so 1.0.1 beats 1.0.2 on reproducible builds, fluxcd/flux#2931).
 */
function compareByCreated(
  a: { tag: string; details: TagDetails },
  b: { tag: string; details: TagDetails },
): number {
  const left = a.details.created;
  const right = b.details.created;
  // Nanoseconds count (Go's time.Time): builds in one millisecond are not a tie. No time is oldest.
  if (left === undefined || right === undefined) {
    if (left !== right) return left === undefined ? 1 : -1;
  } else {
    const order = compareCreated(right, left);
    if (order !== 0) return order > 0 ? 1 : -1;
  }
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

/** ISO 8601 without zero milliseconds: `2026-01-02T03:04:05Z`. */
/**
 * Details with an unusable build time (an invalid date, or Go's zero time `0001-01-01T00:00:00Z`,
 * which Flux treated as "no timestamp") reduced to "no build time".
 */
function usableDetails(
  found: TagDetails | RegistryError | undefined,
): TagDetails | RegistryError | undefined {
  if (found === undefined || found instanceof Error || found.created === undefined) return found;
  const time = found.created.getTime();
  if (Number.isNaN(time) || found.created.getUTCFullYear() <= 1) return { ...found, created: undefined };
  return found;
}

function formatTime(time: Date): string {
  return time.toISOString().replace('.000Z', 'Z');
}

/** "1 tag that was described", "3 tags that were described". */
function describedTags(count: number): string {
  return count === 1 ? '1 tag that was described' : `${count} tags that were described`;
}
