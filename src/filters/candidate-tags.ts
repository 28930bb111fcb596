/**
 * Which tags of a repository a filter may choose (R6.6): a valid Docker tag that the filter
 * matches, never `latest` unless the filter is exactly the glob `latest`, never a signature,
 * attestation or SBOM tag; and which of them the chooser needs build times for. Pure.
 */
import { isValidTag } from '../image/reference.js';
import type { TagFilter } from './types.js';

/** True when the filter is exactly the glob `latest`, the only way to select a `latest` tag. */
function selectsLatest(filter: TagFilter): boolean {
  return filter.kind === 'glob' && filter.pattern === 'latest';
}

/**
 * A tag of cosign's and the OCI referrers tag schema (`sha256-<digest>`, cosign adding `.sig`,
 * `.att` or `.sbom`): a signature, attestation or SBOM stored beside the image it names, not an
 * image. cosign gives it the signing time as its build time (1.10 to 2.1.1, and since 2.2.4 with
 * `--record-creation-timestamp`), so under a time order it was the newest build of its repository.
 * Flux v1 never chose one: it could not read OCI manifests, and held the container back instead.
 */
const ARTIFACT_TAG = /^sha(?:256|384|512)-[0-9a-f]{64}(?:\.[A-Za-z0-9_-]+)?$/;

/** True for a signature, attestation or SBOM tag ({@link ARTIFACT_TAG}), which no filter selects. */
export function isArtifactTag(tag: string): boolean {
  return ARTIFACT_TAG.test(tag);
}

/** True when `tag` is a candidate under `filter`, including the `latest` rule (R6.6). */
export function isCandidate(filter: TagFilter, tag: string): boolean {
  // A registry (or a proxy in front of one) can list anything; a tag that is not a valid Docker
  // tag (`9 9`, `-1`, `a/b`, 129 characters, a newline) would corrupt the file or the reference
  // if written, so it is never a candidate whatever the filter says.
  if (!isValidTag(tag)) return false;
  if (tag.toLowerCase() === 'latest' && !selectsLatest(filter)) return false;
  if (isArtifactTag(tag)) return false;
  return filter.matches(tag);
}

/**
 * The tags whose details (build time) the registry must be asked for: for glob and regex, the
 * candidates plus the current tag when the registry has it; for semver, none.
 */
export function tagsNeedingDetails(filter: TagFilter, current: string, tags: readonly string[]): string[] {
  if (!filter.requiresTimestamp) return [];
  const needed = new Set(tags.filter((tag) => isCandidate(filter, tag)));
  if (tags.includes(current)) needed.add(current);
  return [...needed];
}
