/**
 * The per-host request scheduler: at most `maxInFlightPerHost` registry requests in flight per
 * host, waiting requests released by priority and, within a priority, in arrival order - shared
 * fairly between flows (repositories), so that one repository whose requests hang (a registry
 * that never answers them) cannot hold the others up for more than one request timeout:
 *
 * - a flow's share is the host's slots divided by the flows with requests in flight or waiting;
 * - a flow below its share always goes first;
 * - a flow at or above its share takes a free slot only while one free slot stays for every other
 *   flow below its share - so a repository between two of its requests (it counts as sharing the
 *   host until the event loop's turn ends, the turn its answer is handed on in when that comes
 *   later) finds a slot free instead of waiting for a hanging request to time out.
 *
 * With one flow, it may use every slot. A waiting request is dropped when its signal aborts.
 *
 * A {@link ServiceWatcher}, when given, is told when each flow starts and stops being served: from
 * when one of its requests takes a slot on any host (or waits to retry, {@link
 * RequestScheduler.markServed}) until none does, past the end of the event loop's turn as above -
 * so a flow between two of its requests is served throughout, and a flow whose requests all wait
 * for slots others hold is not. deadlines.ts counts a repository's time so.
 */

/**
 * Which requests go first when a host's requests in flight are at their bound: `chain`, the next
 * page of a tag listing already under way, or the next attempt of a request (http.ts); then
 * `listing`, first tag pages and tokens; then `details`, manifests and blobs. A listing is a chain
 * of dependent requests (each page names the next), so letting it wait behind queued requests at
 * every page would leave the longest chain for last; its next page therefore goes before every
 * first page too.
 */
export type RequestPriority = 'chain' | 'listing' | 'details';

const PRIORITY_ORDER: readonly RequestPriority[] = ['chain', 'listing', 'details'];

/**
 * Told when a flow starts and stops being served (see the module comment); for each flow the calls
 * alternate, `started` first. Flows are told by name, whoever else uses the name.
 */
export interface ServiceWatcher {
  started(flow: string): void;
  stopped(flow: string): void;
}

interface Waiter {
  flow: string;
  grant: () => void;
}

/**
 * Waiters in arrival order. The first is taken without moving the others: an array's `splice(0,
 * 1)` copies the rest, and so does its `shift()` once the array is large. With an array, 30,000
 * repositories each waiting for a slot took 1.6 s of the main thread here and 60,000 took 2.9 s;
 * now 0.4 and 0.85 s (measured beside other work; 300, a run of the issue corpus, take 6 ms).
 */
class WaiterQueue {
  private items: Waiter[] = [];
  /** Index of the first waiter still queued. */
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(waiter: Waiter): void {
    this.items.push(waiter);
  }

  /** Removes and returns the first waiter `test` accepts (any, without it); undefined if none. */
  take(test?: (waiter: Waiter) => boolean): Waiter | undefined {
    for (let at = this.head; at < this.items.length; at += 1) {
      const waiter = this.items[at]!;
      if (test && !test(waiter)) continue;
      this.removeAt(at);
      return waiter;
    }
    return undefined;
  }

  /** Removes `waiter` if it is still queued. */
  remove(waiter: Waiter): void {
    const at = this.items.indexOf(waiter, this.head);
    if (at >= 0) this.removeAt(at);
  }

  private removeAt(at: number): void {
    if (at > this.head) {
      this.items.splice(at, 1);
      return;
    }
    this.head += 1;
    // The taken ones are dropped once they are most of the array: each copy is paid for by as
    // many takes as it keeps.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/** The slots of one host. */
class HostSlots {
  private active = 0;
  /** Requests in flight by flow. */
  private readonly inFlight = new Map<string, number>();
  /** Requests in flight or waiting by flow: its size is the number of flows sharing the host. */
  private readonly flows = new Map<string, number>();
  private readonly queues = new Map<RequestPriority, WaiterQueue>(
    PRIORITY_ORDER.map((p) => [p, new WaiterQueue()]),
  );
  /** Flows served on this host: holding a slot, or released one within the event loop's turn. */
  private readonly served = new Set<string>();
  /**
   * @param onServed told when a flow starts (`1`) and stops (`-1`) being served on this host; none
   *   when no one watches.
   */
  constructor(
    private readonly limit: number,
    private readonly onServed?: (flow: string, change: 1 | -1) => void,
  ) {}

  async acquire(priority: RequestPriority, flow: string, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    count(this.flows, flow, 1);
    if (this.mayTake(flow)) {
      this.take(flow);
      return;
    }
    const queue = this.queues.get(priority)!;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        queue.remove(waiter);
        count(this.flows, flow, -1);
        reject(signal!.reason);
        // One flow fewer: a larger share for the others.
        this.pump();
      };
      const waiter: Waiter = {
        flow,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Frees the flow's slot; returns how many waiting requests took a slot. `handedOn`, when given,
   * settles when the flow's caller has the answer: the turn the flow shares the host for (below)
   * ends a turn after that rather than after now.
   */
  release(flow: string, handedOn?: Promise<void>): number {
    count(this.inFlight, flow, -1);
    this.active -= 1;
    // Its last slot here: served until the turn ends, as it shares the host until then (below).
    const lastSlot = this.onServed !== undefined && !this.inFlight.has(flow);
    const afterTurn = (then: () => void): void => {
      if (handedOn) void handedOn.then(() => setImmediate(then));
      else setImmediate(then);
    };
    if (this.flows.get(flow) === 1) {
      // The flow's last request: it usually sends its next one as soon as it has read this answer
      // (in the same turn of the event loop), so it counts as sharing the host until then.
      afterTurn(() => {
        count(this.flows, flow, -1);
        if (lastSlot) this.endService(flow);
        this.pump();
      });
    } else {
      count(this.flows, flow, -1);
      if (lastSlot) afterTurn(() => this.endService(flow));
    }
    return this.pump();
  }

  /** Tells that `flow` is no longer served here, unless it took a slot again meanwhile. */
  private endService(flow: string): void {
    if (!this.inFlight.has(flow) && this.served.delete(flow)) this.onServed!(flow, -1);
  }

  /** Grants free slots to waiters, as many as may take one; returns how many did. */
  private pump(): number {
    let granted = 0;
    while (this.active < this.limit) {
      const next = this.next();
      if (!next) break;
      this.take(next.flow);
      next.grant();
      granted += 1;
    }
    return granted;
  }

  private share(): number {
    return Math.max(1, Math.floor(this.limit / Math.max(1, this.flows.size)));
  }

  /** Whether `flow` may take a free slot now; see the module comment. */
  private mayTake(flow: string): boolean {
    if (this.active >= this.limit) return false;
    const share = this.share();
    if ((this.inFlight.get(flow) ?? 0) < share) return true;
    let kept = 0;
    for (const other of this.flows.keys()) {
      if (other !== flow && (this.inFlight.get(other) ?? 0) < share) kept += 1;
    }
    return this.limit - this.active > kept;
  }

  private take(flow: string): void {
    this.active += 1;
    count(this.inFlight, flow, 1);
    if (this.onServed !== undefined && !this.served.has(flow)) {
      this.served.add(flow);
      this.onServed(flow, 1);
    }
  }

  /** The waiter to grant a free slot to, removed from its queue: below its share first. */
  private next(): Waiter | undefined {
    const share = this.share();
    const below = (w: Waiter): boolean => (this.inFlight.get(w.flow) ?? 0) < share;
    for (const priority of PRIORITY_ORDER) {
      const queue = this.queues.get(priority)!;
      const waiter = queue.take(below);
      if (waiter) return waiter;
    }
    // Every waiter is at or above its share: one may go while a slot stays free for each flow
    // below its share (none of them waits, or it would have gone above).
    let kept = 0;
    for (const flow of this.flows.keys()) if ((this.inFlight.get(flow) ?? 0) < share) kept += 1;
    if (this.limit - this.active <= kept) return undefined;
    for (const priority of PRIORITY_ORDER) {
      const queue = this.queues.get(priority)!;
      if (queue.length > 0) return queue.take();
    }
    return undefined;
  }
}

/** Adds `delta` to a count in `map`, dropping it at zero. */
function count(map: Map<string, number>, key: string, delta: number): void {
  const value = (map.get(key) ?? 0) + delta;
  if (value > 0) map.set(key, value);
  else map.delete(key);
}

/** Hands out per-host slots for requests; see the module comment. */
export class RequestScheduler {
  private readonly hosts = new Map<string, HostSlots>();
  /** Hosts serving each flow served, plus its {@link markServed} marks. */
  private readonly serving = new Map<string, number>();
  private readonly onServed: ((flow: string, change: 1 | -1) => void) | undefined;

  /**
   * @param maxInFlightPerHost requests in flight per host.
   * @param watcher told when each flow starts and stops being served, on whichever hosts.
   */
  constructor(
    private readonly maxInFlightPerHost: number,
    watcher?: ServiceWatcher,
  ) {
    this.onServed =
      watcher &&
      ((flow, change) => {
        const before = this.serving.get(flow) ?? 0;
        count(this.serving, flow, change);
        if (change === 1 && before === 0) watcher.started(flow);
        else if (change === -1 && before === 1) watcher.stopped(flow);
      });
  }

  /**
   * Counts `flow` as served, without a slot, until the returned function is called (once) and the
   * event loop's turn ends, as for a released slot: a request waiting to retry waits for its own
   * registry, not for other flows, and its next attempt takes its slot in the same turn.
   */
  markServed(flow: string): () => void {
    const onServed = this.onServed;
    if (onServed === undefined) return () => undefined;
    onServed(flow, 1);
    let ended = false;
    return () => {
      if (!ended) setImmediate(() => onServed(flow, -1));
      ended = true;
    };
  }

  /**
   * Waits for a slot on `host` and returns its release function, to be called exactly once when
   * the request is done: it returns how many waiting requests took a slot, and takes the promise
   * of the answer's hand-on when that comes later ({@link HostSlots.release}). Rejects with the
   * signal's reason when it aborts first.
   *
   * @param flow what the request belongs to (a repository); flows share a host fairly.
   */
  async acquire(
    host: string,
    priority: RequestPriority,
    flow = '',
    signal?: AbortSignal,
  ): Promise<(handedOn?: Promise<void>) => number> {
    let slots = this.hosts.get(host);
    if (!slots) {
      slots = new HostSlots(this.maxInFlightPerHost, this.onServed);
      this.hosts.set(host, slots);
    }
    await slots.acquire(priority, flow, signal);
    return (handedOn) => slots.release(flow, handedOn);
  }
}
