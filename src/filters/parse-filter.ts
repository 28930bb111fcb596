/**
 * Reads a `filter.fluxcd.io/<container>` annotation value into a {@link TagFilter}, with Flux
 * v1's prefix rules (FLUX-V1-RULES R6.1, `pkg/policy/pattern.go` `NewPattern`):
 *
 * ```
 * semver:~4.0        -> semver  ~4.0
 * regex:^0.6.*       -> regex   ^0.6.*      (regexp: works too)
 * glob:v0.15.*       -> glob    v0.15.*
 * master-*           -> glob    master-*    (no prefix: a glob)
 * glob: develop-*    -> glob    " develop-*" (nothing is trimmed: matches no tag)
 * semvar:~1          -> glob    "semvar:~1" (unknown prefix: a literal glob, matches no tag)
 * ```
 *
 * Flux v1 said nothing about the last two, and users lost releases to them (fluxcd/flux#2706),
 * so each gets a `problem` that says what was probably meant.
 */
import { buildGlobFilter, findImpossibleGlobPart } from './glob-filter.js';
import { buildRegexFilter } from './regex-filter.js';
import { buildSemverFilter } from './semver-filter.js';
import type { FilterKind, TagFilter } from './types.js';
import { editDistance } from '../edit-distance.js';

/** Builds a filter of one kind from its pattern (prefix removed) and the whole annotation value. */
export type FilterBuilder = (pattern: string, value: string) => TagFilter;

/** One builder per kind (release-please factory style). */
export const FILTER_BUILDERS: Record<FilterKind, FilterBuilder> = {
  glob: (pattern, value) => buildGlobFilter(pattern, value, describeGlobProblem(pattern, value)),
  semver: buildSemverFilter,
  regex: (pattern, value) => {
    const filter = buildRegexFilter(pattern, value);
    // `regex: ^0.6` keeps its space, and no tag holds a space, so it can never match.
    if (filter.problem === undefined && /^\s/.test(pattern)) {
      const hint = suggestFix(value);
      return {
        ...filter,
        problem:
          `regex filter \`${value}\` starts with a space (nothing is trimmed) and no Docker tag holds ` +
          `one, so it matches no tag and this image is never updated` +
          (hint === undefined ? '' : `; did you mean \`${hint}\`?`),
      };
    }
    return filter;
  },
};

/** Exact, lower-case prefixes and the kind each selects; anything else is a glob. */
const PREFIXES: readonly (readonly [string, FilterKind])[] = [
  ['semver:', 'semver'],
  ['regexp:', 'regex'],
  ['regex:', 'regex'],
  ['glob:', 'glob'],
];

/** The filter used when a container has no filter annotation (Flux's default `glob:*`). */
export const DEFAULT_FILTER_VALUE = 'glob:*';

/** Splits an annotation value into its kind and pattern, without building the filter. */
export function splitFilterValue(value: string): { kind: FilterKind; pattern: string } {
  for (const [prefix, kind] of PREFIXES) {
    if (value.startsWith(prefix)) return { kind, pattern: value.slice(prefix.length) };
  }
  return { kind: 'glob', pattern: value };
}

/** How many annotation values {@link parseFilter} remembers: a bound, not a goal. */
const FILTERS_REMEMBERED = 1_000;
/** Filters already built, by annotation value. A filter is never changed once built. */
const filtersBuilt = new Map<string, TagFilter>();

/**
 * Parses an annotation value into a tag filter; see the module comment for the rules.
 *
 * Remembered by value: thousands of containers share a few hundred values, and each is parsed when
 * scanned, when planned and when an edit is read back (issue 17: half the time of reading releases).
 */
export function parseFilter(value: string): TagFilter {
  const known = filtersBuilt.get(value);
  if (known) return known;
  const { kind, pattern } = splitFilterValue(value);
  const filter = FILTER_BUILDERS[kind](pattern, value);
  if (filtersBuilt.size >= FILTERS_REMEMBERED) filtersBuilt.clear();
  filtersBuilt.set(value, filter);
  return filter;
}

/** True for a filter value that lets every tag through, as no filter does (Flux's default `glob:*`). */
export function isDefaultFilter(value: string): boolean {
  const filter = parseFilter(value);
  return filter.kind === 'glob' && filter.pattern === '*';
}

/**
 * True for a filter that holds its release: a semver constraint or regex that does not parse (Flux
 * v1 matched every tag with it, R6.5), or any filter with an empty pattern (`regex:`, `semver:`,
 * `glob:`, `""`). An empty pattern is a templating accident or an unfinished edit far more often
 * than a wish to match everything (Flux v1 matched every tag with an empty regex) or nothing (an
 * empty glob), so it is held rather than read either way: stricter than Flux, failing safe.
 */
export function holdsRelease(filter: TagFilter): boolean {
  return filter.pattern === '' || (filter.kind !== 'glob' && !filter.valid);
}

/** How to fix a filter that {@link holdsRelease}, beyond "fix the filter". */
export function holdingFilterFix(filter: TagFilter): string | undefined {
  return filter.pattern === '' ? 'write a pattern, or `glob:*` for every tag' : undefined;
}

/**
 * The filter of a container without a filter annotation: Flux's default, marked as nobody's, so
 * messages do not read as if someone wrote `glob:*`.
 */
export const UNANNOTATED_FILTER: TagFilter = { ...parseFilter(DEFAULT_FILTER_VALUE), unannotated: true };

/** What a container without a filter annotation takes, in words (explain, the pull request body). */
export const NO_FILTER_ANNOTATION = 'no filter annotation: every tag but latest and signatures';

/**
 * The filter written canonically, for messages: `glob:master-*`, `semver:~4.0`, `regex:^0.6.*`;
 * the default of a container without a filter annotation says so.
 */
export function formatFilter(filter: TagFilter): string {
  return filter.unannotated
    ? `${DEFAULT_FILTER_VALUE} (no filter annotation)`
    : `${filter.kind}:${filter.pattern}`;
}

/**
 * Explains why a glob matches no tag, suggesting what was probably meant, or returns undefined
 * when the glob can match some tag.
 */
function describeGlobProblem(pattern: string, value: string): string | undefined {
  const impossible = findImpossibleGlobPart(pattern);
  if (impossible === undefined) return undefined;
  const consequence = 'so it matches no tag and this image is never updated';
  // Empty, it holds the release (holdsRelease): what Flux v1 would have done is all there is to say.
  if (impossible === 'empty')
    return `filter \`${value}\` is empty, which Flux v1 would have matched no tag with`;
  const hint = suggestFix(value);
  const suffix = hint === undefined ? '' : `; did you mean \`${hint}\`?`;
  const prefix = /^\s*([A-Za-z][A-Za-z0-9_-]*):/.exec(value)?.[1];
  if (prefix !== undefined && !/\s/.test(value) && !isKnownPrefix(`${prefix}:`)) {
    return (
      `filter \`${value}\` has the unknown prefix \`${prefix}:\` (known: \`glob:\`, \`semver:\`, ` +
      `\`regex:\`, \`regexp:\`; prefixes are lower-case) and is read as a literal glob, ${consequence}${suffix}`
    );
  }
  const what =
    impossible === 'too long'
      ? 'needs more than 128 characters'
      : impossible.startsWith('leading')
        ? `starts with \`${impossible.slice('leading '.length)}\``
        : /\s/.test(impossible)
          ? 'contains a space (nothing is trimmed)'
          : impossible === '?' || impossible === '[' || impossible === ']'
            ? `contains \`${impossible}\`, which is literal in Flux globs (only \`*\` is a wildcard)`
            : `contains \`${impossible}\``;
  return `glob filter \`${value}\` ${what}, and no Docker tag can hold that, ${consequence}${suffix}`;
}

function isKnownPrefix(prefix: string): boolean {
  return PREFIXES.some(([known]) => known === prefix);
}

/** Prefix spellings people plausibly meant, lower-cased, mapped to the real prefix. */
const PREFIX_TYPOS: Readonly<Record<string, string>> = {
  semvar: 'semver',
  sem: 'semver',
  semver2: 'semver',
  version: 'semver',
  regx: 'regex',
  rgx: 'regex',
  re: 'regex',
  reg: 'regex',
  regexpr: 'regex',
  glog: 'glob',
  blob: 'glob',
  wildcard: 'glob',
};

/**
 * A corrected annotation value that would be a working filter: spaces removed and the prefix
 * fixed (case, common misspellings). Undefined when no simple fix is clear.
 */
function suggestFix(value: string): string | undefined {
  let candidate = value.replace(/\s+/g, '');
  const prefixMatch = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/.exec(candidate);
  if (prefixMatch !== null) {
    const written = (prefixMatch[1] as string).toLowerCase();
    const fixed = isKnownPrefix(`${written}:`) ? written : (PREFIX_TYPOS[written] ?? closestPrefix(written));
    if (fixed !== undefined) candidate = `${fixed}:${prefixMatch[2] as string}`;
  }
  if (candidate === value || candidate === '') return undefined;
  const { kind, pattern } = splitFilterValue(candidate);
  if (kind === 'glob' && findImpossibleGlobPart(pattern) !== undefined) return undefined;
  return candidate;
}

/** The known prefix within edit distance 2 of `written`, if exactly one is. */
function closestPrefix(written: string): string | undefined {
  const close = ['semver', 'regex', 'regexp', 'glob'].filter((known) => editDistance(written, known) <= 2);
  if (close.includes('regex') && close.includes('regexp')) return 'regex';
  return close.length === 1 ? close[0] : undefined;
}
