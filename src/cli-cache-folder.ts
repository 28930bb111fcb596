/**
 * The folder the CLI keeps its caches in: `$XDG_CACHE_HOME/helmrelease-image-updater`, or
 * `~/.cache/helmrelease-image-updater` when that is not set. It holds the digest cache
 * (`digests.json`, cli-args.ts) and Node's compile cache of the CLI (cli-compile-cache.ts).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cliCacheFolder(env: Record<string, string | undefined>, home: string = homedir()): string {
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'helmrelease-image-updater');
}
