/**
 * The error for a registry's unsuccessful answer, in words that say what it means and what to do:
 * 401 (credentials missing, refused, withheld from a foreign token service, asked for by a host
 * the registry redirected to, or taken by the token service for a token that does not grant the
 * repository), 403, 404, 429 with Docker Hub's pull allowance, an HTTPS port
 * answered over plain HTTP, and a 429 or 5xx whose `Retry-After` asked for longer than the client
 * waits (so it was not tried again): when to run again. The registry's own words follow, redacted
 * and cut short by the caller.
 */
import { RegistryError } from '../ports.js';
import { formatDuration } from '../duration.js';
import { isHttpsPortAnswer } from '../network-errors.js';
import { speaksHttpsWords } from './attempt-failure.js';
import type { RegistryCredentials } from './auth.js';
import {
  describeCredentialLookup,
  GITHUB_TOKEN_ORIGIN,
  higherLimitAdvice,
  type LoginAdvice,
  missingCredentialsAdvice,
  refusedCredentialsAdvice,
  type UnreadableCredentials,
  withheld,
} from './credential-messages.js';
import type { HttpResponse } from './http.js';
import type { Endpoint } from './registry-endpoint.js';
import { parseRegistryJson, registryErrorWords } from './registry-json.js';
import { parseRetryAfter } from './retry-policy.js';
import { parseChallenges } from './www-authenticate.js';

/** Longest wait a message names; past it, it says "more than a day". */
const LONGEST_WAIT_SHOWN_MS = 86_400_000;

/** When the failure is told, and the longest `Retry-After` the client waits out. */
export interface RetryAfterClock {
  now: number;
  maxRetryAfterMs: number;
}

/**
 * What a 429 or 5xx's `Retry-After` asked, when it was longer than the client waits (so the
 * request was not tried again), in words that follow the reason; '' otherwise.
 */
function askedToWait(response: HttpResponse, { now, maxRetryAfterMs }: RetryAfterClock): string {
  if (response.status !== 429 && response.status < 500) return '';
  const ms = parseRetryAfter(response.headers.get('retry-after'), now);
  if (ms === undefined || ms <= maxRetryAfterMs) return '';
  const when = ms > LONGEST_WAIT_SHOWN_MS ? 'more than a day' : formatDuration(Math.ceil(ms / 1000) * 1000);
  return `; it asked to be asked again in ${when} (Retry-After), longer than the ${formatDuration(maxRetryAfterMs)} a run waits: run again after that`;
}

/** What the run knows of a registry's credentials, for {@link registryFailure}. */
export interface CredentialsKnown {
  /** The credentials found for the registry, if any. */
  found: RegistryCredentials | undefined;
  /** Why they could not be read, if they could not. */
  unreadable: UnreadableCredentials | undefined;
  /** The token realm (its URL) the credentials were withheld from, if they were. */
  withheldFrom: string | undefined;
  loginAdvice: LoginAdvice;
  /** Registry-originated text as it may be shown: redacted and truncated. */
  quote: (text: string) => string;
}

/**
 * True when a 401 says the Bearer token it was sent lacks the scope (`error="insufficient_scope"`,
 * RFC 6750 §3.1): the token service gave a token, so the credentials were not what it refused.
 */
function tokenFallsShort(response: HttpResponse): boolean {
  return parseChallenges(response.headers.get('www-authenticate')).some(
    (challenge) => challenge.scheme === 'bearer' && challenge.params.error === 'insufficient_scope',
  );
}

/**
 * The error for an unsuccessful answer about `what` (`the tag list of ...`, `repo:tag`);
 * `notFound`, when given, says what a 404 means for it and what to check.
 */
export function registryFailure(
  endpoint: Endpoint,
  response: HttpResponse,
  what: string,
  notFound: string | undefined,
  { found, unreadable, withheldFrom, loginAdvice, quote }: CredentialsKnown,
  clock: RetryAfterClock,
): RegistryError {
  const body = response.body.toString('utf8');
  let detail = '';
  try {
    detail = registryErrorWords(parseRegistryJson(body));
  } catch {
    detail = body.trim();
  }
  // The registry's own words, which may echo the request's Authorization header or a token.
  if (detail) detail = `: ${quote(detail)}`;
  const status = response.status;
  const url = new URL(response.url);
  const foreign = url.origin !== endpoint.origin;
  const lookup = describeCredentialLookup(endpoint.credentialsKey, found, unreadable);
  const remaining = Number.parseInt(response.headers.get('ratelimit-remaining') ?? '', 10);
  const reason = ((): string => {
    if (status === 401 && withheldFrom !== undefined && !foreign)
      return `authentication failed for ${what} (${withheld(endpoint.credentialsKey, withheldFrom)})`;
    if (status === 401 && foreign)
      return `authentication failed for ${what}: ${endpoint.registry} redirected to ${url.host}, which asked for credentials; the registry's credentials are never sent to another host`;
    if (status === 401 && found && tokenFallsShort(response))
      return `authentication failed for ${what} (${lookup}, and the token service gave a token for them, but ${endpoint.registry} says it does not grant this repository (insufficient_scope): ${found.origin === GITHUB_TOKEN_ORIGIN ? refusedCredentialsAdvice(found) : 'check that the account may pull it'}; registries also answer so for repositories that do not exist)`;
    if (status === 401)
      return `authentication failed for ${what} (${lookup}${found ? ` but not accepted: ${refusedCredentialsAdvice(found)}` : `: ${missingCredentialsAdvice(endpoint.credentialsKey, unreadable, loginAdvice)}`}; registries also answer 401 for repositories that do not exist)`;
    if (url.protocol === 'http:' && isHttpsPortAnswer(status, body))
      return `${endpoint.registry} answered 400 for ${what}: ${speaksHttpsWords(url)}`;
    if (status === 403)
      return `access denied to ${what} (${lookup}${found?.origin === GITHUB_TOKEN_ORIGIN ? `: ${refusedCredentialsAdvice(found)}` : ''})`;
    if (status === 404) return `${what} not found${notFound ? ` (${notFound})` : ''}`;
    if (status === 429) {
      const left = Number.isFinite(remaining) ? ` (ratelimit-remaining ${remaining})` : '';
      const none =
        remaining === 0
          ? `; no pulls are left until the rate-limit window ends: ${found ? `use credentials with a higher limit (${lookup})` : higherLimitAdvice(endpoint.credentialsKey, unreadable, loginAdvice)}, and keep the digest cache between runs to pull less`
          : '';
      return `${endpoint.registry} rate-limited the request for ${what}${left}${none}${none ? '' : askedToWait(response, clock)}`;
    }
    return `${endpoint.registry} answered ${status} for ${what}${askedToWait(response, clock)}`;
  })();
  return new RegistryError(`${reason}${detail}`, endpoint.registry, status);
}
