/**
 * Masterminds/semver v3.1.1's per-operator rules (`constraints.go`), which decide whether a version
 * satisfies a constraint read by semver-constraint.ts; how they differ from npm's ranges is listed
 * in semver-filter.ts's header. Apart from semver-constraint.ts because these check versions, one
 * rule per operator, where that file only reads the constraint's text. Pure.
 */
import type { Comparator, Operator, SemverConstraint } from './semver-constraint.js';
import { compareVersions, type TagVersion } from './tag-version.js';

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
