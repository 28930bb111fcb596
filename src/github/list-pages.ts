/**
 * A REST list read page by page within bounds. Octokit's `paginate` follows the `Link` header's
 * next page for as long as there is one: a list whose next page never ends (a proxy or server that
 * links each page to one more, or back to a page it gave) was read until the job's time ran out,
 * holding every page in memory.
 */
import { groupedCount } from '../byte-count.js';
import { GitHubError } from './github-call.js';

/** The most pages of a REST list read (10,000 items at 100 a page). */
export const MAX_LIST_PAGES = 100;

/** One page of a list, as `github.paginate.iterator` yields it. */
interface ListPage<T> {
  url: string;
  data: T[];
  headers: { link?: string };
}

/**
 * Every item of the pages `pages` yields (`github.paginate.iterator(...)`), at most `maxPages`
 * of them; a list with more, or that gives a page it gave before, fails as a {@link GitHubError}
 * of `endpoint` (status 0: no answer of GitHub's said so), so its caller treats it as any failed
 * read, never as a whole list.
 */
export async function readListPages<T>(
  endpoint: string,
  pages: AsyncIterable<ListPage<T>>,
  maxPages = MAX_LIST_PAGES,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let count = 0;
  for await (const page of pages) {
    if (seen.has(page.url)) {
      throw new GitHubError(
        `${endpoint}: GitHub's list gave a page it had given already, after ${count} pages; not read further`,
        0,
        endpoint,
        '',
      );
    }
    seen.add(page.url);
    count++;
    items.push(...page.data);
    if (count >= maxPages && /\brel="next"/.test(page.headers.link ?? '')) {
      throw new GitHubError(
        `${endpoint}: GitHub's list goes on past ${maxPages} pages (${groupedCount(maxPages * 100)} items at most are read); not read further`,
        0,
        endpoint,
        '',
      );
    }
  }
  return items;
}
