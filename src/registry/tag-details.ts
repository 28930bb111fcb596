/**
 * Describing tags: `HEAD` each tag's manifest (all four Accept types) to learn its digest - Docker
 * Hub does not count HEADs as pulls - unless the {@link DigestCache} confirmed it recently enough
 * to trust (Flux v1's refresh, capped by `tagDigestMaxAgeMs`); then, per distinct digest not in
 * the cache, `GET` the manifest, the linux/amd64 child of an index, and the config blob. Content
 * read by digest is checked against it (the requests themselves are `manifest-requests.ts`). A
 * failure is the error of that tag only. The platforms of the images pull requests replace are
 * read alone, more cheaply ({@link TagDescriber.describePlatforms}).
 *
 * Bounds: a repository's tags are described by a fixed number of workers (the per-host
 * concurrency), never one pending request per tag, so memory follows the concurrency and not the
 * tag count; and at most `maxTagsDescribed` tags are asked about per repository per run. Past
 * that cap, the tags the digest cache knows nothing about go first (in the caller's order), then
 * the known ones newest first by their cached build time; the rest of the known ones are answered
 * from the cache (their last-known build), and unknown ones left over are not answered at all -
 * the caller reports them - with a notice naming the repository. Each run adds what it learned to
 * the cache, so a repository over the cap converges over a few runs.
 */
import { RegistryError, type ImagePlatforms, type TagDetails } from '../ports.js';
import { formatCreated } from '../image/created-time.js';
import { splitRepository } from '../image/reference.js';
import type { CachedDetails, DigestCache } from './digest-cache.js';
import {
  indexPlatforms,
  manifestPlatforms,
  parseCreated,
  parseManifest,
  readImageConfig,
  selectIndexEntry,
  type ImageConfigDetails,
} from './manifest.js';
import { ManifestRequests } from './manifest-requests.js';
import type { Endpoint, RegistrySession } from './registry-session.js';

/** Options of {@link TagDescriber}. */
export interface TagDescriberOptions {
  /** The run's clock (ms since the epoch). */
  now: number;
  /** Longest time a tag's digest confirmed by an earlier run is used without asking. */
  tagDigestMaxAgeMs: number;
  /** Platform read from indexes. Default linux/amd64 (Flux v1). */
  platform?: { os: string; architecture: string };
  /** Tags asked about per repository per run; see the module comment. */
  maxTagsDescribed: number;
  /** Tags of one repository described at once. */
  concurrency: number;
}

/** Default of {@link TagDescriberOptions.maxTagsDescribed}. */
export const DEFAULT_MAX_TAGS_DESCRIBED = 1000;

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
 * Memoises reads of content-addressed data for a run. A success is shared by every repository
 * (same digest, same bytes); a failure only within the repository it happened in, because it
 * belongs to that repository's registry (a 5xx, a missing blob there): another repository with
 * the same digest reads it for itself instead of inheriting the error.
 */
function contentMemo<T>(): (repository: string, digest: string, read: () => Promise<T>) => Promise<T> {
  const shared = new Map<string, Promise<T>>();
  const own = new Map<string, Promise<T>>();
  return (repository, digest, read) => {
    const key = `${repository}@${digest}`;
    let pending = own.get(key);
    if (!pending) {
      const other = shared.get(digest);
      const mine: Promise<T> = other ? other.catch(read) : read();
      pending = mine;
      own.set(key, mine);
      if (!other) shared.set(digest, mine);
      // A later success replaces a shared failure, so other repositories wait for no doomed read.
      mine.then(
        () => shared.set(digest, mine),
        () => undefined,
      );
    }
    return pending;
  };
}

/** @param redact applied to the source label: registry-originated text bound for a PR body. */
function toTagDetails(digest: string, details: CachedDetails, redact: (text: string) => string): TagDetails {
  return {
    digest,
    // parseCreated keeps the nanoseconds; entries written before they were kept read as before.
    created:
      details.created === null ? undefined : (parseCreated(details.created) ?? new Date(details.created)),
    ...(details.source ? { source: redact(details.source) } : {}),
    ...(details.revision ? { revision: redact(details.revision) } : {}),
    // Checked platform names (manifest.ts): nothing in them can be a secret or markup.
    ...(details.platforms ? { platforms: details.platforms } : {}),
  };
}

/** Reads tags' digests and image details for one run; see the module comment. */
export class TagDescriber {
  /** Tags whose digest came from the cache, without a request. */
  trustedTagDigests = 0;
  private readonly digests = new Map<string, Promise<string>>();
  private readonly requests: ManifestRequests;
  // Many manifests share one config (the same image pushed as list and single manifest): read it once.
  private readonly configs = contentMemo<ImageConfigDetails>();
  // A failure is kept for this run (one fetch per digest and repository), never written to the cache.
  private readonly detailsByDigest = contentMemo<CachedDetails>();

  constructor(
    private readonly session: RegistrySession,
    private readonly cache: DigestCache,
    private readonly options: TagDescriberOptions,
  ) {
    this.requests = new ManifestRequests(session);
  }

  /**
   * Details of some tags of a repository; one broken tag never fails the others. Tags left out
   * by the cap (see the module comment) are missing from the map.
   */
  async describeTags(
    repository: string,
    tags: readonly string[],
    signal?: AbortSignal,
    onDescribed?: (tag: string) => void,
  ): Promise<Map<string, TagDetails | RegistryError>> {
    const { registry, path } = splitRepository(repository);
    const endpoint = this.session.endpointFor(registry);
    const results = new Map<string, TagDetails | RegistryError>();
    const redact = (text: string): string => this.session.redact(text);
    const { asked, remembered, leftOut } = this.chooseTagsToAsk(repository, [...new Set(tags)]);
    for (const [tag, details] of remembered) {
      results.set(tag, toTagDetails(details.digest, details, redact));
      onDescribed?.(tag);
    }
    await forEachLimited(
      asked,
      this.options.concurrency,
      async (tag) => {
        try {
          const digest = await this.tagDigest(endpoint, path, repository, tag, signal);
          const details = await this.digestDetails(endpoint, path, repository, digest, signal);
          results.set(tag, toTagDetails(digest, details, redact));
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
    if (remembered.size > 0 || leftOut > 0) {
      const total = asked.length + remembered.size + leftOut;
      this.session.notice(
        `${repository}: ${total} tags need a build time, more than the ${this.options.maxTagsDescribed} asked about per repository per run; ` +
          `${asked.length} were asked about, ${remembered.size} taken from the digest cache (their last-known build)` +
          (leftOut > 0
            ? `, and ${leftOut} never described yet were left out, so a choice by build time may miss a newer build until later runs (which keep what they learn in the digest cache) have described them`
            : ''),
      );
    }
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
      return trustedPlatforms;
    }
    const remembered = cache.tag(repository, tag)?.digest;
    let digest: string;
    if (this.digests.has(key) || (remembered !== undefined && cache.platforms(remembered) !== undefined)) {
      digest = await this.tagDigest(endpoint, path, repository, tag, signal);
      const known = cache.platforms(digest);
      if (known !== undefined) return known;
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
    const platforms = manifestPlatforms(
      parseManifest(response.body.toString('utf8'), response.headers.get('content-type')),
    );
    if (platforms !== undefined) cache.setPlatforms(digest, platforms);
    return platforms;
  }

  /** Splits a repository's tags by the cap on tags asked about; see the module comment. */
  private chooseTagsToAsk(
    repository: string,
    tags: string[],
  ): { asked: string[]; remembered: Map<string, CachedDetails & { digest: string }>; leftOut: number } {
    const cap = this.options.maxTagsDescribed;
    if (tags.length <= cap) return { asked: tags, remembered: new Map(), leftOut: 0 };
    const unknown: string[] = [];
    const known: { tag: string; details: CachedDetails & { digest: string }; created: number }[] = [];
    for (const tag of tags) {
      const digest = this.cache.tag(repository, tag)?.digest;
      const details = digest === undefined ? undefined : this.cache.get(digest);
      if (digest === undefined || details === undefined) unknown.push(tag);
      else {
        const created = details.created === null ? Number.NEGATIVE_INFINITY : Date.parse(details.created);
        known.push({
          tag,
          details: { ...details, digest },
          created: Number.isNaN(created) ? -Infinity : created,
        });
      }
    }
    known.sort((a, b) => b.created - a.created || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
    const asked = unknown.slice(0, cap);
    const rest = cap - asked.length;
    for (const { tag } of known.slice(0, rest)) asked.push(tag);
    const remembered = new Map(known.slice(Math.max(0, rest)).map(({ tag, details }) => [tag, details]));
    return { asked, remembered, leftOut: unknown.length - Math.min(unknown.length, cap) };
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

  private configDetails(
    endpoint: Endpoint,
    path: string,
    digest: string,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<ImageConfigDetails> {
    return this.configs(`${endpoint.registry}/${path}`, digest, async () => {
      const blob = await this.requests.getVerified(
        endpoint,
        path,
        'getBlob',
        digest,
        `the image config of ${what}`,
        signal,
      );
      try {
        return readImageConfig(JSON.parse(blob.body.toString('utf8')));
      } catch {
        throw new RegistryError(`the image config of ${what} is not JSON`, endpoint.registry);
      }
    });
  }

  private async readDetails(
    endpoint: Endpoint,
    path: string,
    repository: string,
    digest: string,
    signal: AbortSignal | undefined,
  ): Promise<CachedDetails> {
    const what = `${repository}@${digest}`;
    let response = await this.requests.getVerified(
      endpoint,
      path,
      'getManifest',
      digest,
      `the manifest ${what}`,
      signal,
    );
    let manifest = parseManifest(response.body.toString('utf8'), response.headers.get('content-type'));
    // An index's platforms; a single image's come from its config, read below anyway. (The
    // config of an index's child names one platform of several, not the image's.)
    const platforms = manifest.kind === 'index' ? indexPlatforms(manifest.entries) : ('single' as const);
    if (manifest.kind === 'index') {
      const entry = selectIndexEntry(manifest.entries, this.options.platform);
      if (!entry) throw new RegistryError(`the index ${what} lists no image`, endpoint.registry);
      response = await this.requests.getVerified(
        endpoint,
        path,
        'getManifest',
        entry.digest,
        `the manifest ${repository}@${entry.digest}`,
        signal,
      );
      manifest = parseManifest(response.body.toString('utf8'), response.headers.get('content-type'));
    }
    let details: ImageConfigDetails;
    if (manifest.kind === 'image') {
      details = await this.configDetails(endpoint, path, manifest.configDigest, what, signal);
    } else if (manifest.kind === 'schema1') {
      details = manifest;
    } else if (manifest.kind === 'index') {
      throw new RegistryError(`the index ${what} nests another index`, endpoint.registry);
    } else {
      throw new RegistryError(`cannot read ${what}: ${manifest.reason}`, endpoint.registry);
    }
    const cached: CachedDetails = { created: details.created ? formatCreated(details.created) : null };
    if (details.source) cached.source = details.source;
    if (details.revision) cached.revision = details.revision;
    if (platforms === 'single') {
      if (details.platform) cached.platforms = [details.platform];
    } else if (platforms !== undefined) cached.platforms = platforms;
    this.cache.set(digest, cached);
    return cached;
  }

  private digestDetails(
    endpoint: Endpoint,
    path: string,
    repository: string,
    digest: string,
    signal: AbortSignal | undefined,
  ): Promise<CachedDetails> {
    const hit = this.cache.get(digest);
    if (hit) return Promise.resolve(hit);
    return this.detailsByDigest(repository, digest, () =>
      this.readDetails(endpoint, path, repository, digest, signal),
    );
  }
}
