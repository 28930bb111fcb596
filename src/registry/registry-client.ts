/**
 * The {@link RegistryPort} over the Docker Registry HTTP API v2 / OCI distribution spec
 * (REGISTRIES.md), put together from its rooms:
 *
 * - registry-session.ts: endpoints (Docker Hub, mirrors, plain HTTP), authenticated requests
 *   (auth.ts's challenge flow), error text;
 * - tag-listing.ts: the paginated tag list, with a page cap; each repository is listed once per
 *   run whatever number of containers use it (memoised here);
 * - run-tag-budget.ts: the bound on tags the run's listings hold together; each listing has an
 *   account, kept while its tags are (memoised here), closed when it fails or is abandoned;
 * - tag-details.ts: digests by HEAD (or the digest cache) and image details by digest, and the
 *   platforms of the images pull requests replace;
 * - request-scheduler.ts (under http.ts): requests in flight per host, by priority, shared
 *   fairly between repositories;
 * - deadlines.ts: a deadline per repository, counting the time its requests are served (the
 *   scheduler tells it), and a time budget for the run.
 *
 * Failures become {@link RegistryError}s for the repository or the tag concerned only.
 */
import { RegistryError, type RegistryPort, type TagDetails } from '../ports.js';
import { plural } from '../plural.js';
import { splitRepository } from '../image/reference.js';
import { RegistryDeadlines } from './deadlines.js';
import { DigestCache } from './digest-cache.js';
import type { HttpStats } from './http.js';
import { RegistrySession, type RegistrySessionOptions } from './registry-session.js';
import { DEFAULT_MAX_TAGS_DESCRIBED, TagDescriber } from './tag-details.js';
import { DEFAULT_MAX_TAGS, listRepositoryTags } from './tag-listing.js';
import { RunRepositories } from './run-repositories.js';
import { RunTagBudget, type TagAccount } from './run-tag-budget.js';

export { credentialsForRegistry } from './registry-endpoint.js';
export { parseNextLink } from './tag-listing.js';

/**
 * Options of {@link createRegistryClient}: the session's (credentials, mirrors, plain-HTTP hosts,
 * masking, notices, HTTP timings) plus the cache, caps and deadlines.
 */
export interface RegistryClientOptions extends RegistrySessionOptions {
  /** Creation times by digest and digests by tag, kept across runs. */
  digestCache?: DigestCache;
  /**
   * Longest time a tag's digest confirmed by an earlier run is used without asking the registry
   * (see {@link DigestCache}). Default 0: every tag is asked about on every run.
   */
  tagDigestMaxAgeMs?: number;
  /** The run's clock (ms since the epoch), read once. Default `Date.now()`. */
  now?: number;
  /** `n` for tag listing. Default 1000 (ECR's maximum). */
  pageSize?: number;
  /** Tag pages followed before giving up. Default 100. */
  maxPages?: number;
  /** Distinct tags of one repository read before giving up on it. Default 1,000,000. */
  maxTags?: number;
  /**
   * Tags the run's listings hold together (done or in progress); a listing that would pass it
   * fails, and one that fails or is abandoned gives its tags back. Default 5,000,000.
   */
  maxRunTags?: number;
  /** Distinct repositories the run lists; a listing past them fails at once. Default 10,000. */
  maxRepositories?: number;
  /**
   * Tags asked about (HEAD) per repository per run; past it the digest cache answers for the
   * tags it knows and the rest are left out, with a notice. Default 1000.
   */
  maxTagsDescribed?: number;
  /** Platform read from indexes. Default linux/amd64 (Flux v1). */
  platform?: { os: string; architecture: string };
  /** Time for all registry requests of the run, from the first one. Default 15 min. */
  registryBudgetMs?: number;
  /**
   * Time for one repository's listing and description, counting only while one of its requests
   * holds a slot or waits to retry (not its waits for a slot). Default 5 min.
   */
  repositoryDeadlineMs?: number;
}

/** The registry client: the port plus counters and the digest cache. */
export interface RegistryClient extends RegistryPort {
  /** Requests sent, by kind. */
  readonly stats: HttpStats;
  readonly digestCache: DigestCache;
  /** Tags whose digest came from the cache, without a request. */
  readonly trustedTagDigests: number;
  describePlatforms: NonNullable<RegistryPort['describePlatforms']>;
  stop: NonNullable<RegistryPort['stop']>;
  writing: NonNullable<RegistryPort['writing']>;
  /** Abandons `repository`'s requests in flight or waiting; its listing rejects with `reason`. */
  abandon(repository: string, reason: string): void;
  /**
   * {@link RegistryPort.describeTags}; with `needsLabelTimes` (a repository ordered by its build-time
   * labels, `label-times.ts`) images cached before their labels were kept are read again.
   */
  describeTags(
    repository: string,
    tags: readonly string[],
    onDescribed?: (tag: string) => void,
    needsLabelTimes?: boolean,
  ): Promise<Map<string, TagDetails | RegistryError>>;
}

/** Creates a client; one per run (it memoises tag lists, digests and tokens). */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const cache = options.digestCache ?? new DigestCache();
  const deadlines = new RegistryDeadlines(options.registryBudgetMs, options.repositoryDeadlineMs);
  // A repository's clock runs while its requests are served, not while they wait for a slot.
  const session = new RegistrySession({
    ...options,
    http: { ...options.http, serviceWatcher: deadlines },
    rememberedSchemes: cache.schemes,
    // Token requests, shared by repositories, end with the run (its stop, its budget).
    stopSignal: deadlines.runSignal,
  });
  const now = options.now ?? Date.now();
  const listing = {
    pageSize: options.pageSize ?? 1000,
    maxPages: options.maxPages ?? 100,
    maxTags: options.maxTags ?? DEFAULT_MAX_TAGS,
    now,
  };
  const describer = new TagDescriber(session, cache, {
    now,
    tagDigestMaxAgeMs: options.tagDigestMaxAgeMs ?? 0,
    maxTagsDescribed: options.maxTagsDescribed ?? DEFAULT_MAX_TAGS_DESCRIBED,
    concurrency: options.http?.maxInFlightPerHost ?? 8,
    ...(options.platform ? { platform: options.platform } : {}),
  });
  const tagLists = new Map<string, Promise<string[]>>();
  const runTags = new RunTagBudget(options.maxRunTags);
  const repositories = new RunRepositories(options.maxRepositories);
  /** Each listing's share of the run's tags, while its listing is memoised. */
  const accounts = new Map<string, TagAccount>();

  return {
    stats: session.http.stats,
    digestCache: cache,
    get trustedTagDigests() {
      return describer.trustedTagDigests;
    },
    listTags(repository: string): Promise<string[]> {
      let pending = tagLists.get(repository);
      if (!pending) {
        const refused = repositories.admit(repository);
        if (refused) {
          pending = Promise.reject(new RegistryError(refused, splitRepository(repository).registry));
          pending.catch(() => undefined);
          tagLists.set(repository, pending);
          return pending;
        }
        const signal = deadlines.signalFor(repository);
        const account = runTags.open();
        accounts.set(repository, account);
        pending = listRepositoryTags(session, cache, repository, { ...listing, signal, account }).then(
          (tags) => {
            // Held (memoised here, and by the run) until the run ends; a failure below gives them back.
            account.keep(tags.length);
            // A registry that names tags after what it is sent (its password, a token) would have
            // them shown, cached and written into a pull request: none of its tags is used.
            const echoed = tags.filter((tag) => session.holdsSecret(tag)).length;
            if (echoed > 0) {
              throw new RegistryError(
                `the tag list of ${repository} has ${plural(echoed, 'tag')} holding a credential this run sends to ` +
                  'the registry (it echoes what it is sent); none of its tags is used',
                splitRepository(repository).registry,
              );
            }
            cache.forgetUnlistedTags(repository, tags);
            return tags;
          },
          (error: unknown) => {
            throw session.toRegistryError(error, splitRepository(repository).registry);
          },
        );
        // A failed listing's tags are dropped: they go back to the run's budget.
        pending.catch(() => account.close());
        tagLists.set(repository, pending);
      }
      return pending;
    },
    describeTags(
      repository: string,
      tags: readonly string[],
      onDescribed?: (tag: string) => void,
      needsLabelTimes?: boolean,
    ) {
      return describer.describeTags(
        repository,
        tags,
        deadlines.signalFor(repository),
        onDescribed,
        needsLabelTimes,
      );
    },
    describePlatforms(repository: string, tags: readonly string[]) {
      return describer.describePlatforms(repository, tags, deadlines.signalFor(repository));
    },
    stop(reason: string) {
      deadlines.stop(new Error(reason));
    },
    writing() {
      return session.http.unwrittenRequests > 0;
    },
    abandon(repository: string, reason: string) {
      tagLists.delete(repository);
      // Its tags are no one's (done) or are being dropped (in progress).
      accounts.get(repository)?.close();
      accounts.delete(repository);
      deadlines.abandon(repository, new Error(reason));
    },
  };
}
