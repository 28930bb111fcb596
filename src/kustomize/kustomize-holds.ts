/**
 * HelmReleases that a kustomization locks, ignores, filters or gives a minimum release age, through
 * `commonAnnotations`, a patch (inline or a file, strategic merge or JSON6902) or a component. This
 * tool reads files as written, not as `kustomize build` renders them (as Flux v1 did without a
 * `.flux.yaml`), so the release's own file says nothing of it and it was updated although the
 * object deployed says it must not be. Each such release now gets no update, with one error at the
 * kustomization's line naming the key, the releases and the fix. Pure; the caller reads the files
 * (kustomizations first, then the patch files they name: read-kustomizations.ts); the words of
 * its errors and reasons are hold-messages.ts's.
 *
 *   apps/base/app.yaml                   HelmRelease apps/app, image: nginx:1.0
 *   apps/base/kustomization.yaml         resources: [app.yaml]
 *   clusters/prod/kustomization.yaml     resources: [../../apps/base]
 *                                        commonAnnotations: {fluxcd.io/locked: "true"}
 *     -> apps/app gets no update, error at clusters/prod/kustomization.yaml:5
 *
 * The patch documents patched-releases.ts reads (a HelmRelease without a chart, in a scanned file)
 * are left to it.
 */
import { error, type Problem } from '../problems.js';
import { isAnnotationPatch } from '../helmrelease/patched-releases.js';
import { withHolds, type HoldPlace } from '../helmrelease/hold-places.js';
import type { FileScan, HelmRelease } from '../helmrelease/types.js';
import { folderOf, type Kustomization } from './kustomization.js';
import { foldersOf, indexByFolder, reachedFiles, type ReachedFile } from './kustomize-resources.js';
import { NO_LINKS, type Links } from './linked-paths.js';
import { narrowingsOf, type Narrowing, type PatchFileText } from './narrowing-sources.js';
import { containerNames } from '../helmrelease/patch-values.js';
import { unmatchedTarget } from './unmatched-targets.js';
import type { UnreadKustomization } from './read-kustomizations.js';
import { blockedReason, errorMessage, namesNothing, unlistedPath, type Held } from './hold-messages.js';

export type { PatchFileText } from './narrowing-sources.js';

/** What {@link holdKustomizedReleases} reads besides the scans. */
export interface KustomizeInput {
  /** Every file of the workspace. */
  listing: readonly string[];
  /** The workspace's links, with their targets (none when absent). */
  links?: Links;
  /** The folders the listing could not enter, with why (none when absent). */
  unlisted?: ReadonlyMap<string, string>;
  /** The kustomizations read, by folder. */
  kustomizations: ReadonlyMap<string, Kustomization>;
  /** The kustomization files that could not be read. */
  unread: ReadonlyMap<string, UnreadKustomization>;
  /** The patch files read. */
  patchFiles: ReadonlyMap<string, PatchFileText>;
}

/** A kustomization that says nothing, to fill in. */
const EMPTY_KUSTOMIZATION: Kustomization = {
  file: '',
  folder: '',
  resources: [],
  components: [],
  commonAnnotations: [],
  commonLabels: [],
  labels: [],
  patches: [],
  namePrefix: '',
  nameSuffix: '',
  component: false,
};

/**
 * The scans with every release a kustomization narrows held back (`blocked`), and the errors at the
 * kustomizations. The scans come back unchanged (the same array's scans) when nothing is held.
 */
export function holdKustomizedReleases(
  scans: readonly FileScan[],
  input: KustomizeInput,
  requireAutomated: boolean,
): { scans: FileScan[]; problems: Problem[] } {
  if (input.kustomizations.size === 0 && input.unread.size === 0) return { scans: [...scans], problems: [] };
  // Only releases that would be updated are held (and named): the others change nothing.
  const holdable = new Map<string, HelmRelease[]>();
  for (const scan of scans) {
    const releases = scan.releases.filter(
      ({ containers, policies }) =>
        containers.length > 0 &&
        policies.generated === undefined &&
        !policies.locked &&
        !policies.ignored &&
        (policies.automated || !requireAutomated),
    );
    if (releases.length > 0) holdable.set(scan.file, releases);
  }
  if (holdable.size === 0) return { scans: [...scans], problems: [] };
  const files = new Set(input.listing);
  const folders = foldersOf(input.listing);
  const links = input.links ?? NO_LINKS;
  const scannedPatches = new Set(scans.filter((s) => s.releases.some(isAnnotationPatch)).map((s) => s.file));
  const scannedReleases = new Map(
    scans
      .map((s) => [s.file, s.releases.filter((r) => r.containers.length > 0)] as const)
      .filter(([, releases]) => releases.length > 0),
  );
  const context = {
    kustomizations: input.kustomizations,
    files,
    folders,
    links,
    ...(input.unlisted ? { unlisted: input.unlisted } : {}),
    patchFiles: input.patchFiles,
    scannedPatches,
    scannedReleases,
    knownContainers: containerNames(scans.flatMap((scan) => scan.releases)),
    requireAutomated,
    written: new Map(),
    patchReadings: new Map(),
  };
  const workspace = {
    files,
    folders,
    links,
    ...(input.unlisted ? { unlisted: input.unlisted } : {}),
    candidatesUnder: indexByFolder([...holdable.keys()]),
    kustomizations: input.kustomizations,
    visited: { count: 0 },
  };
  const problems: Problem[] = [];
  const reasons = new Map<HelmRelease, { reason: string; at: HoldPlace[] }>();
  /**
   * The error at the narrowing's line, and each held release's reason, where it is held first, with
   * every line that holds it (each has its error; explain names them all).
   */
  const record = (
    narrowing: Narrowing,
    k: Kustomization | undefined,
    held: readonly Held[],
    message: string,
  ): void => {
    problems.push(error(narrowing.file, narrowing.line, message));
    const at = { file: narrowing.file, line: narrowing.line };
    for (const { release, file } of held) {
      // withHolds names each line once, however often it is recorded here.
      const known = reasons.get(release);
      if (known === undefined)
        reasons.set(release, { reason: blockedReason(narrowing, k, release, file), at: [at] });
      else known.at.push(at);
    }
  };
  const releasesByFile = new Map(scans.map((scan) => [scan.file, scan.releases] as const));
  for (const k of input.kustomizations.values()) {
    if (k.component) continue;
    const narrowings = narrowingsOf(k, context);
    if (narrowings.length === 0) continue;
    const reach = reachedFiles(k, workspace);
    for (const narrowing of narrowings) {
      const held = heldBy(narrowing, reach.files, holdable);
      if (held.length === 0) {
        const built = reach.files.flatMap(({ file, renames }) =>
          (releasesByFile.get(file) ?? []).map((release) => ({ release, renames })),
        );
        const unmatched = unmatchedTarget(narrowing, k.file, built);
        if (unmatched) problems.push(unmatched);
        continue;
      }
      const approximate = [
        narrowing.approximate,
        reach.bounded,
        reach.unlisted && unlistedPath(reach.unlisted),
      ]
        .filter((a) => a !== undefined)
        .join('; ');
      const unbuilt = reach.namesNothing && namesNothing(reach.namesNothing, k);
      record(narrowing, k, held, errorMessage(narrowing, k, held, approximate, unbuilt));
    }
  }
  for (const [file, { why, paths, line = 1, fix = 'it can be read' }] of input.unread) {
    // What it builds is not known: whatever it seems to list, and everything under its folder;
    // without its text, anything in the workspace (a `../../apps` of it was lost, silently).
    const folder = folderOf(file);
    const salvaged: Kustomization = {
      ...EMPTY_KUSTOMIZATION,
      file,
      folder,
      resources: (paths ?? []).map((path) => ({ path, line: 1 })),
    };
    // Paths guessed from its text that name nothing (most do) are not said.
    const reach = reachedFiles(salvaged, workspace).files;
    for (const candidate of workspace.candidatesUnder(paths === undefined ? '' : folder))
      reach.push({ file: candidate, renames: [] });
    const narrowing: Narrowing = {
      file,
      line,
      what: `${file}, which could not be read (${why}),`,
      selects: () => true,
      fix,
    };
    const held = heldBy(narrowing, reach, holdable);
    if (held.length === 0) continue;
    const approximate =
      paths === undefined
        ? 'what it builds is not known (it may build any file of the workspace)'
        : 'what it builds is not known (the paths it seems to list, and the files under its folder, are taken)';
    record(narrowing, undefined, held, errorMessage(narrowing, undefined, held, approximate));
  }
  if (reasons.size === 0) return { scans: [...scans], problems };
  const heldScans = scans.map((scan) =>
    scan.releases.some((r) => reasons.has(r))
      ? {
          ...scan,
          releases: scan.releases.map((r) => {
            const held = reasons.get(r);
            // Held already (its own unusable annotation, a patch document): its reason stands, and
            // these holds are said beside it.
            return held === undefined ? r : { ...r, policies: withHolds(r.policies, held.reason, held.at) };
          }),
        }
      : scan,
  );
  return { scans: heldScans, problems };
}

/** The releases a narrowing is for among the files the kustomization builds, each once. */
function heldBy(
  narrowing: Narrowing,
  reached: readonly ReachedFile[],
  holdable: ReadonlyMap<string, HelmRelease[]>,
): Held[] {
  const held = new Map<HelmRelease, Held>();
  for (const { file, renames } of reached) {
    for (const release of holdable.get(file) ?? []) {
      if (!held.has(release) && narrowing.selects(release, renames)) held.set(release, { release, file });
    }
  }
  return [...held.values()];
}
