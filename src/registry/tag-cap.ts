/**
 * The bound on tags asked about per repository per run (`maxTagsDescribed`, 1,000 by default), and
 * which tags go first when a repository has more. A repository with a million tags would otherwise
 * cost a million HEADs per run. Pure: the digest cache is read through the function passed in.
 *
 * Past the cap, the tags the digest cache knows nothing about go first (in the caller's order), then
 * the known ones newest first by their cached build time (a label's for Flux v1's own images, as the
 * choice reads them); the rest of the known ones are answered from the cache (their last-known
 * build), and unknown ones left over are not answered at all - the caller reports them - with a
 * notice naming the repository. Each run adds what it learned to the cache, so a repository over
 * the cap converges over a few runs.
 */
import { preferredLabelTime } from '../image/label-times.js';
import type { CachedDetails } from './digest-cache.js';
import { groupedCount } from '../byte-count.js';

/** Default of `TagDescriberOptions.maxTagsDescribed`. */
export const DEFAULT_MAX_TAGS_DESCRIBED = 1000;

/** A tag's details as the digest cache remembers them, with its digest. */
export type RememberedDetails = CachedDetails & { digest: string };

/**
 * The remembered build time of an image of a repository timed by its labels (Flux v1's own,
 * `label-times.ts`): its label's, else its `created`, as the choice reads it.
 */
export function labelBuildTime(details: RememberedDetails): string | null {
  return preferredLabelTime(details.labels) ?? details.created;
}

/** A repository's tags split by the cap. */
export interface TagsToAsk {
  /** Tags asked about (at most the cap). */
  asked: string[];
  /** Tags answered from the cache, by tag. */
  remembered: Map<string, RememberedDetails>;
  /** How many tags the cache knows nothing about were left out. */
  leftOut: number;
}

/**
 * Splits `tags` (distinct) by the cap; `remember` gives what the digest cache knows of a tag, or
 * undefined when it knows nothing usable; `buildTime` the remembered build time the known ones are
 * ordered by (`created`; a label's for a repository timed by its labels, `label-times.ts`).
 */
export function chooseTagsToAsk(
  tags: readonly string[],
  cap: number,
  remember: (tag: string) => RememberedDetails | undefined,
  buildTime: (details: RememberedDetails) => string | null = (details) => details.created,
): TagsToAsk {
  if (tags.length <= cap) return { asked: [...tags], remembered: new Map(), leftOut: 0 };
  const unknown: string[] = [];
  const known: { tag: string; details: RememberedDetails; created: number }[] = [];
  for (const tag of tags) {
    const details = remember(tag);
    if (details === undefined) unknown.push(tag);
    else {
      const time = buildTime(details);
      const created = time === null ? Number.NEGATIVE_INFINITY : Date.parse(time);
      known.push({ tag, details, created: Number.isNaN(created) ? -Infinity : created });
    }
  }
  known.sort((a, b) => b.created - a.created || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const asked = unknown.slice(0, cap);
  const rest = cap - asked.length;
  for (const { tag } of known.slice(0, rest)) asked.push(tag);
  const remembered = new Map(known.slice(Math.max(0, rest)).map(({ tag, details }) => [tag, details]));
  return { asked, remembered, leftOut: unknown.length - Math.min(unknown.length, cap) };
}

/** The notice for a repository over the cap; undefined when it was not over. */
export function tagCapNotice(repository: string, cap: number, split: TagsToAsk): string | undefined {
  const { asked, remembered, leftOut } = split;
  if (remembered.size === 0 && leftOut === 0) return undefined;
  const total = asked.length + remembered.size + leftOut;
  return (
    `${repository}: ${groupedCount(total)} tags need a build time, more than the ${groupedCount(cap)} asked about per repository per run; ` +
    `${groupedCount(asked.length)} were asked about, ${groupedCount(remembered.size)} taken from the digest cache (their last-known build)` +
    (leftOut > 0
      ? `, and ${groupedCount(leftOut)} never described yet were left out, so a choice by build time may miss a newer build until later runs (which keep what they learn in the digest cache) have described them`
      : '')
  );
}
