/**
 * The registry client's only way to the network. It adds what registries need to the connections
 * of {@link Connections} (kept alive per origin, HEAD too; undici):
 *
 * - a timeout per attempt that covers the body too (kept by response-reader.ts under
 *   {@link Connections}), and a deadline per request that covers every attempt, backoff and
 *   redirect: no retry starts past it. Both count the request's own time, not its waits for a
 *   slot: with one request in flight per host and a registry answering each in 20 s, listings
 *   queued behind a few others timed out after 9,956 ms, then 1 ms. A wait is bounded by the
 *   requests ahead of it (each by its own time) and by the caller's signal (deadlines.ts: the run's
 *   budget; a repository's deadline, which counts its requests' own time alike);
 * - the caller's signal (a repository's or the run's deadline) ends the request at once, whether
 *   it waits for a slot, a retry or an answer;
 * - retries with exponential backoff and full jitter on network errors, 429 and 5xx, honouring
 *   `Retry-After`, but not after Docker Hub's pull limit (retry-policy.ts);
 * - manual redirect following, where redirects.ts says a redirect may lead and what goes with it;
 * - plain HTTP only to loopback hosts and hosts listed as insecure;
 * - a bound on body size (per request, e.g. smaller for tokens; 4 MiB for manifests and configs);
 *   a larger body is refused, not retried;
 * - a bound on requests in flight per host (the {@link RequestScheduler}), and as many
 *   connections per origin; an answer that frees a slot for a waiting request is handed on after
 *   the two immediates undici writes that request in (on a kept-alive connection), so that what
 *   reads the answer does not hold the write back;
 * - counters per kind of request for the benchmark.
 *
 * Timings are parameters so tests pass zeros (STYLE §3).
 */

import { nextTurn } from '../event-loop-turn.js';
import { describeProxyRefusal, proxyRefusalStatus } from '../network-errors.js';
import { attemptFailureWords, errorWords } from './attempt-failure.js';
import { Connections, RefusedBodyError } from './http-connections.js';
import { abortMessage, HttpError } from './http-error.js';
import { PlainHttpHosts } from './plain-http.js';
import { checkScheme, nextHop, type Hop } from './redirects.js';
import type { ResponseHeaders } from './response-headers.js';
import { RequestScheduler, type RequestPriority, type ServiceWatcher } from './request-scheduler.js';
import { DEFAULT_MAX_RETRY_AFTER_MS, retryWait, type RetryPolicy } from './retry-policy.js';

export type { RequestPriority } from './request-scheduler.js';
export type { ResponseHeaders } from './response-headers.js';
export { abortMessage, HttpError } from './http-error.js';

/** What a request is for; counted in {@link HttpStats}. */
export type RequestKind = 'tagPage' | 'token' | 'headManifest' | 'getManifest' | 'getBlob' | 'other';

/** Requests sent on the wire, by kind, plus retries and redirects followed. */
export type HttpStats = Record<RequestKind | 'retries' | 'redirects', number>;

/** Options of {@link HttpClient}. */
export interface HttpOptions {
  /** Timeout per attempt, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Time for one request: all attempts, backoff and redirects, not its waits for a slot. Default 90 s. */
  requestDeadlineMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff delay; doubled each retry, with full jitter. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Upper bound of one backoff delay. Default 10 s. */
  retryMaxDelayMs?: number;
  /** A `Retry-After` longer than this ends the retries instead of waiting. Default 60 s. */
  maxRetryAfterMs?: number;
  /** Requests in flight per host, and connections kept per origin. Default 8. */
  maxInFlightPerHost?: number;
  /**
   * Told when each flow starts and stops being served: a request of it holding a slot or waiting to
   * retry (request-scheduler.ts); the clocks of the repositories' deadlines.
   */
  serviceWatcher?: ServiceWatcher;
  /** Hosts (`host` or `host:port`) that may be reached over plain HTTP besides loopback. */
  insecureHosts?: readonly string[];
  /** Largest body read, in bytes. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** One request. */
export interface HttpRequest {
  url: string | URL;
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  kind: RequestKind;
  /** Default: `listing` for tag pages and tokens, `details` for the rest. */
  priority?: RequestPriority;
  /** Largest body read for this request; default {@link HttpOptions.maxBodyBytes}. */
  maxBodyBytes?: number;
  /** Ends the request when it aborts (a repository's or the run's deadline); never retried. */
  signal?: AbortSignal;
  /** What the request belongs to (a repository): flows share a host's slots fairly. */
  flow?: string;
  /** Told when an attempt has an HTTP answer, whatever its status (a redirect, a 5xx, a body too large). */
  onAnswer?: () => void;
  /**
   * Asked when the first attempt has its slot, before it is sent: a reason not to send it (its
   * registry answers nothing, unanswered-registries.ts), which fails the request at once, with no
   * retry. A request waiting for a slot has not started; later attempts are one under way.
   */
  refuseStart?: () => string | undefined;
}

/**
 * A request on its way: {@link HttpRequest} plus the time its deadline runs out (ms since the
 * epoch), which each wait for a slot moves on by as long as it took, and whether an attempt of it
 * was sent.
 */
type TimedRequest = HttpRequest & { clock?: { deadline: number; sent?: boolean } };

/** A response with its body read. */
export interface HttpResponse {
  status: number;
  /** Looked up as `Headers.get` does: any case, several values joined by `, `. */
  headers: ResponseHeaders;
  /** The URL of the last hop (after redirects). */
  url: string;
  body: Buffer;
}

/**
 * Largest manifest or image config read, in bytes, whatever {@link HttpOptions.maxBodyBytes} allows:
 * distribution refuses to store a manifest over 4 MiB, and podman, skopeo and CRI-O
 * (containers/image `iolimits`) read neither one over 4 MiB. Tag lists keep the larger cap (a
 * million tags are 14 MB).
 */
export const MAX_CONTENT_BODY_BYTES = 4 << 20;

/** Sends registry requests; see the module comment. */
export class HttpClient {
  /** Requests sent, by kind. */
  readonly stats: HttpStats = {
    tagPage: 0,
    token: 0,
    headManifest: 0,
    getManifest: 0,
    getBlob: 0,
    other: 0,
    retries: 0,
    redirects: 0,
  };
  private readonly scheduler: RequestScheduler;
  private readonly plainHttp: PlainHttpHosts;
  private readonly connections: Connections;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpOptions = {}) {
    this.plainHttp = new PlainHttpHosts(options.insecureHosts);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    const maxInFlight = options.maxInFlightPerHost ?? 8;
    this.scheduler = new RequestScheduler(maxInFlight, options.serviceWatcher);
    this.connections = new Connections(maxInFlight);
  }

  /** Whether plain HTTP may be used for this host (`host` or `host:port`; plain-http.ts). */
  allowsPlainHttp(host: string): boolean {
    return this.plainHttp.allows(host);
  }

  /** Requests sent that are not written yet ({@link Connections.unwrittenRequests}). */
  get unwrittenRequests(): number {
    return this.connections.unwrittenRequests;
  }

  /**
   * Opens a connection to `url`'s origin for a request that waits for another to answer first, so
   * that it need not be opened once the wait ends. Only where a request may go.
   */
  openAhead(url: URL): void {
    if (this.mayGo(url)) this.connections.openAhead(url);
  }

  /** Whether a request may go to `url`: HTTPS, or plain HTTP where {@link allowsPlainHttp}. */
  private mayGo(url: URL): boolean {
    return url.protocol === 'https:' || (url.protocol === 'http:' && this.allowsPlainHttp(url.host));
  }

  /**
   * Sends a request, following redirects and retrying transient failures. Resolves with the final
   * response whatever its status (callers decide what 4xx means); rejects with {@link HttpError}
   * when no response could be had.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const policy: RetryPolicy = {
      retries: this.options.retries ?? 3,
      baseDelayMs: this.options.retryBaseDelayMs ?? 500,
      maxDelayMs: this.options.retryMaxDelayMs ?? 10_000,
      maxRetryAfterMs: this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    };
    const clock = { deadline: Date.now() + (this.options.requestDeadlineMs ?? 90_000) };
    const timed: TimedRequest = { ...req, clock };
    for (let attempt = 0; ; attempt += 1) {
      let response: HttpResponse | undefined;
      let failure: unknown;
      try {
        response = await this.followRedirects(timed);
      } catch (error) {
        if (error instanceof HttpError && error.cause === undefined) throw error; // refused, not transient
        failure = error;
      }
      const wait = retryWait(
        { response },
        { attempt, now: Date.now(), deadline: clock.deadline, random: this.random },
        policy,
      );
      if (wait === undefined) {
        // No further attempt: the last answer, or the last failure as an HttpError.
        if (response) return response;
        throw failure instanceof HttpError
          ? failure
          : new HttpError(errorWords(failure), String(req.url), { cause: failure });
      }
      this.stats.retries += 1;
      await this.pause(wait, req);
      // A request under way goes before those not started (request-scheduler.ts): behind them, a
      // retry waited for every queued repository's first attempt, so that no repository of a
      // registry that answers nothing failed before all had been tried (unanswered-registries.ts).
      timed.priority = 'chain';
    }
  }

  /**
   * Waits before a retry; an abort of the request's signal ends the wait and the request. The wait
   * is the registry's doing, not other flows': the request's flow is served meanwhile.
   */
  private async pause(ms: number, req: HttpRequest): Promise<void> {
    const { signal } = req;
    const served = this.scheduler.markServed(req.flow ?? '');
    if (!signal) return this.sleep(ms).finally(served);
    let onAbort: (() => void) | undefined;
    try {
      await Promise.race([
        this.sleep(ms),
        new Promise<never>((_, reject) => {
          onAbort = () => reject(new HttpError(abortMessage(signal), String(req.url)));
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } finally {
      served();
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private async followRedirects(req: HttpRequest): Promise<HttpResponse> {
    // A URL given is taken as it is (never changed here: each hop is a new one), not parsed again.
    let hop: Hop = {
      url: req.url instanceof URL ? req.url : new URL(req.url),
      method: req.method ?? 'GET',
      headers: { ...req.headers },
      body: req.body,
    };
    // The URL that redirected to this one.
    let from: URL | undefined;
    for (let hops = 0; ; hops += 1) {
      checkScheme(hop.url, from, (url) => this.mayGo(url));
      const response = await this.send(hop.url, hop.method, hop.headers, hop.body, req);
      const next = nextHop(hop, response.status, response.headers.get('location'), hops);
      if (next === undefined) return response;
      this.stats.redirects += 1;
      from = hop.url;
      hop = next;
    }
  }

  private async send(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    { kind, priority, maxBodyBytes, signal: callerSignal, flow, clock, onAnswer, refuseStart }: TimedRequest,
  ): Promise<HttpResponse> {
    let release: (handedOn?: Promise<void>) => number;
    let released = false;
    const queued = Date.now();
    try {
      release = await this.scheduler.acquire(
        url.host,
        priority ?? (kind === 'tagPage' || kind === 'token' ? 'listing' : 'details'),
        flow,
        callerSignal,
      );
    } catch {
      // Only an abort rejects the wait for a slot: not transient, no retry.
      throw new HttpError(abortMessage(callerSignal!), url.toString());
    }
    // The wait for the slot is not the request's own time (see the module comment).
    if (clock) clock.deadline += Date.now() - queued;
    const timeoutMs = Math.max(
      1,
      Math.min(this.options.timeoutMs ?? 30_000, (clock?.deadline ?? Number.POSITIVE_INFINITY) - Date.now()),
    );
    try {
      if (clock && !clock.sent) {
        const refusal = refuseStart?.();
        // Not transient: no cause, no retry.
        if (refusal !== undefined) throw new HttpError(refusal, url.href);
        clock.sent = true;
      }
      this.stats[kind] += 1;
      // The attempt's timer is cleared as soon as its response is read (response-reader.ts).
      const res = await this.connections.send({
        url,
        method,
        headers,
        body,
        timeoutMs,
        ...(callerSignal ? { signal: callerSignal } : {}),
        maxBodyBytes:
          maxBodyBytes ??
          Math.min(
            this.options.maxBodyBytes ?? 32 << 20,
            kind === 'getManifest' || kind === 'getBlob' ? MAX_CONTENT_BODY_BYTES : Number.POSITIVE_INFINITY,
          ),
      });
      onAnswer?.();
      // The slot goes to the next request now, but undici writes that request two immediates on
      // (event-loop-turn.ts); what reads this answer would hold the write back, so the answer is
      // handed on after them (issue 17). The flow shares the host until a turn after that.
      let handOn!: () => void;
      const handedOn = new Promise<void>((resolve) => (handOn = resolve));
      released = true;
      if (release(handedOn) > 0) await nextTurn();
      handOn();
      return { ...res, url: url.href };
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // Too large is the answer, not a transient failure: no retry (no cause). The connection was
      // dropped rather than drained.
      if (error instanceof RefusedBodyError) {
        onAnswer?.();
        throw new HttpError(`${method} ${url.host}${url.pathname}: ${error.message}`, url.href);
      }
      if (callerSignal?.aborted) throw new HttpError(abortMessage(callerSignal), url.href);
      const refused = proxyRefusalStatus(error);
      if (refused !== undefined) {
        const message = `${method} ${url.host}${url.pathname}: ${describeProxyRefusal(refused)}`;
        // A proxy's 407 or 403 stands until its settings change: no retry (no cause); a 5xx may pass.
        throw new HttpError(message, url.href, refused >= 500 ? { cause: error } : undefined);
      }
      // Retried all the same (bytes left over from a HEAD answered with a body read alike), but said
      // in words that name the likely cause if every attempt fails so.
      const reason = attemptFailureWords(error, url);
      throw new HttpError(`${method} ${url.host}${url.pathname}: ${reason}`, url.href, {
        cause: error ?? new Error('unknown'),
      });
    } finally {
      if (!released) release();
    }
  }
}
