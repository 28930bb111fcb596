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
 * True when a server answered in something other than HTTP/1.1 (a cleartext HTTP/2-only server's
 * frames: undici's "Response does not match the HTTP/1.1 protocol"), or refused the TLS handshake
 * for want of a protocol it speaks (an HTTPS server that accepts only h2 by ALPN). The client speaks
 * HTTP/1.1 only.
 */
export function isNotHttp1(error: unknown): boolean {
  for (const { message, code } of causeChain(error) as Iterable<{ message?: unknown; code?: unknown }>) {
    if (code === 'HPE_INVALID_CONSTANT' || code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL')
      return true;
    if (
      typeof message === 'string' &&
      /does not match the HTTP\/1\.1 protocol|no application protocol/i.test(message)
    )
      return true;
  }
  return false;
}

/** What to do about a server that does not speak HTTP/1.1 ({@link isNotHttp1}). */
export const NOT_HTTP1 =
  'it does not answer in HTTP/1.1 (an HTTP/2-only endpoint?), the only protocol this client speaks; ' +
  'serve it over HTTP/1.1 too, or read it through a mirror that is (registry-mirrors)';
