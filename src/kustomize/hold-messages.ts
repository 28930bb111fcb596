/**
 * The words of a kustomization's hold: the error at the line that narrows the releases (what it
 * is for, why files are read as written, what is not known, the fix) and the reason each held
 * release shows in the summary and the plan. Pure.
 */
import type { HelmRelease } from '../helmrelease/types.js';
import { releaseId } from '../helmrelease/types.js';
import { unnamedFilterClause } from '../helmrelease/patch-values.js';
import type { Kustomization } from './kustomization.js';
import type { Narrowing } from './narrowing-sources.js';

/** How many releases one error names. */
const NAMED_RELEASES = 5;

/** A release a narrowing is for, with the file it is in. */
export interface Held {
  release: HelmRelease;
  file: string;
}

const READ_AS_WRITTEN =
  'files are read as written, not as Kustomize would build them (as Flux v1 did without a .flux.yaml)';

/** The releases, named (the first few) with their files. */
function describeHeld(held: readonly Held[]): string {
  const named = held.slice(0, NAMED_RELEASES).map((h) => `${releaseId(h.release)} in ${h.file}`);
  const more = held.length - named.length;
  return `HelmRelease${held.length === 1 ? '' : 's'} ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** What a narrowing does to the releases, as the start of a sentence. */
function opening(
  narrowing: Narrowing,
  k: Kustomization | undefined,
  subject: string,
  releases: readonly HelmRelease[],
): string {
  const verb = narrowing.key === undefined ? 'may lock or filter' : 'is for';
  const builds = k === undefined ? '' : `Kustomize puts it on what it builds from ${k.file}, and `;
  const unnamed = narrowing.unnamedFilter && `; ${unnamedFilterClause(narrowing.unnamedFilter, releases)}`;
  return `${narrowing.what} ${verb} ${subject}: ${builds}${READ_AS_WRITTEN}${unnamed ?? ''}`;
}

/** The error at the kustomization's line. */
export function errorMessage(
  narrowing: Narrowing,
  k: Kustomization | undefined,
  held: readonly Held[],
  approximate: string,
  unbuilt?: string,
): string {
  const they = held.length === 1 ? 'it gets' : 'they get';
  const failSafe =
    (approximate === '' ? '' : `; ${approximate}, so every HelmRelease it may be for is held`) +
    (unbuilt === undefined ? '' : `; ${unbuilt}`);
  const fix =
    narrowing.fix ?? `the annotation is written in the release's own file, or taken out of the overlay`;
  const releases = held.map((h) => h.release);
  return `${opening(narrowing, k, describeHeld(held), releases)}${failSafe}; ${they} no update until ${fix}`;
}

/**
 * A path of what `k` builds that names nothing, said beside what it holds: Kustomize cannot build
 * `k`, so Flux keeps what it applied last; what its other paths build is held, not every release
 * of the workspace (one broken overlay blocked every update of the repository).
 */
export function namesNothing(missing: { path: string; file: string }, k: Kustomization): string {
  return `${missing.path} in ${missing.file} names nothing in the repository (correct the path): Kustomize cannot build ${k.file} and Flux keeps what it applied last, so what its other paths build is held`;
}

/**
 * A path of what a kustomization builds that is in a folder the run could not list, said beside
 * what it holds: not a typo (the path may well be there), and what it builds there is not known.
 */
export function unlistedPath(at: { path: string; file: string; folder: string; why: string }): string {
  return `what it builds is not known: ${at.path} in ${at.file} is in ${at.folder}, which the run could not list (${at.why})`;
}

/** Why one release is held, as the summary and the plan show it. */
export function blockedReason(
  narrowing: Narrowing,
  k: Kustomization | undefined,
  release: HelmRelease,
  file: string,
): string {
  return opening(narrowing, k, `HelmRelease ${releaseId(release)} in ${file}`, [release]);
}
