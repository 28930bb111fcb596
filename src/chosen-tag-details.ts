/**
 * The details of the tags pull requests move to, for their bodies and release notes: the plan
 * reads a tag's details only when its filter orders by them (semver filters order by version
 * alone), so the chosen tags it did not describe are read here, once the plan is made and only
 * when pull requests are written. The digest cache answers for tags it trusts, so a re-run asks
 * the registry nothing new.
 */
import type { RegistryError, RegistryPort, TagDetails } from './ports.js';
import { groupBy } from './group-by.js';
import type { Update } from './update.js';

/**
 * Sets the build time, the source and revision labels and the platforms of each update whose new
 * tag the plan did not describe. A tag that cannot be read just goes without (its body says no
 * source is known); never rejects.
 */
export async function describeChosenTags(updates: readonly Update[], registry: RegistryPort): Promise<void> {
  const byRepository = groupBy(
    updates.filter((update) => update.created === undefined),
    (update) => update.repository,
  );
  await Promise.all(
    [...byRepository].map(async ([repository, pending]) => {
      let details: Map<string, TagDetails | RegistryError>;
      try {
        details = await registry.describeTags(repository, [...new Set(pending.map((u) => u.to))]);
      } catch {
        return;
      }
      for (const update of pending) {
        const found = details.get(update.to);
        if (found === undefined || found instanceof Error) continue;
        if (found.created && !Number.isNaN(found.created.getTime()) && found.created.getUTCFullYear() > 1) {
          update.created = found.created.toISOString().replace('.000Z', 'Z');
        }
        if (found.source) update.source = found.source;
        if (found.revision) update.revision = found.revision;
        if (found.platforms) update.platforms = found.platforms;
      }
    }),
  );
}
