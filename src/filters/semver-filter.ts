/**
 * `semver:` filters with the semantics of Masterminds/semver v3.1.1, the library Flux v1 used
 * (FLUX-V1-RULES R6.3, R6.5, R7.3). Built on the `semver` package plus this translation layer:
 *
 * 1. Tags are parsed leniently, as Masterminds' `NewVersion` does, then handed to `semver` as
 *    strict `MAJOR.MINOR.PATCH[-PRE][+BUILD]` text:
 *
 *    ```
 *    v1.2.3 -> 1.2.3        1.2 -> 1.2.0        1 -> 1.0.0      01.2.3 -> 1.2.3
 *    1.2-beta.1 -> 1.2.0-beta.1                 1.2.3+build.5 -> 1.2.3+build.5
 *    rejected: 1.2.3.4, latest, 1.2.3-01 (leading zero in a numeric pre-release part), 1.2.3-
 *    ```
 *
 *    Parts above 2^53 (Go allows 2^64) are rejected too; no real tag has them.
 * 2. Constraints are split with Masterminds' own regular expressions (run with RE2, as in Go,
 *    so leftmost-first alternation behaves identically and nothing can backtrack), and each
 *    comparator is checked with Masterminds' per-operator rules, transcribed below. The
 *    comparisons inside those rules use `semver`'s `compare` (which, like Masterminds, ignores
 *    build metadata and orders pre-releases identifier by identifier).
 *
 * Per-operator rules that differ from npm's ranges (Masterminds `constraints.go` at v3.1.1):
 * - Every operator rejects a pre-release version unless *that comparator* has a pre-release
 *   (`!=` only when it has a wildcard); npm instead looks for a pre-release on the same
 *   `[major, minor, patch]` anywhere in the comparator set.
 * - A missing part is a wildcard: `>11` means `>=12.0.0`, `>1.2` means `>=1.3.0`, `<=1.2` means
 *   `<1.3.0`, but `<1.2` and `>=1.2` compare with `1.2.0`.
 * - `=1.2` and a bare `1.2` mean `~1.2`; `!=1.x` excludes every `1.*.*`.
 * - `~1.2.3` = `>=1.2.3 <1.3.0`; `~1` = `>=1.0.0 <2.0.0`; `~0.0.0` and `~*` match everything.
 * - `^1.2.3` = `>=1.2.3 <2.0.0`; `^0.2.3` = `>=0.2.3 <0.3.0`; `^0.0` = `>=0.0.0 <0.1.0`;
 *   `^0.0.3` compares only the patch (so `0.1.3` matches too: a v3.1.1 bug fixed in v3.2.0).
 * - Hyphen ranges `1.2 - 1.4.5` become `>= 1.2, <= 1.4.5`; `,` and spaces are AND, `||` is OR.
 *
 * Sources: https://github.com/Masterminds/semver/blob/v3.1.1/constraints.go and version.go.
 */
import { RE2JS } from 're2js';
import { SemVer, compare } from 'semver';

import type { SemverFilter } from './types.js';

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

// ---- Constraints --------------------------------------------------------------------------

/** Masterminds operators, in the order of v3.1.1's alternation (the order matters for matching). */
type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

const OPERATORS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT_VERSION =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';

let expressions: Record<'comparator' | 'range' | 'find' | 'valid', RE2JS> | undefined;

/**
 * The expressions, compiled with RE2 so Go's leftmost-first semantics carry over exactly and no
 * annotation can make these nested repetitions backtrack. Compiled on first use, not when the
 * module loads: the first compile costs 20-35 ms of CPU, which every start paid, `--version` and
 * runs without a semver filter included (issue 17, startup).
 */
function constraintExpressions(): NonNullable<typeof expressions> {
  return (expressions ??= {
    comparator: RE2JS.compile(`^\\s*(${OPERATORS})\\s*(${CONSTRAINT_VERSION})\\s*$`),
    range: RE2JS.compile(`\\s*(${CONSTRAINT_VERSION})\\s+-\\s+(${CONSTRAINT_VERSION})\\s*`),
    find: RE2JS.compile(`(${OPERATORS})\\s*(${CONSTRAINT_VERSION})`),
    valid: RE2JS.compile(`^(\\s*(${OPERATORS})\\s*(${CONSTRAINT_VERSION})\\s*\\,?)+$`),
  });
}

/** One comparator, as Masterminds' `constraint` struct. */
interface Comparator {
  readonly operator: Operator;
  /** The version with wildcards and missing parts set to 0. */
  readonly version: TagVersion;
  /** Some part was a wildcard or missing. */
  readonly dirty: boolean;
  /** The minor part (and so the patch) was a wildcard or missing. */
  readonly minorDirty: boolean;
  /** Only the patch part was a wildcard or missing. */
  readonly patchDirty: boolean;
}

/** A parsed constraint: OR of ANDs. */
export interface SemverConstraint {
  readonly alternatives: readonly (readonly Comparator[])[];
}

function isWildcard(part: string): boolean {
  return part === 'x' || part === 'X' || part === '*';
}

/** All matches of `regex` in `input`, as arrays of groups (null for unmatched ones). */
function findAll(regex: RE2JS, input: string): (string | null)[][] {
  const matcher = regex.matcher(input);
  const found: (string | null)[][] = [];
  while (matcher.find()) {
    const groups: (string | null)[] = [];
    // Stryker disable next-line EqualityOperator: no caller reads the last group of any of these expressions
    for (let i = 0; i <= matcher.groupCount(); i += 1) groups.push(matcher.group(i));
    found.push(groups);
  }
  return found;
}

/** Masterminds `rewriteRange`: `a - b` becomes `>= a, <= b`, replacing each first occurrence. */
function rewriteRanges(text: string): string {
  let output = text;
  for (const groups of findAll(constraintExpressions().range, text)) {
    // Stryker disable next-line StringLiteral: a matched range has both versions; the fallbacks only satisfy the type
    const replacement = `>= ${groups[1] ?? ''}, <= ${groups[11] ?? ''}`;
    // A function replacement, so `$` in the text is never read as a replacement pattern.
    // Stryker disable next-line StringLiteral: group 0 of a match is never null
    output = output.replace(groups[0] ?? '', () => replacement);
  }
  return output;
}

function parseComparator(text: string): Comparator | string {
  const groups = findAll(constraintExpressions().comparator, text)[0];
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, each piece was found by the same expression (Masterminds checks it too)
  if (groups === undefined) return `improper constraint: ${text}`;
  const operator = (groups[1] ?? '') as Operator;
  // Stryker disable next-line StringLiteral: the major part is required by the expression
  const major = groups[3] ?? '';
  const minor = groups[4] ?? '';
  const patch = groups[5] ?? '';
  const prerelease = groups[6] ?? '';
  // Stryker disable next-line StringLiteral: the version is required by the expression
  let versionText = groups[2] ?? '';
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  // Stryker disable next-line ConditionalExpression,StringLiteral: the major part is never empty (Masterminds checks it anyway)
  if (isWildcard(major) || major === '') {
    // v3.1.1 drops any pre-release here (`*-0` gained one only in v3.2.0).
    versionText = '0.0.0';
    dirty = true;
  } else if (isWildcard(minor.slice(1)) || minor === '') {
    minorDirty = true;
    dirty = true;
    versionText = `${major}.0.0${prerelease}`;
  } else if (isWildcard(patch.slice(1)) || patch === '') {
    dirty = true;
    patchDirty = true;
    versionText = `${major}${minor}.0${prerelease}`;
  }
  const version = parseTagVersion(versionText);
  // Masterminds reports "constraint Parser Error" here, e.g. for `1|2` or `1x`.
  if (version === undefined) return `cannot read version ${versionText} in ${text.trim()}`;
  return { operator, version, dirty, minorDirty, patchDirty };
}

/**
 * The longest constraint read (Masterminds sets none). Each hyphen range is rewritten by a replace
 * in the whole text, as Masterminds does, so the cost grows with the square of the length: a
 * 200,000-character constraint of `1 - ` ranges took 18 s, and a filter annotation can be 4 MiB.
 */
const MAX_CONSTRAINT_LENGTH = 1000;

/**
 * Parses a constraint as Masterminds v3.1.1's `NewConstraint`, or returns the reason it is
 * improper.
 */
export function parseSemverConstraint(text: string): SemverConstraint | { error: string } {
  if (text.length > MAX_CONSTRAINT_LENGTH) {
    return {
      error: `it is ${text.length} characters long; constraints longer than ${MAX_CONSTRAINT_LENGTH} are not read`,
    };
  }
  const alternatives: Comparator[][] = [];
  for (const segment of rewriteRanges(text).split('||')) {
    if (!constraintExpressions().valid.test(segment)) return { error: `improper constraint: ${segment}` };
    // Stryker disable next-line StringLiteral: group 0 of a match is never null
    const found = findAll(constraintExpressions().find, segment).map((groups) => groups[0] ?? '');
    // Stryker disable next-line ConditionalExpression,ArrayDeclaration: a valid segment always has a piece (Masterminds keeps the same fallback)
    const pieces = found.length === 0 ? [segment] : found;
    const comparators: Comparator[] = [];
    for (const piece of pieces) {
      const comparator = parseComparator(piece);
      if (typeof comparator === 'string') return { error: comparator };
      comparators.push(comparator);
    }
    alternatives.push(comparators);
  }
  return { alternatives };
}

/** True when `version` satisfies `constraint` (Masterminds `Constraints.Check`). */
export function satisfiesConstraint(version: TagVersion, constraint: SemverConstraint): boolean {
  return constraint.alternatives.some((comparators) =>
    comparators.every((comparator) => OPERATOR_CHECKS[comparator.operator](version, comparator)),
  );
}

type Check = (v: TagVersion, c: Comparator) => boolean;

/** Masterminds' issue #21 rule, applied by each operator to its own comparator. */
function rejectsPrerelease(v: TagVersion, c: Comparator): boolean {
  return v.prerelease !== '' && c.version.prerelease === '';
}

const notEqual: Check = (v, c) => {
  if (c.dirty) {
    if (rejectsPrerelease(v, c)) return false;
    if (c.version.major !== v.major) return true;
    if (c.version.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    // Stryker disable next-line ConditionalExpression: only `!=*` gets here, and the comparison at the end answers the same
    if (c.version.patch !== v.patch && !c.patchDirty) return true;
    // Stryker disable next-line ConditionalExpression: only `!=*` gets here (never patch-dirty), and the comparison at the end answers the same
    if (c.patchDirty) return v.prerelease !== c.version.prerelease;
  }
  return compareVersions(v, c.version) !== 0;
};

const greaterThan: Check = (v, c) => {
  if (rejectsPrerelease(v, c)) return false;
  // Stryker disable next-line ConditionalExpression: without wildcards the steps below come to the same comparison (Masterminds' shortcut)
  if (!c.dirty) return compareVersions(v, c.version) > 0;
  if (v.major > c.version.major) return true;
  if (v.major < c.version.major) return false;
  // `>11` needs 12 or higher; `>11.1` needs 11.2 or higher.
  if (c.minorDirty) return false;
  if (c.patchDirty) return v.minor > c.version.minor;
  return compareVersions(v, c.version) > 0;
};

const lessThan: Check = (v, c) => !rejectsPrerelease(v, c) && compareVersions(v, c.version) < 0;

const greaterThanOrEqual: Check = (v, c) => !rejectsPrerelease(v, c) && compareVersions(v, c.version) >= 0;

const lessThanOrEqual: Check = (v, c) => {
  if (rejectsPrerelease(v, c)) return false;
  if (!c.dirty) return compareVersions(v, c.version) <= 0;
  // `<=1.2` means anything up to 1.2.x; `<=1` anything up to 1.x.x.
  if (v.major > c.version.major) return false;
  if (v.major === c.version.major && v.minor > c.version.minor && !c.minorDirty) return false;
  return true;
};

const tilde: Check = (v, c) => {
  if (rejectsPrerelease(v, c)) return false;
  if (compareVersions(v, c.version) < 0) return false;
  // `~0.0.0` (and `~*`) accept everything at or above 0.0.0.
  const { major, minor, patch } = c.version;
  if (major === 0 && minor === 0 && patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== major) return false;
  if (v.minor !== minor && !c.minorDirty) return false;
  return true;
};

const tildeOrEqual: Check = (v, c) => {
  // Stryker disable next-line ConditionalExpression: both branches below refuse the same pre-releases
  if (rejectsPrerelease(v, c)) return false;
  if (c.dirty) return tilde(v, c);
  return compareVersions(v, c.version) === 0;
};

const caret: Check = (v, c) => {
  if (rejectsPrerelease(v, c)) return false;
  if (compareVersions(v, c.version) < 0) return false;
  if (c.version.major > 0 || c.minorDirty) return v.major === c.version.major;
  if (v.major > 0) return false;
  if (c.version.minor > 0 || c.patchDirty) return v.minor === c.version.minor;
  // v3.1.1 compares only the patch here, so `^0.0.3` also accepts 0.1.3 (fixed in v3.2.0).
  return v.patch === c.version.patch;
};

const OPERATOR_CHECKS: Record<Operator, Check> = {
  '': tildeOrEqual,
  '=': tildeOrEqual,
  '!=': notEqual,
  '>': greaterThan,
  '<': lessThan,
  '>=': greaterThanOrEqual,
  '=>': greaterThanOrEqual,
  '<=': lessThanOrEqual,
  '=<': lessThanOrEqual,
  '~': tilde,
  '~>': tilde,
  '^': caret,
};

// ---- Ordering and the filter --------------------------------------------------------------

/**
 * Flux v1's `NewerBySemver` as a sort comparator (negative: `a` first). Higher versions first;
 * equal versions (`1.10` and `1.10.0`) put the lexically greater tag first; tags that are not
 * versions go last, in ascending order.
 */
export function compareTagsByVersion(a: string, b: string): number {
  const left = parseTagVersion(a);
  const right = parseTagVersion(b);
  if (left === undefined && right === undefined) return compareStrings(a, b);
  if (left === undefined) return 1;
  if (right === undefined) return -1;
  const order = compareVersions(right, left);
  return order !== 0 ? order : compareStrings(b, a);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the semver filter for a constraint (prefix already removed). */
export function buildSemverFilter(pattern: string, value: string): SemverFilter {
  const parsed = parseSemverConstraint(pattern);
  const base = {
    kind: 'semver' as const,
    value,
    pattern,
    requiresTimestamp: false as const,
    compareTags: compareTagsByVersion,
  };
  if ('error' in parsed) {
    // A constraint too long to read is not quoted back whole.
    const shown = value.length > MAX_CONSTRAINT_LENGTH ? `${value.slice(0, 40)}…` : value;
    return {
      ...base,
      valid: false,
      // Flux v1 keeps an unparsable constraint as nil, and a nil constraint accepts every version
      // (pkg/policy/pattern.go `SemverPattern.Matches`).
      matches: (tag) => parseTagVersion(tag) !== undefined,
      problem:
        (pattern === ''
          ? `filter \`${value}\` has an empty semver constraint`
          : `filter \`${shown}\` is not a valid semver constraint (${parsed.error})`) +
        '; like Flux v1, it then matches every version tag, pre-releases included',
    };
  }
  return {
    ...base,
    valid: true,
    matches: (tag) => {
      const version = parseTagVersion(tag);
      return version !== undefined && satisfiesConstraint(version, parsed);
    },
  };
}
