/**
 * The bound on the repositories one run lists (`maxRepositories`, 10,000 by default), beside the
 * bounds on the tags they hold (run-tag-budget.ts). The workspace's bounds (4 MiB a file) let one
 * file name some 90,000 repositories, and a run listing them all peaked at 2.8 GB (about 30 KB a
 * repository whose listing failed, its requests, timers, errors and problems), past Node's
 * default heap on the smallest runner: the run would die out of memory with no output at all.
 * Past the bound a listing fails at once, with an error for its repository that says why; the
 * repositories already admitted, in the order the scan met them, are listed as ever. A GitOps
 * repository names a few hundred to a few thousand images; 10,000 repositories that failed
 * peaked at about 460 MB.
 */

/** Default of the run's bound on repositories listed. */
export const DEFAULT_MAX_REPOSITORIES = 10_000;

/** The repositories a run has admitted to listing, up to its bound. */
export class RunRepositories {
  private readonly admitted = new Set<string>();

  constructor(private readonly max: number = DEFAULT_MAX_REPOSITORIES) {}

  /**
   * Admits `repository` (again, if it was), or returns why it is not listed: the run has already
   * admitted as many others as it lists.
   */
  admit(repository: string): string | undefined {
    if (this.admitted.has(repository)) return undefined;
    if (this.admitted.size >= this.max) {
      return (
        `not checked: this run already reads ${this.max.toLocaleString('en-US')} repositories, the most ` +
        'one run reads (so that a checkout naming more cannot exhaust the runner); narrow paths or images'
      );
    }
    this.admitted.add(repository);
    return undefined;
  }
}
