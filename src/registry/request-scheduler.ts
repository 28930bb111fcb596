/**
 * The per-host request scheduler: at most `maxInFlightPerHost` registry requests in flight per
 * host, the waiting ones released by priority and, within a priority, in arrival order.
 */

/**
 * Which requests go first when a host's requests in flight are at their bound: `chain`, the next
 * page of a tag listing already under way; then `listing`, first tag pages and tokens; then
 * `details`, manifests and blobs. A listing is a chain of dependent requests (each page names the
 * next), so letting it wait behind queued requests at every page would leave the longest chain
 * for last; its next page therefore goes before every first page too.
 */
export type RequestPriority = 'chain' | 'listing' | 'details';

const PRIORITY_ORDER: readonly RequestPriority[] = ['chain', 'listing', 'details'];

/** A counting semaphore with one FIFO queue per {@link RequestPriority}. */
class Limiter {
  private active = 0;
  private readonly queues = new Map<RequestPriority, Array<() => void>>(PRIORITY_ORDER.map((p) => [p, []]));
  constructor(private readonly limit: number) {}
  async acquire(priority: RequestPriority): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.queues.get(priority)!.push(resolve));
  }
  release(): void {
    for (const priority of PRIORITY_ORDER) {
      const next = this.queues.get(priority)!.shift();
      if (next) return next();
    }
    this.active -= 1;
  }
}

/** Hands out per-host slots for requests; see the module comment. */
export class RequestScheduler {
  private readonly limiters = new Map<string, Limiter>();

  /** @param maxInFlightPerHost requests in flight per host. */
  constructor(private readonly maxInFlightPerHost: number) {}

  /**
   * Waits for a slot on `host` and returns its release function, to be called exactly once when
   * the request is done.
   */
  async acquire(host: string, priority: RequestPriority): Promise<() => void> {
    let limiter = this.limiters.get(host);
    if (!limiter) {
      limiter = new Limiter(this.maxInFlightPerHost);
      this.limiters.set(host, limiter);
    }
    await limiter.acquire(priority);
    return () => limiter.release();
  }
}
