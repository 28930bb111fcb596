/**
 * The wire under {@link HttpClient}: one request on a connection kept alive per origin, HEAD too.
 *
 * `fetch` closes the connection after every HEAD, in case a server sends a body with one
 * (nodejs/undici#258), and its `reset: false` escape is not reachable through `fetch`: a TCP, and
 * over HTTPS a TLS, handshake per HEAD. undici's own `Agent`, dispatched to with `reset: false`, keeps
 * the connection and is still safe from such a server: bytes that arrive when no request waits for
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

import type { Dispatcher } from 'undici';
import { Agent, EnvHttpProxyAgent } from './undici-dispatchers.js';
import { ConnectionsAhead } from './connections-ahead.js';
import { PROXY_URL_FORM } from '../network-errors.js';
import { readResponse, type WireResponse } from './response-reader.js';

export { RefusedBodyError } from './content-decoders.js';
export { AttemptTimeoutError, type WireResponse } from './response-reader.js';

/** One request on the wire. */
export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Time for the request, headers and body (rejects with an AttemptTimeoutError). */
  timeoutMs: number;
  /** Ends the request, wherever it is, with the signal's reason. */
  signal?: AbortSignal;
  /** Largest body read, decoded. */
  maxBodyBytes: number;
}

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

/**
 * A proxy variable that undici cannot use. Its message names the variable, never its value: the
 * value may hold the proxy's password (undici's own "Invalid URL" error carries it as `input`).
 */
export class ProxySettingError extends Error {
  constructor(variable: string) {
    super(
      `${variable} is not a proxy URL: ${PROXY_URL_FORM} (the password percent-encoded). ` +
        'NODE_USE_ENV_PROXY=1 sends the registries through it.',
    );
    this.name = 'ProxySettingError';
  }
}

/** The value of the first of `names` that is set ('' when none is), checked to be a proxy URL. */
function proxyVariable(env: NodeJS.ProcessEnv, ...names: string[]): string {
  const name = names.find((candidate) => env[candidate] !== undefined);
  const value = name === undefined ? '' : env[name]!;
  // '' leaves the proxy out, as undici does.
  if (value === '') return value;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new ProxySettingError(name!);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new ProxySettingError(name!);
  return value;
}

/** Connections kept alive per origin, at most `connectionsPerOrigin` each. */
export class Connections {
  private readonly dispatcher: Dispatcher;
  /** Connections opened ahead of requests; none through a proxy. */
  private readonly ahead: ConnectionsAhead | undefined;
  /** Requests sent that undici has not started writing yet (see {@link unwrittenRequests}). */
  private unwritten = 0;

  /** Throws a {@link ProxySettingError} when NODE_USE_ENV_PROXY=1 and a proxy variable is no proxy URL. */
  constructor(connectionsPerOrigin: number, env: NodeJS.ProcessEnv = process.env) {
    const options = { connections: connectionsPerOrigin };
    if (!usesEnvProxy(env)) {
      this.ahead = new ConnectionsAhead(connectionsPerOrigin);
      this.dispatcher = new Agent({ ...options, connect: this.ahead.connector });
      return;
    }
    // The lower-case name first, as undici's EnvHttpProxyAgent (Node's, with NODE_USE_ENV_PROXY).
    const httpProxy = proxyVariable(env, 'http_proxy', 'HTTP_PROXY');
    const httpsProxy = proxyVariable(env, 'https_proxy', 'HTTPS_PROXY');
    this.dispatcher = withoutUndiciWarning(
      ENV_PROXY_WARNING,
      () =>
        new EnvHttpProxyAgent({
          ...options,
          httpProxy,
          httpsProxy,
          noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
        }),
    );
  }

  /**
   * Opens a connection to `url`'s origin for a request that will be sent soon (connections-ahead.ts);
   * nothing when the environment's proxies are used.
   */
  openAhead(url: URL): void {
    this.ahead?.openAhead(url);
  }

  /**
   * Requests {@link send} was given that undici has not started writing: on a connection kept
   * alive, undici writes a request at the event loop's next check phase (after its check that the
   * connection was not closed meanwhile, GHSA-35p6-xmwp-9g52), and one waiting for a connection
   * waits until one is free or open.
   */
  get unwrittenRequests(): number {
    return this.unwritten;
  }

  /** Sends one request and reads its answer within the request's bounds (response-reader.ts). */
  send({ url, method, headers, body, timeoutMs, signal, maxBodyBytes }: WireRequest): Promise<WireResponse> {
    const options: Dispatcher.DispatchOptions = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers: withFetchDefaults(headers, url),
      body,
      // Keep the connection after a HEAD too (see the module comment).
      reset: false,
    };
    this.unwritten += 1;
    return readResponse(
      (handler) => this.dispatcher.dispatch(options, handler),
      { method, maxBodyBytes, timeoutMs, signal },
      () => (this.unwritten -= 1),
    );
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
