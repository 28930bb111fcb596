/**
 * `semver:` constraints read as Masterminds/semver v3.1.1's `NewConstraint` reads them (point 2 of
 * semver-filter.ts's header): hyphen ranges rewritten, `||` and the comparators split with
 * Masterminds' own regular expressions run with RE2, each comparator's wildcards and missing parts
 * noted for the per-operator rules. Apart from semver-filter.ts because reading the text is its own
 * step, and the rules that check a version against what it reads are in semver-operators.ts. Pure.
 */
import { RE2JS } from 're2js';

import { parseTagVersion, type TagVersion } from './tag-version.js';
import { groupedCount } from '../byte-count.js';

/** Masterminds operators, in the order of v3.1.1's alternation (the order matters for matching). */
export type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

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

/**
 * Compiles the expressions now rather than at the first constraint read: a run with requests in
 * flight and nothing to do until their answers come calls it, so that the first file's scan does
 * not hold those answers for the compile (issue 17).
 */
export function prepareConstraintExpressions(): void {
  constraintExpressions();
}

/** One comparator, as Masterminds' `constraint` struct. */
export interface Comparator {
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
export const MAX_CONSTRAINT_LENGTH = 1000;

/**
 * Parses a constraint as Masterminds v3.1.1's `NewConstraint`, or returns the reason it is
 * improper.
 */
export function parseSemverConstraint(text: string): SemverConstraint | { error: string } {
  if (text.length > MAX_CONSTRAINT_LENGTH) {
    return {
      error: `it is ${groupedCount(text.length)} characters long; constraints longer than ${groupedCount(MAX_CONSTRAINT_LENGTH)} are not read`,
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
