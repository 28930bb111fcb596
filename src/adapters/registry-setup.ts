/**
 * Builds the registry client both shells use: credentials from the Docker config (and its
 * credential helpers, run when a registry is first needed), mirrors, insecure hosts, concurrency,
 * and the digest cache file.
 */
import { createHash } from 'node:crypto';
import { splitRepository } from '../image/reference.js';
import type { Problem } from '../problems.js';
import { createCredentialLookup } from '../registry/credential-helper.js';
import type { LoginAdvice } from '../registry/credential-messages.js';
import { readDockerConfig } from '../registry/docker-config.js';
import { credentialsKeyOf } from '../registry/registry-endpoint.js';
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
  /**
   * How this shell's user gives a registry credentials (docker/login-action in a workflow,
   * `docker login` on a terminal), said when a registry refuses a request without any.
   */
  loginAdvice?: LoginAdvice;
  /** The digest cache file, or undefined for none. */
  cacheFile?: string;
  /** The run's clock (ms since the epoch); default `Date.now()`. */
  now?: number;
  env?: Record<string, string | undefined>;
  /**
   * The workspace's path. With it, a run lists a few of the repositories the last run over the
   * same workspace and scope named before its scan has found them (remembered-listings.ts).
   */
  workspace?: string;
}

/**
 * The key of a run's scope: its workspace and the settings that decide which repositories it
 * reads and where. Hashed: the cache file holds no path or pattern, and every key has one length.
 */
export function runScope(workspace: string, settings: Settings): string {
  const decides = [
    workspace,
    settings.paths,
    settings.exclude,
    settings.images,
    settings.requireAutomated,
    settings.detection,
    settings.registryMirrors,
    settings.registryAliases,
    settings.insecureRegistries,
  ];
  return createHash('sha256').update(JSON.stringify(decides)).digest('hex').slice(0, 32);
}

/**
 * Listings started ahead per registry, as a multiple of the requests it has in flight: enough to
 * keep it busy while the run reads the workspace and parses the first files (issue 17), few enough
 * that a run whose scope narrowed abandons little.
 */
const AHEAD_PER_SLOT = 4;

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
    ...(options.loginAdvice ? { loginAdvice: options.loginAdvice } : {}),
    unreadableCredentials: docker.unreadable,
    ...(docker.unreadableConfig === undefined ? {} : { unreadableConfig: docker.unreadableConfig }),
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
  /** Listings started ahead (listAhead), until the scan has said which it needs (settleAhead). */
  const ahead = new Set<string>();
  const scope = options.workspace === undefined ? undefined : runScope(options.workspace, settings);
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
    writing() {
      return client.writing();
    },
    abandon(repository, reason) {
      client.abandon(repository, reason);
    },
    // The cache names repositories as they are read (aliased); the scan names them as written.
    listAhead(inScope) {
      if (scope === undefined) return 0;
      const perRegistry = AHEAD_PER_SLOT * settings.registryConcurrency;
      for (const repository of digestCache.listings.lastRun(scope, perRegistry)) {
        if (!inScope(repository)) continue;
        ahead.add(repository);
        const pending = (async () => {
          await ready(repository);
          // Abandoned while its credentials were looked up: never started.
          if (!ahead.has(repository)) throw new Error('abandoned');
          return client.listTags(repository);
        })();
        // Its answer is taken by the scan's listTags (the client's own memo); a failure of one
        // the scan does not name is no unhandled rejection.
        pending.catch(() => undefined);
      }
      return ahead.size;
    },
    settleAhead(needed) {
      const named = new Set([...needed].map(read));
      if (scope !== undefined) digestCache.listings.recordRun(scope, named, now);
      let abandoned = 0;
      for (const repository of ahead) {
        if (named.has(repository)) continue;
        ahead.delete(repository);
        client.abandon(repository, 'the run checks no image of this repository');
        abandoned += 1;
      }
      return abandoned;
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
