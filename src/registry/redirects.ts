/**
 * Where a registry's redirect may lead a request, and what goes with it (http.ts follows them):
 *
 * - at most 5 hops;
 * - `Authorization` is dropped whenever scheme, host or port changes: blob GETs are answered 307
 *   to object storage, and the OCI spec says clients "MUST NOT forward Authorization headers
 *   across host boundaries" (presigned S3 URLs even reject such requests with 400);
 * - a request with a body (a token POST carrying a refresh token) is never sent on to another
 *   origin, nor to a `Location` with user info;
 * - only to http or https, plain HTTP only where the client allows it.
 */
import { HttpError } from './http-error.js';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Longest scheme of a refused URL repeated in a message. */
const MAX_SCHEME_SHOWN = 32;

/** One hop of a request: where it goes, how, and with what. */
export interface Hop {
  url: URL;
  method: string;
  /** Changed in place: `Authorization` is removed when the origin changes. */
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * The hop a redirect answer leads to, or undefined when `status` is not a redirect to follow;
 * throws {@link HttpError} for a redirect that must not be followed. `hop` counts the hops made.
 */
export function nextHop(from: Hop, status: number, location: string | null, hop: number): Hop | undefined {
  const { url } = from;
  if (!REDIRECT_STATUSES.has(status) || location === null) return undefined;
  if (hop >= MAX_REDIRECTS) throw new HttpError(`more than ${MAX_REDIRECTS} redirects`, url.toString());
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    throw new HttpError(`${url.host} redirected to an invalid URL`, url.toString());
  }
  if (next.username !== '' || next.password !== '') {
    throw new HttpError(
      `${url.host} redirected to a URL with a user name or password; not following it`,
      url.toString(),
    );
  }
  let { method, body } = from;
  if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
  }
  const { headers } = from;
  if (next.origin !== url.origin) {
    // Never send the registry's credentials to object storage or a CDN.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    // A body is re-sent on 307/308: a token POST's refresh token must not go to another host.
    if (body !== undefined) {
      throw new HttpError(
        `${url.host} redirected a ${method} with a body to another host (${next.host}); not following it`,
        url.toString(),
      );
    }
  }
  return { url: next, method, headers, body };
}

/**
 * Refuses a URL no request may go to (`mayGo` says which may); `from` is the URL that redirected
 * to it. `allowsPlainHttp` is not asked here: `mayGo` already did.
 */
export function checkScheme(url: URL, from: URL | undefined, mayGo: (url: URL) => boolean): void {
  if (mayGo(url)) return;
  if (url.protocol !== 'http:') {
    // A `Location` may name any scheme (`file:`, `ftp:`): it is no plain-HTTP question, and only
    // the scheme is repeated (a URL's user info never is), at most a scheme's worth of it.
    const scheme =
      url.protocol.length > MAX_SCHEME_SHOWN ? `${url.protocol.slice(0, MAX_SCHEME_SHOWN)}…` : url.protocol;
    throw new HttpError(
      from
        ? `${from.host} redirected to a URL that is not http or https (${scheme}); not following it`
        : `refusing a URL that is not http or https (${scheme})`,
      url.toString(),
    );
  }
  throw new HttpError(
    `refusing ${url.protocol.replace(':', '')} to ${url.host}: plain HTTP is only used for loopback hosts and hosts listed in insecure-registries`,
    url.toString(),
  );
}
