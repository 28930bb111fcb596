/**
 * The tags a reviewer might have expected instead of the chosen one, and why they were not taken:
 * higher versions the filter refuses ("5.0.0: outside ~4.0"), pre-releases it skips, and, for
 * filters ordered by build time, a higher version that is an older build. Pure.
 *
 * At most {@link MAX_NOT_TAKEN} tags: the highest refused version of each major line above the
 * chosen one (highest lines first), then the highest pre-release when it is above all of them.
 */
import { isValidTag } from '../image/reference.js';
import { formatFilter } from './parse-filter.js';
import { compareVersions, parseTagVersion, type TagVersion } from './semver-filter.js';
import type { TagFilter } from './types.js';
import type { NotTakenTag } from '../update.js';

export type { NotTakenTag };

/** The most tags listed. */
export const MAX_NOT_TAKEN = 4;
/** The most major lines listed. */
const MAX_LINES = 3;

/**
 * Higher versions than `chosen` that were not taken. `isCandidate` is the chooser's own test, so
 * the reasons cannot disagree with the choice. Empty when the chosen tag is not a version.
 */
export function notTakenTags(
  filter: TagFilter,
  tags: readonly string[],
  chosen: string,
  isCandidate: (tag: string) => boolean,
): NotTakenTag[] {
  const chosenVersion = parseTagVersion(chosen);
  if (chosenVersion === undefined) return [];
  const shown = filter.kind === 'semver' ? filter.pattern : formatFilter(filter);
  const refusedStable = new Map<number, { tag: string; version: TagVersion }>();
  let refusedPre: { tag: string; version: TagVersion } | undefined;
  let olderBuild: { tag: string; version: TagVersion } | undefined;
  const higher = (a: { version: TagVersion } | undefined, version: TagVersion): boolean =>
    a === undefined || compareVersions(version, a.version) > 0;
  for (const tag of new Set(tags)) {
    if (tag === chosen || !isValidTag(tag) || tag.toLowerCase() === 'latest') continue;
    // Cheap test first: most tags of a time-ordered repository are not versions.
    if (!/^v?[0-9]/.test(tag)) continue;
    const version = parseTagVersion(tag);
    if (version === undefined || compareVersions(version, chosenVersion) <= 0) continue;
    if (isCandidate(tag)) {
      // Only a build-time order can pass over a higher version that matches.
      if (filter.requiresTimestamp && higher(olderBuild, version)) olderBuild = { tag, version };
    } else if (version.prerelease !== '') {
      if (higher(refusedPre, version)) refusedPre = { tag, version };
    } else if (higher(refusedStable.get(version.major), version)) {
      refusedStable.set(version.major, { tag, version });
    }
  }
  const refusal = filter.kind === 'semver' ? `outside ${shown}` : `does not match ${shown}`;
  const lines = [...refusedStable.values()]
    .sort((a, b) => compareVersions(b.version, a.version))
    .slice(0, MAX_LINES);
  const result: NotTakenTag[] = [];
  if (olderBuild) result.push({ tag: olderBuild.tag, reason: `matches ${shown} but is an older build` });
  result.push(...lines.map(({ tag }) => ({ tag, reason: refusal })));
  if (refusedPre && (lines.length === 0 || compareVersions(refusedPre.version, lines[0]!.version) > 0)) {
    result.push({ tag: refusedPre.tag, reason: `a pre-release, ${refusal}` });
  }
  return result.slice(0, MAX_NOT_TAKEN);
}
