/**
 * A patch that narrows HelmReleases (a lock, a filter) and names the release it is for, but whose
 * target selects none of the HelmReleases its kustomization builds: a misspelt name
 * (`target: {kind: HelmRelease, name: ap}`). Kustomize applies such a patch to nothing, so it holds
 * nothing, and the release it was meant for is updated; the warning says so at the patch, rather
 * than let the lock its author believes in pass in silence. Pure.
 *
 *   clusters/prod/kustomization.yaml   patches: [{target: {kind: HelmRelease, name: ap}, patch: lock}]
 *   -> warning at the patch: it selects no HelmRelease clusters/prod/kustomization.yaml builds (app)
 */
import { warning, type Problem } from '../problems.js';
import type { HelmRelease } from '../helmrelease/types.js';
import type { Narrowing } from './narrowing-sources.js';
import type { Rename } from './kustomize-resources.js';

/** How many release names the warning lists. */
const NAMED = 5;
/** The most of one release's name the warning shows. */
const NAME_SHOWN = 64;

/** The releases a kustomization builds, each with the renames it is built through. */
export interface BuiltRelease {
  release: HelmRelease;
  renames: readonly Rename[];
}

/**
 * The warning for a narrowing whose target names a release and selects none of `built` (the
 * HelmReleases its kustomization builds), or undefined. Nothing built, nothing to compare with.
 */
export function unmatchedTarget(
  narrowing: Narrowing,
  kustomization: string,
  built: readonly BuiltRelease[],
): Problem | undefined {
  const targets = narrowing.targets;
  if (targets === undefined || built.length === 0) return undefined;
  if (built.some(({ release, renames }) => targets(release, renames))) return undefined;
  // A name is shown whole up to a bound: one of 100,000 characters would fill the log.
  const names = [...new Set(built.map(({ release }) => release.name))].map((name) =>
    name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name,
  );
  const listed =
    names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
  return warning(
    narrowing.file,
    narrowing.line,
    `${narrowing.what} selects no HelmRelease that ${kustomization} builds (it builds ${listed}), so Kustomize ` +
      "puts it on nothing and it holds nothing; check the name in the patch's target (or in the patch)",
  );
}
