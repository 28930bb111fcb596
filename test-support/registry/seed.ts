/**
 * Seeds a registry over HTTP the way a pusher does (distribution api.md): monolithic blob
 * uploads (`POST /v2/<name>/blobs/uploads/` then `PUT <location>&digest=`), then `PUT
 * /v2/<name>/manifests/<tag>`. Images are tiny: one shared layer plus a config blob carrying the
 * chosen `created` time and labels.
 *
 *   docker     Docker schema 2 manifest
 *   oci        OCI image manifest
 *   docker-list  Docker manifest list of `platforms` (default linux/arm64 then linux/amd64)
 *   oci-index    OCI index of `platforms`, plus a buildx-style attestation entry when asked
 *
 * No jest globals: the benchmark imports this under `tsx`. A {@link Seeder} remembers which blobs
 * each repository already has, so seeding thousands of tags uploads each blob once.
 */
import { createHash } from 'node:crypto';
import type { RegistryServer } from './registry-server.js';

/** Manifest formats {@link seedImage} can push. */
export type SeedFormat = 'docker' | 'oci' | 'docker-list' | 'oci-index';

/** One platform of a multi-platform image. */
export interface SeedPlatform {
  os: string;
  architecture: string;
  variant?: string;
  /** The config's `created` for this platform (null: no `created` field). */
  created?: string | null;
  labels?: Record<string, string>;
}

/** What to push. */
export interface SeedImageOptions {
  /** Repository path inside the registry, e.g. `team/app`. */
  path: string;
  /** Tags pointing at the image. */
  tags: readonly string[];
  /** Default `docker`. */
  format?: SeedFormat;
  /** The config's `created` (null: none). For lists/indexes, the default for the amd64 platform. */
  created?: string | null;
  /** Config labels, e.g. `{ 'org.opencontainers.image.source': 'https://github.com/o/r' }`. */
  labels?: Record<string, string>;
  /** Platforms of a list/index. Default: linux/arm64 (created 2000-01-01) then linux/amd64. */
  platforms?: readonly SeedPlatform[];
  /** Put a buildx-style attestation manifest first in an OCI index. */
  attestation?: boolean;
}

/** What was pushed. */
export interface SeededImage {
  /** Digest of the tagged manifest (the list/index for multi-platform images). */
  digest: string;
  mediaType: string;
}

const MEDIA = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

const LAYER = Buffer.from('not really a tarball, the registry does not look inside\n');

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** Pushes images into one registry, uploading each blob once per repository. */
export class Seeder {
  private readonly uploaded = new Map<string, Promise<void>>();
  private readonly digestLocks = new Map<string, Promise<void>>();
  /** Manifests PUT by digest alone, by `path@digest`. */
  private readonly manifestsByDigest = new Map<string, Promise<void>>();

  constructor(readonly registry: RegistryServer) {}

  /** Pushes one image under all its tags. */
  async seedImage(options: SeedImageOptions): Promise<SeededImage> {
    const format = options.format ?? 'docker';
    const docker = format === 'docker' || format === 'docker-list';
    if (format === 'docker' || format === 'oci') {
      const { body, mediaType } = await this.pushImage(options.path, docker, {
        os: 'linux',
        architecture: 'amd64',
        created: options.created,
        labels: options.labels,
      });
      const digest = await this.putManifests(options.path, options.tags, body, mediaType);
      return { digest, mediaType };
    }
    const platforms = options.platforms ?? [
      { os: 'linux', architecture: 'arm64', created: '2000-01-01T00:00:00Z', labels: options.labels },
      { os: 'linux', architecture: 'amd64', created: options.created, labels: options.labels },
    ];
    const entries: object[] = [];
    for (const platform of platforms) {
      const { body, mediaType } = await this.pushImage(options.path, docker, platform);
      const digest = await this.putManifests(options.path, [sha256(body)], body, mediaType);
      const descriptor: Record<string, unknown> = {
        mediaType,
        digest,
        size: body.length,
        platform: {
          architecture: platform.architecture,
          os: platform.os,
          ...(platform.variant ? { variant: platform.variant } : {}),
        },
      };
      entries.push(descriptor);
      if (options.attestation && !docker) {
        const attestation = await this.pushAttestation(options.path, digest);
        entries.unshift({
          mediaType: MEDIA.ociManifest,
          digest: attestation.digest,
          size: attestation.size,
          platform: { architecture: 'unknown', os: 'unknown' },
          annotations: {
            'vnd.docker.reference.digest': digest,
            'vnd.docker.reference.type': 'attestation-manifest',
          },
        });
      }
    }
    const mediaType = docker ? MEDIA.dockerList : MEDIA.ociIndex;
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: entries }));
    const digest = await this.putManifests(options.path, options.tags, body, mediaType);
    return { digest, mediaType };
  }

  private async pushImage(
    path: string,
    docker: boolean,
    platform: SeedPlatform,
  ): Promise<{ body: Buffer; mediaType: string }> {
    const config: Record<string, unknown> = {
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant ? { variant: platform.variant } : {}),
      config: platform.labels ? { Labels: platform.labels } : {},
      rootfs: { type: 'layers', diff_ids: [sha256(LAYER)] },
    };
    if (platform.created !== null) config.created = platform.created ?? '2020-01-01T00:00:00Z';
    const configDescriptor = await this.pushBlob(
      path,
      Buffer.from(JSON.stringify(config)),
      docker ? MEDIA.dockerConfig : MEDIA.ociConfig,
    );
    const layerDescriptor = await this.pushBlob(path, LAYER, docker ? MEDIA.dockerLayer : MEDIA.ociLayer);
    const mediaType = docker ? MEDIA.dockerManifest : MEDIA.ociManifest;
    const body = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType, config: configDescriptor, layers: [layerDescriptor] }),
    );
    return { body, mediaType };
  }

  private async pushAttestation(path: string, subject: string): Promise<{ digest: string; size: number }> {
    const config = await this.pushBlob(
      path,
      Buffer.from('{"architecture":"unknown","os":"unknown"}'),
      MEDIA.ociConfig,
    );
    const statement = await this.pushBlob(
      path,
      Buffer.from(
        JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ digest: subject }] }),
      ),
      MEDIA.inToto,
    );
    const body = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, config, layers: [statement] }),
    );
    const digest = await this.putManifests(path, [sha256(body)], body, MEDIA.ociManifest);
    return { digest, size: body.length };
  }

  /** Uploads a blob unless this repository already has it. */
  async pushBlob(path: string, data: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = sha256(data);
    // The same blob going to several repositories at once is serialised too (see putManifests).
    await once(this.uploaded, `${path}@${digest}`, () =>
      this.afterOthersOf(digest, () => this.uploadBlob(path, data, digest)),
    );
    return { mediaType, digest, size: data.length };
  }

  private async uploadBlob(path: string, data: Buffer, digest: string): Promise<void> {
    const start = await this.send('POST', `/v2/${path}/blobs/uploads/`, path);
    if (start.status !== 202)
      throw new Error(`blob upload start ${path}: ${start.status} ${await start.text()}`);
    const location = new URL(start.headers.get('location') ?? '', this.registry.url);
    location.searchParams.set('digest', digest);
    const put = await this.send('PUT', location.toString(), path, data, 'application/octet-stream');
    if (put.status !== 201)
      throw new Error(`blob upload ${path} ${digest}: ${put.status} ${await put.text()}`);
  }

  /**
   * PUTs a manifest under each reference (tag or digest); returns its digest. distribution's
   * filesystem driver writes manifest content and links in place (truncate, then write), so:
   * - two concurrent PUTs of identical bytes (even to different repositories) can corrupt each
   *   other: PUTs of one digest are serialised;
   * - a PUT by digest rewrites the repository's link to it, which a concurrent list or index PUT
   *   naming that digest reads to check it exists, and may find empty (`DIGEST_INVALID`,
   *   `MANIFEST_BLOB_UNKNOWN`): a repository gets each manifest by digest once, as its blobs.
   *   (The arm64 platform of `docker-list` images is the same image for every tag.)
   */
  private async putManifests(path: string, references: readonly string[], body: Buffer, mediaType: string) {
    const digest = sha256(body);
    const put = () =>
      this.afterOthersOf(digest, async () => {
        for (const reference of references) {
          const res = await this.send('PUT', `/v2/${path}/manifests/${reference}`, path, body, mediaType);
          if (res.status !== 201)
            throw new Error(`manifest ${path}:${reference}: ${res.status} ${await res.text()}`);
        }
      });
    const byDigestAlone = references.every((reference) => reference === digest);
    await (byDigestAlone ? once(this.manifestsByDigest, `${path}@${digest}`, put) : put());
    return digest;
  }

  /** `work`, once every earlier upload or PUT of `digest` has ended (see putManifests). */
  private afterOthersOf(digest: string, work: () => Promise<void>): Promise<void> {
    const previous = this.digestLocks.get(digest) ?? Promise.resolve();
    const done = previous.catch(() => undefined).then(work);
    this.digestLocks.set(digest, done);
    return done;
  }

  private async send(method: string, target: string, path: string, body?: Buffer, contentType?: string) {
    const headers: Record<string, string> = {};
    const authorization = this.registry.pushAuthorization(path);
    if (authorization) headers.authorization = authorization;
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(new URL(target, this.registry.url), { method, headers, body });
    return res;
  }
}

/** `start()`'s promise for `key`, started once unless it failed. */
function once(started: Map<string, Promise<void>>, key: string, start: () => Promise<void>): Promise<void> {
  let pending = started.get(key);
  if (!pending) {
    pending = start();
    started.set(key, pending);
    pending.catch(() => started.delete(key));
  }
  return pending;
}

const seeders = new WeakMap<RegistryServer, Seeder>();

/** Pushes one image (see {@link SeedImageOptions}); blobs are uploaded once per repository. */
export function seedImage(registry: RegistryServer, options: SeedImageOptions): Promise<SeededImage> {
  let seeder = seeders.get(registry);
  if (!seeder) {
    seeder = new Seeder(registry);
    seeders.set(registry, seeder);
  }
  return seeder.seedImage(options);
}

/**
 * Pushes many single-platform images with bounded concurrency, e.g. for the benchmark:
 * `seedMany(registry, tags.map((tag, i) => ({ path: 'bench/big', tags: [tag], created: ... })), 16)`.
 */
export async function seedMany(
  registry: RegistryServer,
  images: readonly SeedImageOptions[],
  concurrency = 16,
): Promise<SeededImage[]> {
  const results: SeededImage[] = new Array(images.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < images.length) {
      const index = next++;
      results[index] = await seedImage(registry, images[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
  return results;
}
