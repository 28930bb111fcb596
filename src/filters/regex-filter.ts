/**
 * `regex:` / `regexp:` filters: Go RE2 syntax and semantics, as Flux v1's `regexp.Compile` and
 * `MatchString` (FLUX-V1-RULES R6.4).
 *
 * - The match is unanchored: `regex:prod` matches `app-prod-2`; anchor with `^…$`.
 * - RE2 syntax, not JavaScript's: `\Q…\E` quoting, `(?i)` flags, `\z`, POSIX classes such as
 *   `[[:digit:]]`, no look-around and no back-references (those are syntax errors).
 * - Evaluated with `re2js`, a port of RE2/J that runs in linear time, so a pattern such as
 *   `^(a+)+$` cannot hang the run. A JavaScript `RegExp` is never built from the annotation.
 * - A pattern that does not compile matches every tag, as in Flux (R6.5); `problem` says Flux did.
 */
import { RE2JS } from 're2js';

import type { RegexFilter } from './types.js';

/** Compiles a Go RE2 pattern, or returns the syntax error's message. */
export function compileRegex(pattern: string): { regex: RE2JS } | { error: string } {
  try {
    return { regex: RE2JS.compile(pattern) };
  } catch (caught) {
    return { error: caught instanceof Error ? caught.message : String(caught) };
  }
}

/** Builds the regex filter for a pattern (prefix already removed). */
export function buildRegexFilter(pattern: string, value: string): RegexFilter {
  const compiled = compileRegex(pattern);
  if ('error' in compiled) {
    return {
      kind: 'regex',
      value,
      pattern,
      requiresTimestamp: true,
      valid: false,
      // Flux v1 keeps an uncompilable regex and lets it match everything (pkg/policy/pattern.go).
      matches: () => true,
      problem:
        // Only what Flux v1 did: whether this updater then proposes anything is the caller's to
        // say (a release with an invalid filter is held), so no outcome is promised here.
        `filter \`${value}\` is not a valid Go (RE2) regular expression (${compiled.error}); ` +
        'Flux v1 would have matched every tag with it and deployed the newest build of any tag',
    };
  }
  const { regex } = compiled;
  return {
    kind: 'regex',
    value,
    pattern,
    requiresTimestamp: true,
    valid: true,
    // `test` is RE2's unanchored search, the same as Go's `MatchString`.
    matches: (tag) => regex.test(tag),
    ...(pattern === ''
      ? {
          problem: `filter \`${value}\` has an empty regular expression, which Flux v1 would have matched every tag with`,
        }
      : {}),
  };
}
