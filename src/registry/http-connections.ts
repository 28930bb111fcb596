/**
 * The wire under {@link HttpClient}: one request on a connection kept alive per origin, HEAD too.
 *
 * `fetch` closes the connection after every HEAD, in case a server sends a body with one
 * (nodejs/undici#258), and its `reset: false` escape is not reachable through `fetch`: a TCP, and
 * over HTTPS a TLS, handshake per HEAD. undici's own `Agent.request` with `reset: false` keeps the
 * connection and is still safe from such a server: bytes that arrive when no request waits for
 * them (a HEAD's body, in the same packet or while the connection is idle) destroy the connection,
 * and an idle connection is checked for such bytes before it is reused (GHSA-35p6-xmwp-9g52). A body
 * sent so late that the next request is already on its way fails that request as a malformed
 * response; HttpClient retries it, on a new connection. (Unless that late body looks like a
 * response: it is then read as the next request's answer. Only the same server, on the same
 * connection, can send it, and it could send that answer anyway.)
 *
 * What `fetch` did for us besides, kept here: an `accept` of any type, `user-agent: node` and an
 * `accept-encoding` when the caller sets none, and gzip, deflate and br bodies decoded (the body
 * bound counts decoded bytes); TLS through node:tls defaults (its CA store, NODE_EXTRA_CA_CERTS);
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY only when NODE_USE_ENV_PROXY=1, as Node 24's `fetch`.
 */

import { pipeline, Transform, type Readable } from 'node:stream';
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type ZlibOptions,
} from 'node:zlib';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** A response body refused for what it is (too large, too many codings): the answer, not retried. */
export class RefusedBodyError extends Error {}

/** One request on the wire. */
export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Ends the request, headers or body. */
  signal: AbortSignal;
  /** Largest body read, decoded. */
  maxBodyBytes: number;
}

/** A response with its body read and decoded. */
export interface WireResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** Statuses whose response has no body to decode. */
const NO_BODY = new Set([101, 204, 205, 304]);
/** More content codings than this are refused, as undici's `fetch` does (a chain of decoders). */
const MAX_CODINGS = 5;

/** Whether Node would send `fetch` through the proxies of the environment (Node 24: NODE_USE_ENV_PROXY). */
export function usesEnvProxy(
  env: NodeJS.ProcessEnv,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  return env.NODE_USE_ENV_PROXY === '1' || execArgv.includes('--use-env-proxy');
}

/**
 * The code of undici 6's warning that EnvHttpProxyAgent is experimental, printed on stderr by the
 * first one a process makes. Users turn NODE_USE_ENV_PROXY on for Node 24's own `fetch`; in the
 * Action the line would land in every proxied run's log, with nothing for them to do about it.
 */
const ENV_PROXY_WARNING = 'UNDICI-EHPA';

/**
 * `make()`'s result, with undici's warning of code `code` dropped while it runs (undici emits it
 * synchronously, in the constructor); every other warning goes through, and `process.emitWarning`
 * is put back before this returns.
 */
function withoutUndiciWarning<T>(code: string, make: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    const [options] = rest;
    if (typeof options === 'object' && options !== null && (options as { code?: unknown }).code === code)
      return;
    (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Connections kept alive per origin, at most `connectionsPerOrigin` each. */
export class Connections {
  private readonly dispatcher: Dispatcher;

  constructor(connectionsPerOrigin: number, env: NodeJS.ProcessEnv = process.env) {
    const options = { connections: connectionsPerOrigin };
    // The lower-case name first, as undici's EnvHttpProxyAgent (Node's, with NODE_USE_ENV_PROXY).
    this.dispatcher = usesEnvProxy(env)
      ? withoutUndiciWarning(
          ENV_PROXY_WARNING,
          () =>
            new EnvHttpProxyAgent({
              ...options,
              httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
              httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
              noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
            }),
        )
      : new Agent(options);
  }

  async send({ url, method, headers, body, signal, maxBodyBytes }: WireRequest): Promise<WireResponse> {
    const res = await this.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers: withFetchDefaults(headers, url),
      body,
      signal,
      // Keep the connection after a HEAD too (see the module comment).
      reset: false,
    });
    const responseHeaders = toHeaders(res.headers);
    if (method === 'HEAD') {
      await res.body.dump();
      return { status: res.statusCode, headers: responseHeaders, body: Buffer.alloc(0) };
    }
    const data = await readBody(res.body, responseHeaders, res.statusCode, maxBodyBytes);
    return { status: res.statusCode, headers: responseHeaders, body: data };
  }
}

/** The headers `fetch` adds when the caller sets none (`sec-fetch-mode` and `accept-language` aside). */
function withFetchDefaults(headers: Record<string, string>, url: URL): Record<string, string> {
  const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const result = { ...headers };
  if (!present.has('accept')) result.accept = '*/*';
  if (!present.has('user-agent')) result['user-agent'] = 'node';
  if (!present.has('accept-encoding'))
    result['accept-encoding'] = url.protocol === 'https:' ? 'br, gzip, deflate' : 'gzip, deflate';
  return result;
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/**
 * Reads a body up to `limit` decoded bytes. Past it, or when the declared length is already past
 * it, the body is destroyed, which drops the connection rather than draining it.
 */
async function readBody(body: Readable, headers: Headers, status: number, limit: number): Promise<Buffer> {
  const declared = Number(headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    discard(body);
    throw new RefusedBodyError(
      `response body of ${declared} bytes is larger than the ${limit} bytes accepted`,
    );
  }
  let decoders: Transform[] = [];
  if (!NO_BODY.has(status)) {
    try {
      decoders = decodersFor(headers.get('content-encoding'));
    } catch (error) {
      discard(body);
      throw error;
    }
  }
  const stream: Readable =
    decoders.length === 0 ? body : (pipeline([body, ...decoders], () => undefined) as unknown as Readable);
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (too large, an error) destroys the stream, and pipeline the body with it.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RefusedBodyError(`response body larger than the ${limit} bytes accepted`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Destroys a body not read; undici then reports the abort on it, to nobody. */
function discard(body: Readable): void {
  body.on('error', () => undefined).destroy();
}

/** Decoders for `Content-Encoding`, last coding first; none when one is unknown (the body as sent, as `fetch`). */
function decodersFor(contentEncoding: string | null): Transform[] {
  if (contentEncoding === null) return [];
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '');
  if (codings.length > MAX_CODINGS)
    throw new RefusedBodyError(
      `response body has ${codings.length} content codings, more than ${MAX_CODINGS}`,
    );
  if (!codings.every((coding) => ['gzip', 'x-gzip', 'deflate', 'br'].includes(coding))) return [];
  // Lenient about a truncated end, as `fetch`.
  const zlibFlush = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  const brotliFlush = {
    flush: constants.BROTLI_OPERATION_FLUSH,
    finishFlush: constants.BROTLI_OPERATION_FLUSH,
  };
  return codings
    .reverse()
    .map((coding) =>
      coding === 'br'
        ? createBrotliDecompress(brotliFlush)
        : coding === 'deflate'
          ? createDeflateDecoder(zlibFlush)
          : createGunzip(zlibFlush),
    );
}

/** Inflates `deflate` wrapped in zlib or raw, as servers send both: told apart by the first byte, as `fetch` does. */
function createDeflateDecoder(options: ZlibOptions): Transform {
  let inflate: Transform | undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (inflate === undefined) {
        if (chunk.length === 0) return callback();
        // A zlib header's low nibble is 8 (deflate); a raw stream's first byte is a block header.
        inflate = (chunk[0] & 0x0f) === 0x08 ? createInflate(options) : createInflateRaw(options);
        inflate.on('data', (data: Buffer) => this.push(data));
        inflate.on('error', (error) => this.destroy(error));
      }
      inflate.write(chunk, () => callback());
    },
    flush(callback) {
      if (inflate === undefined) return callback();
      inflate.once('end', () => callback());
      inflate.end();
    },
    destroy(error, callback) {
      inflate?.destroy();
      callback(error);
    },
  });
}
