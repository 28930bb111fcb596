/**
 * Reading one image's details by digest: `GET` its manifest, the linux/amd64 child of an index,
 * and the config blob, each checked against its digest (the requests are `manifest-requests.ts`);
 * what pull requests and ranking use of them (created time, build-time labels, source, revision,
 * platforms), as the digest cache keeps them. The details are the caller's to cache.
 */
import { RegistryError } from '../ports.js';
import { formatCreated } from '../image/created-time.js';
import { mapLabelTimes } from '../image/label-times.js';
import { isSha256Digest } from '../image/reference.js';
import { contentMemo } from './content-memo.js';
import type { CachedDetails } from './digest-cache.js';
import {
  indexPlatforms,
  parseManifest,
  readImageConfig,
  selectIndexEntry,
  type ImageConfigDetails,
} from './manifest.js';
import type { ManifestRequests } from './manifest-requests.js';
import type { Endpoint } from './registry-endpoint.js';
import type { RegistrySession } from './registry-session.js';
import { parseRegistryJson, unreadableJson } from './registry-json.js';

/**
 * Platform names, or undefined (unknown) when one holds a credential the run sends: checked names
 * (manifest.ts) hold no markup, but a password of the same characters passes that check, and the
 * names go into the digest cache (saved to the Actions cache) and into pull request bodies.
 */
export function withoutCredentials<T extends readonly string[]>(
  platforms: T | undefined,
  holdsSecret: (text: string) => boolean,
): T | undefined {
  return platforms?.some(holdsSecret) ? undefined : platforms;
}

/** Reads images' details by digest for one run; see the module comment. */
export class ImageDetailsReader {
  // Many manifests share one config (the same image pushed as list and single manifest): read it once.
  private readonly configs = contentMemo<ImageConfigDetails>();

  /** @param platform read from indexes; default linux/amd64 (Flux v1). */
  constructor(
    private readonly session: RegistrySession,
    private readonly requests: ManifestRequests,
    private readonly platform?: { os: string; architecture: string },
  ) {}

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
        return readImageConfig(parseRegistryJson(blob.body.toString('utf8')));
      } catch (error) {
        // The registry answered (its status kept): the fault is the image's (see isRegistrySideError).
        throw new RegistryError(
          `the image config of ${what} ${unreadableJson(error)}`,
          endpoint.registry,
          blob.status,
        );
      }
    });
  }

  /** The details of the image `repository@digest`. */
  async read(
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
      const entry = selectIndexEntry(manifest.entries, this.platform);
      if (!entry)
        throw new RegistryError(`the index ${what} lists no image`, endpoint.registry, response.status);
      if (!isSha256Digest(entry.digest)) {
        // Not repeated nor requested (see parseManifest's config digest).
        throw new RegistryError(
          `the index ${what} names its image by something that is not a sha256 digest`,
          endpoint.registry,
          response.status,
        );
      }
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
      throw new RegistryError(`the index ${what} nests another index`, endpoint.registry, response.status);
    } else {
      throw new RegistryError(`cannot read ${what}: ${manifest.reason}`, endpoint.registry, response.status);
    }
    const cached: CachedDetails = {
      created: details.created ? formatCreated(details.created) : null,
      // Always written once the image is read, `{}` without labels: absent means "not read yet".
      labels: mapLabelTimes(details.labelTimes, formatCreated),
    };
    // Redacted before they are kept: the cache file is saved to the Actions cache, which pull
    // requests' workflows can read, and a registry writes these labels as it likes.
    if (details.source) cached.source = this.session.redact(details.source);
    if (details.revision) cached.revision = this.session.redact(details.revision);
    const named = withoutCredentials(
      platforms === 'single' ? (details.platform ? [details.platform] : undefined) : platforms,
      (name) => this.session.holdsSecret(name),
    );
    if (named) cached.platforms = named;
    return cached;
  }
}
