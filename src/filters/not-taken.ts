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

/** The numbers of a version-like tag (`v1.2.3-rc.1`); the full parse decides the rest. */
const CORE = /^v?([0-9]{1,15})(?:\.([0-9]{1,15}))?(?:\.([0-9]{1,15}))?([-+]|$)/;

/** Orders two `[major, minor, patch]` triples. */
function compareCore(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

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
  // Repositories can list a million tags, often in version order: a first pass compares only the
  // numbers and keeps, per kind, the tags with the highest; only those are parsed in full and
  // compared by Masterminds' rules.
  // Stryker disable next-line ArrayDeclaration: the first pass only narrows; best() compares each kept tag with the chosen version again
  const chosenCore = [chosenVersion.major, chosenVersion.minor, chosenVersion.patch];
  const groups = new Map<string, { core: number[]; tags: string[] }>();
  for (const tag of tags) {
    const match = CORE.exec(tag);
    if (match === null || tag === chosen) continue;
    const core = [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
    const order = compareCore(core, chosenCore);
    // Below the chosen version, or at it when the chosen one is a release (the same version
    // spelled differently, or one of its pre-releases): not higher.
    if (order < 0 || (order === 0 && chosenVersion.prerelease === '')) continue;
    // The chosen tag is the highest version a semver filter takes, so a higher one was refused;
    // only a build-time order can pass over a higher version that matches.
    const key =
      filter.kind !== 'semver' && isCandidate(tag) ? 'older' : match[4] === '-' ? 'pre' : `major ${core[0]}`;
    const group = groups.get(key);
    const against = group === undefined ? 1 : compareCore(core, group.core);
    if (against > 0) groups.set(key, { core, tags: [tag] });
    else if (against === 0) group!.tags.push(tag);
  }
  const best = (key: string): { tag: string; version: TagVersion } | undefined => {
    let top: { tag: string; version: TagVersion } | undefined;
    // Stryker disable next-line ArrayDeclaration: a key with no group; any stand-in that is no version is skipped below
    for (const tag of groups.get(key)?.tags ?? []) {
      const version = parseTagVersion(tag);
      if (version === undefined || !isValidTag(tag) || compareVersions(version, chosenVersion) <= 0) continue;
      if (top === undefined || compareVersions(version, top.version) > 0) top = { tag, version };
    }
    return top;
  };
  const olderBuild = best('older');
  const refusedPre = best('pre');
  const refusedStable = [...groups.keys()]
    .filter((key) => key.startsWith('major '))
    .flatMap((key) => best(key) ?? []);
  const refusal = filter.kind === 'semver' ? `outside ${shown}` : `does not match ${shown}`;
  const lines = refusedStable.sort((a, b) => compareVersions(b.version, a.version)).slice(0, MAX_LINES);
  const result: NotTakenTag[] = [];
  if (olderBuild) result.push({ tag: olderBuild.tag, reason: `matches ${shown} but is an older build` });
  result.push(...lines.map(({ tag }) => ({ tag, reason: refusal })));
  if (refusedPre && (lines.length === 0 || compareVersions(refusedPre.version, lines[0]!.version) > 0)) {
    // Only a semver range refuses a tag for its pre-release part; a glob or regex refuses
    // `20.11.1-bookworm-slim` for its text alone, and its suffix may name a variant, no pre-release.
    result.push({
      tag: refusedPre.tag,
      reason: filter.kind === 'semver' ? `a pre-release, ${refusal}` : refusal,
    });
  }
  return result.slice(0, MAX_NOT_TAKEN);
}
