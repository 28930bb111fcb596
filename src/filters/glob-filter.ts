/**
 * Flux v1's tag glob: `ryanuber/go-glob` `Glob` (FLUX-V1-RULES R6.2).
 *
 * - `*` is the only wildcard and matches any run of characters, including an empty one;
 * - `?`, `[`, `]` and every other character are literal;
 * - a pattern without `*` must equal the tag; matching is case-sensitive.
 *
 * It is not a file-path glob, so `minimatch` would be wrong here (it treats `?` and `[` as
 * wildcards). The matcher below walks the pattern's literal pieces left to right with `indexOf`,
 * as go-glob does; it never builds a RegExp from the pattern, so no pattern can make it backtrack.
 */
import type { GlobFilter } from './types.js';

/**
 * True when `subject` matches the `*`-only glob `pattern`.
 * Leftmost placement of each literal piece is always safe for `*`-only globs, so one pass suffices.
 */
export function matchGlob(pattern: string, subject: string): boolean {
  // Stryker disable next-line ConditionalExpression: a shortcut; the general walk below also matches everything for `*`
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return subject === pattern;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (!subject.startsWith(first)) return false;
  let position = first.length;
  for (let i = 1; i < parts.length - 1; i += 1) {
    const part = parts[i] as string;
    const found = subject.indexOf(part, position);
    if (found < 0) return false;
    position = found + part.length;
  }
  // The last piece must fit after everything consumed so far and end the subject.
  return subject.length - last.length >= position && subject.endsWith(last);
}

/**
 * Characters a Docker tag can hold: `[A-Za-z0-9_.-]`, at most 128, not starting with `.` or `-`
 * (https://github.com/distribution/reference/blob/main/reference.go, `tag`).
 */
// Stryker disable next-line Regex: it is tested on one character at a time, so neither anchor can change an answer
const TAG_CHARACTER = /^[A-Za-z0-9_.-]$/;
const MAX_TAG_LENGTH = 128;

/**
 * Why a glob can never match a Docker tag, or undefined when some tag could match it. Returns the
 * offending character, or a short description for empty and over-long patterns.
 */
export function findImpossibleGlobPart(pattern: string): string | undefined {
  if (pattern === '') return 'empty';
  for (const character of pattern) {
    if (character !== '*' && !TAG_CHARACTER.test(character)) return character;
  }
  if (pattern.startsWith('.') || pattern.startsWith('-')) return 'leading ' + pattern.charAt(0);
  if (pattern.replaceAll('*', '').length > MAX_TAG_LENGTH) return 'too long';
  return undefined;
}

/** Builds the glob filter for a pattern (prefix already removed); `problem` is set by the caller. */
export function buildGlobFilter(pattern: string, value: string, problem?: string): GlobFilter {
  return {
    kind: 'glob',
    value,
    pattern,
    requiresTimestamp: true,
    matches: (tag) => matchGlob(pattern, tag),
    // Stryker disable next-line ConditionalExpression: `problem: undefined` and no `problem` read the same to every caller
    ...(problem === undefined ? {} : { problem }),
  };
}
