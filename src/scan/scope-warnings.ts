/**
 * Warnings that a run's scope reached less than its settings name: no HelmRelease at all in the
 * files selected, a `paths` pattern whose files hold none, an `images` value that matches no image
 * found, a `registry-mirrors` or `registry-aliases` entry no image found falls under. The run
 * stays green (nothing widens), but says what it did not check. Pure: it reads the scan's results,
 * after the scan.
 */
import type { FileScan } from '../helmrelease/types.js';
import { plural } from '../plural.js';
import { warning, type Problem } from '../problems.js';
import { repositoryPrefixKey } from '../image/reference.js';
import { dockerHubGlob, unmatchedImageScope, type ImageScopePattern } from './image-scope.js';
import { pathsWithoutReleases } from './select-files.js';

/** What the scan found, as {@link scopeWarnings} reads it. */
export interface ScopeFound {
  /** The `paths` input (empty: every YAML file). */
  paths: readonly string[];
  /** The files selected by `paths` and `exclude`. */
  files: readonly string[];
  /** The HelmReleases scanned. */
  releases: number;
  /** The files that hold a HelmRelease, used or not. */
  scans: readonly FileScan[];
  /** The `images` input, compiled (empty: every image). */
  imageScope: readonly ImageScopePattern[];
  /** What to check when no HelmRelease is found, in the shell's terms (default {@link ACTION_NO_RELEASE_ADVICE}). */
  noReleaseAdvice?: string;
  /** The registries `registry-mirrors` names, and the `registry[/namespace]`s `registry-aliases` does. */
  registryKeys?: { mirrors: readonly string[]; aliases: readonly string[] };
}

/** The Action's advice when no HelmRelease is found: its workspace is what the job checked out. */
export const ACTION_NO_RELEASE_ADVICE =
  'Check paths, and that the job checks the repository out first (actions/checkout).';

/** Where the run's problems list puts each warning. */
export interface ScopeWarnings {
  /** "No HelmRelease found": first, as it explains every other line of the report. */
  leading: Problem[];
  /** Patterns and `images` values that reached nothing: after the plan's problems. */
  trailing: Problem[];
}

/** The warnings for what the run's `paths` and `images` did not reach. */
export function scopeWarnings(found: ScopeFound): ScopeWarnings {
  const { paths, files, releases, scans, imageScope } = found;
  const leading: Problem[] = [];
  const trailing: Problem[] = [];
  // A HelmRelease that could not be read is an error of its own saying why; "check paths" would
  // send the user to the wrong place.
  const unreadableRelease = scans.some((scan) => scan.problems.some((p) => p.severity === 'error'));
  // Files scanned hold a HelmRelease, used or not (one that could not be used has said why).
  const scanned = scans.map((scan) => scan.file);
  if (releases > 0) trailing.push(...pathsWithoutReleases(paths, files, scanned));
  if (releases === 0 && !unreadableRelease) {
    const where = paths.length ? `paths ${paths.join(', ')}` : 'every *.yaml and *.yml file';
    leading.push(
      warning(
        '',
        0,
        `No HelmRelease found in ${plural(files.length, 'file')} (${where}); nothing was checked. ` +
          (found.noReleaseAdvice ?? ACTION_NO_RELEASE_ADVICE),
      ),
    );
  }
  const names = new Set(
    scans.flatMap((s) => s.releases.flatMap((r) => r.containers.map((c) => c.reference.repository))),
  );
  if (releases > 0 && found.registryKeys) trailing.push(...unusedRegistryKeys(found.registryKeys, names));
  if (imageScope.length > 0) {
    // A glob that matches nothing is most likely mistyped, or the image is not used here (a push
    // webhook for another repository's image): the run is green but says so.
    for (const p of unmatchedImageScope(imageScope, names)) {
      const as = p.pattern === p.text ? '' : ` (${p.pattern})`;
      const meant = dockerHubGlob(p, names);
      const hint = meant
        ? ` A glob is matched against the repository with its registry, as "${meant}" would match.`
        : '';
      trailing.push(
        warning(
          '',
          0,
          `images: "${p.text}"${as} matches no image found in the HelmReleases scanned; nothing was checked for it.${hint}`,
        ),
      );
    }
  }
  return { leading, trailing };
}

/**
 * The mirror and alias entries no image found falls under: most likely a mistyped registry
 * (`dockerio=…`), whose images then go, without a word, to the registry the entry was meant to
 * spare or replace. Matched as the registry client matches them: a mirror by the image's registry,
 * an alias by the repository or a prefix of it at a `/` (registry-aliases.ts).
 */
function unusedRegistryKeys(
  keys: { mirrors: readonly string[]; aliases: readonly string[] },
  repositories: ReadonlySet<string>,
): Problem[] {
  const lower = [...repositories].map((name) => name.replace(/^[^/]+/, (host) => host.toLowerCase()));
  const registries = new Set(lower.map((name) => name.split('/')[0]));
  const problems: Problem[] = [];
  for (const key of keys.mirrors.filter((k) => !registries.has(k))) {
    problems.push(
      warning(
        '',
        0,
        `registry-mirrors: ${key} is the registry of no image found in the HelmReleases scanned; its mirror was not used.`,
      ),
    );
  }
  for (const key of keys.aliases.filter(
    (k) => !lower.some((name) => repositoryPrefixKey((prefix) => prefix === k, name) !== undefined),
  )) {
    problems.push(
      warning(
        '',
        0,
        `registry-aliases: ${key} matches no image found in the HelmReleases scanned; nothing was read at its alias.`,
      ),
    );
  }
  return problems;
}
