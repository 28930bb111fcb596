import type { Problem } from '../problems.js';
import type { Update } from '../update.js';

// The plan's product lives in a leaf module, so the edit step and the ports can use it without
// importing from the planner; re-exported for the plan's own readers.
export type { Update } from '../update.js';

/** What the plan decided for one container. */
export type DecisionKind =
  /** A newer (or, per Flux, a different top-of-filter) tag will be proposed. */
  | 'update'
  /** The current tag is already the one the filter chooses. */
  | 'up-to-date'
  /** The release lacks `fluxcd.io/automated: "true"` (and `require-automated` is on). */
  | 'not-automated'
  /** Not matched by the `images` input (a scoped run); not checked. */
  | 'out-of-scope'
  /** The chosen tag is younger than the minimum release age; `reason` says when it will be proposed. */
  | 'too-new'
  /** `fluxcd.io/locked: "true"`. */
  | 'locked'
  /** `fluxcd.io/ignore: "true"`. */
  | 'ignored'
  /** No tag passes the filter. */
  | 'no-matching-tag'
  /** Not updatable as written (untagged, digest-pinned, no timestamps, ...); `reason` says why. */
  | 'skipped'
  /** The registry could not be read for this image; `reason` says why. */
  | 'error';

/** The plan for one container of one HelmRelease. */
export interface ContainerDecision {
  file: string;
  /** Line of the tag (or image) in the file. */
  line: number;
  documentIndex: number;
  /** `namespace/name` of the HelmRelease. */
  release: string;
  container: string;
  /** The image reference as written (`[registry/]repository[:tag]`). */
  image: string;
  /** Normalised repository (`docker.io/bitnami/mongodb`). */
  repository: string;
  /** The current tag, or undefined for an untagged image. */
  current: string | undefined;
  /** The filter annotation's value, or `glob:*` when there is none. */
  filter: string;
  /** There is no filter annotation: `filter` is Flux's default, which nobody wrote. */
  noFilterAnnotation?: true;
  decision: DecisionKind;
  /** A sentence: how the tag was chosen, or why there is no update. */
  reason: string;
  /** The update, when `decision` is `update`. */
  update?: Update;
  /**
   * For an `error`: its registry could not be checked (the listing failed, no tag could be read, or
   * the digest of a pinned image failed for the registry's own reason), so it counts with that
   * registry's failures.
   */
  registryFailed?: true;
}

/** The edited text of one file, with the updates it carries. */
export interface FileEdit {
  file: string;
  before: string;
  after: string;
  updates: Update[];
}

/** The whole plan of a run: what the PR writer, the summary, the outputs and the CLI consume. */
export interface Plan {
  /** Every container seen, in file, document, container order. */
  containers: ContainerDecision[];
  /** Every update, in the same order. */
  updates: Update[];
  /** The edited text of every file with at least one update (all its updates applied). */
  edits: FileEdit[];
  problems: Problem[];
}
