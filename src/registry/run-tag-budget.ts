/**
 * The bound on tags the run's listings hold together (`maxRunTags`, 5,000,000 by default), beside
 * each listing's own (`maxTags`, tag-listing.ts). One repository's bound leaves the run unbounded:
 * 24 repositories of 1,000,000 tags each peaked at 3.8 GB (about 160 bytes a tag kept), past
 * Node's default heap on a runner, and the run died out of memory with no output at all.
 *
 * The rule: the budget counts the tags *held*, not the tags ever read. A listing takes its tags
 * from the budget page by page, before it keeps them; a page that would take the run past the bound
 * fails that listing, with an error for its repository, and what it took is given back. A listing
 * that completes keeps what it holds (its tags without duplicates) until the run ends, as the
 * client and the run do; one that fails, or is abandoned (a listing started ahead that the scan did
 * not need), gives back everything. So a repository fails only if its tags do not fit beside those
 * of the listings done or in progress: a small repository listed after a big one failed still
 * fits, since the big one's tags are dropped, and the memory bounded is the memory held. Counted
 * cumulatively instead, every listing after the bound would fail, whatever it held and whatever
 * the run had dropped. Listings in progress take pages in the order their pages arrive, so when
 * several would pass the bound together, the one whose page comes first past it fails; the total
 * held never passes the bound, and with listings done one after another, the one that fails is
 * the first that does not fit.
 */

/**
 * Default of the run's bound. About 160 bytes a tag kept (measured), so 5,000,000 tags are about
 * 800 MB: five repositories at the per-repository bound of 1,000,000. Node's default heap on a
 * GitHub runner is about 2-4 GB (by the runner's memory), and the rest of a run is small beside
 * it (the 1,000,000-tag bench, 160 MB of tags, peaked at about 400 MB), so this leaves room on the
 * smallest runner; 24 repositories of 1,000,000 tags (3.8 GB) did not.
 */
export const DEFAULT_MAX_RUN_TAGS = 5_000_000;

/** The share of the run's budget one listing holds. */
export interface TagAccount {
  /** The run's bound. */
  readonly max: number;
  /** Tags the run's other listings hold now. */
  heldByOthers(): number;
  /**
   * Takes `count` more tags, or returns false and takes none when they would pass the run's bound.
   * A closed account takes nothing and refuses nothing (its listing is being abandoned).
   */
  take(count: number): boolean;
  /** What the listing keeps once it is done: `count` tags (no more than taken); the rest is given back. */
  keep(count: number): void;
  /** Gives back everything (the listing failed or was abandoned). Once; later calls do nothing. */
  close(): void;
}

/** The tags the run's listings hold, against `max`. One per run (the registry client's). */
export class RunTagBudget {
  #held = 0;

  constructor(readonly max: number = DEFAULT_MAX_RUN_TAGS) {}

  /** Tags the run's listings hold now, done and in progress. */
  get held(): number {
    return this.#held;
  }

  /** An account for one listing, holding nothing yet. */
  open(): TagAccount {
    let taken = 0;
    let closed = false;
    const give = (count: number) => {
      taken -= count;
      this.#held -= count;
    };
    return {
      max: this.max,
      heldByOthers: () => this.#held - taken,
      take: (count) => {
        if (closed) return true;
        if (this.#held + count > this.max) return false;
        taken += count;
        this.#held += count;
        return true;
      },
      keep: (count) => {
        if (!closed && count < taken) give(taken - count);
      },
      close: () => {
        if (closed) return;
        give(taken);
        closed = true;
      },
    };
  }
}
