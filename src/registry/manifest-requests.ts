/**
 * The manifest and blob requests of one run, for `tag-details.ts`: a tag's digest (HEAD, or GET and
 * hash when the registry names none), a tag's manifest in one GET, and content read by digest,
 * checked against it. A manifest already fetched by tag is kept, so reading it again by its digest
 * costs no request. What to ask and what to remember across runs is `tag-details.ts`'s business.
 */
import { RegistryError } from '../ports.js';
import { isSha256Digest } from '../image/reference.js';
import type { HttpResponse } from './http.js';
import { MANIFEST_ACCEPT, signedSchema1Payload } from './manifest.js';
import type { Endpoint } from './registry-endpoint.js';
import { sha256, type RegistrySession } from './registry-session.js';

/**
 * The response as content named by `digest`, or undefined when it is not: its body hashes to the
 * digest, or it is a signed schema 1 manifest whose signed payload does, and then the payload is
 * the body (the parts outside it are signatures only; read whole, a later key of the body's
 * would override the signed one). Every digest-named answer goes through here: the digest cache
 * keeps details by digest alone, across registries, so an answer taken unchecked would give one
 * registry's image the build time another registry made up for its digest.
 */
function asContentOf(response: HttpResponse, digest: string): HttpResponse | undefined {
  if (sha256(response.body) === digest) return response;
  if (!/distribution\.manifest\.v1\+/.test(response.headers.get('content-type') ?? '')) return undefined;
  const payload = signedSchema1Payload(response.body);
  return payload !== undefined && sha256(payload) === digest ? { ...response, body: payload } : undefined;
}

/** Manifest and blob requests; one per run (it keeps the manifests fetched by tag). */
export class ManifestRequests {
  /** Manifests already read by tag, by `registry/path@digest`. */
  private readonly fetchedManifests = new Map<string, HttpResponse>();

  constructor(private readonly session: RegistrySession) {}

  /** GETs a tag's manifest; rejects unless the registry answers 200. */
  private async getByTag(
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    const { session } = this;
    const url = `${endpoint.base}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
    const get = await session.send(
      endpoint,
      path,
      url,
      'getManifest',
      'GET',
      { accept: MANIFEST_ACCEPT },
      undefined,
      signal,
    );
    session.noteRateLimit(endpoint, get);
    if (get.status !== 200) throw session.failure(endpoint, get, `${repository}:${tag}`);
    return get;
  }

  /** The registry's answer for a tag's digest: HEAD, or GET and hash when HEAD names none. */
  async tagDigest(
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const { session } = this;
    const url = `${endpoint.base}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
    const head = await session.send(
      endpoint,
      path,
      url,
      'headManifest',
      'HEAD',
      { accept: MANIFEST_ACCEPT },
      undefined,
      signal,
    );
    session.noteRateLimit(endpoint, head);
    const digest = head.headers.get('docker-content-digest');
    if (head.status === 200 && digest && isSha256Digest(digest)) return digest;
    if (head.status !== 200) throw session.failure(endpoint, head, `${repository}:${tag}`);
    // No digest header on HEAD: GET the manifest and hash it.
    const get = await this.getByTag(endpoint, path, repository, tag, signal);
    const hashed = sha256(get.body);
    // Kept so the details need not GET the same manifest again by digest.
    this.fetchedManifests.set(`${endpoint.registry}/${path}@${hashed}`, get);
    return hashed;
  }

  /**
   * A tag's digest from one GET of its manifest (where a HEAD and a GET by digest would be two);
   * the manifest is kept for {@link getVerified}. The digest is the registry's
   * `Docker-Content-Digest` when it sends a usable one, which must then be the content's hash (but
   * for signed schema 1), else the hash.
   */
  async tagManifestDigest(
    endpoint: Endpoint,
    path: string,
    repository: string,
    tag: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const get = await this.getByTag(endpoint, path, repository, tag, signal);
    const hashed = sha256(get.body);
    const header = get.headers.get('docker-content-digest');
    const digest = header && isSha256Digest(header) ? header : hashed;
    const content = asContentOf(get, digest);
    if (content === undefined) {
      throw new RegistryError(
        `the manifest of ${repository}:${tag} does not match its digest ${digest}`,
        endpoint.registry,
        get.status,
      );
    }
    this.fetchedManifests.set(`${endpoint.registry}/${path}@${digest}`, content);
    return digest;
  }

  /** GETs content-addressed data and checks it hashes to its digest. */
  async getVerified(
    endpoint: Endpoint,
    path: string,
    kind: 'getManifest' | 'getBlob',
    digest: string,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse> {
    const { session } = this;
    const prefetched =
      kind === 'getManifest'
        ? this.fetchedManifests.get(`${endpoint.registry}/${path}@${digest}`)
        : undefined;
    if (prefetched) return prefetched;
    // Callers pass only checked digests; a path of the registry's choosing is never requested.
    if (!isSha256Digest(digest))
      throw new RegistryError(`${what} is not named by a sha256 digest`, endpoint.registry);
    const url = `${endpoint.base}/v2/${path}/${kind === 'getBlob' ? 'blobs' : 'manifests'}/${digest}`;
    const response = await session.send(
      endpoint,
      path,
      url,
      kind,
      'GET',
      kind === 'getManifest' ? { accept: MANIFEST_ACCEPT } : {},
      undefined,
      signal,
    );
    if (kind === 'getManifest') session.noteRateLimit(endpoint, response);
    if (response.status !== 200) throw session.failure(endpoint, response, what);
    const content = asContentOf(response, digest);
    if (content === undefined) {
      throw new RegistryError(
        `${what} does not match its digest ${digest}`,
        endpoint.registry,
        response.status,
      );
    }
    return content;
  }
}
