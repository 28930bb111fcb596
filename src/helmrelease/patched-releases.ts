/**
 * HelmRelease documents that are Kustomize patches: no `spec.chart` (or `spec.chartRef`), no
 * images, only annotations for the release of the same name in another file (an overlay's
 * `fluxcd.io/locked: "true"` or `filter.fluxcd.io/app: semver:~1.0` for its base). This tool, like
 * Flux v1 without a `.flux.yaml`, reads each file as written, not as Kustomize would build it, so
 * the base's images were updated as if the patch's lock or filter were not there. Such a patch now
 * holds back the releases it names, with an error at its annotation's line. Pure.
 *
 *   base/app.yaml          HelmRelease apps/app, spec.chart, spec.values.image: nginx:1.0
 *   prod/app-patch.yaml    HelmRelease apps/app, metadata.annotations only: fluxcd.io/locked: "true"
 *                          -> apps/app in base/app.yaml gets no update, error at prod/app-patch.yaml:7
 */
import type { YAMLMap } from 'yaml';
import { error, type Problem } from '../problems.js';
import { lockOrIgnoreHolds, readFilters, type Annotation } from './annotations.js';
import { MINIMUM_RELEASE_AGE_ANNOTATION } from './release-age.js';
import type { FileScan, FilterAnnotation, HelmRelease, ReleasePolicies } from './types.js';
import { releaseId } from './types.js';
import { withHolds } from './hold-places.js';
import { isDefaultFilter } from '../filters/parse-filter.js';
import {
  containerNames,
  declaredAliases,
  narrowsAContainer,
  unnamedFilterClause,
  writesDetectedTag,
  writtenValues,
} from './patch-values.js';
import { getValue } from './yaml-nodes.js';

/** The annotations of a patch that narrow what its release may be updated to. */
export type PatchAnnotation = NonNullable<HelmRelease['patch']>;

const LOCK_KEY = /^(?:fluxcd\.io|flux\.weave\.works)\/locked$/;
const IGNORE_KEY = /^(?:fluxcd\.io|flux\.weave\.works)\/ignore$/;

/**
 * The first annotation of a HelmRelease document that has no chart (`spec.chart`, `spec.chartRef`)
 * and so cannot be deployed on its own, which would narrow its release's updates: a lock or ignore
 * that holds, a filter, this Action's minimum release age. Undefined for a release with a chart,
 * or without such an annotation.
 */
export function patchAnnotation(
  spec: YAMLMap | undefined,
  annotations: readonly Annotation[],
  policies: ReleasePolicies,
  filters: ReadonlyMap<string, FilterAnnotation>,
): PatchAnnotation | undefined {
  if (spec && (getValue(spec, 'chart') !== undefined || getValue(spec, 'chartRef') !== undefined))
    return undefined;
  const filterContainers = new Map([...filters].map(([container, f]) => [f.key, container]));
  const narrowing = annotations.filter(
    (a) =>
      (policies.locked && LOCK_KEY.test(a.key)) ||
      (policies.ignored && IGNORE_KEY.test(a.key)) ||
      (filterContainers.has(a.key) && !isDefaultFilter(a.value)) ||
      a.key === MINIMUM_RELEASE_AGE_ANNOTATION,
  );
  if (narrowing.length === 0) return undefined;
  const shown = narrowing.find((a) => !filterContainers.has(a.key)) ?? narrowing[0];
  return {
    key: shown.key,
    line: shown.line,
    forContainers: narrowing.map((a) => filterContainers.get(a.key)),
    valuePaths: writtenValues(spec && getValue(spec, 'values')),
    aliases: declaredAliases(annotations),
    filterKeys: new Map(
      narrowing.filter((a) => filterContainers.has(a.key)).map((a) => [filterContainers.get(a.key)!, a.key]),
    ),
  };
}

/** For a patch whose filter names no container, why that holds (with a "did you mean"), after "; ". */
function unnamedFilterOf(patch: PatchAnnotation, release: HelmRelease, known: ReadonlySet<string>): string {
  for (const [container, key] of patch.filterKeys) {
    if (!known.has(container) && !patch.aliases.has(container))
      return `; ${unnamedFilterClause({ key, container }, [release])}`;
  }
  return '';
}

/**
 * The first label of a HelmRelease document without a chart that would narrow its release's
 * updates were it an annotation, read as {@link patchAnnotation} reads annotations: Flux ignores
 * labels, so a lock or filter among them was meant as an annotation (in the release's own file it
 * blocks). `automated` there narrows nothing: it is off.
 */
export function labelPatchAnnotation(
  spec: YAMLMap | undefined,
  labels: readonly Annotation[],
  policies: ReleasePolicies,
): PatchAnnotation | undefined {
  const read = labels.filter((a) => !/\/automated$/.test(a.key));
  if (read.length === 0) return undefined;
  const holds = (key: RegExp) => read.some((a) => key.test(a.key) && lockOrIgnoreHolds(a) === true);
  const found = patchAnnotation(
    spec,
    read,
    { ...policies, locked: holds(LOCK_KEY), ignored: holds(IGNORE_KEY) },
    readFilters(read, '', []),
  );
  return found && { ...found, asLabel: true };
}

/**
 * True when a container of `release` whose tag reaches what Kustomize builds (one the patch does
 * not write) is one the patch's annotations narrow: a filter narrows only its own container, unless
 * it names none that `known` (the workspace's containers) or the patch's aliases hold.
 */
function narrowsBase(patch: PatchAnnotation, release: HelmRelease, known: ReadonlySet<string>): boolean {
  return narrowsAContainer(
    release,
    patch.forContainers,
    (c) => writesDetectedTag(patch.valuePaths, release, c),
    (name) => known.has(name) || patch.aliases.has(name),
  );
}

/**
 * True for a patch document this file holds releases for: one with narrowing annotations and no
 * image tag of its own. An image without a tag (only a repository) leaves the base's tag in what
 * Kustomize builds; a patch with tags of its own is left to kustomize-holds.ts, which knows the
 * kustomizations that apply it.
 */
export function isAnnotationPatch(release: HelmRelease): boolean {
  return release.patch !== undefined && !release.containers.some((c) => c.tag.kind !== 'none');
}

/** True when `patch` names `release`: the same name, and a namespace left out matches any. */
function patches(patch: HelmRelease, release: HelmRelease): boolean {
  return (
    patch.name === release.name &&
    (patch.namespace === undefined ||
      release.namespace === undefined ||
      patch.namespace === release.namespace)
  );
}

/**
 * The scans with every release that a patch in another file names held back (its `blocked` set, or,
 * when its own annotation holds it already, the patches kept beside that in `alsoHeldAt`),
 * and an error at the patch's annotation for each. A patch with image tags of its own is left
 * alone: its values replace the base's, so the base's update does not reach what it deploys; so is
 * a patch that writes the tag of every container its annotations narrow (an overlay pinning a tag).
 */
export function holdPatchedReleases(scans: readonly FileScan[]): FileScan[] {
  const found = scans.flatMap((scan) => scan.releases.filter(isAnnotationPatch));
  if (found.length === 0) return [...scans];
  const known = containerNames(scans.flatMap((scan) => scan.releases));
  const patchProblems = new Map<string, Problem[]>();
  const held = scans.map((scan) => {
    let changed = false;
    const releases = scan.releases.map((release) => {
      // Each patch that holds it says so at its own line (staging and prod overlays both locking
      // the base: both need fixing); the first one's reason is the release's.
      const holding = found.filter(
        (p) => p.file !== scan.file && patches(p, release) && narrowsBase(p.patch!, release, known),
      );
      if (holding.length === 0 || release.containers.length === 0) return release;
      changed = true;
      const id = releaseId(release);
      const reasons = holding.map(
        (patch) =>
          `${patch.patch!.key}${patch.patch!.asLabel ? ' (a label, which Flux v1 ignores: meant as an annotation)' : ''} ` +
          `in ${patch.file} is for HelmRelease ${id} in ${scan.file}: that document has no ` +
          'spec.chart, so it reads as a Kustomize patch, and files are read as written, not as Kustomize would ' +
          'build them (as Flux v1 did without a .flux.yaml)' +
          unnamedFilterOf(patch.patch!, release, known),
      );
      holding.forEach((patch, i) => {
        const problems = patchProblems.get(patch.file) ?? [];
        problems.push(
          error(
            patch.file,
            patch.patch!.line,
            `${reasons[i]}; ${id} in ${scan.file} gets no update until the annotation is written in that file, ` +
              'or taken out of the overlay',
          ),
        );
        patchProblems.set(patch.file, problems);
      });
      // Held already (its own unusable annotation): that reason stands, and the patches are said beside it.
      const places = holding.map((patch) => ({ file: patch.file, line: patch.patch!.line }));
      return { ...release, policies: withHolds(release.policies, reasons[0], places) };
    });
    return changed ? { ...scan, releases } : scan;
  });
  return held.map((scan) => {
    const problems = patchProblems.get(scan.file);
    return problems ? { ...scan, problems: [...scan.problems, ...problems] } : scan;
  });
}
