/**
 * Docker Hub's remaining pull allowance (`ratelimit-remaining`, `ratelimit-limit`) as notices:
 * once per registry, and once more when it runs low, with how to get a higher limit.
 */
import { groupedCount } from '../byte-count.js';
import type { HttpResponse } from './http.js';
import type { Endpoint } from './registry-endpoint.js';

/** Tells the user about the pulls left; see the module comment. */
export class RateLimitNotices {
  private readonly warned = new Set<string>();

  /**
   * @param notice shows the user a notice.
   * @param higherLimit how to get a higher pull limit for a credentials key, then `, or `;
   *   nothing when credentials are used already.
   */
  constructor(
    private readonly notice: (message: string) => void,
    private readonly higherLimit: (key: string) => string,
  ) {}

  /** Notes an answer's allowance; see the module comment. */
  note(endpoint: Endpoint, response: HttpResponse): void {
    const remaining = response.headers.get('ratelimit-remaining');
    if (remaining === null) return;
    const left = Number.parseInt(remaining, 10);
    // Not a count (`lots;w=21600`): nothing to tell, rather than "NaN pulls left".
    if (!Number.isFinite(left)) return;
    const limit = Number.parseInt(response.headers.get('ratelimit-limit') ?? '', 10);
    const low = left <= 10 || (Number.isFinite(limit) && left <= limit / 10);
    const key = `${endpoint.registry}${low ? ' low' : ''}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.notice(
      `${endpoint.registry}: ${groupedCount(left)} pulls left${Number.isFinite(limit) ? ` of ${groupedCount(limit)}` : ''} in the current rate-limit window` +
        (low ? `; ${this.higherLimit(endpoint.credentialsKey)}keep the digest cache to use fewer pulls` : ''),
    );
  }
}
