/**
 * How a request that got no answer is told: the chain of causes an error carries (undici and
 * Octokit each wrap the socket's own words, "connect ECONNREFUSED …", under "fetch failed"), and a
 * forward proxy's refusal in the runner's terms. Behind a proxy (HTTPS_PROXY for GitHub; for the
 * registries with NODE_USE_ENV_PROXY=1) every connection starts with a CONNECT, and undici reports
 * a proxy's "no" as "Proxy response (407) !== 200 when HTTP Tunneling", deep in the causes; Octokit
 * turns it into a "500: Request was cancelled." that GitHub never sent. Neither says which setting
 * to fix. Pure.
 */
import { STATUS_CODES } from 'node:http';

/** How deep a chain of causes is followed (a chain can loop; fetch's is at most four deep). */
const MAX_DEPTH = 8;

/** `error` and its causes, outermost first: the objects among them, at most {@link MAX_DEPTH}. */
export function* causeChain(error: unknown): Generator<{ message?: unknown; cause?: unknown }> {
  let current = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth += 1) {
    const link = current as { message?: unknown; cause?: unknown };
    yield link;
    current = link.cause;
  }
}

/** undici's message for a tunnel the proxy refused (ProxyAgent, undici 6 and 7). */
const REFUSAL = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling$/;

/** The status a proxy refused a tunnel with, when `error` or one of its causes says so. */
export function proxyRefusalStatus(error: unknown): number | undefined {
  for (const { message } of causeChain(error)) {
    const match = typeof message === 'string' ? REFUSAL.exec(message) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * What the proxy answered and what to check. The proxy's own address and credentials are left out:
 * the variables hold them, and a password must not reach a log.
 */
export function describeProxyRefusal(status: number): string {
  const answered = `the proxy refused to open a connection (${status} ${STATUS_CODES[status] ?? 'unknown status'})`;
  if (status === 407) return `${answered}; check the user and password in HTTPS_PROXY or HTTP_PROXY`;
  if (status === 403)
    return `${answered}; ask for the host to be allowed through it, or list the host in NO_PROXY`;
  return `${answered}; check the proxy named in HTTPS_PROXY or HTTP_PROXY`;
}

/**
 * How to write a proxy variable, for a message about one that cannot be used; never its value,
 * which may hold a password.
 */
export const PROXY_URL_FORM =
  'write it as http://host:port, with user:password@ before the host when the proxy needs them';

/**
 * undici's parser code for an answer that does not start with `HTTP/` (llhttp's "Expected HTTP/"):
 * a cleartext HTTP/2-only server's frames, or no HTTP at all. Its other `HPE_` codes are HTTP/1.x
 * gone wrong (a chunk size past 64 bits, a NUL in a header name, `HTTP/1.2`): see
 * {@link malformedHttpAnswer}.
 */
const NOT_HTTP_AT_ALL = 'HPE_INVALID_CONSTANT';

/**
 * True when a server answered in something other than HTTP/1.x (undici's "Response does not match
 * the HTTP/1.1 protocol (Expected HTTP/)", code {@link NOT_HTTP_AT_ALL}), or refused the TLS
 * handshake for want of a protocol it speaks (an HTTPS server that accepts only h2 by ALPN). The
 * client speaks HTTP/1.1 only. Told by the code, not the message: undici gives every parser error
 * that message, and a malformed HTTP/1.1 answer is not a hint to look for HTTP/2.
 */
export function isNotHttp1(error: unknown): boolean {
  for (const { message, code } of causeChain(error) as Iterable<{ message?: unknown; code?: unknown }>) {
    if (code === NOT_HTTP_AT_ALL || code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL') return true;
    if (typeof message === 'string' && /no application protocol/i.test(message)) return true;
  }
  return false;
}

/**
 * True when a server answered a plain-HTTP request with a TLS record: the port speaks TLS (HTTPS).
 * The evidence is the answer's first bytes, which undici's parser refused as not `HTTP/` (code
 * {@link NOT_HTTP_AT_ALL}) and keeps in the error's `data`: a record of type alert (0x15) or
 * handshake (0x16) and then the major version 3 of SSL 3 to TLS 1.3 (RFC 8446 §5.1), as an
 * OpenSSL-based server sends an alert back for a request that is no TLS. A TLS server that just
 * closes the connection (Node's does) leaves no such evidence, and gets no such hint.
 */
export function isTlsAnswer(error: unknown): boolean {
  for (const { code, data } of causeChain(error) as Iterable<{ code?: unknown; data?: unknown }>) {
    if (code !== NOT_HTTP_AT_ALL) continue;
    const bytes =
      typeof data === 'string'
        ? Buffer.from(data.slice(0, 2), 'latin1')
        : data instanceof Uint8Array
          ? data
          : undefined;
    return (
      bytes !== undefined &&
      bytes.length >= 2 &&
      (bytes[0] === 0x15 || bytes[0] === 0x16) &&
      bytes[1] === 0x03
    );
  }
  return false;
}

/**
 * True when an HTTP answer says the request was plain HTTP to a port that speaks HTTPS, in the
 * words of the servers registries run behind: Go's net/http (the distribution registry itself:
 * `400 Bad Request`, "Client sent an HTTP request to an HTTPS server.") and nginx ("The plain
 * HTTP request was sent to HTTPS port"). Such a port answers in HTTP, so {@link isTlsAnswer} sees
 * nothing.
 */
export function isHttpsPortAnswer(status: number, body: string): boolean {
  return (
    status === 400 && /HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i.test(body)
  );
}

/**
 * True when a port asked over HTTPS answered with something that is no TLS record: OpenSSL's
 * "wrong version number" (ERR_SSL_WRONG_VERSION_NUMBER), which it gives for a plain-HTTP server's
 * `HTTP/1.1 400` as for any other protocol's first bytes (Node 20 to 24 alike). A port that just
 * closes the connection gives a reset instead, and no such hint.
 */
export function isNotTlsAnswer(error: unknown): boolean {
  for (const { code } of causeChain(error) as Iterable<{ code?: unknown }>) {
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return true;
  }
  return false;
}

/** What a port that answered HTTPS with no TLS ({@link isNotTlsAnswer}) did, in the user's words. */
export const NOT_TLS_ANSWER =
  'did not answer in TLS: it speaks plain HTTP (or another protocol), not the HTTPS it was asked in';

/**
 * OpenSSL's own message form:
 * `40AD678C697F0000:error:0A00010B:SSL routines:<function>:<reason>:<file>:<line>:`.
 */
const OPENSSL_MESSAGE = /^[0-9A-F]+:error:[0-9A-F]+:/;

/**
 * `<OpenSSL's reason> (TLS)` when `error` or one of its causes is one of OpenSSL's own errors,
 * whose message is its internal form (an error queue entry with OpenSSL's source file and line,
 * and a line break); else undefined. Node gives the reason apart (`reason`, "wrong version number").
 */
export function openSslFailure(error: unknown): string | undefined {
  for (const { message, reason } of causeChain(error) as Iterable<{ message?: unknown; reason?: unknown }>) {
    if (typeof message === 'string' && typeof reason === 'string' && OPENSSL_MESSAGE.test(message))
      return `${reason.slice(0, MAX_PARSER_REASON)} (TLS)`;
  }
  return undefined;
}

/** Longest parser reason repeated (llhttp's are a few words: "Chunk size overflow"). */
const MAX_PARSER_REASON = 100;

/**
 * `a malformed HTTP answer (<the parser's reason>)` when undici's HTTP/1.1 parser refused an
 * answer for anything but {@link isNotHttp1}'s reason, else undefined. The reason is llhttp's own
 * text (the bytes it refused are in the error's `data`, never repeated).
 */
export function malformedHttpAnswer(error: unknown): string | undefined {
  for (const { message, code } of causeChain(error) as Iterable<{ message?: unknown; code?: unknown }>) {
    if (typeof code !== 'string' || !code.startsWith('HPE_') || code === NOT_HTTP_AT_ALL) continue;
    // "Response does not match the HTTP/1.1 protocol (Chunk size overflow)"
    const reason = typeof message === 'string' ? /\(([^()]+)\)$/.exec(message)?.[1] : undefined;
    return `a malformed HTTP answer (${reason === undefined || reason.length > MAX_PARSER_REASON ? code : reason})`;
  }
  return undefined;
}

/** What to do about a server that does not speak HTTP/1.1 ({@link isNotHttp1}). */
export const NOT_HTTP1 =
  'it does not answer in HTTP/1.1 (an HTTP/2-only endpoint?), the only protocol this client speaks; ' +
  'serve it over HTTP/1.1 too, or read it through a mirror that is (registry-mirrors)';
