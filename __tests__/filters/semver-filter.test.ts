import { describe, expect, it } from '@jest/globals';

import { MAX_CONSTRAINT_LENGTH } from '../../src/filters/semver-constraint.js';
import {
  buildSemverFilter,
  compareTagsByVersion,
  parseSemverConstraint,
  parseTagVersion,
  satisfiesConstraint,
} from '../../src/filters/semver-filter.js';

/** Checks a version against a constraint the way Masterminds' `NewConstraint(c).Check(v)` does. */
function check(constraint: string, version: string): boolean {
  const parsed = parseSemverConstraint(constraint);
  if ('error' in parsed) throw new Error(parsed.error);
  const tagVersion = parseTagVersion(version);
  if (tagVersion === undefined) throw new Error(`not a version: ${version}`);
  return satisfiesConstraint(tagVersion, parsed);
}

describe('parseTagVersion (Masterminds NewVersion)', () => {
  it.each([
    // tag, strict form, or undefined when Masterminds rejects it
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['1.2', '1.2.0'],
    ['1', '1.0.0'],
    ['v1', '1.0.0'],
    ['01.02.03', '1.2.3'],
    ['1.2-beta.1', '1.2.0-beta.1'],
    ['1.2.3-rc.0', '1.2.3-rc.0'],
    ['1.2.3+build.5', '1.2.3+build.5'],
    ['1.2.3+build.55.exp', '1.2.3+build.55.exp'],
    ['v2.3.5-20161202202307-sha.e8fc5e5', '2.3.5-20161202202307-sha.e8fc5e5'],
    ['1.2.3.4', undefined],
    ['latest', undefined],
    ['1.2.3-01', undefined],
    // A numeric pre-release identifier may not start with 0, in any position; `0` itself and
    // alphanumeric identifiers such as `0a` may.
    ['1.2.3-rc.01', undefined],
    ['1.2.3-00', undefined],
    ['1.2.3-rc.1.010', undefined],
    ['1.2.3-0', '1.2.3-0'],
    ['1.2.3-rc.0.1', '1.2.3-rc.0.1'],
    ['1.2.3-0a', '1.2.3-0a'],
    ['1.2.3-rc.10', '1.2.3-rc.10'],
    // Leading zeros in the numbers themselves are read as Masterminds' strconv does.
    ['1.02', '1.2.0'],
    ['1.2.03', '1.2.3'],
    // Parts above 2^53 are refused, whichever part they are in.
    ['9007199254740993.0.0', undefined],
    ['1.9007199254740993.0', undefined],
    ['1.0.9007199254740993', undefined],
    ['9007199254740991.0.0', '9007199254740991.0.0'],
    ['1.2.3-', undefined],
    ['V1.2.3', undefined],
    ['1.2.3-beta_1', undefined],
    ['master-abc123', undefined],
    ['x1.2.3', undefined],
    ['vv1.2.3', undefined],
    ['10.20.30', '10.20.30'],
    ['1.2.3-rc-1', '1.2.3-rc-1'],
    ['1.2.3-rc.1+build-5.x.y', '1.2.3-rc.1+build-5.x.y'],
    ['1.2.3+', undefined],
    ['1.2.3+a..b', undefined],
    ['1.2.3-rc..1', undefined],
    ['1.', undefined],
    ['.1', undefined],
    ['1..2', undefined],
    ['v', undefined],
    ['', undefined],
    // Longer than the `semver` package reads (256 characters): Masterminds reads it, but no Docker
    // tag is longer than 128, so no filter could pick it either way; it is no version here, and
    // reading it must not throw (a registry can list anything).
    ['1.2.3-' + 'a'.repeat(250), '1.2.3-' + 'a'.repeat(250)],
    ['1.2.3-' + 'a'.repeat(251), undefined],
  ])('%s -> %s', (tag, expected) => {
    expect(parseTagVersion(tag)?.semver.raw).toBe(expected);
  });
});

// Masterminds/semver constraints_test.go `TestConstraintsCheck` (and the `TestConstraintCheck` rows
// that go through NewConstraint), whose answers are the same at v3.1.1.
describe('Masterminds constraints_test.go cases', () => {
  it.each([
    ['*', '1.2.3', true],
    ['~0.0.0', '1.2.3', true],
    ['0.x.x', '1.2.3', false],
    ['0.0.x', '1.2.3', false],
    ['0.0.0', '1.2.3', false],
    ['^0.0.0', '1.2.3', false],
    ['= 2.0', '1.2.3', false],
    ['= 2.0', '2.0.0', true],
    ['=2.0', '2.0.1', true],
    ['4.1', '4.1.0', true],
    ['4.1.x', '4.1.3', true],
    ['1.x', '1.4', true],
    ['!=4.1', '4.1.0', false],
    ['!=4.1', '4.1.1', false],
    ['!=4.1', '5.1.0-alpha.1', false],
    ['!=4.1-alpha', '4.1.0-alpha', false],
    ['!=4.1-alpha', '4.1.1-alpha', false],
    ['!=4.1-alpha', '4.1.0', true],
    ['!=4.1', '5.1.0', true],
    ['!=4.x', '5.1.0', true],
    ['!=4.x', '4.1.0', false],
    ['!=4.1.x', '4.2.0', true],
    ['!=4.2.x', '4.2.3', false],
    ['!=4.1.0', '4.1.0', false],
    ['!=4.1.0', '4.1.1', true],
    ['<11', '0.1.0', true],
    ['<11', '11.1.0', false],
    ['<=11', '11.2.3', true],
    ['<=11', '12.2.3', false],
    ['>1.1', '4.1.0', true],
    ['>1.1', '1.1.0', false],
    ['>0', '0', false],
    ['>0', '1', true],
    ['>0', '0.0.1-alpha', false],
    ['>0-0', '0.0.1-alpha', false],
    ['>0.0.0-0', '0.0.0-alpha', true],
    ['>1.2.3-alpha.1', '1.2.3-alpha.2', true],
    ['>1.2.3-alpha.1', '1.3.3-alpha.2', true],
    ['>11', '11.1.0', false],
    ['>11.1', '11.1.1', false],
    ['>11.1', '11.2.1', true],
    ['>=11', '11.1.2', true],
    ['>=11.1', '11.0.2', false],
    ['>=0', '0.0.1-alpha', false],
    ['>=0-0', '0.0.1-alpha', true],
    ['>=0.0.0-0', '1.2.3', true],
    ['>=0.0.0-0', '3.4.5-beta.1', true],
    ['<0', '0.0.0-alpha', false],
    ['<0-z', '0.0.0-alpha', true],
    ['=0', '1', false],
    ['*', '1.2.3-alpha.1', false],
    ['2.*', '3.4.5', false],
    ['2.1.*', '2.2.1', false],
    ['<1.1', '0.1.0', true],
    ['<1.1', '1.1.0', false],
    ['<1.1', '1.1.1', false],
    ['<1.x', '1.1.1', false],
    ['<1.x', '0.1.1', true],
    ['<1.x', '2.0.0', false],
    ['<1.1.x', '1.2.1', false],
    ['<1.1.x', '1.1.500', false],
    ['<1.1.x', '1.0.500', true],
    ['<1.2.x', '1.1.1', true],
    ['>=1.1', '4.1.0', true],
    ['>=1.1', '4.1.0-beta', false],
    ['>=1.1', '1.1.0', true],
    ['>=1.1', '0.0.9', false],
    ['<=1.1', '0.1.0', true],
    ['<=1.1', '0.1.0-alpha', false],
    ['<=1.1-a', '0.1.0-alpha', true],
    ['<=1.1', '1.1.0', true],
    ['<=1.x', '1.1.0', true],
    ['<=2.x', '3.0.0', false],
    ['<=1.1', '1.1.1', true],
    ['<=1.1', '1.2.3', false],
    ['<=1.1.x', '1.2.500', false],
    ['<=4.5', '3.4.0', true],
    ['<=4.5', '3.7.0', true],
    ['<=4.5', '4.6.3', false],
    ['>1.1, <2', '1.1.1', false],
    ['>1.1, <2', '1.2.1', true],
    ['>1.1, <3', '4.3.2', false],
    ['>=1.1, <2, !=1.2.3', '1.2.3', false],
    ['>1.1 <2', '1.2.1', true],
    ['>1.1    <3', '4.3.2', false],
    ['>=1.1    <2    !=1.2.3', '1.2.3', false],
    ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
    ['>=1.1, <2, !=1.2.3 || > 3', '3.1.2', false],
    ['>=1.1, <2, !=1.2.3 || >= 3', '3.0.0', true],
    ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
    ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
    ['>=1.1 <2 !=1.2.3 || > 3', '4.1.2', true],
    ['> 1.1, <     2', '1.1.1', false],
    ['>   1.1, <2', '1.2.1', true],
    ['>= 1.1 <2 != 1.2.3 || >= 3', '3.0.0', true],
    ['1.1 - 2', '1.1.1', true],
    ['1.5.0 - 4.5', '3.7.0', true],
    ['1.1-3', '4.3.2', false],
    ['^1.1', '1.1.1', true],
    ['^1.1', '4.3.2', false],
    ['^1.x', '1.1.1', true],
    ['^2.x', '1.1.1', false],
    ['^1.x', '2.1.1', false],
    ['^1.x', '1.1.1-beta1', false],
    ['^1.1.2-alpha', '1.2.1-beta1', true],
    ['^1.2.x-alpha', '1.1.1-beta1', false],
    ['^1.2.3', '1.8.9', true],
    ['^1.2.3', '2.8.9', false],
    ['^1.2.3', '1.2.1', false],
    ['^1.1.0', '2.1.0', false],
    ['^1.2.0', '1.2.1-alpha.1', false],
    ['^1.2.0-alpha.0', '1.2.1-alpha.1', true],
    ['^1.2.0-alpha.2', '1.2.0-alpha.1', false],
    ['^0.2.3', '0.2.5', true],
    ['^0.2.3', '0.5.6', false],
    ['^0.2', '0.5.6', false],
    ['^0.0.3', '0.0.3', true],
    ['^0.0.3', '0.0.4', false],
    ['^0.0', '0.0.3', true],
    ['^0.0', '0.1.4', false],
    ['^0.0', '1.0.4', false],
    ['^0', '0.2.3', true],
    ['^0', '1.1.4', false],
    ['^0.0.1', '0.0.1', true],
    ['^0.2.3-beta.2', '0.2.4-beta.2', true],
    ['^0.2.3-beta.2', '0.3.4-beta.2', false],
    ['~*', '2.1.1', true],
    ['~1', '2.1.1', false],
    ['~1', '1.3.5', true],
    ['~1', '1.3.5-beta', false],
    ['~1', '1.4', true],
    ['~1.x', '2.1.1', false],
    ['~1.x', '1.3.5', true],
    ['~1.1', '1.1.1', true],
    ['~1.1', '1.1.1-alpha', false],
    ['~1.1-alpha', '1.1.1-beta', true],
    ['~1.1.1-beta', '1.1.1-alpha', false],
    ['~1.1.1-beta', '1.1.1', true],
    ['~1.3.6-alpha', '1.3.5-beta', false],
    ['~1.3.5-alpha', '1.3.5-beta', true],
    ['~1.2.3', '1.2.5', true],
    ['~1.2.3', '1.2.2', false],
    ['~1.2.3', '1.3.2', false],
    ['~1.1', '1.2.3', false],
    ['~1.3', '2.4.5', false],
    ['~0.2.3', '0.3.5', false],
    // Masterminds notes these differ from npm: pre-releases are not scoped to one patch release.
    ['~1.2.3-beta.2', '1.2.4-beta.2', true],
    ['~1.2.3-beta.2', '1.3.4-beta.2', false],
  ])('%s with %s -> %s', (constraint, version, expected) => {
    expect(check(constraint, version)).toBe(expected);
  });
});

// Each operator at the edges of its range, for every way a part can be missing or a wildcard
// (Masterminds v3.1.1 constraints.go, one function per operator).
describe('operators at the edges of their ranges', () => {
  it.each([
    // `>`: a missing part is a wildcard, so `>1` needs 2.0.0 and `>1.2` needs 1.3.0.
    ['>1.2.3', '1.2.4', true],
    ['>1.2.3', '1.2.3', false],
    ['>1.2.3', '1.2.2', false],
    ['>1', '0.9.0', false],
    ['>1', '1.9.9', false],
    ['>1', '2.0.0', true],
    ['>1.2', '1.1.0', false],
    ['>2.1', '1.5.0', false],
    ['>1.2', '1.2.9', false],
    ['>1.2', '1.3.0', true],
    ['>1.2', '2.0.0', true],
    ['>1.2.x', '1.2.5', false],
    ['>1.2.x', '1.3.0', true],
    ['>*', '0.0.0', false],
    ['>*', '0.0.1', true],
    ['>x', '0.1.0', true],
    ['>1', '2.0.0-rc.1', false],
    ['>1.2.3-rc.1', '1.2.3-rc.1', false],
    ['>1.2.3-rc.1', '1.2.3-rc.2', true],
    ['>1.2.3-rc.1', '1.2.3', true],
    ['>1-rc.1', '2.0.0-beta', true],
    ['>1-rc.1', '1.5.0', false],
    ['>1.2-rc', '1.3.0-a', true],
    ['>1.2-rc', '1.2.5', false],
    // `>=` and `=>`
    ['>=1.2.3', '1.2.3', true],
    ['>=1.2.3', '1.2.2', false],
    ['=>1.2.3', '1.2.3', true],
    ['=>1.2.3', '1.2.2', false],
    ['>=1.2.3', '1.2.4-rc.1', false],
    // `<`
    ['<1.2.3', '1.2.2', true],
    ['<1.2.3', '1.2.3', false],
    ['<1.2.3', '1.2.2-rc.1', false],
    ['<1.2.3-rc.2', '1.2.3-rc.1', true],
    // `<=` and `=<`: `<=1.2` means anything up to 1.2.x, `<=1` anything up to 1.x.x.
    ['<=1.2.3', '1.2.3', true],
    ['<=1.2.3', '1.2.4', false],
    ['=<1.2.3', '1.2.3', true],
    ['=<1.2.3', '1.2.4', false],
    ['<=1.2', '1.2.9', true],
    ['<=1.2', '1.3.0', false],
    ['<=1.2', '0.9.0', true],
    ['<=1.2', '2.0.0', false],
    ['<=1', '1.9.9', true],
    ['<=1', '2.0.0', false],
    ['<=1.2.x', '1.2.9', true],
    ['<=1.2.x', '1.3.0', false],
    ['<=*', '0.0.5', true],
    ['<=*', '0.5.0', false],
    ['<=*', '5.0.0', false],
    ['<=1.2', '1.2.0-rc.1', false],
    // `=` and a bare version: exact unless a part is missing, then `~`.
    ['=1.2.3', '1.2.3', true],
    ['=1.2.3', '1.2.4', false],
    ['1.2.3', '1.2.3+build.7', true],
    ['1.2.3', '1.2.3-rc.1', false],
    ['1.2.3-rc.1', '1.2.3-rc.1', true],
    ['1.2.3-rc.1', '1.2.3', false],
    ['=1.2', '1.2.7', true],
    ['=1.2', '1.3.0', false],
    ['=1', '1.7.0', true],
    ['=1', '2.0.0', false],
    ['1.x', '1.7.0', true],
    ['1.x', '0.7.0', false],
    // `!=`
    ['!=1.2.3', '1.2.4', true],
    ['!=1.2.3', '1.2.3', false],
    ['!=1.2.3', '1.2.3-rc.1', true],
    ['!=1.2.3-rc.1', '1.2.3-rc.1', false],
    ['!=1.2.3-rc.1', '1.2.3-rc.2', true],
    ['!=1.2.x', '1.2.0', false],
    ['!=1.2.x', '1.3.0', true],
    ['!=1.2.x', '2.2.0', true],
    ['!=1.2.x', '1.2.0-rc.1', false],
    ['!=1.2.x-rc.1', '1.2.0-rc.1', false],
    ['!=1.2.x-rc.1', '1.2.0-rc.2', true],
    ['!=1.2.x-rc.1', '1.2.0', true],
    ['!=1.x', '1.5.0', false],
    ['!=1.x', '2.0.0', true],
    ['!=*', '1.0.0', true],
    ['!=*', '0.0.0', false],
    ['!=*', '0.1.0', true],
    ['!=*', '0.0.1', true],
    // `~` and `~>`: the same major (and minor, when given) at or above the version.
    ['~1.2.3', '1.2.3', true],
    ['~>1.2.3', '1.2.9', true],
    ['~>1.2.3', '1.3.0', false],
    ['~>1.2.3', '1.2.2', false],
    ['~1', '1.0.0', true],
    ['~1', '0.9.0', false],
    ['~0', '0.5.0', true],
    ['~0', '1.0.0', false],
    ['~0.0', '0.0.5', true],
    ['~0.0', '0.1.0', false],
    ['~0.0.0', '5.0.0', true],
    ['~0.0.0', '0.0.0-rc.1', false],
    ['~0.0.0-0', '0.0.1-rc.1', true],
    ['~1.2', '1.2.0', true],
    ['~1.2', '1.1.9', false],
    // Only `~0.0.0` itself accepts everything above it.
    ['~1.0.0', '2.0.0', false],
    ['~0.1.0', '0.2.0', false],
    ['~0.0.1', '0.1.0', false],
    ['~1.2.0', '1.3.0', false],
    ['~1.0.5', '2.0.0', false],
    ['~0.0', '1.0.0', false],
    // Every wildcard, in every part.
    ['x', '3.0.0', true],
    ['X', '3.0.0', true],
    ['1.x', '1.5.0', true],
    ['1.X', '1.5.0', true],
    ['1.*', '1.5.0', true],
    ['1.X', '2.0.0', false],
    ['1.2.x', '1.2.5', true],
    ['1.2.X', '1.2.5', true],
    ['1.2.*', '1.2.5', true],
    ['1.2.X', '1.3.0', false],
    ['~1.X', '1.9.0', true],
    ['^1.2.X', '1.9.0', true],
    // `^`
    ['^1.2.3', '1.2.3', true],
    ['^1.2.3', '1.9.0', true],
    ['^1.2.3', '2.0.0', false],
    ['^1', '1.9.0', true],
    ['^1', '2.0.0', false],
    ['^0.2.3', '0.2.3', true],
    ['^0.2.3', '0.2.2', false],
    ['^0.2.3', '0.3.0', false],
    ['^0.2.3', '1.2.3', false],
    ['^0', '0.9.0', true],
    ['^0', '1.0.0', false],
    ['^0.0', '0.0.9', true],
    ['^0.0', '0.1.0', false],
    ['^0.0.x', '0.0.9', true],
    ['^0.0.x', '0.1.0', false],
    ['^0.0.3', '0.0.3', true],
    ['^0.0.3', '0.0.4', false],
    ['^0.0.3', '1.0.3', false],
    ['^1.2.3', '1.3.0-rc.1', false],
  ])('%s with %s -> %s', (constraint, version, expected) => {
    expect(check(constraint, version)).toBe(expected);
  });
});

// Hyphen ranges become `>= a, <= b` before anything else is read; `,` and spaces are AND, `||` OR.
describe('constraint rewriting', () => {
  it.each([
    // constraint, versions inside, versions outside
    ['1.2.3 - 2.3.4', ['1.2.3', '2.0.0', '2.3.4'], ['1.2.2', '2.3.5']],
    ['1.2 - 2', ['1.2.0', '2.9.9'], ['1.1.9', '3.0.0']],
    ['v1.2.3 - v2.3.4', ['1.2.3', '2.3.4'], ['1.2.2', '2.3.5']],
    ['1.0.0-rc.1 - 1.0.0-rc.9', ['1.0.0-rc.1', '1.0.0-rc.5'], ['1.0.0-rc.10', '1.0.0', '0.9.0']],
    // Each comparator refuses pre-releases unless it has one itself: here `<= 1.0.0` has none.
    ['1.0.0-rc.1 - 1.0.0', ['1.0.0'], ['1.0.0-rc.5', '1.0.1']],
    ['1 - 2 || 4 - 5', ['1.0.0', '2.5.0', '4.0.0', '5.9.0'], ['3.0.0', '6.0.0']],
    ['1 - 2 || 1 - 2', ['1.5.0'], ['3.0.0']],
    ['1 - 2, !=1.5.0', ['1.4.0', '1.6.0'], ['1.5.0']],
    ['>=1 <2 || ^3', ['1.5.0', '3.5.0'], ['2.5.0', '4.0.0']],
    ['>=1,<2', ['1.5.0'], ['2.0.0', '0.9.0']],
    ['  >=1  ', ['1.5.0'], ['0.9.0']],
  ])('%j', (constraint, inside, outside) => {
    for (const version of inside) expect([version, check(constraint, version)]).toEqual([version, true]);
    for (const version of outside) expect([version, check(constraint, version)]).toEqual([version, false]);
  });

  it.each([
    // constraint, the reason given
    ['>= bar', 'improper constraint: >= bar'],
    ['>=1 || foo', 'improper constraint:  foo'],
    // The comparators alone would read `>=1.0.0` and skip the rest; the whole segment must be them.
    ['>=1.0.0 foo', 'improper constraint: >=1.0.0 foo'],
    ['1|2', 'cannot read version 1|2.0.0 in 1|2'],
    ['1.2.3-01', 'cannot read version 1.2.3-01 in 1.2.3-01'],
    ['>=1.0.0-01', 'cannot read version 1.0.0-01 in >=1.0.0-01'],
    ['>=1, 1|2', 'cannot read version 1|2.0.0 in 1|2'],
  ])('%j is improper: %s', (constraint, error) => {
    expect(parseSemverConstraint(constraint)).toEqual({ error });
  });
});

// Rows of Masterminds' current tests whose answer changed after v3.1.1, which Flux v1 used. Kept
// here so the difference is deliberate, not accidental.
describe('Masterminds v3.1.1 behaviour that later versions changed', () => {
  it.each([
    // v3.2.0 (#176) kept the pre-release on `*-0`; v3.1.1 drops it, so pre-releases are refused.
    ['*-0', '1.2.3-alpha.1', false],
    // v3.2.0 (#181) added the minor check to `^0.0.z`; v3.1.1 compares only the patch.
    ['^0.0.1', '0.1.1', true],
    ['^0.0.1', '0.3.1', true],
  ])('%s with %s -> %s', (constraint, version, expected) => {
    expect(check(constraint, version)).toBe(expected);
  });

  it.each([
    // v3.2.0 (#186) began requiring a separator between comparators.
    ['>1.2<2', '1.5.0', true],
    ['12.3.34~ 1.2.3', '12.3.34', false],
  ])('accepts %s (no separator) and checks %s -> %s', (constraint, version, expected) => {
    expect(check(constraint, version)).toBe(expected);
  });
});

// The README of Masterminds/semver v3.1.1: each documented form, with versions inside and outside.
describe('Masterminds README forms', () => {
  it.each([
    ['>= 1.2, < 3.0.0 || >= 4.2.3', ['1.2.0', '2.9.9', '4.2.3', '5.0.0'], ['1.1.9', '3.0.0', '4.2.2']],
    ['1.2 - 1.4.5', ['1.2.0', '1.4.5'], ['1.1.9', '1.4.6', '1.5.0']],
    ['2.3.4 - 4.5', ['2.3.4', '4.5.9'], ['2.3.3', '4.6.0']],
    ['1.2.x', ['1.2.0', '1.2.99'], ['1.3.0', '1.1.9']],
    ['>= 1.2.x', ['1.2.0', '9.0.0'], ['1.1.9']],
    ['<= 2.x', ['2.99.0', '0.1.0'], ['3.0.0']],
    ['*', ['0.0.0', '99.0.0'], ['1.0.0-rc.1']],
    ['~1.2.3', ['1.2.3', '1.2.9'], ['1.2.2', '1.3.0']],
    ['~1', ['1.0.0', '1.9.9'], ['2.0.0', '0.9.9']],
    ['~2.3', ['2.3.0', '2.3.9'], ['2.4.0', '2.2.9']],
    ['~1.2.x', ['1.2.0', '1.2.9'], ['1.3.0']],
    ['~1.x', ['1.0.0', '1.9.0'], ['2.0.0']],
    ['^1.2.3', ['1.2.3', '1.9.9'], ['1.2.2', '2.0.0']],
    ['^1.2.x', ['1.2.0', '1.9.9'], ['1.1.9', '2.0.0']],
    ['^2.3', ['2.3.0', '2.9.9'], ['2.2.9', '3.0.0']],
    ['^2.x', ['2.0.0', '2.9.9'], ['1.9.9', '3.0.0']],
    ['^0.2.3', ['0.2.3', '0.2.9'], ['0.2.2', '0.3.0']],
    ['^0.2', ['0.2.0', '0.2.9'], ['0.3.0', '0.1.9']],
    ['^0.0.3', ['0.0.3'], ['0.0.4', '0.0.2']],
    ['^0.0', ['0.0.0', '0.0.9'], ['0.1.0']],
    ['^0', ['0.0.0', '0.9.9'], ['1.0.0']],
    ['>=1.0.0-0', ['1.0.0-rc.1', '1.0.0', '2.0.0-beta'], ['0.9.9', '0.9.9-rc.1']],
  ])('%s', (constraint, inside, outside) => {
    for (const version of inside) expect([version, check(constraint, version)]).toEqual([version, true]);
    for (const version of outside) expect([version, check(constraint, version)]).toEqual([version, false]);
  });
});

describe('parseSemverConstraint (Masterminds NewConstraint)', () => {
  it.each([
    // constraint, OR-groups, comparators in the first group; or undefined when improper
    ['>= 1.1', 1, 1],
    ['>40.50.60, < 50.70', 1, 2],
    ['2.0', 1, 1],
    ['v2.3.5-20161202202307-sha.e8fc5e5', 1, 1],
    ['>= 1.2.3 < 2.0', 1, 2],
    ['>= 1.2.3 < 2.0 || => 3.0 < 4', 2, 2],
    ['>= 1.2.3, < 2.0 || => 3.0, < 4', 2, 2],
    ['3 - 4 || => 3.0, < 4', 2, 2],
    ['=< 1.2', 1, 1],
    ['~> 1.2', 1, 1],
    ['>= bar', undefined, undefined],
    ['BAR >= 1.2.3', undefined, undefined],
    ['foo', undefined, undefined],
    ['', undefined, undefined],
    ['~>1.x.y', undefined, undefined],
    ['1|2', undefined, undefined],
    ['1.2.3-01', undefined, undefined],
  ])('%j', (constraint, ors, first) => {
    const parsed = parseSemverConstraint(constraint);
    if (ors === undefined) {
      expect(parsed).toHaveProperty('error');
    } else {
      if ('error' in parsed) throw new Error(parsed.error);
      expect([parsed.alternatives.length, parsed.alternatives[0]?.length]).toEqual([ors, first]);
    }
  });

  it.each([
    // length, the error (none: it is read)
    [MAX_CONSTRAINT_LENGTH, undefined],
    [MAX_CONSTRAINT_LENGTH + 1, 'it is 1,001 characters long; constraints longer than 1,000 are not read'],
  ])('a constraint of %d characters is read unless: %j', (length, error) => {
    // Masterminds allows space after a comparator, so the padding keeps it valid.
    const constraint = '>=1.0.0'.padEnd(length, ' ');
    expect(parseSemverConstraint(constraint)).toEqual(
      error === undefined ? { alternatives: [[expect.objectContaining({ operator: '>=' })]] } : { error },
    );
  });

  it('reads a long adversarial constraint without backtracking', () => {
    // Nested repetition over digits is exponential for a backtracking engine; RE2 is linear.
    const parsed = parseSemverConstraint(`${'1'.repeat(5000)}!`);
    expect(parsed).toHaveProperty('error');
  });
});

describe('buildSemverFilter', () => {
  it.each([
    // constraint, tags, matching tags
    [
      '~4.0',
      ['4.0.3', '4.0.9', 'v4.0.5', '4.1.0', '4.0.10-rc.1', 'latest', '4.0'],
      ['4.0.3', '4.0.9', 'v4.0.5', '4.0'],
    ],
    ['~2.3', ['v2.3.1', 'v2.3.2', 'v2.4.0', 'v2.3.3-rc.0'], ['v2.3.1', 'v2.3.2']],
    ['*', ['1.0.0', '1.0.0-rc.1', 'main'], ['1.0.0']],
    ['>=1.0.0-0', ['1.0.0', '1.0.0-rc.1', '0.9.0'], ['1.0.0', '1.0.0-rc.1']],
  ])('semver:%s selects the right tags', (constraint, tags, expected) => {
    const filter = buildSemverFilter(constraint, `semver:${constraint}`);
    expect(filter.problem).toBeUndefined();
    expect(tags.filter((tag) => filter.matches(tag))).toEqual(expected);
  });

  it.each(['~>1.x.y', '', 'latest', '>= bar'])(
    'an invalid constraint %j matches every version tag, pre-releases included, and says so',
    (constraint) => {
      const filter = buildSemverFilter(constraint, `semver:${constraint}`);
      expect(filter.valid).toBe(false);
      expect(filter.problem).toMatch(
        /Flux v1 would have matched every version tag with it, pre-releases included$/,
      );
      expect(['1.0.0', '2.0.0-rc.1', 'v3', 'latest', 'main'].filter((tag) => filter.matches(tag))).toEqual([
        '1.0.0',
        '2.0.0-rc.1',
        'v3',
      ]);
    },
  );

  it.each([
    // annotation value length, how the problem quotes it
    [MAX_CONSTRAINT_LENGTH, 'whole'],
    [MAX_CONSTRAINT_LENGTH + 1, 'by its first 40 characters'],
  ])('an improper filter value of %d characters is quoted %s', (length, _how) => {
    const value = 'semver:>= bar'.padEnd(length, 'x');
    const filter = buildSemverFilter(value.slice('semver:'.length), value);
    const shown = length > MAX_CONSTRAINT_LENGTH ? `${value.slice(0, 40)}…` : value;
    expect(filter.valid).toBe(false);
    expect(filter.problem).toContain(`filter \`${shown}\` is not a valid semver constraint (`);
  });
});

describe('the syntax hint of an invalid constraint', () => {
  const HINT = 'constraints look like `~1.2`, `^1` or `>=1.0 <2.0`';

  it.each([
    // constraint, whether the problem shows the hint
    ['~>1..2', true],
    ['', true],
    ['>= bar', true],
    // Refused for its length, not its syntax: the fix is to shorten it.
    ['1 - '.repeat(MAX_CONSTRAINT_LENGTH), false],
  ])('%j: hint shown %s', (constraint, shown) => {
    const problem = buildSemverFilter(constraint, `semver:${constraint}`).problem!;
    expect(problem.includes(`; ${HINT}; Flux v1 would have matched`)).toBe(shown);
  });

  // The hint must not itself suggest something invalid.
  it.each(['~1.2', '^1', '>=1.0 <2.0'])('its example %j is a valid constraint', (constraint) => {
    expect(HINT).toContain(`\`${constraint}\``);
    expect(buildSemverFilter(constraint, `semver:${constraint}`).valid).toBe(true);
  });
});

describe('compareTagsByVersion (Flux NewerBySemver)', () => {
  it.each([
    // tags in any order, expected order (highest first)
    [
      ['1.0.0', '2.0.0', '1.10.0', '1.9.0'],
      ['2.0.0', '1.10.0', '1.9.0', '1.0.0'],
    ],
    [
      ['1.10', '1.10.0'],
      ['1.10.0', '1.10'],
    ],
    [
      ['v1.2.0', '1.2.0'],
      ['v1.2.0', '1.2.0'],
    ],
    [
      ['1.0.0+a', '1.0.0+b'],
      ['1.0.0+b', '1.0.0+a'],
    ],
    [
      ['1.0.0', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0-beta'],
      ['1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-beta'],
    ],
    [
      ['1.0.0-1', '1.0.0-alpha'],
      ['1.0.0-alpha', '1.0.0-1'],
    ],
    [
      ['zeta', '1.0.0', 'alpha'],
      ['1.0.0', 'alpha', 'zeta'],
    ],
    // A tag that is not a version goes after the versions even when it sorts first as text.
    [
      ['1.2.3.4', '2.0.0', '0.1'],
      ['2.0.0', '0.1', '1.2.3.4'],
    ],
    [
      ['b', '1.0.0', 'a', 'c'],
      ['1.0.0', 'a', 'b', 'c'],
    ],
    [
      ['1.2.0', 'v1.2.0', 'v1.2', '1.2'],
      ['v1.2.0', 'v1.2', '1.2.0', '1.2'],
    ],
  ])('%j -> %j', (tags, expected) => {
    expect([...tags].sort(compareTagsByVersion)).toEqual(expected);
  });

  it.each([
    // a, b, which goes first (a sort may compare either way round)
    ['1.0.0.0', '2.0.0', 'b'], // a tag that is no version goes after every version, whatever its text
    ['2.0.0', '1.0.0.0', 'a'],
    ['b', 'a', 'b'], // tags that are no versions go in ascending order
    ['a', 'b', 'a'],
    ['latest', 'latest', 'neither'],
    ['1.0.0', '1.0.0', 'neither'],
  ])('%j against %j: %s first', (a, b, first) => {
    const order = compareTagsByVersion(a, b);
    expect(order < 0 ? 'a' : order > 0 ? 'b' : 'neither').toBe(first);
  });
});
