/**
 * The tag listings of earlier runs, kept in the digest cache's file:
 *
 * - by repository, how many pages its listing took and when, so the next listing of a repository
 *   that took several pages starts among the first (a listing is a chain of dependent requests,
 *   `tag-listing.ts`) and the longest chains do not finish last;
 * - by run scope (the workspace and the settings that decide which repositories a run reads,
 *   hashed by `registry-setup.ts`), the repositories the last run over it named, so that the next
 *   one starts a few of their listings before its scan has found them
 *   ({@link RememberedListings.lastRun}, issue 17): its registries are then at work while its
 *   files are read and parsed. The scan names the same repositories unless the workspace changed,
 *   and the run abandons those it does not name. Keyed by scope, so runs over other folders or
 *   with other paths that share the cache (a matrix of jobs) never list each other's.
 *
 * Bounded: at most {@link MAX_CACHED_LISTINGS} repositories (the most recently listed),
 * {@link MAX_REMEMBERED_RUNS} scopes of {@link MAX_RUN_REPOSITORIES} repositories each (the most
 * recently recorded) and {@link MAX_LISTED_AHEAD} listings ahead; nothing older than
 * {@link LISTING_MAX_AGE_MS}; and a run's repository only when its name reads as one, since it is
 * listed before any file names it (a file that names something else is an input like any other).
 * Pure.
 */
import { parseImageReference, splitRepository } from '../image/reference.js';
import { dueForKeepAlive, newestFirst, readTime } from './kept-times.js';

/** Most listings kept (and read from a file), the most recent. */
export const MAX_CACHED_LISTINGS = 10_000;
/** Most run scopes kept (and read from a file), the most recently recorded. */
export const MAX_REMEMBERED_RUNS = 32;
/** Most repositories kept of one run scope. */
export const MAX_RUN_REPOSITORIES = 1_000;
/**
 * Most listings a run starts ahead, whatever the number of registries: a start for a run over
 * many registries, and no more requests to hosts this run may not need.
 */
export const MAX_LISTED_AHEAD = 128;
/** A listing, or a run's repositories, recorded longer ago than this is forgotten on loading. */
export const LISTING_MAX_AGE_MS = 30 * 24 * 3_600_000;
/** A run scope as `registry-setup.ts` writes it: a hex digest. */
const SCOPE_KEY = /^[0-9a-f]{32}$/;

/** One entry of the file's `listings`, by repository. */
interface SerializedListing {
  pages: number;
  /** When it was listed, RFC 3339. */
  listed: string;
}

/** One entry of the file's `runs`, by run scope. */
interface SerializedRun {
  repositories: string[];
  /** When the run named them, RFC 3339. */
  recorded: string;
}

interface Listing {
  pages: number;
  listed: number;
}

interface RunRepositories {
  repositories: readonly string[];
  recorded: number;
}

/** Listings by repository and by run scope; see the module comment. */
export class RememberedListings {
  private readonly listings = new Map<string, Listing>();
  private readonly runs = new Map<string, RunRepositories>();
  private dirty = false;

  /** Whether anything changed that the file should keep. */
  get changed(): boolean {
    return this.dirty;
  }

  /**
   * Reads the file's `listings` and `runs`; unusable entries, and any past the bounds, are left
   * out.
   */
  static fromJSON(listings: unknown, runs: unknown, now: number): RememberedListings {
    const remembered = new RememberedListings();
    for (const [repository, value] of entriesOf(listings)) {
      if (remembered.listings.size >= MAX_CACHED_LISTINGS) break;
      const l = value as { pages?: unknown; listed?: unknown };
      if (typeof l !== 'object' || l === null || !Number.isSafeInteger(l.pages) || (l.pages as number) < 1)
        continue;
      const listed = readTime(l.listed, now, LISTING_MAX_AGE_MS);
      // Read by name only when a scan names the repository: its name needs no check.
      if (listed === undefined) continue;
      remembered.listings.set(repository, { pages: l.pages as number, listed });
    }
    for (const [scope, value] of entriesOf(runs)) {
      if (remembered.runs.size >= MAX_REMEMBERED_RUNS) break;
      const r = value as { repositories?: unknown; recorded?: unknown };
      if (typeof r !== 'object' || r === null || !SCOPE_KEY.test(scope) || !Array.isArray(r.repositories))
        continue;
      const recorded = readTime(r.recorded, now, LISTING_MAX_AGE_MS);
      if (recorded === undefined) continue;
      const repositories = r.repositories
        .slice(0, MAX_RUN_REPOSITORIES)
        .filter((name): name is string => typeof name === 'string' && isRepositoryName(name));
      remembered.runs.set(scope, { repositories, recorded });
    }
    return remembered;
  }

  /** How many pages the last listing of `repository` took, if it is remembered. */
  pages(repository: string): number | undefined {
    return this.listings.get(repository)?.pages;
  }

  /** Records how many pages a listing of `repository` just took. */
  record(repository: string, pages: number, now: number): void {
    const previous = this.listings.get(repository);
    this.listings.set(repository, { pages, listed: now });
    if (!previous || previous.pages !== pages || dueForKeepAlive(previous.listed, now)) this.dirty = true;
  }

  /** Records the repositories a run over `scope` named (at most {@link MAX_RUN_REPOSITORIES}). */
  recordRun(scope: string, repositories: Iterable<string>, now: number): void {
    const names = [...new Set(repositories)].sort().slice(0, MAX_RUN_REPOSITORIES);
    const previous = this.runs.get(scope);
    this.runs.set(scope, { repositories: names, recorded: now });
    const same =
      previous !== undefined &&
      previous.repositories.length === names.length &&
      previous.repositories.every((name, i) => name === names[i]);
    if (!same || dueForKeepAlive(previous.recorded, now)) this.dirty = true;
  }

  /**
   * The repositories the last run over `scope` named, at most `perRegistry` of each registry and
   * {@link MAX_LISTED_AHEAD} in all: those whose listing took the most pages first.
   */
  lastRun(scope: string, perRegistry: number): string[] {
    const repositories = [...(this.runs.get(scope)?.repositories ?? [])].sort(
      (a, b) => (this.pages(b) ?? 1) - (this.pages(a) ?? 1),
    );
    const taken = new Map<string, number>();
    const chosen: string[] = [];
    for (const repository of repositories) {
      if (chosen.length >= MAX_LISTED_AHEAD) break;
      const { registry } = splitRepository(repository);
      const count = taken.get(registry) ?? 0;
      if (count >= perRegistry) continue;
      taken.set(registry, count + 1);
      chosen.push(repository);
    }
    return chosen;
  }

  /** The file's `listings` and `runs`, each within its bound, the most recent kept. */
  toJSON(): { listings: Record<string, SerializedListing>; runs: Record<string, SerializedRun> } {
    const listings = newestFirst([...this.listings], MAX_CACHED_LISTINGS, ([, l]) => l.listed).map(
      ([repository, { pages, listed }]) => [repository, { pages, listed: new Date(listed).toISOString() }],
    );
    const runs = newestFirst([...this.runs], MAX_REMEMBERED_RUNS, ([, r]) => r.recorded).map(
      ([scope, { repositories, recorded }]) => [
        scope,
        { repositories: [...repositories], recorded: new Date(recorded).toISOString() },
      ],
    );
    return { listings: Object.fromEntries(listings), runs: Object.fromEntries(runs) };
  }
}

/** The entries of a JSON object read from the file (none when it is not one). */
function entriesOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}

/** Whether `name` reads as a normalised repository (`host/path`), as the scan would name one. */
function isRepositoryName(name: string): boolean {
  const parsed = parseImageReference(name);
  return parsed.ok && parsed.reference.repository === name;
}
