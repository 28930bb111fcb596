/**
 * Build times a minimum release age needs from a semver filter (which orders by version and reads
 * no details otherwise): for each such container, its best candidates are described one at a time,
 * best first, until one is old enough, at most {@link MAX_RELEASE_AGE_CANDIDATES} per container.
 * The registry's digest cache answers for tags it has read before, so a re-run asks again only
 * about new tags.
 */
import { isCandidate } from './filters/candidate-tags.js';
import { buildTime, MAX_RELEASE_AGE_CANDIDATES } from './filters/release-age.js';
import type { Lookup } from './plan/plan-lookups.js';
import type { RegistryError, RegistryPort, TagDetails } from './ports.js';

/** Adds to `details` the build times the semver lookups with a minimum release age need. */
export async function describeForReleaseAge(
  registry: RegistryPort,
  repository: string,
  lookups: readonly Lookup[],
  tags: readonly string[],
  details: Map<string, TagDetails | RegistryError>,
  now: Date,
): Promise<void> {
  for (const lookup of lookups) {
    const { filter, current, minimumReleaseAgeMs } = lookup;
    if (minimumReleaseAgeMs <= 0 || filter.kind !== 'semver') continue;
    const ordered = [...new Set(tags)].filter((tag) => isCandidate(filter, tag)).sort(filter.compareTags);
    for (const tag of ordered.slice(0, MAX_RELEASE_AGE_CANDIDATES)) {
      if (tag === current) break;
      if (!details.has(tag)) {
        try {
          const read = await registry.describeTags(repository, [tag]);
          for (const [key, value] of read) details.set(key, value);
        } catch {
          // Unread: the tag is held as one of unknown age (release-age.ts); the run goes on.
          break;
        }
      }
      const built = buildTime(details.get(tag));
      // Unknown: held (release-age.ts); old enough: chosen. Either way no further tag is needed.
      if (built === undefined || built.getTime() + minimumReleaseAgeMs <= now.getTime()) break;
    }
  }
}
