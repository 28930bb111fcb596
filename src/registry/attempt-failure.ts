/**
 * Why one attempt of a registry request failed, in words that name the likely cause and, where the
 * user can act, what to do: an attempt's timeout, a port that answered in another protocol than it
 * was asked in (TLS for plain HTTP, none for HTTPS, HTTP/2 only), a malformed answer, an OpenSSL
 * failure in its reason's words, else the error's own message. Apart from http.ts, which decides
 * whether to try again; these only say what happened. Pure. (What to do about a port that speaks
 * HTTPS also serves registry-session.ts, for such a port's 400 answer to plain HTTP.)
 */
import {
  isNotHttp1,
  isNotTlsAnswer,
  isTlsAnswer,
  malformedHttpAnswer,
  NOT_HTTP1,
  NOT_TLS_ANSWER,
  openSslFailure,
} from '../network-errors.js';
import { AttemptTimeoutError } from './http-connections.js';
import { isLoopbackHost } from './plain-http.js';

/** What went wrong with an attempt at `url` that got no answer, from what the connection threw. */
export function attemptFailureWords(error: unknown, url: URL): string {
  if (error instanceof AttemptTimeoutError) return error.message;
  if (isTlsAnswer(error)) return tlsAnswer(url);
  if (isNotTlsAnswer(error)) return notTlsAnswer(url);
  if (isNotHttp1(error)) return NOT_HTTP1;
  return malformedHttpAnswer(error) ?? openSslFailure(error) ?? errorWords(error);
}

/** An error's message, with its cause's when it has one; anything else as a string. */
export function errorWords(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message, cause } = error as { message: unknown; cause?: { message?: unknown } };
    return typeof cause?.message === 'string' ? `${String(message)} (${cause.message})` : String(message);
  }
  return String(error);
}

/** What to do about a port that answered plain HTTP in TLS ({@link isTlsAnswer}). */
function tlsAnswer(url: URL): string {
  return `the port answered in TLS: ${speaksHttpsWords(url)}`;
}

/**
 * What to do about a port at `url` that speaks HTTPS but was asked in plain HTTP: why it was
 * asked so and how to ask it over HTTPS instead. Plain HTTP goes only to a loopback host or one
 * `insecure-registries` lists (plain-http.ts).
 */
export function speaksHttpsWords(url: URL): string {
  const host = url.host.toLowerCase();
  const why = isLoopbackHost(url.hostname)
    ? `a registry on a loopback address is read over plain HTTP; to read this one over HTTPS, give it in registry-mirrors as ${host}=https://${host}`
    : 'it is read over plain HTTP because insecure-registries lists it; remove it from there to read it over HTTPS';
  return `it speaks HTTPS, not the plain HTTP it was asked in (${why})`;
}

/**
 * What to do about a port that answered HTTPS with no TLS ({@link isNotTlsAnswer}), most often a
 * registry served over plain HTTP: how to read it so, where that may be done.
 */
function notTlsAnswer(url: URL): string {
  const host = url.host.toLowerCase();
  // Only a registry-mirrors URL asks a loopback address over HTTPS.
  const how = isLoopbackHost(url.hostname)
    ? `a registry on a loopback address is read over plain HTTP: where registry-mirrors gives it as https://${host}, give it as http://${host}`
    : `if it is a registry served over plain HTTP on a network you trust, list ${host} in insecure-registries, and where registry-mirrors gives it as https://${host}, give it as http://${host}`;
  return `the port ${NOT_TLS_ANSWER} (${how})`;
}
