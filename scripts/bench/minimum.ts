/**
 * The requests a bench run cannot do without, and the registry content they are computed from:
 * seeding the registry with the corpus's repositories (the digest and build time of every tag come
 * back), what the digest cache holds after each run, and the minimum of each run, which the table
 * sets the requests made against. Apart from scripts/bench.ts because it is a model of the CLI's
 * requests (its listing, its cap on tags described, its cache), not the running of the bench.
 */
import { seedMany, type RegistryServer, type SeedImageOptions } from '../../test-support/registry/index.js';
import { DEFAULT_MAX_TAGS_DESCRIBED } from '../../src/registry/tag-cap.js';
import {
  BENCH_REGISTRY,
  filterMatches,
  type BenchContainer,
  type BenchRepository,
  type Corpus,
} from './corpus.js';
import { PAGE_SIZE } from './front-settings.js';

/** The CLI's bound on tags asked about per repository per run (src/registry/tag-cap.ts). */
const MAX_TAGS_DESCRIBED = DEFAULT_MAX_TAGS_DESCRIBED;

/** The requests a run cannot do without. */
export interface Minimum {
  tagPage: number;
  token: number;
  headManifest: number;
  getManifest: number;
  getBlob: number;
  total: number;
}

/** Seeds the registry: digests of every (repository, tag) come back for the minimum computation. */
export async function seed(
  registry: RegistryServer,
  repositories: readonly BenchRepository[],
  log: (message: string) => void,
) {
  const digests = new Map<string, string>();
  /** The build time of each `path:tag`, for the order the CLI asks about cached tags past its bound. */
  const createdOf = new Map<string, number>();
  const images: Array<{ key: string[]; options: SeedImageOptions }> = [];
  const base = Date.parse('2024-01-01T00:00:00Z');
  for (const repo of repositories) {
    // Tags no time-ordered filter can pick share one image: one manifest PUT per extra tag.
    const shared = repo.tags.filter((t) => !repo.timeOrdered || !/^(main|build)-/.test(t));
    if (shared.length) {
      images.push({
        key: shared.map((t) => `${repo.path}:${t}`),
        options: {
          path: repo.path,
          tags: shared,
          created: new Date(base).toISOString(),
          labels: { 'bench.repository': repo.path },
        },
      });
    }
    repo.tags
      .filter((t) => !shared.includes(t))
      .forEach((tag, i) =>
        images.push({
          key: [`${repo.path}:${tag}`],
          options: {
            path: repo.path,
            tags: [tag],
            created: new Date(base + (i + 1) * 60_000).toISOString(),
            labels: { 'bench.repository': repo.path, 'bench.tag': tag },
          },
        }),
      );
  }
  const started = Date.now();
  const seeded = await seedMany(
    registry,
    images.map((i) => i.options),
    16,
  );
  seeded.forEach((s, i) =>
    images[i]!.key.forEach((k) => {
      digests.set(k, s.digest);
      createdOf.set(k, Date.parse(images[i]!.options.created!));
    }),
  );
  log(
    `seeded ${images.length} images, ${digests.size} tags in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { digests, createdOf };
}

/** What earlier runs left in the digest cache, as far as the minimum is concerned. */
export interface Known {
  /** Digests whose details are cached. */
  digests: ReadonlySet<string>;
  /** `path:tag`s whose digest (and its details) the cache holds, trusted or not. */
  cachedTags: ReadonlySet<string>;
  /** `path:tag`s whose digest is cached and still trusted (empty when the run asks about every tag). */
  trustedTags: ReadonlySet<string>;
}

export const NOTHING_KNOWN: Known = { digests: new Set(), cachedTags: new Set(), trustedTags: new Set() };

/**
 * The tags of each looked-up repository that a glob/regex filter needs described, in the order the
 * CLI asks for them (`detailsNeeded`: current tags first, then each filter's candidates newest name
 * first). The order matters only past the cap on tags described per run; the corpus has one
 * filter per such repository, so the CLI's file order and the corpus's container order agree.
 */
function neededTagsByRepository(
  corpus: Corpus,
  tagsOf: ReadonlyMap<string, readonly string[]>,
): { listed: Set<string>; needed: Map<string, string[]> } {
  const listed = new Set<string>();
  const timed = new Map<string, BenchContainer[]>();
  for (const c of corpus.containers) {
    if (!c.lookedUp) continue;
    const path = c.repository.slice(BENCH_REGISTRY.length + 1);
    listed.add(path);
    if (c.filter.startsWith('semver:')) continue;
    timed.set(path, [...(timed.get(path) ?? []), c]);
  }
  const needed = new Map<string, string[]>();
  for (const [path, containers] of timed) {
    const tags = tagsOf.get(path) ?? [];
    const ordered = new Set<string>();
    for (const c of containers) if (tags.includes(c.current)) ordered.add(`${path}:${c.current}`);
    for (const c of containers)
      for (const tag of [...tags].reverse())
        if (filterMatches(c.filter, tag) && tag !== 'latest') ordered.add(`${path}:${tag}`);
    needed.set(path, [...ordered]);
  }
  return { listed, needed };
}

/**
 * The minimum requests for one run, and what the digest cache knows after it: one listing chain per
 * repository a looked-up container uses (ceil(tags / page size) pages), one HEAD per tag a
 * glob/regex filter needs (tag -> digest) unless the cache still trusts its digest, one manifest
 * GET and one config blob GET per needed digest not already known, no token (open mode).
 *
 * Within the CLI's bound of `maxTagsDescribed` (1,000) tags asked about per repository per run
 * (src/registry/tag-cap.ts): past it, the tags the cache knows nothing about are asked first (in
 * the order above, up to the bound), then the cached ones newest build first; the cached ones left
 * over are answered from the cache without a request, and unknown ones left over wait for a later
 * run. So a repository with 3,000 needed tags costs 1,000 HEADs, manifests and blobs per run until
 * the cache holds all of them, and not 3,000 at once.
 */
export function computeMinimum(
  corpus: Corpus,
  tagsOf: ReadonlyMap<string, readonly string[]>,
  digests: ReadonlyMap<string, string>,
  createdOf: ReadonlyMap<string, number>,
  known: Known,
): { minimum: Minimum; after: Known } {
  const { listed, needed } = neededTagsByRepository(corpus, tagsOf);
  let tagPage = 0;
  for (const path of listed) tagPage += Math.max(1, Math.ceil((tagsOf.get(path)?.length ?? 0) / PAGE_SIZE));
  const asked: string[] = [];
  for (const tags of needed.values()) {
    if (tags.length <= MAX_TAGS_DESCRIBED) {
      asked.push(...tags);
      continue;
    }
    const unknown = tags.filter((t) => !known.cachedTags.has(t));
    const cached = tags
      .filter((t) => known.cachedTags.has(t))
      .sort((a, b) => (createdOf.get(b) ?? 0) - (createdOf.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
    const first = unknown.slice(0, MAX_TAGS_DESCRIBED);
    asked.push(...first, ...cached.slice(0, MAX_TAGS_DESCRIBED - first.length));
  }
  const neededDigests = new Set(asked.map((k) => digests.get(k)!));
  const unknownDigests = [...neededDigests].filter((d) => !known.digests.has(d)).length;
  const minimum = {
    tagPage,
    token: 0,
    headManifest: asked.filter((t) => !known.trustedTags.has(t)).length,
    getManifest: unknownDigests,
    getBlob: unknownDigests,
    total: 0,
  };
  minimum.total = minimum.tagPage + minimum.headManifest + minimum.getManifest + minimum.getBlob;
  // Every tag asked about is confirmed (so trusted by the runs of the next hour) and cached.
  const after: Known = {
    digests: new Set([...known.digests, ...neededDigests]),
    cachedTags: new Set([...known.cachedTags, ...asked]),
    trustedTags: new Set([...known.trustedTags, ...asked]),
  };
  return { minimum, after };
}
