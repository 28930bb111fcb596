/**
 * The platforms of the images pull requests replace. A pull request body says when the new image
 * runs on other platforms than the current one (`plan/platforms-text.ts`); glob and regex
 * orderings read the current tag's details anyway, semver orderings do not. So for each update
 * whose new image's platforms are known and whose current image's are not, the current tag's
 * platforms are read: one call per repository, at most one manifest request per tag, none when
 * the digest cache knows the tag's image (see `RegistryPort.describePlatforms`).
 */
import type { RegistryPort } from './ports.js';
import { groupBy } from './group-by.js';
import type { Update } from './update.js';

/** Sets `fromPlatforms` where it is needed and can be read; never rejects. */
export async function describeCurrentPlatforms(
  updates: readonly Update[],
  registry: RegistryPort,
): Promise<void> {
  const describe = registry.describePlatforms?.bind(registry);
  if (!describe) return;
  const byRepository = groupBy(
    // A re-pushed tag (`from` = `to`) has no other tag to compare with.
    updates.filter((u) => u.platforms !== undefined && u.fromPlatforms === undefined && u.from !== u.to),
    (update) => update.repository,
  );
  await Promise.all(
    [...byRepository].map(async ([repository, pending]) => {
      let found;
      try {
        found = await describe(repository, [...new Set(pending.map((u) => u.from))]);
      } catch {
        return;
      }
      for (const update of pending) {
        const platforms = found.get(update.from);
        if (platforms !== undefined && !(platforms instanceof Error)) update.fromPlatforms = platforms;
      }
    }),
  );
}
