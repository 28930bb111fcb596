/**
 * What the registries told earlier runs, kept across runs:
 *
 * - by digest, `{ created, labels, source, revision, platforms }`: a manifest digest names immutable
 *   content, so what was read for it once never changes. A digest whose manifest alone was read
 *   (the current image of a pull request, for its platforms) holds `{ platforms }` only, and never
 *   answers for a build time; older versions of this Action drop such entries when loading;
 * - by tag, the digest it pointed at and when that was last confirmed. Tags can move, so a tag's
 *   digest is trusted only for a while, with Flux v1's refresh (fluxd's `registry/cache`): first
 *   for an hour, twice as long each time the tag is found unchanged, half as long when it moved,
 *   never less than five minutes, and never more than the run's `tag-digest-max-age` (0: every run
 *   asks again). A trusted tag costs no request at all; a warm cache otherwise turns a run into tag
 *   listings plus HEADs (which Docker Hub does not count against its pull limit).
 *
 * - by repository, how many pages its tag listing took, so the next run can start the longest
 *   listings first; and by run scope, the repositories the last run named, so the next can start
 *   listing some before its scan finds them (remembered-listings.ts).
 *
 * The cache prunes itself: a tag the registry no longer lists is forgotten when its repository is
 * listed, a tag not confirmed for {@link FORGET_AFTER_MS} (its image left the repository being
 * scanned) on loading, and a digest no remembered tag points at when the cache is written.
 *
 * It is bounded: at most {@link MAX_CACHED_TAGS} tags (the most recently confirmed) and
 * `MAX_CACHED_LISTINGS` listings are kept, and no more are read from a file.
 *
 * The core ({@link DigestCache}) is in memory and does no I/O; `digest-cache-file.ts` keeps it in
 * a JSON file (the CLI's local file, or the file the Action restores and saves with
 * `@actions/cache`, see `actions-cache.ts`):
 *
 *   { "version": 2,
 *     "entries": { "sha256:...": { "created": "2024-01-02T03:04:05.000Z", "labels": { "created": "2024-01-02T03:00:00Z" },
 *                                  "source": "https://...", "platforms": ["linux/amd64", "linux/arm64"] },
 *                  "sha256:...": { "platforms": [] } },
 *     "tags": { "ghcr.io/acme/app": { "1.2.3": { "digest": "sha256:...", "checked": "2026-11-24T09:00:00.000Z", "refresh": 3600 } } },
 *     "listings": { "ghcr.io/acme/app": { "pages": 3, "listed": "2026-11-24T09:00:00.000Z" } },
 *     "runs": { "<run scope>": { "repositories": ["ghcr.io/acme/app"], "recorded": "2026-11-24T09:00:00.000Z" } },
 *     "schemes": { "ghcr.io https://ghcr.io": { "kind": "bearer", "realm": "https://ghcr.io/token",
 *                                               "service": "ghcr.io", "learned": "2026-11-24T09:00:00.000Z" } } }
 *
 * (`refresh` in seconds; `schemes`: how each registry authenticated, remembered-schemes.ts;
 * `listings` and `runs`: remembered-listings.ts.)
 * Version 1 files (digests only) are read as they are, and so are entries written before
 * platforms were kept (their platforms are unknown). `labels` holds the image's
 * build-time labels (`created`: org.opencontainers.image.created, `buildDate`:
 * org.label-schema.build-date; FLUX-V1-RULES R10.2), `{}` when it has neither. An entry without
 * it was written before they were kept, or by an older version of this Action, which drops the
 * key: its labels are unknown, and a repository that orders by them reads the image again.
 */
import { isSha256Digest } from '../image/reference.js';
import type { ImagePlatforms } from '../ports.js';
import { dueForKeepAlive, newestFirst, readTime } from './kept-times.js';
import { isPlatformName, MAX_PLATFORMS, parseCreated, parseTimeLabel } from './manifest.js';
import { RememberedListings } from './remembered-listings.js';
import { RememberedSchemes } from './remembered-schemes.js';

/** An image's build-time labels as cached (RFC 3339 text); a label the image lacks is absent. */
export interface CachedLabelTimes {
  created?: string;
  buildDate?: string;
}

/** What is cached for one digest; `created: null` means the image has no usable `created`. */
export interface CachedDetails {
  created: string | null;
  /** Absent when unknown (an entry written before they were kept); see the module comment. */
  labels?: CachedLabelTimes;
  source?: string;
  revision?: string;
  /** Absent when unknown (an entry written before they were kept). */
  platforms?: ImagePlatforms;
}

/** Platforms read from a file: a bounded array of platform names, else undefined. */
function readPlatforms(value: unknown): ImagePlatforms | undefined {
  return Array.isArray(value) && value.length <= MAX_PLATFORMS && value.every(isPlatformName)
    ? [...value]
    : undefined;
}

/**
 * Label times read from a file, else undefined (unknown, so the image is read again) when they are
 * not an object or hold something this Action never writes (a time that does not parse, a number):
 * a damaged entry must not pass for an image without the label.
 */
function readLabelTimes(value: unknown): CachedLabelTimes | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { created, buildDate } = value as { created?: unknown; buildDate?: unknown };
  if (created !== undefined && parseTimeLabel(created) === undefined) return undefined;
  if (buildDate !== undefined && parseTimeLabel(buildDate) === undefined) return undefined;
  return {
    ...(created !== undefined ? { created: created as string } : {}),
    ...(buildDate !== undefined ? { buildDate: buildDate as string } : {}),
  };
}

/** What is remembered of one tag. */
export interface TagRecord {
  digest: string;
  /** When the registry last confirmed the digest (ms since the epoch). */
  checked: number;
  /** How long after `checked` the digest is trusted (ms), before `tag-digest-max-age` caps it. */
  refresh: number;
}

/** The format this version writes; it reads format 1 too. A higher one is a newer version's. */
export const FORMAT_VERSION = 2;

/**
 * What a cache file's JSON is to this version: one it reads (`current`, or `older` format 1), one a
 * newer version wrote (its `version` a higher whole number), or none any version wrote.
 */
export type CacheFormat =
  { kind: 'current' | 'older' } | { kind: 'newer'; version: number } | { kind: 'unknown' };

/** The format of a cache file's JSON (see {@link CacheFormat}). */
export function cacheFormatOf(value: unknown): CacheFormat {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'unknown' };
  const { version } = value as { version?: unknown };
  if (version === FORMAT_VERSION) return { kind: 'current' };
  if (version === 1) return { kind: 'older' };
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > FORMAT_VERSION)
    return { kind: 'newer', version };
  return { kind: 'unknown' };
}
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Flux v1 (`warming.go`): "start off assuming an image will change about an hour from first seeing it". */
export const INITIAL_REFRESH_MS = HOUR;
/** Flux v1: "never try to refresh a tag faster than this". */
export const MIN_REFRESH_MS = 5 * MINUTE;
/** Flux v1: "never set a refresh deadline longer than this". */
export const MAX_REFRESH_MS = 7 * DAY;
/** Tags not confirmed for this long are forgotten on loading; more than any trust period allowed. */
export const FORGET_AFTER_MS = 30 * DAY;
/**
 * Most tags kept (and read from a file): with their digests about 30 MB of JSON, which takes about
 * 220 MB of memory and 2 s to load. More tags than that are confirmed by HEADs instead.
 */
export const MAX_CACHED_TAGS = 100_000;

/**
 * The next trust period of a tag the registry was just asked about (Flux v1's `updateImage`):
 * the initial hour for a tag not seen before, doubled when its digest is unchanged, halved when
 * it moved; clipped to [5 minutes, `maxAgeMs`] (to `maxAgeMs` alone when that is shorter). With
 * `maxAgeMs` 0 nothing is trusted, but the history still grows up to Flux v1's 7 days, so turning
 * trust on later starts from what earlier runs saw.
 */
export function nextRefresh(previous: TagRecord | undefined, digest: string, maxAgeMs: number): number {
  const cap = maxAgeMs > 0 ? Math.min(maxAgeMs, MAX_REFRESH_MS) : MAX_REFRESH_MS;
  // From the period actually in force: one grown under a higher cap (or under 0) is first cut to
  // this one, so a tag that moved is trusted half as long as it just was.
  const wanted =
    previous === undefined
      ? INITIAL_REFRESH_MS
      : Math.min(previous.refresh, cap) * (previous.digest === digest ? 2 : 0.5);
  return Math.min(Math.max(wanted, Math.min(MIN_REFRESH_MS, cap)), cap);
}

interface SerializedTag {
  digest: string;
  checked: string;
  refresh: number;
}

/** The cache file's content. */
export interface SerializedCache {
  version: number;
  entries: Record<string, CachedDetails | { platforms: ImagePlatforms }>;
  tags: Record<string, Record<string, SerializedTag>>;
  listings: ReturnType<RememberedListings['toJSON']>['listings'];
  runs: ReturnType<RememberedListings['toJSON']>['runs'];
  schemes: ReturnType<RememberedSchemes['toJSON']>;
}

/** In-memory digest cache. */
export class DigestCache {
  private readonly entries = new Map<string, CachedDetails>();
  /** Digests whose manifest alone was read: their platforms (never in {@link entries} too). */
  private readonly manifestPlatforms = new Map<string, ImagePlatforms>();
  /** repository -> tag -> record. */
  private readonly tags = new Map<string, Map<string, TagRecord>>();
  private dirty = false;
  /** Read by {@link fromJSON} from JSON in the format {@link toJSON} writes. */
  private readInCurrentFormat = false;

  /**
   * `schemes`: how each registry authenticated (remembered-schemes.ts); `listings`: the earlier
   * runs' tag listings (remembered-listings.ts).
   */
  constructor(
    readonly schemes: RememberedSchemes = new RememberedSchemes(),
    readonly listings: RememberedListings = new RememberedListings(),
  ) {}

  /**
   * Builds a cache from the JSON written by {@link toJSON} (or a version 1 file); unusable input
   * gives an empty cache, unusable entries are dropped, and so are tags not confirmed for
   * {@link FORGET_AFTER_MS} before `now`.
   */
  static fromJSON(value: unknown, now: number = Date.now()): DigestCache {
    const data = value as {
      version?: unknown;
      entries?: unknown;
      tags?: unknown;
      listings?: unknown;
      runs?: unknown;
      schemes?: unknown;
    };
    const format = cacheFormatOf(value).kind;
    if (format !== 'current' && format !== 'older') return new DigestCache();
    const cache = new DigestCache(
      RememberedSchemes.fromJSON(data.schemes, now),
      data.version === FORMAT_VERSION
        ? RememberedListings.fromJSON(data.listings, data.runs, now)
        : undefined,
    );
    cache.readInCurrentFormat = data.version === FORMAT_VERSION;
    if (typeof data.entries !== 'object' || data.entries === null) return cache;
    let tagCount = 0;
    if (data.version === FORMAT_VERSION && typeof data.tags === 'object' && data.tags !== null) {
      for (const [repository, tags] of Object.entries(data.tags as Record<string, unknown>)) {
        if (typeof tags !== 'object' || tags === null) continue;
        for (const [tag, record] of Object.entries(tags as Record<string, unknown>)) {
          if (tagCount >= MAX_CACHED_TAGS) break;
          const r = record as { digest?: unknown; checked?: unknown; refresh?: unknown };
          if (typeof r !== 'object' || r === null) continue;
          const checked = readTime(r.checked, now, FORGET_AFTER_MS);
          if (typeof r.digest !== 'string' || !isSha256Digest(r.digest) || checked === undefined) continue;
          if (typeof r.refresh !== 'number' || !Number.isFinite(r.refresh) || r.refresh < 0) continue;
          cache.tagsOf(repository).set(tag, { digest: r.digest, checked, refresh: r.refresh * 1000 });
          tagCount++;
        }
      }
    }
    for (const [digest, entry] of Object.entries(data.entries as Record<string, unknown>)) {
      // No more digests than tags can point at.
      if (cache.entries.size + cache.manifestPlatforms.size >= MAX_CACHED_TAGS) break;
      const e = entry as {
        created?: unknown;
        labels?: unknown;
        source?: unknown;
        revision?: unknown;
        platforms?: unknown;
      };
      if (!isSha256Digest(digest) || typeof e !== 'object' || e === null) continue;
      const platforms = readPlatforms(e.platforms);
      if (!('created' in e)) {
        if (platforms !== undefined) cache.manifestPlatforms.set(digest, platforms);
        continue;
      }
      // Read as a registry's `created` is (RFC 3339): Date.parse took "1" for 2001 and "2024" for
      // its first day, and such a time ordered the tags of a glob or regex filter.
      if (e.created !== null && (typeof e.created !== 'string' || parseCreated(e.created) === undefined))
        continue;
      const labels = readLabelTimes(e.labels);
      cache.entries.set(digest, {
        created: e.created as string | null,
        ...(labels !== undefined ? { labels } : {}),
        ...(typeof e.source === 'string' ? { source: e.source } : {}),
        ...(typeof e.revision === 'string' ? { revision: e.revision } : {}),
        ...(platforms !== undefined ? { platforms } : {}),
      });
    }
    return cache;
  }

  get(digest: string): CachedDetails | undefined {
    return this.entries.get(digest);
  }

  set(digest: string, details: CachedDetails): void {
    this.entries.set(digest, details);
    this.manifestPlatforms.delete(digest);
    this.dirty = true;
  }

  /** The platforms of a digest's image, from its details or a read of its manifest alone. */
  platforms(digest: string): ImagePlatforms | undefined {
    return this.entries.get(digest)?.platforms ?? this.manifestPlatforms.get(digest);
  }

  /**
   * Records the platforms read from a digest's manifest alone: into its details when they lack
   * them (an entry written before platforms were kept), else on their own.
   */
  setPlatforms(digest: string, platforms: ImagePlatforms): void {
    const details = this.entries.get(digest);
    if (details?.platforms !== undefined || this.manifestPlatforms.has(digest)) return;
    if (details) this.entries.set(digest, { ...details, platforms });
    else this.manifestPlatforms.set(digest, platforms);
    this.dirty = true;
  }

  /** Number of digests held. */
  get size(): number {
    return this.entries.size;
  }

  private tagsOf(repository: string): Map<string, TagRecord> {
    let tags = this.tags.get(repository);
    if (!tags) {
      tags = new Map();
      this.tags.set(repository, tags);
    }
    return tags;
  }

  /** What is remembered of `repository:tag`, trusted or not. */
  tag(repository: string, tag: string): TagRecord | undefined {
    return this.tags.get(repository)?.get(tag);
  }

  /**
   * The digest of `repository:tag` when it was confirmed recently enough to use without asking:
   * within its trust period, capped by `maxAgeMs`. A confirmation dated after `now` (a clock that
   * went back) is not trusted.
   */
  trustedDigest(repository: string, tag: string, now: number, maxAgeMs: number): string | undefined {
    const record = this.tag(repository, tag);
    if (!record || now < record.checked) return undefined;
    return now - record.checked < Math.min(record.refresh, maxAgeMs) ? record.digest : undefined;
  }

  /** Records the digest the registry just gave for `repository:tag`, with its next trust period. */
  recordTag(repository: string, tag: string, digest: string, now: number, maxAgeMs: number): void {
    const tags = this.tagsOf(repository);
    const previous = tags.get(tag);
    tags.set(tag, { digest, checked: now, refresh: nextRefresh(previous, digest, maxAgeMs) });
    // With trust on, the new period must be kept or the next run asks again; with it off (max
    // age 0) an unchanged tag only needs keeping alive.
    if (!previous || previous.digest !== digest || maxAgeMs > 0 || dueForKeepAlive(previous.checked, now))
      this.dirty = true;
  }

  /** Forgets the tags of `repository` that its fresh listing no longer has. */
  forgetUnlistedTags(repository: string, listed: readonly string[]): void {
    const tags = this.tags.get(repository);
    if (!tags) return;
    const keep = new Set(listed);
    for (const tag of tags.keys()) {
      if (!keep.has(tag)) {
        tags.delete(tag);
        this.dirty = true;
      }
    }
  }

  /** Whether the cache holds anything worth writing that it did not hold when it was built. */
  get changed(): boolean {
    return this.dirty || this.schemes.changed || this.listings.changed;
  }

  /**
   * Whether the JSON it was read from already holds what it would write: read in the current
   * format, and nothing worth writing changed since (what that JSON held past its time stays in
   * it, and is left out again at every read).
   */
  get sameAsRead(): boolean {
    return this.readInCurrentFormat && !this.changed;
  }

  /**
   * The file's JSON. Digests no remembered tag points at are left out: every digest is learned
   * through a tag, so one without a tag belongs to a tag that moved, was deleted or was forgotten.
   */
  toJSON(): SerializedCache {
    return this.serialize(MAX_CACHED_TAGS);
  }

  /**
   * {@link toJSON} keeping at most `maxTags` tags, the most recently confirmed; the file's writer
   * passes fewer when the JSON would not fit its size limit.
   */
  serialize(maxTags: number): SerializedCache {
    const kept = newest(
      [...this.tags.values()].flatMap((records) => [...records.values()]),
      maxTags,
      (r) => r.checked,
    );
    const pointedAt = new Set<string>();
    const tags: SerializedCache['tags'] = {};
    for (const [repository, records] of this.tags) {
      const serialized: [string, SerializedTag][] = [];
      for (const [tag, r] of records) {
        if (!kept.has(r)) continue;
        pointedAt.add(r.digest);
        serialized.push([
          tag,
          { digest: r.digest, checked: new Date(r.checked).toISOString(), refresh: r.refresh / 1000 },
        ]);
      }
      // Object.fromEntries defines own keys, so even a tag named `__proto__` is kept.
      if (serialized.length > 0) tags[repository] = Object.fromEntries(serialized);
    }
    const entries: SerializedCache['entries'] = {};
    for (const [digest, details] of this.entries) if (pointedAt.has(digest)) entries[digest] = details;
    for (const [digest, platforms] of this.manifestPlatforms)
      if (pointedAt.has(digest)) entries[digest] = { platforms };
    return {
      version: FORMAT_VERSION,
      entries,
      tags,
      ...this.listings.toJSON(),
      schemes: this.schemes.toJSON(),
    };
  }
}

/** The `limit` items with the latest `time` (all of them, unsorted, when there are no more). */
function newest<T>(items: T[], limit: number, time: (item: T) => number): Set<T> {
  return new Set(items.length <= limit ? items : newestFirst(items, limit, time));
}
