/**
 * Shapes shared by the tag filters. A filter is the value of a `filter.fluxcd.io/<container>`
 * annotation (Flux v1 called it a "tag pattern"), parsed once and then asked about each tag.
 */

/** The three kinds of filter Flux v1 knows (FLUX-V1-RULES R6.1). */
export type FilterKind = 'glob' | 'semver' | 'regex';

/** What every filter offers. */
interface FilterBase {
  /** The annotation value exactly as written (`glob:master-*`, `master-*`, `semver:~4.0`). */
  readonly value: string;
  /** The value with its prefix removed; never trimmed. */
  readonly pattern: string;
  /** True when the tag passes the pattern. The `latest` rule (R6.6) is applied by the caller. */
  matches(tag: string): boolean;
  /**
   * A sentence for the user when the filter is probably a mistake (it can match nothing, or it is
   * invalid and so matches everything, as in Flux). It names no file or line; the caller adds them.
   */
  readonly problem?: string;
  /**
   * True for the filter of a container that has no filter annotation (Flux's default `glob:*`):
   * messages say so, since a reader who sees `glob:*` assumes someone wrote it.
   */
  readonly unannotated?: true;
}

/** `*`-only glob (R6.2); ordered by build time. */
export interface GlobFilter extends FilterBase {
  readonly kind: 'glob';
  readonly requiresTimestamp: true;
}

/** Go RE2 regular expression, unanchored (R6.4); ordered by build time. */
export interface RegexFilter extends FilterBase {
  readonly kind: 'regex';
  readonly requiresTimestamp: true;
  /** False when the pattern did not compile; the filter then matches every tag, as in Flux (R6.5). */
  readonly valid: boolean;
}

/** Masterminds/semver v3.1.1 constraint (R6.3); ordered by version. */
export interface SemverFilter extends FilterBase {
  readonly kind: 'semver';
  readonly requiresTimestamp: false;
  /** False when the constraint did not parse; the filter then matches every semver tag (R6.5). */
  readonly valid: boolean;
  /**
   * Sort order for tags, highest version first (R7.3): negative when `a` comes before `b`.
   * Equal versions put the lexically greater tag first; tags that are not versions go last.
   */
  compareTags(a: string, b: string): number;
}

/** A parsed filter annotation. */
export type TagFilter = GlobFilter | RegexFilter | SemverFilter;
