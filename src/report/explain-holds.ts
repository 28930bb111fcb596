/**
 * What `explain` says of the holds other files put on a release (a `.flux.yaml`, a Kustomize patch
 * document, a kustomization): whether they were checked and where, the release's held line that
 * points at each hold's error, and those errors, at their own files' lines. Pure.
 */
import { samePlace, type HoldPlace } from '../helmrelease/hold-places.js';
import { releaseId, type FileScan, type HelmRelease } from '../helmrelease/types.js';
import type { Problem } from '../problems.js';
import { shownPath } from './plan-text.js';

/** The workspace of the file explained, as a run with its folder as `--dir` scans it. */
export interface ExplainWorkspace {
  /** Its folder, as shown. */
  root: string;
  /** How it was found (`the --dir given`), as shown. */
  found: string;
  /**
   * The file's scan as the run makes it, with the holds of other files applied (its path is
   * workspace-relative); absent when the run keeps no scan of it (no HelmRelease, or not scanned).
   */
  scan?: FileScan;
  /** False when the run does not scan the file at all (its paths do not select it). */
  scanned: boolean;
  /** The problems the holds of other files raised, at those files; those for this file's releases are shown. */
  holdProblems: readonly Problem[];
  /** Folders the listing skipped (a kustomization there was not read), shown as they are. */
  listingProblems: readonly Problem[];
}

const OTHER_FILES = 'Holds from other files (a .flux.yaml, a Kustomize patch, a kustomization)';

/** The line saying whether the holds of other files were applied, and from where. */
export function workspaceLine(workspace: ExplainWorkspace | undefined): string {
  if (workspace === undefined) return `${OTHER_FILES}: not checked (no workspace given)`;
  const where = `${shownPath(workspace.root)} (${workspace.found})`;
  return workspace.scanned
    ? `${OTHER_FILES}: checked in ${where}`
    : `${OTHER_FILES}: not checked: a run in ${where} does not scan this file, so it updates nothing in it`;
}

/** Every line that holds a release back, the first (the one its `blocked` says) first. */
function holdPlaces(release: HelmRelease): HoldPlace[] {
  const { blockedAt, alsoHeldAt = [] } = release.policies;
  return blockedAt === undefined ? [] : [blockedAt, ...alsoHeldAt];
}

/**
 * The errors of the holds written in other files that hold the scan's releases (each hold's, when
 * several hold one): those at the line each hold names, and of several there (a patch document
 * holding releases in more files), the ones that name the release in this file.
 */
export function holdErrors(scan: FileScan, problems: readonly Problem[]): Problem[] {
  const found = new Set<Problem>();
  for (const release of scan.releases) {
    for (const at of holdPlaces(release)) {
      if (at.file === scan.file) continue;
      const there = problems.filter((p) => samePlace(p, at));
      const named = there.filter((p) => p.message.includes(`${releaseId(release)} in ${scan.file}`));
      for (const p of named.length > 0 ? named : there) found.add(p);
    }
  }
  return [...found];
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The release line of a release held back by `blocked`. Its reason is said once: when the error
 * that set it is among the problems shown (with its line and how to fix it), the line says only
 * where that is, and where every other hold shown is; otherwise (no such problem shown) the reason
 * itself.
 */
export function heldLine(release: HelmRelease, file: string, shown: readonly Problem[]): string {
  const isShown = (at: HoldPlace) => shown.some((p) => samePlace(p, at));
  const [first, ...more] = holdPlaces(release);
  if (first === undefined || !isShown(first)) return `no update: ${release.policies.blocked}`;
  // Only the first can be in this file: an unusable annotation there holds it before all else.
  const where = [first, ...more.filter(isShown)].filter((at) => at.file !== file);
  const held = `held by ${listed(where.map((at) => `${shownPath(at.file)}:${at.line}`))}`;
  if (first.file !== file) return `no update: ${held} (see Problems)`;
  const unusable = `a policy annotation at line ${first.line} is unusable`;
  return `no update: ${unusable}${where.length > 0 ? `, and it is ${held}` : ''} (see Problems)`;
}

/** A problem at another file, with its path. */
export function elsewhere(p: Problem): string {
  return `${p.severity} ${shownPath(p.file)}:${p.line}: ${p.message}`;
}
