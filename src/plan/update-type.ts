/**
 * What kind of update a tag change is, for titles, labels and the summary. Pure.
 *
 * - `downgrade`: the filter chose a lower version or an older build (Flux moves there too); a
 *   lower version is one whichever order chose it (a backport that is the newest build).
 * - `major`, `minor`, `patch`: both tags are versions and the higher part that changed says which.
 * - `pre-release`: the new tag is a higher version with a pre-release part (`2.0.0-rc.1`) other than
 *   the current tag's (a suffix both share, like `-alpine`, is a variant, typed by the version core).
 * - `build`: anything else: a newer build picked by build time (`master-*`), or the same version
 *   spelled differently (`1.10` to `1.10.0`) or rebuilt.
 */
import { compareVersions, parseTagVersion } from '../filters/semver-filter.js';
import { UPDATE_TYPES, type UpdateType } from '../update.js';

export { UPDATE_TYPES, type UpdateType };

/** The type of a change from `from` to `to`; `downgrade` is the planner's verdict (by version or build time). */
export function updateTypeOf(from: string, to: string, downgrade: boolean): UpdateType {
  if (downgrade) return 'downgrade';
  const before = parseTagVersion(from);
  const after = parseTagVersion(to);
  if (before === undefined || after === undefined) return 'build';
  const order = compareVersions(after, before);
  // The chooser marks a lower version as a downgrade; typed so here too, automerge never takes it.
  if (order < 0) return 'downgrade';
  if (order === 0) return 'build';
  // The same suffix on both (`0.24.6-alpine` to `0.25.6-alpine`) is a variant of the image, not a
  // pre-release: the version core says what changed, as Renovate's docker versioning reads it.
  if (after.prerelease !== '' && after.prerelease !== before.prerelease) return 'pre-release';
  if (after.major !== before.major) return 'major';
  if (after.minor !== before.minor) return 'minor';
  // The patch part changed, or only the pre-release part went (`1.2.0-rc.1` to `1.2.0`: the
  // release of the same version).
  return 'patch';
}
