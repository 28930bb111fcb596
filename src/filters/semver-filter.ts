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
 * The parts: tags read as versions are in tag-version.ts (1), constraints read in
 * semver-constraint.ts (2), the per-operator rules above in semver-operators.ts; this file orders
 * tags and builds the filter, and re-exports the rest for the modules that import it from here.
 *
 * Sources: https://github.com/Masterminds/semver/blob/v3.1.1/constraints.go and version.go.
 */
import { MAX_CONSTRAINT_LENGTH, parseSemverConstraint } from './semver-constraint.js';
import { compareVersions, parseTagVersion } from './tag-version.js';
import { satisfiesConstraint } from './semver-operators.js';
import type { SemverFilter } from './types.js';

export { parseSemverConstraint, type SemverConstraint } from './semver-constraint.js';
export { satisfiesConstraint } from './semver-operators.js';
export { compareVersions, parseTagVersion, type TagVersion } from './tag-version.js';

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

/** Three constraints that Masterminds v3.1.1 reads, covering the common shapes. */
const SEMVER_SYNTAX_HINT = 'constraints look like `~1.2`, `^1` or `>=1.0 <2.0`';

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
      // Only what Flux v1 did: the caller says what this updater does about it (it holds the
      // release). A constraint refused for its length needs shortening, not the syntax hint.
      problem:
        (pattern === ''
          ? `filter \`${value}\` has an empty semver constraint; ${SEMVER_SYNTAX_HINT}`
          : `filter \`${shown}\` is not a valid semver constraint (${parsed.error})` +
            (pattern.length > MAX_CONSTRAINT_LENGTH ? '' : `; ${SEMVER_SYNTAX_HINT}`)) +
        '; Flux v1 would have matched every version tag with it, pre-releases included',
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
