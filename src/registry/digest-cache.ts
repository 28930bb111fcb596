/**
 * A `digest -> { created, source }` cache kept across runs. A manifest digest names immutable
 * content, so what was read for it once never changes; a warm cache turns a run into tag listings
 * plus HEADs (which Docker Hub does not count against its pull limit).
 *
 * The core ({@link DigestCache}) is in memory; {@link loadDigestCache}/{@link saveDigestCache}
 * keep it in a JSON file (the CLI's local file, or the file the Action restores and saves with
 * `@actions/cache`, see `actions-cache.ts`):
 *
 *   { "version": 1, "entries": { "sha256:...": { "created": "2024-01-02T03:04:05.000Z", "source": "https://..." } } }
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What is cached for one digest; `created: null` means the image has no usable `created`. */
export interface CachedDetails {
  created: string | null;
  source?: string;
}

const FORMAT_VERSION = 1;

/** In-memory digest cache. */
export class DigestCache {
  private readonly entries = new Map<string, CachedDetails>();
  private dirty = false;

  /** Builds a cache from the JSON written by {@link toJSON}; unusable input gives an empty cache. */
  static fromJSON(value: unknown): DigestCache {
    const cache = new DigestCache();
    const data = value as { version?: unknown; entries?: unknown };
    if (typeof data !== 'object' || data === null || data.version !== FORMAT_VERSION) return cache;
    if (typeof data.entries !== 'object' || data.entries === null) return cache;
    for (const [digest, entry] of Object.entries(data.entries as Record<string, unknown>)) {
      const e = entry as { created?: unknown; source?: unknown };
      if (!/^sha256:[0-9a-f]{64}$/.test(digest) || typeof e !== 'object' || e === null) continue;
      if (e.created !== null && (typeof e.created !== 'string' || Number.isNaN(Date.parse(e.created))))
        continue;
      cache.entries.set(digest, {
        created: e.created as string | null,
        ...(typeof e.source === 'string' ? { source: e.source } : {}),
      });
    }
    return cache;
  }

  get(digest: string): CachedDetails | undefined {
    return this.entries.get(digest);
  }

  set(digest: string, details: CachedDetails): void {
    this.entries.set(digest, details);
    this.dirty = true;
  }

  /** Number of digests held. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether anything was added since the cache was built. */
  get changed(): boolean {
    return this.dirty;
  }

  toJSON(): { version: number; entries: Record<string, CachedDetails> } {
    return { version: FORMAT_VERSION, entries: Object.fromEntries(this.entries) };
  }
}

/** Loads a cache file; a missing or corrupt file gives an empty cache (it is only a cache). */
export async function loadDigestCache(path: string): Promise<DigestCache> {
  try {
    return DigestCache.fromJSON(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return new DigestCache();
  }
}

/** Writes a cache file atomically (temp file + rename), creating its directory. */
export async function saveDigestCache(path: string, cache: DigestCache): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(cache.toJSON()));
  await rename(temp, path);
}
