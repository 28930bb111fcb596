/**
 * One proposed image bump: what the plan produces and the edit step, the ports, the pull request
 * writer and the report consume. A leaf module (it imports nothing), so those layers never import
 * from the planner (issue 15).
 */

/** One proposed image bump. */
export interface Update {
  file: string;
  line: number;
  documentIndex: number;
  /** `namespace/name` of the HelmRelease. */
  release: string;
  namespace: string | undefined;
  name: string;
  container: string;
  /** The `detection` input the file was scanned with, when `deep` (the edit re-reads with it). */
  detection?: 'deep';
  /** Normalised repository (`docker.io/bitnami/mongodb`). */
  repository: string;
  /** The image reference as written before the update. */
  image: string;
  /** The image reference as it will be written (only the tag differs). */
  newImage: string;
  from: string;
  to: string;
  /** For an image pinned by digest (`1.2.3@sha256:…`): the digest the registry serves for `to`. */
  toDigest?: string;
  /**
   * Only for a re-pushed tag (`to` equals `from`; `update-repushed-digests`): the digest it was
   * pinned to, which `toDigest` replaces.
   */
  fromDigest?: string;
  /**
   * For a pin that moves with its tag (`to` differs from `from`): the digest it is pinned to now, in
   * the reference or a `digest:` key, which `toDigest` replaces (the body shows both).
   */
  pinnedDigest?: string;
  /** The filter annotation's value, or `glob:*`. */
  filter: string;
  /** There is no filter annotation: `filter` is Flux's default, which nobody wrote. */
  noFilterAnnotation?: true;
  /**
   * The key of the filter annotation when it is another form than `filter.fluxcd.io/<container>`
   * (`fluxcd.io/tag.app`): the skip hint edits that one rather than adding a second that disagrees.
   */
  filterKey?: string;
  /** True when the chosen tag is lower (semver) or older (by build time) than the current one. */
  downgrade: boolean;
  /** How the tag was chosen, for reviewers ("highest version matching ~4.0"). */
  chosenBy: string;
  /** The better tags the minimum release age holds back, and when each will be proposed. */
  heldBack?: string;
  /** Build time of the chosen image (ISO 8601), when the registry was asked for it. */
  created?: string;
  /** The `org.opencontainers.image.source` label of the chosen image, when known. */
  source?: string;
  /** The `org.opencontainers.image.revision` label of the chosen image, when known. */
  revision?: string;
  /** Build time of the current image (ISO 8601), when the registry was asked for it. */
  fromCreated?: string;
  /**
   * The new image's platforms (`linux/amd64`, ...), when known; empty: a single-platform image
   * whose platform was not read (`ImagePlatforms` in ports.ts).
   */
  platforms?: readonly string[];
  /** The current image's platforms, likewise. */
  fromPlatforms?: readonly string[];
  /** What kind of update this is (`src/plan/update-type.ts` decides). */
  type: UpdateType;
  /** Higher versions that exist but were not taken, and why (`5.0.0`: `outside ~4.0`). */
  notTaken: NotTakenTag[];
}

/**
 * The kinds of update, riskiest first: the order a reviewer most needs to see them in. A downgrade
 * goes backwards, a major may break, a pre-release is not a release yet, then minor, patch, and a
 * newer build. The one order for update types: a group's `{type}` label is its first type here, the
 * job summary groups pull requests in it, and `{type}` in a template lists a group's types in it.
 */
export const UPDATE_TYPES = ['downgrade', 'major', 'pre-release', 'minor', 'patch', 'build'] as const;

/** The kind of one update. */
export type UpdateType = (typeof UPDATE_TYPES)[number];

/** A tag that was not taken, with the reason in a few words. */
export interface NotTakenTag {
  tag: string;
  /** `outside ~4.0`, `a pre-release, outside ~4.0`, `does not match master-*`, `an older build`. */
  reason: string;
}
