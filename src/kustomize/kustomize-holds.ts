/**
 * HelmReleases that a kustomization locks, ignores, filters or gives a minimum release age, through
 * `commonAnnotations`, a patch (inline or a file, strategic merge or JSON6902) or a component. This
 * tool reads files as written, not as `kustomize build` renders them (as Flux v1 did without a
 * `.flux.yaml`), so the release's own file says nothing of it and it was updated although the
 * object deployed says it must not be. Each such release now gets no update, with one error at the
 * kustomization's line naming the key, the releases and the fix. Pure; the caller reads the files
 * (kustomizations first, then the patch files they name, {@link patchFilesToRead}).
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
import { releaseId } from '../helmrelease/types.js';
import {
  folderOf,
  isKustomizationPath,
  KUSTOMIZATION_NAMES,
  readKustomization,
  type Kustomization,
} from './kustomization.js';
import {
  foldersOf,
  indexByFolder,
  isRemote,
  reachedFiles,
  resolvePath,
  type ReachedFile,
} from './kustomize-resources.js';
import { NO_LINKS, type Links } from './linked-paths.js';
import { narrowingsOf, type Narrowing, type PatchFileText } from './narrowing-sources.js';
import { mayNarrow } from './patch-annotations.js';
import { containerNames, unnamedFilterClause } from '../helmrelease/patch-values.js';
import { unmatchedTarget } from './unmatched-targets.js';

export type { PatchFileText } from './narrowing-sources.js';

/** How many kustomization files a run reads. */
export const MAX_KUSTOMIZATIONS = 20_000;
/** How many patch files a run reads. */
export const MAX_PATCH_FILES = 2_000;
/** How many releases one error names. */
const NAMED_RELEASES = 5;

/** The kustomization files of a workspace listing. */
export function findKustomizationFiles(listing: readonly string[]): string[] {
  return listing.filter(isKustomizationPath);
}

/**
 * The kustomizations read, by folder (the first of Kustomize's names when a folder has two), and
 * those that cannot be read but may narrow a release, with why: not valid YAML (`kustomize build`
 * fails on them, but their author meant what they say), or a field read through an alias.
 */
export function readKustomizations(texts: ReadonlyMap<string, string>): {
  kustomizations: Map<string, Kustomization>;
  invalid: Map<string, UnreadKustomization>;
} {
  const kustomizations = new Map<string, Kustomization>();
  const invalid = new Map<string, UnreadKustomization>();
  const order = (file: string) => KUSTOMIZATION_NAMES.findIndex((n) => file.endsWith(n));
  for (const file of [...texts.keys()].sort((a, b) => order(a) - order(b))) {
    const text = texts.get(file)!;
    const k = readKustomization(file, text);
    if (k === undefined) continue;
    if ('invalid' in k) {
      if (k.inPatch || mayNarrow(text))
        invalid.set(file, {
          why: k.invalid,
          paths: k.paths ?? listedPaths(text),
          ...(k.line ? { line: k.line } : {}),
          ...(k.fix ? { fix: k.fix } : {}),
        });
    } else if (!kustomizations.has(k.folder)) kustomizations.set(k.folder, k);
  }
  return { kustomizations, invalid };
}

/**
 * The list items of a text that could not be read, which may be the paths of its resources: block
 * items (`- ../base`) and the items of one-line flow lists (`resources: [../base, app.yaml]`).
 */
function listedPaths(text: string): string[] {
  const block = [...text.matchAll(/^[ \t]*-[ \t]+["']?([^\s"'#]+)["']?[ \t]*$/gm)].map((m) => m[1]);
  // Each match ends at the first bracket or line break after its `[`: linear in the text.
  const flow = [...text.matchAll(/\[([^[\]\n]*)\]/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((item) => item.trim().replace(/^(["'])(.*)\1$/, '$2'))
      .filter((item) => /^[^\s"'#{}:]+$/.test(item)),
  );
  return [...block, ...flow];
}

/** A kustomization file that could not be read, why, and the paths it seems to list. */
export interface UnreadKustomization {
  why: string;
  /**
   * The paths its text seems to list; undefined when none of its text was read (too large, not
   * UTF-8, over the count bound), so that what it builds may be anywhere in the workspace.
   */
  paths?: string[];
  /** The line of what made it unreadable, when that is known (else the error is at line 1). */
  line?: number;
  /** How to make it readable, when that is more than "it can be read". */
  fix?: string;
}

/** The patch files the kustomizations name that are in the workspace, at most {@link MAX_PATCH_FILES}. */
export function patchFilesToRead(
  kustomizations: Iterable<Kustomization>,
  files: ReadonlySet<string>,
): string[] {
  const paths = new Set<string>();
  for (const k of kustomizations) {
    for (const entry of k.patches) {
      if (entry.path === undefined || isRemote(entry.path)) continue;
      const path = resolvePath(k.folder, entry.path);
      if (path !== undefined && files.has(path)) paths.add(path);
    }
  }
  return [...paths].slice(0, MAX_PATCH_FILES);
}

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

/** A release a narrowing is for, with the file it is in. */
interface Held {
  release: HelmRelease;
  file: string;
}

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
function errorMessage(
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
function namesNothing(missing: { path: string; file: string }, k: Kustomization): string {
  return `${missing.path} in ${missing.file} names nothing in the repository (correct the path): Kustomize cannot build ${k.file} and Flux keeps what it applied last, so what its other paths build is held`;
}

/**
 * A path of what a kustomization builds that is in a folder the run could not list, said beside
 * what it holds: not a typo (the path may well be there), and what it builds there is not known.
 */
function unlistedPath(at: { path: string; file: string; folder: string; why: string }): string {
  return `what it builds is not known: ${at.path} in ${at.file} is in ${at.folder}, which the run could not list (${at.why})`;
}

/** Why one release is held, as the summary and the plan show it. */
function blockedReason(
  narrowing: Narrowing,
  k: Kustomization | undefined,
  release: HelmRelease,
  file: string,
): string {
  return opening(narrowing, k, `HelmRelease ${releaseId(release)} in ${file}`, [release]);
}
