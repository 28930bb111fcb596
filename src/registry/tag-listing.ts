/**
 * Listing a repository's tags: `GET /v2/<name>/tags/list?n=<page>`, following
 * `Link: <...>; rel="next"` resolved against the request URL (same origin only; its query asked of
 * this repository's own listing path; after a page of exactly `n` without one, `last=` its last tag),
 * with a page cap;
 * a rejected `n` (distribution 3.1 400, ECR 405, Quay 413) is retried with n=100 and then without
 * `n`; `"tags": null` is `[]`, and a body that is not a list of tags is an error, never an empty
 * list. The result is sorted, without duplicates.
 *
 * Bounds: at most `maxPages` pages and `maxTags` distinct tags; a listing past either is an error
 * for that repository (a part of a listing would be a silently worse answer: registries list in
 * no useful order, so the newest tags may be in the part not read). A tag longer than
 * {@link MAX_LISTED_TAG_LENGTH} characters is not kept: no Docker tag is, so it could never be
 * proposed, and without this a registry sending 100 pages of 32 MiB of 3,000-character tags held
 * 3.4 GB (the run died on a runner's heap) where a million real tags take at most 128 MB.
 * The run's listings together are bounded too (run-tag-budget.ts): each page's tags are taken from
 * the run's budget before they are kept, so a listing that would pass it stops at that page.
 */
import { RegistryError } from '../ports.js';
import { splitRepository } from '../image/reference.js';
import type { DigestCache } from './digest-cache.js';
import type { RegistrySession } from './registry-session.js';
import { describeJsonValue, isJsonObject, parseRegistryJson, unreadableJson } from './registry-json.js';
import { groupedCount } from '../byte-count.js';
import { parseNextLink } from './link-header.js';
import type { TagAccount } from './run-tag-budget.js';

export { parseNextLink } from './link-header.js';

/** Options of {@link listRepositoryTags}. */
export interface TagListingOptions {
  /** `n` for tag listing. */
  pageSize: number;
  /** Tag pages followed before giving up. */
  maxPages: number;
  /** Distinct tags read before giving up. */
  maxTags: number;
  /** The run's clock (ms since the epoch), for the cache's record of the listing. */
  now: number;
  /** The repository's deadline. */
  signal?: AbortSignal;
  /**
   * This listing's share of the run's bound on tags held: each page's tags are taken from it
   * before they are kept. The caller gives them back (or keeps them) once the listing is done.
   */
  account?: TagAccount;
}

/** Default of {@link TagListingOptions.maxTags}. */
export const DEFAULT_MAX_TAGS = 1_000_000;
/** The longest Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`); longer ones are not kept. */
export const MAX_LISTED_TAG_LENGTH = 128;

/**
 * Why a tag-list page is not a list of tags, or undefined when it is one: an object (`null` or an
 * array is JSON of another kind) whose `tags` is a list of strings, or an empty page - `"tags": null` (distribution 3.1.0, on the page after a full last
 * page), or no `tags` at all (the spec's body always has it, but a server that leaves an empty
 * list out, as Go's `omitempty` does, means none). Anything else (`"tags": "1.3.0"`, an object, a
 * list holding numbers) is not read as an empty or a partial list: either would report a
 * repository whose tags could not be read as up to date, and a number is no tag an image could be
 * pulled by (a Docker tag is a string). Says what kind of JSON it found, never the registry's text.
 */
export function tagListProblem(body: unknown): string | undefined {
  if (!isJsonObject(body)) return describeJsonValue(body);
  const listed = body.tags;
  if (listed === undefined || listed === null) return undefined;
  if (!Array.isArray(listed)) return `"tags" is ${describeJsonValue(listed)}`;
  for (const tag of listed as unknown[])
    if (typeof tag !== 'string') return `"tags" holds ${describeJsonValue(tag)}`;
  return undefined;
}

/**
 * Where a next link leads that is not the registry's origin or not the page's, in words that name
 * what differs: a scheme named alone would read as "another host" naming the registry's own.
 */
function elsewhere(next: URL, registry: URL, page: URL): string {
  const scheme = (url: URL): string => url.protocol.slice(0, -1);
  if (next.host !== registry.host) return `another host (${next.host})`;
  if (next.protocol !== registry.protocol)
    return `${scheme(next)}://${next.host}, not the registry's ${scheme(registry)}://${registry.host}`;
  return `${next.host} from a page that ${page.host} answered (the registry redirected the listing there)`;
}

/**
 * Every tag of a normalised repository, sorted. Rejects with a {@link RegistryError} when it
 * cannot be listed. Records the number of pages in the cache, so a listing known to be long
 * starts before others on the next run.
 */
export async function listRepositoryTags(
  session: RegistrySession,
  cache: DigestCache,
  repository: string,
  { pageSize, maxPages, maxTags, now, signal, account }: TagListingOptions,
): Promise<string[]> {
  const { registry, path } = splitRepository(repository);
  const endpoint = session.endpointFor(registry);
  const listing = `${endpoint.base}/v2/${path}/tags/list`;
  const pageSizes: Array<string | null> = [String(pageSize), '100', null];
  // The listing URL has no query of its own (a mirror's endpoint has none, path components are
  // [a-z0-9._-]): `?n=` is appended and the whole parsed once, not a URL, its copy and a
  // URLSearchParams per listing.
  const firstPage = (): URL => new URL(pageSizes[0] === null ? listing : `${listing}?n=${pageSizes[0]}`);
  let url = firstPage();
  const tags: string[] = [];
  const visited = new Set<string>();
  const finish = (pages: number): string[] => {
    cache.listings.record(repository, pages, now);
    // Registries differ in order (distribution 2.8: filesystem order); give callers one order,
    // without duplicates (dropped after sorting: a set of a million tags costs more than the list).
    tags.sort();
    let kept = 0;
    for (const tag of tags) if (kept === 0 || tag !== tags[kept - 1]) tags[kept++] = tag;
    tags.length = kept;
    return tags;
  };
  // This page was asked for with `last` after a full page that named no next one.
  let probing = false;
  for (let page = 1; ; page += 1) {
    if (page > maxPages) {
      throw new RegistryError(`${repository} has more than ${maxPages} pages of tags; giving up`, registry);
    }
    visited.add(url.href);
    // A page after the first is the next link of a chain, and so is the first page of a
    // listing that took several pages last time: the longest chains start first.
    const chained = page > 1 || (cache.listings.pages(repository) ?? 1) > 1;
    const response = await session.send(
      endpoint,
      path,
      url,
      'tagPage',
      'GET',
      {},
      chained ? 'chain' : undefined,
      signal,
    );
    // distribution 3.1 answers 400 PAGINATION_NUMBER_INVALID above its maxtags, ECR 405 above
    // 1000, Quay 413 above its maximum: ask again with a smaller page, then with none.
    if (page === 1 && [400, 405, 413].includes(response.status) && pageSizes.length > 1) {
      pageSizes.shift();
      url = firstPage();
      page = 0;
      continue;
    }
    // A registry that will not answer the `last` it never sent refuses it (4xx): the listing ends as
    // it did before. A server error or a rate limit (5xx, 429; retried already) says nothing of the
    // page, and a listing cut there would be a silently worse answer: it fails below, as any page's.
    if (probing && response.status >= 400 && response.status < 500 && response.status !== 429) {
      return finish(page - 1);
    }
    if (response.status !== 200) {
      throw session.failure(
        endpoint,
        response,
        `the tag list of ${repository}`,
        `${endpoint.registry} has no such repository: check the image's name, and for a mirror or pull-through cache, registry-mirrors or registry-aliases`,
      );
    }
    let body: unknown;
    try {
      body = parseRegistryJson(response.body.toString('utf8'));
    } catch (error) {
      throw new RegistryError(
        `the tag list of ${repository} ${unreadableJson(error)}`,
        registry,
        response.status,
      );
    }
    // Said for what it is, never read as a TypeError (`null.tags`) or as an empty list.
    const problem = tagListProblem(body);
    if (problem !== undefined) {
      throw new RegistryError(
        `the tag list of ${repository} is not a tag list (${problem})`,
        registry,
        response.status,
      );
    }
    const pageTags: string[] = (body as { tags?: string[] | null }).tags ?? [];
    // Built only for a probed page (rare): a registry that ignores `last` answers tags already read.
    const seen: Set<string> | undefined = probing ? new Set(tags) : undefined;
    const kept = pageTags.filter((tag) => tag.length <= MAX_LISTED_TAG_LENGTH);
    if (tags.length + kept.length > maxTags) {
      throw new RegistryError(
        `${repository} lists more than ${groupedCount(maxTags)} tags (the most read per repository); giving up on it`,
        registry,
      );
    }
    // Taken before they are kept: the run's listings never hold more than its bound.
    if (account && !account.take(kept.length)) {
      throw new RegistryError(
        `${repository} lists more tags than the run has room for: its ${groupedCount(tags.length + kept.length)} so far, ` +
          `with the ${groupedCount(account.heldByOthers())} other listings hold, pass ${groupedCount(account.max)} ` +
          '(the most held per run); giving up on it. List fewer such repositories in one run: the images input ' +
          'leaves some out, for a run of their own (a filter does not help: a listing is read whole)',
        registry,
      );
    }
    for (const tag of kept) tags.push(tag);
    if (seen && pageTags.every((tag) => seen.has(tag))) return finish(page);
    let next = parseNextLink(response.headers.get('link'));
    // A page of exactly the `n` asked that names no next one may not be the last: a Nexus group
    // repository sends no Link at all (NEXUS-35956, nexus-public#117), and its listing stopped at the
    // first page. The page after it is asked for with the spec's `last`; one with nothing new ends
    // it. (A registry that ignores `n` sends more, and is not asked again.)
    const last = pageTags.at(-1);
    const asked = pageSizes[0] === null ? Number.NaN : Number(pageSizes[0]);
    probing = next === undefined && pageTags.length === asked && last !== undefined;
    if (probing) next = `${listing}?n=${asked}&last=${encodeURIComponent(last!)}`;
    if (next === undefined) return finish(page);
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, response.url);
    } catch {
      // Not repeated: it is the registry's text, and may be anything.
      throw new RegistryError(
        `the tag list of ${repository} links to a next page that is not a valid URL; refusing to follow it`,
        registry,
      );
    }
    // Same origin as the registry itself, not merely as the page (which a redirect may have moved).
    const pageUrl = new URL(response.url);
    if (nextUrl.origin !== pageUrl.origin || nextUrl.origin !== endpoint.origin) {
      throw new RegistryError(
        `the tag list of ${repository} links to ${elsewhere(nextUrl, new URL(endpoint.origin), pageUrl)}; refusing to follow it`,
        registry,
      );
    }
    if (nextUrl.username !== '' || nextUrl.password !== '') {
      // A URL with user info is never requested (nor repeated in a message).
      throw new RegistryError(
        `the tag list of ${repository} links to a URL with a user name or password; refusing to follow it`,
        registry,
      );
    }
    // The next page is of this repository, whatever path the link names: Artifactory drops a
    // repository-path registry's key (`/v2/app/...` for `docker-local/app`, RTFACT-18971), Nexus on
    // a connector port adds its internal `/repository/<repo>/` prefix (nexus-public#1011). Followed
    // as sent, the first read another repository's tags into this one's, the second failed. Only
    // the link's query (`n`, `last`, Quay's `next_page`) is taken.
    if (nextUrl.pathname !== new URL(listing).pathname) nextUrl = new URL(`${listing}${nextUrl.search}`);
    if (visited.has(nextUrl.href)) {
      throw new RegistryError(`the tag list of ${repository} links back to a page already read`, registry);
    }
    url = nextUrl;
  }
}
