/**
 * Builds the registry client both shells use: credentials from the Docker config (and its
 * credential helpers, run when a registry is first needed), mirrors, insecure hosts, concurrency,
 * and the digest cache file.
 */
import { splitRepository } from '../image/reference.js';
import type { Problem } from '../problems.js';
import { createCredentialLookup } from '../registry/credential-helper.js';
import { readDockerConfig } from '../registry/docker-config.js';
import { credentialsKeyOf } from '../registry/registry-session.js';
import { aliasedRepository } from '../registry/registry-aliases.js';
import { usesLabelTimes } from '../image/label-times.js';
import { DigestCache } from '../registry/digest-cache.js';
import { loadDigestCache, saveDigestCache } from '../registry/digest-cache-file.js';
import { createRegistryClient, type RegistryClient } from '../registry/registry-client.js';
import type { Settings } from '../settings.js';

/** What the shells pass in. */
export interface RegistrySetupOptions {
  /** Called with every secret before anything is logged. */
  maskSecret: (value: string) => void;
  /** Notices worth showing (Docker Hub's remaining pulls, cache trouble). */
  onNotice: (message: string) => void;
  /** Used for ghcr.io when the Docker config has no credentials for it. */
  githubToken?: string;
  /** The digest cache file, or undefined for none. */
  cacheFile?: string;
  /** The run's clock (ms since the epoch); default `Date.now()`. */
  now?: number;
  env?: Record<string, string | undefined>;
}

/** A ready client, the problems met while setting it up, and a way to keep the cache. */
export interface RegistrySetup {
  client: RegistryClient;
  /** Problems of the Docker config; credential helpers add theirs while the client runs. */
  problems: Problem[];
  /**
   * Writes the digest cache file (when there is one). Resolves to whether it was written (the
   * Action keeps it in the Actions cache only then); why not is reported through `onNotice`.
   */
  saveCache(): Promise<boolean>;
}

/** Creates the registry client from settings. */
export async function setUpRegistry(
  settings: Settings,
  options: RegistrySetupOptions,
): Promise<RegistrySetup> {
  const docker = await readDockerConfig(options.maskSecret, {
    ...(settings.dockerConfig ? { path: settings.dockerConfig } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  // A missing or unusable cache file is an empty cache: it only saves requests.
  const now = options.now ?? Date.now();
  const digestCache = options.cacheFile
    ? await loadDigestCache(options.cacheFile, now, options.onNotice)
    : new DigestCache();
  const mirrors = settings.registryMirrors;
  const client = createRegistryClient({
    credentials: docker.credentials,
    ...(options.githubToken ? { githubToken: options.githubToken } : {}),
    mirrors,
    insecureRegistries: settings.insecureRegistries,
    maskSecret: options.maskSecret,
    onNotice: options.onNotice,
    digestCache,
    tagDigestMaxAgeMs: settings.tagDigestMaxAgeMs,
    now,
    http: { maxInFlightPerHost: settings.registryConcurrency },
    registryBudgetMs: settings.registryBudgetMs,
  });
  const lookUpCredentials = createCredentialLookup(docker, {
    maskSecret: options.maskSecret,
    ...(options.env ? { env: options.env } : {}),
  });
  // Helpers run only for registries the run uses, before their first request; the client reads
  // `docker.credentials` at each request. Credentials are keyed like the client's endpoints: a
  // mirrored registry's by the mirror's host.
  // An aliased repository is read, and logged in to, at its alias (registry-aliases.ts).
  const aliases = settings.registryAliases;
  const read = (repository: string): string => aliasedRepository(aliases, repository);
  const ready = (repository: string): Promise<void> =>
    lookUpCredentials(credentialsKeyOf(splitRepository(repository).registry, mirrors));
  const withCredentials: RegistryClient = {
    get stats() {
      return client.stats;
    },
    get digestCache() {
      return client.digestCache;
    },
    get trustedTagDigests() {
      return client.trustedTagDigests;
    },
    async listTags(repository) {
      const aliased = read(repository);
      await ready(aliased);
      return client.listTags(aliased);
    },
    async describeTags(repository, tags, onDescribed) {
      const aliased = read(repository);
      await ready(aliased);
      // By the image's own name: an alias does not make Flux's images someone else's.
      return client.describeTags(aliased, tags, onDescribed, usesLabelTimes(repository));
    },
    async describePlatforms(repository, tags) {
      const aliased = read(repository);
      await ready(aliased);
      return client.describePlatforms(aliased, tags);
    },
    stop(reason) {
      client.stop(reason);
    },
  };
  return {
    client: withCredentials,
    problems: docker.problems,
    async saveCache() {
      return options.cacheFile
        ? saveDigestCache(options.cacheFile, client.digestCache, options.onNotice)
        : false;
    },
  };
}
