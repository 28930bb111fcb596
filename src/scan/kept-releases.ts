/**
 * The HelmReleases and containers a run keeps once scanned. Their cost in memory goes with their
 * count, not with the text they are written in: a release took about 5 KB of heap however short
 * (80,000 releases of 45 bytes, one 3.9 MiB file: 430 MB), and a container 7 to 11 KB (70,000
 * containers of one release in one 3.9 MiB file: 540 MB, 880 MB with an update each). The bound on
 * the text kept (kept-text.ts, 512 MiB, sized for releases of 3.5 KiB) therefore let dense files
 * through: ten files of such containers (37 MiB) took the CLI 5 min 35 s and 4 GB, and then its
 * `--json` failed ("Invalid string length", exit 3, no report printed). Pure.
 */
import { groupedCount } from '../byte-count.js';
import type { FileScan } from '../helmrelease/types.js';
import { WorkspaceBoundError } from '../ports.js';

/**
 * HelmReleases the scan keeps before the run stops: fifty times the benchmark's 1,000. Each short
 * release with one container and an update cost about 19 KB of memory through a whole CLI run
 * (100,000 of them in two 3.8 MiB files: 1.9 GB and 101 s; 50,000 in one: 0.93 GB and 58 s).
 */
export const MAX_KEPT_RELEASES = 50_000;

/**
 * Containers the scan keeps before the run stops: five times the repositories a run may check, and
 * as many as the releases (a container cost 7 to 11 KB of heap, its release's share aside).
 */
export const MAX_KEPT_CONTAINERS = 50_000;

/**
 * Problems of the scan kept before the run stops: files not read, and each file's scan's (at most
 * 101 a file, file-problems.ts). A problem took about 5 KB through a CLI run (140,000 in one file:
 * 787 MB), so some 250 MB; a workspace of a million small broken files no longer lists a million.
 */
export const MAX_KEPT_PROBLEMS = 50_000;

/** The bounds of {@link KeptReleases}, lowered by tests. */
export interface KeptReleaseLimits {
  /** {@link MAX_KEPT_RELEASES} unless given. */
  maxReleases?: number;
  /** {@link MAX_KEPT_CONTAINERS} unless given. */
  maxContainers?: number;
  /** {@link MAX_KEPT_PROBLEMS} unless given. */
  maxProblems?: number;
}

/** Counts the releases, containers and problems kept, and stops the run past a bound. */
export class KeptReleases {
  #releases = 0;
  #containers = 0;
  #problems = 0;
  readonly #maxReleases: number;
  readonly #maxContainers: number;
  readonly #maxProblems: number;

  constructor(limits: KeptReleaseLimits = {}) {
    this.#maxReleases = limits.maxReleases ?? MAX_KEPT_RELEASES;
    this.#maxContainers = limits.maxContainers ?? MAX_KEPT_CONTAINERS;
    this.#maxProblems = limits.maxProblems ?? MAX_KEPT_PROBLEMS;
  }

  /** Counts the releases and problems of `scan`; throws a {@link WorkspaceBoundError} past a bound. */
  keep(scan: FileScan): void {
    this.#releases += scan.releases.length;
    for (const release of scan.releases) this.#containers += release.containers.length;
    this.keepProblems(scan.file, scan.problems.length);
  }

  /** Counts `count` problems about `file`; throws a {@link WorkspaceBoundError} past a bound. */
  keepProblems(file: string, count: number): void {
    this.#problems += count;
    const over =
      this.#releases > this.#maxReleases
        ? `more than ${groupedCount(this.#maxReleases)} HelmReleases`
        : this.#containers > this.#maxContainers
          ? `more than ${groupedCount(this.#maxContainers)} containers of HelmReleases`
          : this.#problems > this.#maxProblems
            ? `more than ${groupedCount(this.#maxProblems)} problems`
            : undefined;
    if (over === undefined) return;
    throw new WorkspaceBoundError(
      `The files scanned hold ${over}, the most a run keeps (${file} passed it). ` +
        'Narrow paths or add exclude patterns to leave out files that are not what Flux applies ' +
        '(generated or test fixtures), or split the workspace among jobs with paths of their own.',
      'releases',
    );
  }
}
