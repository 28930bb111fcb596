/**
 * Reads one response off an undici dispatcher, as the handler of `Dispatcher.dispatch`: status,
 * headers ({@link ResponseHeaders}) and the body, decoded and bounded, under a time limit and the
 * caller's signal.
 *
 * Bounds, each ending the request at once and dropping its connection rather than draining it
 * (undici's `abort`, which destroys the socket):
 *
 * - a declared `Content-Length` past the limit is refused before any byte of the body is read, and
 *   a body that grows past it, decoded, is refused at the chunk that crosses it: a server that
 *   streams forever is never read to the end ({@link RefusedBodyError});
 * - the time limit covers the wait for a connection, the headers and the whole body
 *   ({@link AttemptTimeoutError});
 * - the caller's signal, aborted, ends the request with its reason, wherever it is;
 * - a compressed body whose stream ends before the body on the wire does (padding, other bytes
 *   after it) is the stream; the rest is not read, and the connection is dropped rather than left
 *   paused in the middle of an answer, holding one of the host's slots;
 * - a connection that closes in the middle of a body (shorter than its `Content-Length`, a chunked
 *   body without its last chunk) is said so, with the bytes that came ({@link BodyCutShortError}),
 *   not in undici's words for any closed socket ("other side closed").
 *
 * Why a handler and not undici's `request`: `request` wraps each response in a Readable stream
 * (and an AsyncResource, and its own signal listeners), which the body was then read back from
 * through an async iterator, and it needed an AbortController per request to end it. A handler
 * gets the chunks as they come and an `abort` function: per request, one timer and one listener
 * on the caller's signal. (`request` also fails every response carrying a header named like an
 * Object.prototype member, `constructor: x`: its header object has a prototype.)
 */
import { pipeline, type Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import { decodersFor, RefusedBodyError } from './content-decoders.js';
import { ResponseHeaders } from './response-headers.js';
import { byteCount } from '../byte-count.js';

/** A response with its body read and decoded. */
export interface WireResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** What bounds one response. */
export interface ResponseBounds {
  /** The request's method: a HEAD's answer has no body to read. */
  method: string;
  /** Largest body read, decoded. */
  maxBodyBytes: number;
  /** Time for the whole request: connection, headers and body. */
  timeoutMs: number;
  /** Ends the request with its reason when it aborts. */
  signal: AbortSignal | undefined;
}

/** A request that ran out of its time (connection, headers and body). */
export class AttemptTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'AttemptTimeoutError';
  }
}

/** A connection that closed after the headers, before the end of the body (retried as any failure). */
export class BodyCutShortError extends Error {
  constructor(received: number, declared: string | null, options: { cause: unknown }) {
    const of =
      declared !== null && /^\d+$/.test(declared) ? ` of the ${byteCount(Number(declared))} declared` : '';
    super(
      `the connection closed in the middle of the answer's body, after ${byteCount(received)}${of}`,
      options,
    );
    this.name = 'BodyCutShortError';
  }
}

/** undici's errors for a socket that closed, or a body shorter than its `Content-Length`. */
const CLOSED_EARLY = new Set(['UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

/** Statuses whose response has no body to decode. */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * Sends a request through `dispatch` (a dispatcher's `dispatch` with its options bound) and reads
 * its response within `bounds`; see the module comment. `onWriting`, when given, is called once:
 * when undici starts writing the request (on a connection kept alive, a turn of the event loop
 * after it was dispatched), or when the request ends before it was written.
 */
export function readResponse(
  dispatch: (handler: Dispatcher.DispatchHandlers) => void,
  bounds: ResponseBounds,
  onWriting?: () => void,
): Promise<WireResponse> {
  return new Promise<WireResponse>((resolve, reject) => {
    const reader = new ResponseReader(bounds, resolve, reject, onWriting);
    if (!reader.start()) return;
    try {
      dispatch(reader);
    } catch (error) {
      reader.onError(error as Error);
    }
  });
}

/** The handler of one request; see the module comment. */
class ResponseReader implements Dispatcher.DispatchHandlers {
  private abortRequest: ((error: Error) => void) | undefined;
  /** Why the request ended early, once it has; the next `onConnect` aborts with it. */
  private failure: Error | undefined;
  private settled = false;
  private complete = false;
  private timer: NodeJS.Timeout | undefined;
  private status = 0;
  private headers: ResponseHeaders | undefined;
  /** undici's: reads the socket again after `onData` returned false. */
  private resume: (() => void) | undefined;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** The first and last decoders of the body's codings, when it has any. */
  private decoding: { first: Transform; last: Transform } | undefined;

  constructor(
    private readonly bounds: ResponseBounds,
    private readonly resolve: (response: WireResponse) => void,
    private readonly reject: (error: unknown) => void,
    /** Called once, as the request starts to be written or ends unwritten; then dropped. */
    private onWriting: (() => void) | undefined,
  ) {}

  /** Starts the clock and listens to the caller; false when the request must not be sent at all. */
  start(): boolean {
    const { signal, timeoutMs } = this.bounds;
    if (signal?.aborted) {
      this.fail(signal.reason);
      return false;
    }
    // A timer cleared as soon as the response is read, not AbortSignal.timeout: that one lives for
    // the whole timeout, and keeps what the request left on the signal alive with it (14,000
    // requests x 30 s of garbage on the benchmark's cold run).
    this.timer = setTimeout(() => this.fail(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    return true;
  }

  private readonly onCallerAbort = (): void => this.fail(this.bounds.signal!.reason);

  onConnect(abort: (error?: Error) => void): void {
    // Called again when undici sends the request anew on another connection.
    this.abortRequest = abort;
    // undici writes the request right after this call.
    this.written();
    if (this.failure) abort(this.failure);
  }

  private written(): void {
    const onWriting = this.onWriting;
    this.onWriting = undefined;
    onWriting?.();
  }

  onHeaders(status: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (this.settled || status < 200) return true; // 1xx: informational, the answer follows
    this.status = status;
    this.resume = resume;
    this.headers = ResponseHeaders.fromRaw(rawHeaders);
    if (this.bounds.method === 'HEAD') return true;
    const limit = this.bounds.maxBodyBytes;
    const declared = Number(this.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      this.fail(
        new RefusedBodyError(
          `response body of ${byteCount(declared)} is larger than the ${byteCount(limit)} accepted`,
        ),
      );
      return false;
    }
    if (NO_BODY.has(status)) return true;
    let decoders: Transform[];
    try {
      decoders = decodersFor(this.headers.get('content-encoding'));
    } catch (error) {
      this.fail(error);
      return false;
    }
    if (decoders.length > 0) this.decodeThrough(decoders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    if (this.decoding === undefined) return this.take(chunk);
    if (this.decoding.first.write(chunk)) return true;
    // The decoders are full: undici stops reading the socket until they drain.
    this.decoding.first.once('drain', () => {
      if (!this.settled) this.resume?.();
    });
    return false;
  }

  onComplete(): void {
    this.complete = true;
    if (this.settled) return;
    if (this.decoding) this.decoding.first.end();
    else this.succeed();
  }

  onError(error: Error): void {
    const code = (error as { code?: unknown }).code;
    const cutShort = this.headers !== undefined && typeof code === 'string' && CLOSED_EARLY.has(code);
    // The bytes received are those on the wire (decoded ones, for a compressed body).
    this.fail(
      cutShort
        ? new BodyCutShortError(this.size, this.headers!.get('content-length'), { cause: error })
        : error,
    );
  }

  /** Sends the body through `decoders`, their output counted against the limit. */
  private decodeThrough(decoders: Transform[]): void {
    const first = decoders[0]!;
    const last =
      decoders.length === 1 ? first : (pipeline(decoders, () => undefined) as unknown as Transform);
    // pipeline reports an error of any decoder on the last one, which it destroys with it.
    last.on('error', (error: Error) => this.fail(error));
    last.on('data', (chunk: Buffer) => {
      if (!this.settled) this.take(chunk);
    });
    last.on('end', () => this.succeed());
    this.decoding = { first, last };
  }

  /** Keeps a chunk of the (decoded) body; refuses the body when it crosses the limit. */
  private take(chunk: Buffer): boolean {
    this.size += chunk.length;
    if (this.size > this.bounds.maxBodyBytes) {
      this.fail(
        new RefusedBodyError(`response body larger than the ${byteCount(this.bounds.maxBodyBytes)} accepted`),
      );
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  private succeed(): void {
    if (this.settled) return;
    this.finish();
    // The decoded body ended before the body on the wire did (bytes after a compressed stream):
    // the rest is not read, and the connection, which would stay paused in the middle of this
    // answer and hold a slot of the host, is dropped.
    if (!this.complete) {
      this.abortRequest?.(new Error('bytes after the end of the compressed body'));
      this.decoding?.first.destroy();
    }
    // A copy: the chunks are views of the socket's reads.
    this.resolve({ status: this.status, headers: this.headers!, body: Buffer.concat(this.chunks) });
  }

  /** Ends the request with `error`: its connection is dropped unless its answer was whole. */
  private fail(error: unknown): void {
    if (this.settled) return;
    const reason = error instanceof Error ? error : new Error(String(error));
    this.failure = reason;
    this.finish();
    if (!this.complete) this.abortRequest?.(reason);
    this.decoding?.first.destroy();
    this.decoding?.last.destroy();
    this.reject(error);
  }

  private finish(): void {
    this.settled = true;
    // Ended before undici wrote it (refused, timed out waiting for a connection, aborted).
    this.written();
    clearTimeout(this.timer);
    this.bounds.signal?.removeEventListener('abort', this.onCallerAbort);
  }
}
