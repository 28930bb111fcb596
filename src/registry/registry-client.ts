/**
 * The {@link RegistryPort} over the Docker Registry HTTP API v2 / OCI distribution spec
 * (REGISTRIES.md). Per run:
 *
 * - tags: `GET /v2/<name>/tags/list?n=<page>`, following `Link: <...>; rel="next"` resolved
 *   against the request URL (same origin only), with a page cap; a rejected `n` (distribution 3.1
 *   400, ECR 405, Quay 413) is retried with n=100 and then without `n`; `"tags": null` is `[]`.
 *   Each repository is listed once whatever number of containers use it (memoised promise).
 * - details: `HEAD` each tag's manifest (all four Accept types) to learn its digest - Docker Hub
 *   does not count HEADs as pulls - unless the {@link DigestCache} confirmed it recently enough to
 *   trust (Flux v1's refresh, capped by `tagDigestMaxAgeMs`); then, per distinct digest not in the
 *   cache, `GET` the manifest, the linux/amd64 child of an index, and the config blob.
 * - registries: `docker.io` is served by `registry-1.docker.io`; `registry-mirrors` maps a host to
 *   another endpoint with an optional path prefix; plain HTTP only for loopback and
 *   `insecure-registries` hosts.
 * - failures become {@link RegistryError}s for the repository or the tag concerned only.
 */
import { createHash } from 'node:crypto';
import { RegistryError, type RegistryPort, type TagDetails } from '../ports.js';
import { DOCKER_HUB, isSha256Digest, splitRepository } from '../image/reference.js';
import { AuthError, Authenticator, type RegistryCredentials } from './auth.js';
import { DigestCache, type CachedDetails } from './digest-cache.js';
import {
  HttpClient,
  HttpError,
  type HttpOptions,
  type HttpResponse,
  type HttpStats,
  type RequestKind,
  type RequestPriority,
} from './http.js';
import {
  MANIFEST_ACCEPT,
  parseManifest,
  readImageConfig,
  selectIndexEntry,
  type ImageConfigDetails,
} from './manifest.js';

/** Options of {@link createRegistryClient}. */
export interface RegistryClientOptions {
  /** Credentials by normalised registry host (`docker.io`, `ghcr.io`, `localhost:5000`). */
  credentials?: ReadonlyMap<string, RegistryCredentials>;
  /** Used for `ghcr.io` when no credentials are configured for it (the Action's token). */
  githubToken?: string;
  /** Registry host -> endpoint URL with optional path prefix (`docker.io` -> `https://mirror.example.com/dockerhub`). */
  mirrors?: Readonly<Record<string, string>>;
  /** Hosts that may be reached over plain HTTP (loopback always may). */
  insecureRegistries?: readonly string[];
  /** Called with every secret before anything is logged (the Action passes `core.setSecret`). */
  maskSecret?: (value: string) => void;
  /** Notices worth showing the user, e.g. Docker Hub's remaining pull allowance. */
  onNotice?: (message: string) => void;
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
  /** Platform read from indexes. Default linux/amd64 (Flux v1). */
  platform?: { os: string; architecture: string };
  /** Timeouts, retries, per-host concurrency; see {@link HttpOptions}. */
  http?: HttpOptions;
}

/** The registry client: the port plus counters and the digest cache. */
export interface RegistryClient extends RegistryPort {
  /** Requests sent, by kind. */
  readonly stats: HttpStats;
  readonly digestCache: DigestCache;
  /** Tags whose digest came from the cache, without a request. */
  readonly trustedTagDigests: number;
}

const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NOTICE_BODY = 200;

/** Where requests for one registry go. */
interface Endpoint {
  /** The registry as spelled in normalised repositories, for errors. */
  registry: string;
  /** Base URL without trailing slash, e.g. `https://registry-1.docker.io` or `https://mirror/dockerhub`. */
  base: string;
  /** Key of the credentials to use: the registry, or the mirror's host. */
  credentialsKey: string;
}

/** Finds the `rel="next"` target of a `Link` header. */
export function parseNextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2])) return match[1];
  }
  return undefined;
}

/**
 * The credentials for a registry (or mirror) host: the configured ones, else for `ghcr.io` the
 * GitHub token (GHCR takes any user name with a token as password, REGISTRIES.md §4).
 */
export function credentialsForRegistry(
  key: string,
  credentials: ReadonlyMap<string, RegistryCredentials> | undefined,
  githubToken: string | undefined,
): RegistryCredentials | undefined {
  const configured = credentials?.get(key);
  if (configured) return configured;
  if (key === 'ghcr.io' && githubToken) return { username: 'x-access-token', password: githubToken };
  return undefined;
}

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
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

/** Creates a client; one per run (it memoises tag lists, digests and tokens). */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const maskSecret = options.maskSecret ?? (() => undefined);
  const notice = options.onNotice ?? (() => undefined);
  const http = new HttpClient({ ...options.http, insecureHosts: options.insecureRegistries ?? [] });
  const cache = options.digestCache ?? new DigestCache();
  const now = options.now ?? Date.now();
  const tagDigestMaxAgeMs = options.tagDigestMaxAgeMs ?? 0;
  const pageSize = options.pageSize ?? 1000;
  const maxPages = options.maxPages ?? 100;
  const mirrors = options.mirrors ?? {};
  for (const secret of [
    options.githubToken,
    ...[...(options.credentials?.values() ?? [])].flatMap((c) => [
      c.password,
      c.identityToken,
      c.registryToken,
    ]),
  ]) {
    if (secret) maskSecret(secret);
  }
  const credentialsFor = (key: string) =>
    credentialsForRegistry(key, options.credentials, options.githubToken);
  const auth = new Authenticator({ http, credentialsFor, maskSecret });

  const endpointFor = (registry: string): Endpoint => {
    const mirror = mirrors[registry];
    if (mirror) return { registry, base: mirror, credentialsKey: new URL(mirror).host };
    const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
    const scheme = http.allowsPlainHttp(registry) ? 'http' : 'https';
    return { registry, base: `${scheme}://${host}`, credentialsKey: registry };
  };

  const probes = new Map<string, Promise<void>>();
  /** Sends one request with auth: proactive when the scheme is known, else answer the 401 once. */
  const send = async (
    endpoint: Endpoint,
    path: string,
    url: string | URL,
    kind: RequestKind,
    method: 'GET' | 'HEAD' = 'GET',
    headers: Record<string, string> = {},
    priority?: RequestPriority,
  ): Promise<HttpResponse> => {
    // Probe-free, but not a thundering herd: while the first request to a registry learns its
    // scheme (401 + token), the others wait instead of each collecting their own 401.
    let finishProbe: (() => void) | undefined;
    if (!auth.knowsScheme(endpoint.credentialsKey)) {
      const probe = probes.get(endpoint.credentialsKey);
      if (probe) await probe;
      else probes.set(endpoint.credentialsKey, new Promise<void>((resolve) => (finishProbe = resolve)));
    }
    try {
      // Credentials go only to the registry's own origin, whatever URL a redirect or a Link
      // header led to (REGISTRIES.md §5).
      const ownOrigin = new URL(url).origin === new URL(endpoint.base).origin;
      let authorization = ownOrigin ? await auth.headerFor(endpoint.credentialsKey, path) : undefined;
      const go = (a: string | undefined) =>
        http.request({
          url,
          method,
          kind,
          headers: a ? { ...headers, authorization: a } : headers,
          ...(priority ? { priority } : {}),
        });
      let response = await go(authorization);
      if (response.status === 401 && ownOrigin) {
        const next = await auth.answerChallenge(
          endpoint.credentialsKey,
          path,
          response.headers.get('www-authenticate'),
          authorization,
        );
        if (next !== undefined) {
          authorization = next;
          response = await go(authorization);
        }
      }
      if (response.status !== 401) auth.noteAnswered(endpoint.credentialsKey);
      return response;
    } catch (error) {
      if (error instanceof AuthError) throw new RegistryError(error.message, endpoint.registry, error.status);
      if (error instanceof HttpError) throw new RegistryError(error.message, endpoint.registry);
      throw error;
    } finally {
      if (finishProbe) {
        probes.delete(endpoint.credentialsKey);
        finishProbe();
      }
    }
  };

  const warnedRateLimit = new Set<string>();
  const noteRateLimit = (endpoint: Endpoint, response: HttpResponse): void => {
    const remaining = response.headers.get('ratelimit-remaining');
    if (remaining === null) return;
    const left = Number.parseInt(remaining, 10);
    const limit = Number.parseInt(response.headers.get('ratelimit-limit') ?? '', 10);
    const low = Number.isFinite(left) && (left <= 10 || (Number.isFinite(limit) && left <= limit / 10));
    const key = `${endpoint.registry}${low ? ' low' : ''}`;
    if (warnedRateLimit.has(key)) return;
    warnedRateLimit.add(key);
    notice(
      `${endpoint.registry}: ${left} pulls left${Number.isFinite(limit) ? ` of ${limit}` : ''} in the current rate-limit window` +
        (low ? '; log in (docker/login-action) or keep the digest cache to use fewer pulls' : ''),
    );
  };

  const failure = (endpoint: Endpoint, response: HttpResponse, what: string): RegistryError => {
    let detail = '';
    try {
      const errors = (
        JSON.parse(response.body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> }
      ).errors;
      if (errors?.[0]) detail = `: ${errors[0].code ?? ''} ${errors[0].message ?? ''}`.trimEnd();
    } catch {
      const text = response.body.toString('utf8').trim();
      if (text) detail = `: ${text.slice(0, MAX_NOTICE_BODY)}`;
    }
    const status = response.status;
    const reason =
      status === 401
        ? `authentication failed for ${what} (log in with docker/login-action, or check the credentials; registries also answer 401 for repositories that do not exist)`
        : status === 403
          ? `access denied to ${what}`
          : status === 404
            ? `${what} not found`
            : status === 429
              ? `${endpoint.registry} rate-limited the request for ${what}${response.headers.get('ratelimit-remaining') !== null ? ` (ratelimit-remaining ${response.headers.get('ratelimit-remaining')})` : ''}`
              : `${endpoint.registry} answered ${status} for ${what}`;
    return new RegistryError(`${reason}${detail}`, endpoint.registry, status);
  };

  const tagLists = new Map<string, Promise<string[]>>();
  const fetchTags = async (repository: string): Promise<string[]> => {
    const { registry, path } = splitRepository(repository);
    const endpoint = endpointFor(registry);
    const first = new URL(`${endpoint.base}/v2/${path}/tags/list`);
    const pageSizes: Array<string | null> = [String(pageSize), '100', null];
    let url = first;
    const setPageSize = (): void => {
      url = new URL(first);
      if (pageSizes[0] !== null) url.searchParams.set('n', pageSizes[0]);
    };
    setPageSize();
    const tags: string[] = [];
    const seenTags = new Set<string>();
    const visited = new Set<string>();
    for (let page = 1; ; page += 1) {
      if (page > maxPages) {
        throw new RegistryError(`${repository} has more than ${maxPages} pages of tags; giving up`, registry);
      }
      visited.add(url.href);
      // A page after the first is the next link of a chain, and so is the first page of a
      // listing that took several pages last time: the longest chains start first.
      const chained = page > 1 || (cache.listingPages(repository) ?? 1) > 1;
      const response = await send(endpoint, path, url, 'tagPage', 'GET', {}, chained ? 'chain' : undefined);
      // distribution 3.1 answers 400 PAGINATION_NUMBER_INVALID above its maxtags, ECR 405 above
      // 1000, Quay 413 above its maximum: ask again with a smaller page, then with none.
      if (page === 1 && [400, 405, 413].includes(response.status) && pageSizes.length > 1) {
        pageSizes.shift();
        setPageSize();
        page = 0;
        continue;
      }
      if (response.status !== 200) throw failure(endpoint, response, `the tag list of ${repository}`);
      let body: { tags?: unknown };
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new RegistryError(`the tag list of ${repository} is not JSON`, registry, response.status);
      }
      // distribution 3.1.0 sends "tags": null on the page after a full last page.
      for (const tag of Array.isArray(body.tags) ? body.tags : []) {
        if (typeof tag === 'string' && !seenTags.has(tag)) {
          seenTags.add(tag);
          tags.push(tag);
        }
      }
      const next = parseNextLink(response.headers.get('link'));
      if (next === undefined) {
        cache.recordListing(repository, page, now);
        // Registries differ in order (distribution 2.8: filesystem order); give callers one order.
        return tags.sort();
      }
      const nextUrl = new URL(next, response.url);
      // Same origin as the registry itself, not merely as the page (which a redirect may have moved).
      if (
        nextUrl.origin !== new URL(response.url).origin ||
        nextUrl.origin !== new URL(endpoint.base).origin
      ) {
        throw new RegistryError(
          `the tag list of ${repository} links to another host (${nextUrl.host}); refusing to follow it`,
          registry,
        );
      }
      if (visited.has(nextUrl.href)) {
        throw new RegistryError(`the tag list of ${repository} links back to a page already read`, registry);
      }
      url = nextUrl;
    }
  };

  const digests = new Map<string, Promise<string>>();
  let trustedTags = 0;
  /** Manifests already read by tag (a HEAD without a digest header), by `repository@digest`. */
  const fetchedManifests = new Map<string, HttpResponse>();
  /** The registry's answer for a tag's digest: HEAD, or GET and hash when HEAD names none. */
  const askTagDigest = async (
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
  ): Promise<string> => {
    const url = `${endpoint.base}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
    const head = await send(endpoint, path, url, 'headManifest', 'HEAD', { accept: MANIFEST_ACCEPT });
    noteRateLimit(endpoint, head);
    const digest = head.headers.get('docker-content-digest');
    if (head.status === 200 && digest && isSha256Digest(digest)) return digest;
    if (head.status !== 200) throw failure(endpoint, head, `${repository}:${tag}`);
    // No digest header on HEAD: GET the manifest and hash it.
    const get = await send(endpoint, path, url, 'getManifest', 'GET', { accept: MANIFEST_ACCEPT });
    noteRateLimit(endpoint, get);
    if (get.status !== 200) throw failure(endpoint, get, `${repository}:${tag}`);
    const hashed = sha256(get.body);
    // Kept so the details need not GET the same manifest again by digest.
    fetchedManifests.set(`${endpoint.registry}/${path}@${hashed}`, get);
    return hashed;
  };

  /**
   * A tag's digest, once per run: from the cache while it is trusted and its details are cached
   * too (so a trusted tag costs no request at all), else from the registry, remembered.
   */
  const tagDigest = (endpoint: Endpoint, path: string, repository: string, tag: string): Promise<string> => {
    const key = `${repository}:${tag}`;
    let pending = digests.get(key);
    if (!pending) {
      const trusted = cache.trustedDigest(repository, tag, now, tagDigestMaxAgeMs);
      if (trusted !== undefined && cache.get(trusted) !== undefined) {
        trustedTags += 1;
        pending = Promise.resolve(trusted);
      } else {
        pending = askTagDigest(endpoint, path, repository, tag).then((digest) => {
          cache.recordTag(repository, tag, digest, now, tagDigestMaxAgeMs);
          return digest;
        });
      }
      digests.set(key, pending);
    }
    return pending;
  };

  /** GETs content-addressed data and checks it hashes to its digest. */
  const getVerified = async (
    endpoint: Endpoint,
    path: string,
    kind: 'getManifest' | 'getBlob',
    digest: string,
    what: string,
  ): Promise<HttpResponse> => {
    const prefetched =
      kind === 'getManifest' ? fetchedManifests.get(`${endpoint.registry}/${path}@${digest}`) : undefined;
    if (prefetched) return prefetched;
    const url = `${endpoint.base}/v2/${path}/${kind === 'getBlob' ? 'blobs' : 'manifests'}/${digest}`;
    const response = await send(
      endpoint,
      path,
      url,
      kind,
      'GET',
      kind === 'getManifest' ? { accept: MANIFEST_ACCEPT } : {},
    );
    if (kind === 'getManifest') noteRateLimit(endpoint, response);
    if (response.status !== 200) throw failure(endpoint, response, what);
    // A signed schema 1 manifest's digest covers its payload without the signatures, not the body
    // (distribution `digest.FromBytes(sm.Canonical)`), so it cannot be checked this way.
    const schema1 = /distribution\.manifest\.v1\+/.test(response.headers.get('content-type') ?? '');
    if (digest.startsWith('sha256:') && !schema1 && sha256(response.body) !== digest) {
      throw new RegistryError(
        `${what} does not match its digest ${digest}`,
        endpoint.registry,
        response.status,
      );
    }
    return response;
  };

  // Many manifests share one config (the same image pushed as list and single manifest): read it once.
  const configs = contentMemo<ImageConfigDetails>();
  const configDetails = (endpoint: Endpoint, path: string, digest: string, what: string) =>
    configs(`${endpoint.registry}/${path}`, digest, async () => {
      const blob = await getVerified(endpoint, path, 'getBlob', digest, `the image config of ${what}`);
      try {
        return readImageConfig(JSON.parse(blob.body.toString('utf8')));
      } catch {
        throw new RegistryError(`the image config of ${what} is not JSON`, endpoint.registry);
      }
    });

  const readDetails = async (endpoint: Endpoint, path: string, repository: string, digest: string) => {
    const what = `${repository}@${digest}`;
    let response = await getVerified(endpoint, path, 'getManifest', digest, `the manifest ${what}`);
    let manifest = parseManifest(response.body.toString('utf8'), response.headers.get('content-type'));
    if (manifest.kind === 'index') {
      const entry = selectIndexEntry(manifest.entries, options.platform);
      if (!entry) throw new RegistryError(`the index ${what} lists no image`, endpoint.registry);
      response = await getVerified(
        endpoint,
        path,
        'getManifest',
        entry.digest,
        `the manifest ${repository}@${entry.digest}`,
      );
      manifest = parseManifest(response.body.toString('utf8'), response.headers.get('content-type'));
    }
    let details: ImageConfigDetails;
    if (manifest.kind === 'image') {
      details = await configDetails(endpoint, path, manifest.configDigest, what);
    } else if (manifest.kind === 'schema1') {
      details = { created: manifest.created, ...(manifest.source ? { source: manifest.source } : {}) };
    } else if (manifest.kind === 'index') {
      throw new RegistryError(`the index ${what} nests another index`, endpoint.registry);
    } else {
      throw new RegistryError(`cannot read ${what}: ${manifest.reason}`, endpoint.registry);
    }
    const cached: CachedDetails = { created: details.created ? details.created.toISOString() : null };
    if (details.source) cached.source = details.source;
    cache.set(digest, cached);
    return cached;
  };

  // A failure is kept for this run (one fetch per digest and repository), never written to the cache.
  const detailsByDigest = contentMemo<CachedDetails>();
  const digestDetails = (endpoint: Endpoint, path: string, repository: string, digest: string) => {
    const hit = cache.get(digest);
    if (hit) return Promise.resolve(hit);
    return detailsByDigest(repository, digest, () => readDetails(endpoint, path, repository, digest));
  };

  const toRegistryError = (error: unknown, registry: string): RegistryError =>
    error instanceof RegistryError
      ? error
      : new RegistryError(error instanceof Error ? error.message : String(error), registry);

  return {
    stats: http.stats,
    digestCache: cache,
    get trustedTagDigests() {
      return trustedTags;
    },
    listTags(repository: string): Promise<string[]> {
      let pending = tagLists.get(repository);
      if (!pending) {
        pending = fetchTags(repository).then(
          (tags) => {
            cache.forgetUnlistedTags(repository, tags);
            return tags;
          },
          (error: unknown) => {
            throw toRegistryError(error, splitRepository(repository).registry);
          },
        );
        tagLists.set(repository, pending);
      }
      return pending;
    },
    async describeTags(repository: string, tags: readonly string[]) {
      const { registry, path } = splitRepository(repository);
      const endpoint = endpointFor(registry);
      const results = new Map<string, TagDetails | RegistryError>();
      await Promise.all(
        [...new Set(tags)].map(async (tag) => {
          try {
            const digest = await tagDigest(endpoint, path, repository, tag);
            const details = await digestDetails(endpoint, path, repository, digest);
            results.set(tag, {
              digest,
              created: details.created === null ? undefined : new Date(details.created),
              ...(details.source ? { source: details.source } : {}),
            });
          } catch (error) {
            results.set(tag, toRegistryError(error, registry));
          }
        }),
      );
      return results;
    },
  };
}
