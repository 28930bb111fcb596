/**
 * Describing tags: `HEAD` each tag's manifest (all four Accept types) to learn its digest - Docker
 * Hub does not count HEADs as pulls - unless the {@link DigestCache} confirmed it recently enough
 * to trust (Flux v1's refresh, capped by `tagDigestMaxAgeMs`); then, per distinct digest not in
 * the cache, read the image's details (image-details.ts) and keep them in the cache. A
 * failure is the error of that tag only. The platforms of the images pull requests replace are
 * read alone, more cheaply ({@link TagDescriber.describePlatforms}).
 *
 * Bounds: a repository's tags are described by a fixed number of workers (the per-host
 * concurrency), never one pending request per tag, so memory follows the concurrency and not the
 * tag count; and at most `maxTagsDescribed` tags are asked about per repository per run, which ones
 * being `tag-cap.ts`'s choice. Reads by digest are shared as `content-memo.ts` says.
 */
import type { RegistryError, ImagePlatforms, TagDetails } from '../ports.js';
import { mapLabelTimes } from '../image/label-times.js';
import { splitRepository } from '../image/reference.js';
import { contentMemo } from './content-memo.js';
import type { CachedDetails, DigestCache } from './digest-cache.js';
import { ImageDetailsReader, withoutCredentials } from './image-details.js';
import { manifestPlatforms, parseCreated, parseManifest } from './manifest.js';
import { ManifestRequests } from './manifest-requests.js';
import type { Endpoint } from './registry-endpoint.js';
import type { RegistrySession } from './registry-session.js';
import { chooseTagsToAsk, labelBuildTime, tagCapNotice, type TagsToAsk } from './tag-cap.js';

export { DEFAULT_MAX_TAGS_DESCRIBED } from './tag-cap.js';

/** Options of {@link TagDescriber}. */
export interface TagDescriberOptions {
  /** The run's clock (ms since the epoch). */
  now: number;
  /** Longest time a tag's digest confirmed by an earlier run is used without asking. */
  tagDigestMaxAgeMs: number;
  /** Platform read from indexes. Default linux/amd64 (Flux v1). */
  platform?: { os: string; architecture: string };
  /** Tags asked about per repository per run; see `tag-cap.ts`. */
  maxTagsDescribed: number;
  /** Tags of one repository described at once. */
  concurrency: number;
}

/** Calls `work` on every item with at most `limit` calls pending; never one promise per item. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * @param redact applied to the source label: registry-originated text bound for a PR body.
 * @param shownPlatforms the platforms, or undefined where one holds a credential (a cache file
 *   written before they were checked).
 */
function toTagDetails(
  digest: string,
  details: CachedDetails,
  redact: (text: string) => string,
  shownPlatforms: (names: readonly string[]) => readonly string[] | undefined,
): TagDetails {
  const platforms = details.platforms && shownPlatforms(details.platforms);
  return {
    digest,
    // parseCreated keeps the nanoseconds; the cache read from a file checked that it parses.
    created: details.created === null ? undefined : parseCreated(details.created),
    // The cache checked that they parse.
    ...(details.labels ? { labelTimes: mapLabelTimes(details.labels, parseCreated) } : {}),
    ...(details.source ? { source: redact(details.source) } : {}),
    ...(details.revision ? { revision: redact(details.revision) } : {}),
    // Checked platform names (manifest.ts), none holding a credential.
    ...(platforms ? { platforms } : {}),
  };
}

/** Reads tags' digests and image details for one run; see the module comment. */
export class TagDescriber {
  /** Tags whose digest came from the cache, without a request. */
  trustedTagDigests = 0;
  private readonly digests = new Map<string, Promise<string>>();
  private readonly requests: ManifestRequests;
  private readonly reader: ImageDetailsReader;
  // A failure is kept for this run (one fetch per digest and repository), never written to the cache.
  private readonly detailsByDigest = contentMemo<CachedDetails>();

  constructor(
    private readonly session: RegistrySession,
    private readonly cache: DigestCache,
    private readonly options: TagDescriberOptions,
  ) {
    this.requests = new ManifestRequests(session);
    this.reader = new ImageDetailsReader(session, this.requests, options.platform);
  }

  /**
   * Details of some tags of a repository; one broken tag never fails the others. Tags left out
   * by the cap (see `tag-cap.ts`) are missing from the map. With `needsLabelTimes` (a repository
   * ordered by its build-time labels) an image cached before they were kept is read again.
   */
  async describeTags(
    repository: string,
    tags: readonly string[],
    signal?: AbortSignal,
    onDescribed?: (tag: string) => void,
    needsLabelTimes = false,
  ): Promise<Map<string, TagDetails | RegistryError>> {
    const { registry, path } = splitRepository(repository);
    const endpoint = this.session.endpointFor(registry);
    const results = new Map<string, TagDetails | RegistryError>();
    const redact = (text: string): string => this.session.redact(text);
    const shownPlatforms = (names: readonly string[]) => this.withoutCredentials(names);
    const split = this.chooseTagsToAsk(repository, [...new Set(tags)], needsLabelTimes);
    const { asked, remembered } = split;
    for (const [tag, details] of remembered) {
      results.set(tag, toTagDetails(details.digest, details, redact, shownPlatforms));
      onDescribed?.(tag);
    }
    await forEachLimited(
      asked,
      this.options.concurrency,
      async (tag) => {
        try {
          const digest = await this.tagDigest(endpoint, path, repository, tag, signal);
          const details = await this.digestDetails(
            endpoint,
            path,
            repository,
            digest,
            needsLabelTimes,
            signal,
          );
          results.set(tag, toTagDetails(digest, details, redact, shownPlatforms));
        } catch (error) {
          results.set(tag, this.session.toRegistryError(error, registry));
        }
        onDescribed?.(tag);
      },
      signal,
    );
    if (signal?.aborted) {
      // The repository's deadline ran out: the tags not asked about yet share one error.
      const reason: unknown = signal.reason;
      const stopped = this.session.toRegistryError(
        reason instanceof Error ? reason : new Error(String(reason)),
        registry,
      );
      for (const tag of asked) if (!results.has(tag)) results.set(tag, stopped);
    }
    const notice = tagCapNotice(repository, this.options.maxTagsDescribed, split);
    if (notice !== undefined) this.session.notice(notice);
    return results;
  }

  /**
   * The platforms of some tags' images, for pull request bodies (`RegistryPort.describePlatforms`),
   * one manifest request per tag at most, but for a remembered tag that moved: none for a tag the cache trusts whose image's platforms
   * it knows, nor for one whose digest this run already read and whose platforms are cached; a
   * HEAD for a remembered tag whose image's platforms are cached (a GET by digest too if the tag
   * moved); otherwise a GET of the manifest by tag, whose digest and platforms are kept in the
   * cache. An image manifest's config is not read for this: it counts as single-platform (`[]`).
   * A tag whose platforms cannot be known (an index with more than 32, or one without usable
   * platform fields) is missing from the map.
   */
  async describePlatforms(
    repository: string,
    tags: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, ImagePlatforms | RegistryError>> {
    const { registry, path } = splitRepository(repository);
    const endpoint = this.session.endpointFor(registry);
    const results = new Map<string, ImagePlatforms | RegistryError>();
    const asked = [...new Set(tags)];
    await forEachLimited(
      asked,
      this.options.concurrency,
      async (tag) => {
        try {
          const platforms = await this.tagPlatforms(endpoint, path, repository, tag, signal);
          if (platforms !== undefined) results.set(tag, platforms);
        } catch (error) {
          results.set(tag, this.session.toRegistryError(error, registry));
        }
      },
      signal,
    );
    return results;
  }

  /** One tag's platforms; see {@link describePlatforms}. */
  private async tagPlatforms(
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
    signal: AbortSignal | undefined,
  ): Promise<ImagePlatforms | undefined> {
    const { cache, options } = this;
    const key = `${repository}:${tag}`;
    const trusted = cache.trustedDigest(repository, tag, options.now, options.tagDigestMaxAgeMs);
    const trustedPlatforms = trusted === undefined ? undefined : cache.platforms(trusted);
    if (!this.digests.has(key) && trustedPlatforms !== undefined) {
      this.trustedTagDigests += 1;
      return this.withoutCredentials(trustedPlatforms);
    }
    const remembered = cache.tag(repository, tag)?.digest;
    let digest: string;
    if (this.digests.has(key) || (remembered !== undefined && cache.platforms(remembered) !== undefined)) {
      digest = await this.tagDigest(endpoint, path, repository, tag, signal);
      const known = cache.platforms(digest);
      if (known !== undefined) return this.withoutCredentials(known);
    } else {
      // Nothing known: one GET of the manifest gives both its digest and its platforms.
      digest = await this.requests.tagManifestDigest(endpoint, path, repository, tag, signal);
      cache.recordTag(repository, tag, digest, options.now, options.tagDigestMaxAgeMs);
      this.digests.set(key, Promise.resolve(digest));
    }
    const response = await this.requests.getVerified(
      endpoint,
      path,
      'getManifest',
      digest,
      `the manifest ${repository}@${digest}`,
      signal,
    );
    const platforms = this.withoutCredentials(
      manifestPlatforms(parseManifest(response.body.toString('utf8'), response.headers.get('content-type'))),
    );
    if (platforms !== undefined) cache.setPlatforms(digest, platforms);
    return platforms;
  }

  /** Platform names, or undefined where one holds a credential the run sends (image-details.ts). */
  private withoutCredentials<T extends readonly string[]>(platforms: T | undefined): T | undefined {
    return withoutCredentials(platforms, (name) => this.session.holdsSecret(name));
  }

  /** Splits a repository's tags by the cap on tags asked about, by what the digest cache knows. */
  private chooseTagsToAsk(repository: string, tags: string[], needsLabelTimes: boolean): TagsToAsk {
    const remember = (tag: string) => {
      const digest = this.cache.tag(repository, tag)?.digest;
      const details = digest === undefined ? undefined : this.cached(digest, needsLabelTimes);
      return digest === undefined || details === undefined ? undefined : { ...details, digest };
    };
    const cap = this.options.maxTagsDescribed;
    return chooseTagsToAsk(tags, cap, remember, needsLabelTimes ? labelBuildTime : undefined);
  }

  /**
   * A tag's digest, once per run: from the cache while it is trusted and its details are cached
   * too (so a trusted tag costs no request at all), else from the registry, remembered.
   */
  private tagDigest(
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const { cache, options } = this;
    const key = `${repository}:${tag}`;
    let pending = this.digests.get(key);
    if (!pending) {
      const trusted = cache.trustedDigest(repository, tag, options.now, options.tagDigestMaxAgeMs);
      if (trusted !== undefined && cache.get(trusted) !== undefined) {
        this.trustedTagDigests += 1;
        pending = Promise.resolve(trusted);
      } else {
        pending = this.requests.tagDigest(endpoint, path, repository, tag, signal).then((digest) => {
          cache.recordTag(repository, tag, digest, options.now, options.tagDigestMaxAgeMs);
          return digest;
        });
      }
      this.digests.set(key, pending);
    }
    return pending;
  }

  /** The cached details of a digest, unless missing, or without label times that are needed. */
  private cached(digest: string, needsLabelTimes: boolean): CachedDetails | undefined {
    const hit = this.cache.get(digest);
    return needsLabelTimes && hit?.labels === undefined ? undefined : hit;
  }

  private digestDetails(
    endpoint: Endpoint,
    path: string,
    repository: string,
    digest: string,
    needsLabelTimes: boolean,
    signal: AbortSignal | undefined,
  ): Promise<CachedDetails> {
    const hit = this.cached(digest, needsLabelTimes);
    if (hit) return Promise.resolve(hit);
    return this.detailsByDigest(repository, digest, async () => {
      const details = await this.reader.read(endpoint, path, repository, digest, signal);
      this.cache.set(digest, details);
      return details;
    });
  }
}
