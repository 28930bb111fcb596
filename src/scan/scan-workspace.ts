/**
 * The scan phase of a run, shared with `explain FILE`: read the selected files, scan those that may
 * hold a HelmRelease, and apply the holds that come from other files (a `.flux.yaml` governing the
 * file, a Kustomize patch document, a kustomization's commonAnnotations, patches and components).
 * explain reads the workspace through this same function, so what it says a release gets is what a
 * run gives it. It touches only the workspace port it is given.
 */
import { findFluxConfigs, holdGeneratedReleases } from '../helmrelease/manifest-generation.js';
import { holdPatchedReleases } from '../helmrelease/patched-releases.js';
import { mayHoldHelmRelease, scanFile } from '../helmrelease/scan-file.js';
import type { DetectionMode } from '../helmrelease/detect-deep.js';
import type { FileScan } from '../helmrelease/types.js';
import { isKustomizationPath } from '../kustomize/kustomization.js';
import { holdKustomizedReleases } from '../kustomize/kustomize-holds.js';
import { readKustomizeFiles } from '../kustomize/read-kustomize-files.js';
import type { WorkspacePort } from '../ports.js';
import { warning, type Problem } from '../problems.js';
import { capFileProblems } from './file-problems.js';
import { KeptReleases, type KeptReleaseLimits } from './kept-releases.js';
import { KeptText } from './kept-text.js';

/** What the scan applies. */
export interface WorkspaceScanSettings {
  /** Only releases with `fluxcd.io/automated: "true"` are updated (a kustomization holds only those). */
  requireAutomated: boolean;
  /** How images are found (default `flux-v1`). */
  detection?: DetectionMode;
  /** Bytes of text the scan keeps before the run stops (`MAX_KEPT_BYTES` unless given; tests lower it). */
  maxKeptBytes?: number;
  /** HelmReleases and containers the scan keeps before the run stops (kept-releases.ts; tests lower them). */
  maxKeptReleases?: KeptReleaseLimits;
}

/** Files read between two turns of the event loop while a listing is in flight (below). */
const READS_PER_TURN = 8;

/** How the run follows the scan as it goes. */
export interface WorkspaceScanHooks {
  /** Told of each file's scan (before the holds of other files) that has a release or a problem. */
  onScan?: (scan: FileScan) => void;
  /**
   * True while each file should be scanned as soon as it is read, rather than once every file is
   * read (the run's registry starts a listing on the first image of each repository it is told of,
   * and wants a first wave of them soon).
   */
  scanAtOnce?: () => boolean;
  /**
   * A turn of the event loop: awaited after each file scanned (as it is read, or once every file
   * is read), and every few files read once `scanAtOnce` has turned false (the run's registry has
   * work in flight).
   */
  afterScan?: () => Promise<void>;
}

/** The scans of a workspace, with the holds of other files applied. */
export interface WorkspaceScan {
  /** The files with a release or a problem, held as a run holds them. */
  scans: FileScan[];
  /** Their texts, by file. */
  texts: Map<string, string>;
  /** Files not read, and the kustomizations' errors. */
  problems: Problem[];
  /** How many releases the files hold. */
  releases: number;
}

/**
 * Reads and scans `files` (the selected ones of `listing`) and applies the holds that come from
 * other files of the listing.
 */
export async function scanWorkspace(
  listing: readonly string[],
  files: readonly string[],
  workspace: WorkspacePort,
  settings: WorkspaceScanSettings,
  hooks: WorkspaceScanHooks = {},
): Promise<WorkspaceScan> {
  const scans: FileScan[] = [];
  const texts = new Map<string, string>();
  const problems: Problem[] = [];
  const fluxConfigs = findFluxConfigs(listing);
  const kept = new KeptText(settings.maxKeptBytes);
  const keptReleases = new KeptReleases(settings.maxKeptReleases);
  const scanOne = (file: string, text: string): void => {
    const scan = capFileProblems(
      holdGeneratedReleases(scanFile(file, text, undefined, { detection: settings.detection }), fluxConfigs),
    );
    if (scan.releases.length === 0 && scan.problems.length === 0) return;
    keptReleases.keep(scan);
    scans.push(scan);
    texts.set(file, text);
    hooks.onScan?.(scan);
  };
  // Every file is read before the rest are parsed, keeping only the texts that may hold a
  // HelmRelease (scanFile's own pre-filter, applied early so the others are dropped at once).
  // Reading and parsing in one loop measured about 6% slower on the benchmark's 10,000 files,
  // most likely because the file syscalls between parses cool the parser's caches; the texts
  // held until the parse are mostly the ones the plan keeps anyway. While `scanAtOnce` says so
  // (until a first wave of listings has started), though, each candidate is scanned as soon as it
  // is read, so that the registry works while the other files are read (issue 17: the issue
  // corpus's first request went out 15 ms sooner).
  const candidates: { file: string; text: string }[] = [];
  let readsSinceTurn = READS_PER_TURN;
  // The kustomizations among them, kept so that they are not read again below.
  const kustomizationTexts = new Map<string, string>();
  for (const file of files) {
    // The port's reads are synchronous (workspace-files.ts): without a turn, a listing started
    // below would not even connect before the last file is read (issue 17: the issue corpus's
    // first request waited 25 ms for the other 999 files to be read). A turn at once, then one
    // every few reads: a turn costs about as much as a small file's read.
    if (hooks.scanAtOnce && !hooks.scanAtOnce() && readsSinceTurn >= READS_PER_TURN) {
      readsSinceTurn = 0;
      await hooks.afterScan?.();
    }
    readsSinceTurn += 1;
    const read = await workspace.readFile(file);
    if (!read.ok) {
      problems.push(warning(file, 0, `${file} was not read: ${read.reason}`));
      keptReleases.keepProblems(file, 1);
      continue;
    }
    // Kept whether or not it names HelmRelease (a patch's target often does).
    const kustomization = isKustomizationPath(file);
    if (kustomization) kustomizationTexts.set(file, read.text);
    const candidate = mayHoldHelmRelease(read.text);
    if (kustomization || candidate) kept.keep(file, read.text);
    if (!candidate) continue;
    if (hooks.scanAtOnce?.()) {
      scanOne(file, read.text);
      // A listing it started is written at this turn, not after the next files' reads and parses;
      // the reads' turns count from it.
      await hooks.afterScan?.();
      readsSinceTurn = 0;
    } else candidates.push({ file, text: read.text });
  }
  for (const { file, text } of candidates) {
    scanOne(file, text);
    await hooks.afterScan?.();
  }
  const releases = scans.reduce((n, s) => n + s.releases.length, 0);
  // A Kustomize patch's lock or filter holds back the release it patches in another file, and
  // so do a kustomization's commonAnnotations and patches for the releases it builds.
  const patched = holdPatchedReleases(scans);
  const kustomized = patched.some((scan) => scan.releases.some((r) => r.containers.length > 0))
    ? holdKustomizedReleases(
        patched,
        await readKustomizeFiles(listing, workspace, kustomizationTexts, (file, text) =>
          kept.keep(file, text),
        ),
        settings.requireAutomated,
      )
    : { scans: patched, problems: [] };
  problems.push(...kustomized.problems);
  return { scans: kustomized.scans, texts, problems, releases };
}
