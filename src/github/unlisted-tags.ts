/**
 * Open pull requests of ours that propose a tag its registry no longer lists (deleted since, or
 * moved to another repository): merged, the release would run an image that cannot be pulled. The
 * plan does not name them (its newest allowed tag is one the base has, or another), so nothing else
 * would say so and they would stay open as if valid. They are not closed: a tag pushed again makes
 * them good, and closing one would refuse its tag. Only tags of repositories the run listed in
 * full are judged.
 */
import type { MarkerUpdate } from '../plan/pull-request-text.js';
import type { ListedTags } from '../ports.js';
import { warning, type Problem } from '../problems.js';
import type { OpenPull } from './pull-request-facts.js';

/** The updates of a pull request whose tags the run listed their repositories without. */
export function unlistedUpdates(pull: OpenPull, listed: ListedTags): MarkerUpdate[] {
  return pull.marker.updates.filter((u) => {
    const tags = listed(u.repository);
    return tags !== undefined && !tags.has(u.to);
  });
}

/** One warning per pull request with unlisted tags, at the file of its first such update. */
export function unlistedTagWarnings(pulls: readonly OpenPull[], listed: ListedTags): Problem[] {
  return pulls.flatMap((pull) => {
    const unlisted = unlistedUpdates(pull, listed);
    if (unlisted.length === 0) return [];
    const images = [...new Set(unlisted.map((u) => `${u.repository}:${u.to}`))];
    const them = images.length === 1 ? 'it' : 'them';
    return [
      warning(
        unlisted[0]!.file,
        0,
        `#${pull.number} proposes ${images.join(', ')}, which the registry no longer lists (deleted since?): ` +
          `merged, it would deploy an image that cannot be pulled. Close #${pull.number}, or push ${them} again`,
      ),
    ];
  });
}
