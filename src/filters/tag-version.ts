/**
 * Tags read as versions the way Masterminds/semver v3.1.1's `NewVersion` reads them (point 1 of
 * semver-filter.ts's header: lenient parts, then strict text for the `semver` package), remembered
 * per tag, and their order. Apart from semver-filter.ts because more than the filter reads tags as
 * versions (choosing a tag, the update type, release notes, explain), and none of them needs
 * constraints. Pure.
 */
import { SemVer, compare } from 'semver';

/** A tag read as a version, keeping what the Masterminds rules need. */
export interface TagVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release identifiers joined by `.`, or '' for a release. */
  readonly prerelease: string;
  /** The strict form given to `semver`. */
  readonly semver: SemVer;
}

// Masterminds' `semVerRegex` (version.go), anchored. Fixed text, so a JS RegExp is fine; it has
// no nested ambiguous repetition.
const VERSION_PATTERN =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** How many tags {@link parseTagVersion} remembers: a run's tags, as a bound, not a goal. */
const VERSIONS_REMEMBERED = 20_000;
/** Tags already read (null: not a version). A TagVersion is never changed once made. */
const versionsRead = new Map<string, TagVersion | null>();

/**
 * Reads a tag as Masterminds' lenient `NewVersion` does, or returns undefined when it is not a
 * version (then no semver filter selects it).
 *
 * Remembered by tag: the same tags are read for every container of a repository, by the filter's
 * match and again by each comparison of the sort (issue 17: most of the planning's own time).
 */
export function parseTagVersion(tag: string): TagVersion | undefined {
  const known = versionsRead.get(tag);
  // Stryker disable next-line ConditionalExpression: a cache; reading the tag again gives the same version
  if (known !== undefined) return known ?? undefined;
  const version = readTagVersion(tag);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: when the cache is emptied bounds memory, not answers
  if (versionsRead.size >= VERSIONS_REMEMBERED) versionsRead.clear();
  versionsRead.set(tag, version ?? null);
  return version;
}

function readTagVersion(tag: string): TagVersion | undefined {
  const match = VERSION_PATTERN.exec(tag);
  if (match === null) return undefined;
  const major = toNumber(match[1]);
  const minor = match[2] === undefined ? 0 : toNumber(match[2].slice(1));
  const patch = match[3] === undefined ? 0 : toNumber(match[3].slice(1));
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a part above 2^53 makes `undefined.0.0`, which `semver` refuses too (caught below); this says why
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const prerelease = match[4] ?? '';
  // validatePrerelease: a numeric identifier may not start with 0 (except `0` itself).
  // Stryker disable next-line all: `semver` refuses such an identifier too (caught below); this line states Masterminds' rule
  if (prerelease.split('.').some((part) => /^0[0-9]+$/.test(part))) return undefined;
  const build = match[5] === undefined ? '' : `+${match[5]}`;
  const strict = `${major}.${minor}.${patch}${prerelease === '' ? '' : `-${prerelease}`}${build}`;
  try {
    return { major, minor, patch, prerelease, semver: new SemVer(strict) };
  } catch {
    return undefined;
  }
}

function toNumber(digits: string | undefined): number | undefined {
  // Stryker disable next-line ConditionalExpression: Number(undefined) is NaN, refused on the next line
  if (digits === undefined) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Version order, ignoring build metadata (Masterminds `Compare`). */
export function compareVersions(a: TagVersion, b: TagVersion): number {
  return compare(a.semver, b.semver);
}
