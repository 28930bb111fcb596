/**
 * The error for a registry's unsuccessful answer, in words that say what it means and what to do:
 * 401 (credentials missing, refused, withheld from a foreign token service, or asked for by a host
 * the registry redirected to), 403, 404, 429 with Docker Hub's pull allowance, an HTTPS port
 * answered over plain HTTP; the registry's own words follow, redacted and cut short by the caller.
 */
import { RegistryError } from '../ports.js';
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

/** What the run knows of a registry's credentials, for {@link registryFailure}. */
export interface CredentialsKnown {
  /** The credentials found for the registry, if any. */
  found: RegistryCredentials | undefined;
  /** Why they could not be read, if they could not. */
  unreadable: UnreadableCredentials | undefined;
  /** The foreign token service the credentials were withheld from, if they were. */
  withheldFrom: string | undefined;
  loginAdvice: LoginAdvice;
  /** Registry-originated text as it may be shown: redacted and truncated. */
  quote: (text: string) => string;
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
      return `${endpoint.registry} rate-limited the request for ${what}${left}${none}`;
    }
    return `${endpoint.registry} answered ${status} for ${what}`;
  })();
  return new RegistryError(`${reason}${detail}`, endpoint.registry, status);
}
