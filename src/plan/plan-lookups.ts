/**
 * What the plan asks of the registries: for each container its policies let through, a lookup of
 * its repository with its parsed filter, and which tags' details (build times, digests) its filter
 * or its pin will need. The run starts the registry work from these before the plan proper
 * (`plan-updates.ts`), which decides again from the same policies. Pure.
 */
import {
  chooseTag,
  DEFAULT_FILTER_VALUE,
  parseFilter,
  tagsNeedingDetails,
  type TagFilter,
} from '../filters/index.js';
import type { FileScan, HelmRelease, ImageOccurrence } from '../helmrelease/types.js';
import { releaseHold } from '../helmrelease/release-hold.js';
import { inImageScope, type ImageScopePattern } from '../scan/image-scope.js';
import type { DecisionKind } from './types.js';
import { unscannedReason } from './unscanned-images.js';

/**
 * Parsed filters by annotation value: the same few values recur across thousands of containers,
 * and compiling a regex or a constraint each time would dominate planning.
 */
const parsedFilters = new Map<string, TagFilter>();

/** The parsed filter for an annotation value. */
export function filterFor(value: string): TagFilter {
  let filter = parsedFilters.get(value);
  // Stryker disable next-line ConditionalExpression: a cache; parsing the value again gives an equal filter
  if (!filter) {
    filter = parseFilter(value);
    parsedFilters.set(value, filter);
  }
  return filter;
}

/** Settings the plan depends on. */
export interface PlanSettings {
  /** Only releases with `fluxcd.io/automated: "true"` are updated (Flux v1's rule). */
  requireAutomated: boolean;
  /** The `images` input, parsed: only matching repositories are checked (empty or absent: all). */
  imageScope?: readonly ImageScopePattern[];
  /** The `minimum-release-age` input (ms; 0 or absent: none); a release's annotation overrides it. */
  minimumReleaseAgeMs?: number;
  /**
   * The `update-repushed-digests` input: a pinned image whose tag stays but whose digest the
   * registry now serves differently (a re-pushed tag) gets the new digest (absent: false).
   */
  updateRepushedDigests?: boolean;
  /** The wall-clock time release ages are measured at (absent: now). */
  now?: Date;
}

/** A container's minimum release age: its release's annotation, else the input. */
export function releaseAgeOf(release: HelmRelease, settings: PlanSettings): number {
  return release.policies.minimumReleaseAgeMs ?? settings.minimumReleaseAgeMs ?? 0;
}

/** A container that needs registry data, with its parsed filter. */
export interface Lookup {
  occurrence: ImageOccurrence;
  filter: TagFilter;
  /** The current tag (lookups exist only for tagged, undigested images). */
  current: string;
  /** The minimum release age (ms; 0: none). */
  minimumReleaseAgeMs: number;
  /** The current tag's digest is compared with the pin (`update-repushed-digests`). */
  checkRepushedDigest?: boolean;
}

/**
 * The digest an image is pinned to: in its reference, else in a `digest:` key beside its tag. Asked
 * only of tagged images (an untagged one gets no lookup: it has no tag to follow).
 */
export function pinnedDigest(occurrence: ImageOccurrence): string | undefined {
  return occurrence.reference.digest ?? occurrence.digestKey?.value;
}

/** Why a container gets no registry lookup, or undefined when it needs one. */
export function policyDecision(
  release: HelmRelease,
  occurrence: ImageOccurrence,
  settings: PlanSettings,
): { decision: DecisionKind; reason: string } | undefined {
  // First: a scoped run says nothing about the images it was not asked to check.
  if (settings.imageScope && !inImageScope(settings.imageScope, occurrence.reference.repository)) {
    return { decision: 'out-of-scope', reason: 'out of scope (not matched by the images input)' };
  }
  const hold = releaseHold(release.policies, settings.requireAutomated);
  if (hold) return hold;
  const unscanned = unscannedReason(occurrence.reference.repository);
  if (unscanned) return { decision: 'skipped', reason: unscanned };
  if (occurrence.reference.digest && occurrence.reference.tag === undefined) {
    // Which tag the digest stands for is not guessed: the pin is reported and left as it is.
    return {
      decision: 'skipped',
      reason:
        'pinned by digest without a tag, so there is no tag to follow; write repo:tag@sha256:… to have it updated',
    };
  }
  if (occurrence.reference.tag === undefined) {
    const unread = occurrence.tag.unreadTagKey;
    if (unread) {
      const c = occurrence.container;
      return {
        decision: 'skipped',
        reason:
          `the image has no tag: Flux reads a tag key, not ${unread.tagPath}, so there is nothing to update; ` +
          `to have it updated, map both with the annotations repository.fluxcd.io/${c}: ${unread.imagePath} ` +
          `and tag.fluxcd.io/${c}: ${unread.tagPath}`,
      };
    }
    return {
      decision: 'skipped',
      reason: occurrence.tag.ignoredTagAlias
        ? 'the image counts as untagged: its tag is a YAML alias, which is not followed (write the tag itself)'
        : occurrence.tag.ignoredTagReported
          ? 'the image counts as untagged: its tag is not a string, so it is ignored (quote it)'
          : 'the image has no tag (no tag key, and none after ":" in the image), so there is nothing to update',
    };
  }
  return undefined;
}

/** Every container that needs registry data, in plan order. */
export function collectLookups(scans: readonly FileScan[], settings: PlanSettings): Lookup[] {
  const lookups: Lookup[] = [];
  for (const scan of scans) {
    for (const release of scan.releases) {
      for (const occurrence of release.containers) {
        if (policyDecision(release, occurrence, settings)) continue;
        lookups.push({
          occurrence,
          filter: filterFor(occurrence.filter?.value ?? DEFAULT_FILTER_VALUE),
          current: occurrence.reference.tag!,
          minimumReleaseAgeMs: releaseAgeOf(release, settings),
          ...(settings.updateRepushedDigests && pinnedDigest(occurrence) !== undefined
            ? { checkRepushedDigest: true }
            : {}),
        });
      }
    }
  }
  return lookups;
}

/**
 * The tags of one repository whose details (creation time) the filters of its containers need,
 * in the order the registry should prefer them when it cannot describe them all in one run
 * (its cap on tags described per repository): the containers' current tags first, which every
 * choice by build time needs, then the candidates from the end of the listing's order, a guess
 * that later names (`build-2026...`, `1.9`) are the newer builds.
 */
export function detailsNeeded(lookups: readonly Lookup[], tags: readonly string[]): string[] {
  const timed = lookups.filter((lookup) => lookup.filter.requiresTimestamp);
  const needed = new Set<string>();
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without timed lookups the set is never read; this only skips building it
  const listed = timed.length > 0 ? new Set(tags) : new Set<string>();
  for (const lookup of timed) if (listed.has(lookup.current)) needed.add(lookup.current);
  // A re-pushed tag is found by the current tag's digest.
  for (const lookup of lookups) if (lookup.checkRepushedDigest) needed.add(lookup.current);
  for (const lookup of timed) {
    for (const tag of tagsNeedingDetails(lookup.filter, lookup.current, tags).reverse()) needed.add(tag);
  }
  // A digest pin moves with its tag: the chosen tag's digest is needed (by time, it is among the above).
  for (const lookup of lookups) {
    const { reference, digestKey } = lookup.occurrence;
    if ((!reference.digest && !digestKey) || lookup.filter.requiresTimestamp) continue;
    const { decision } = chooseTag({
      filter: lookup.filter,
      current: lookup.current,
      tags,
      details: new Map(),
    });
    if (decision.kind === 'update') needed.add(decision.tag);
  }
  return [...needed];
}
