/**
 * Keeps the digest cache file across workflow runs with `@actions/cache`. Cache entries are
 * immutable, so the key rolls forward: each run saves under `<prefix>-<run id>[-<attempt>]` and
 * restores the newest entry whose key starts with `<prefix>-` (restore keys match by prefix,
 * newest first), so creation times learned by earlier runs carry over.
 *
 * Both calls never fail the run: a cache that cannot be restored or saved only costs requests.
 */
import * as actionsCache from '@actions/cache';

/** The part of `@actions/cache` used here (injectable for tests). */
export interface CacheBackend {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/** Where and under which keys the digest cache lives. */
export interface DigestCacheLocation {
  /** The cache file, e.g. `${RUNNER_TEMP}/helmrelease-image-updater/digests.json`. */
  path: string;
  /** Key prefix, e.g. `helmrelease-image-updater-digests-v2`; it names the file's format. */
  prefix: string;
  /**
   * Prefixes of older formats this build still reads, tried after `prefix` when no entry of the
   * current format exists yet. A build never saves under them, so an older build sharing the
   * repository keeps reading only files it understands.
   */
  olderPrefixes?: readonly string[];
  /** `GITHUB_RUN_ID`, plus `GITHUB_RUN_ATTEMPT` so a re-run can save too. */
  runId: string;
}

/** The keys for one run: save under `key`, restore by `restoreKeys`. */
export function digestCacheKeys(location: DigestCacheLocation): { key: string; restoreKeys: string[] } {
  return {
    key: `${location.prefix}-${location.runId}`,
    restoreKeys: [location.prefix, ...(location.olderPrefixes ?? [])].map((prefix) => `${prefix}-`),
  };
}

/**
 * Restores the newest saved cache file to `location.path`. Returns the key restored, or undefined
 * (no cache yet, caching unavailable, or an error, reported through `onNotice`).
 */
export async function restoreDigestCacheFile(
  location: DigestCacheLocation,
  onNotice: (message: string) => void = () => undefined,
  backend: CacheBackend = actionsCache,
): Promise<string | undefined> {
  if (!backend.isFeatureAvailable()) return undefined;
  const { key, restoreKeys } = digestCacheKeys(location);
  try {
    return await backend.restoreCache([location.path], key, restoreKeys);
  } catch (error) {
    onNotice(`Could not restore the registry digest cache: ${(error as Error).message}`);
    return undefined;
  }
}

/** Saves `location.path` under this run's key. Returns whether it was saved. */
export async function saveDigestCacheFile(
  location: DigestCacheLocation,
  onNotice: (message: string) => void = () => undefined,
  backend: CacheBackend = actionsCache,
): Promise<boolean> {
  if (!backend.isFeatureAvailable()) return false;
  try {
    const id = await backend.saveCache([location.path], digestCacheKeys(location).key);
    return id !== -1;
  } catch (error) {
    // ReserveCacheError: another job of this run saved the same key first; harmless.
    onNotice(`Could not save the registry digest cache: ${(error as Error).message}`);
    return false;
  }
}
