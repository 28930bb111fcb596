/**
 * A token service's protocol as it is written on the wire (distribution `docs/spec/auth/token.md`,
 * `oauth.md`): the request for a token, and the reading of the answer: the token (`token`, or
 * OAuth2's `access_token`) within its bounds and until when it may be sent, or why none can be
 * used, and a refusal's own words. Apart from auth.ts, which decides when a token is asked for and
 * which credentials go where; these only say how. Pure.
 */
import type { HttpRequest } from './http.js';
import {
  isJsonObject,
  jsonText,
  parseRegistryJson,
  registryErrorWords,
  TooDeepJsonError,
  unreadableJson,
} from './registry-json.js';
import { groupedCount } from '../byte-count.js';

/** Largest token response read, in bytes; a larger one is refused. */
export const MAX_TOKEN_RESPONSE_BYTES = 1 << 20;
/**
 * Longest token accepted, in characters. Real ones are a few KB (Docker Hub, ACR and GAR JWTs); a
 * 20 MB one would become a 20 MB `::add-mask::` line and a 20 MB header on every request.
 */
export const MAX_TOKEN_LENGTH = 64 * 1024;

/** The credentials a token request may carry (auth.ts decides whether it carries them). */
export interface TokenCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (docker config `identitytoken`): only the POST flow takes it. */
  identityToken?: string;
}

/** `Authorization: Basic` for a username and password; undefined without both. */
export function basicHeader(credentials: TokenCredentials | undefined): string | undefined {
  if (!credentials || credentials.username === undefined || credentials.password === undefined)
    return undefined;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * The request for a token for `scope` (space-separated scopes) from a realm: with a refresh token,
 * oauth.md's POST (`grant_type=refresh_token`); otherwise token.md's GET with `service` and a
 * `scope` parameter per scope, with Basic credentials when there are any. Its answer is read up to
 * {@link MAX_TOKEN_RESPONSE_BYTES}.
 */
export function tokenRequest(
  endpoint: { realm: string; service: string | undefined },
  scope: string,
  credentials: TokenCredentials | undefined,
): HttpRequest {
  if (credentials?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'helmrelease-image-updater',
      scope,
    });
    if (endpoint.service) form.set('service', endpoint.service);
    return {
      url: endpoint.realm,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      kind: 'token',
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    };
  }
  const url = new URL(endpoint.realm);
  if (endpoint.service) url.searchParams.set('service', endpoint.service);
  for (const s of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
  const authorization = basicHeader(credentials);
  return {
    url,
    headers: authorization ? { authorization } : {},
    kind: 'token',
    maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
  };
}

/** token.md: a token without `expires_in` may be used for 60 seconds. */
const DEFAULT_EXPIRES_IN_S = 60;

/** A token and the time (ms since the epoch) from which it is asked for again. */
export interface IssuedToken {
  value: string;
  expiresAt: number;
}

/**
 * The token of a 200 answer's body from `service` (its host, for messages), or why there is none
 * to use: no JSON, JSON too deep to read, no token, one longer than {@link MAX_TOKEN_LENGTH}, or one
 * no header can carry.
 * It expires `expires_in` seconds (default 60) after `issued_at`, or after `askedAt` when that is
 * earlier or absent (a clock ahead of ours must not lengthen it), but never sooner than half its
 * life after `askedAt` (a clock behind ours must not end it on arrival), less `marginMs` (at most
 * half its life) so that it is renewed before the registry refuses it.
 */
export function readTokenAnswer(
  body: string,
  service: string,
  askedAt: number,
  marginMs: number,
): { ok: true; token: IssuedToken } | { ok: false; reason: string } {
  let answer: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    const json = parseRegistryJson(body);
    // JSON that is no object (`null`, an array) holds no token either: not read as `null.token`.
    answer = isJsonObject(json) ? json : {};
  } catch (error) {
    return {
      ok: false,
      reason:
        error instanceof TooDeepJsonError
          ? `the token service ${service} sent JSON that ${unreadableJson(error)}`
          : `the token service ${service} sent no JSON`,
    };
  }
  const value = typeof answer.token === 'string' ? answer.token : answer.access_token;
  if (typeof value !== 'string' || value === '') {
    return { ok: false, reason: `the token service ${service} sent no token` };
  }
  if (value.length > MAX_TOKEN_LENGTH) {
    return {
      ok: false,
      reason: `the token service ${service} sent a token of ${groupedCount(value.length)} characters, more than the ${groupedCount(MAX_TOKEN_LENGTH)} accepted; refusing it`,
    };
  }
  // Sent as it came, it would fail every request before it left ("invalid authorization header"),
  // each retried as if the network had failed: the characters Node refuses in a header value.
  if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
    return {
      ok: false,
      reason: `the token service ${service} sent a token that no HTTP header can carry (a line break, a control character or a character past Latin-1); refusing it`,
    };
  }
  const expiresIn =
    typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : DEFAULT_EXPIRES_IN_S;
  const life = expiresIn * 1000;
  const issued = typeof answer.issued_at === 'string' ? Date.parse(answer.issued_at) : Number.NaN;
  // Never counted as more than half gone on arrival: a service whose clock is behind ours by more
  // than a token's life (distribution allows a minute of skew, its own clock judging `exp`) sent
  // tokens that had expired when they came, and every request asked for a new one.
  const from = Number.isNaN(issued) ? askedAt : Math.max(Math.min(issued, askedAt), askedAt - life / 2);
  const margin = Math.min(marginMs, life / 2);
  return { ok: true, token: { value, expiresAt: from + life - margin } };
}

/**
 * What a token service said when it refused, in its own words: the distribution spec's
 * `errors[0]` (code and message: GHCR's `DENIED installation not allowed to Read organization
 * package`), Docker Hub's `details`, or OAuth2's `error` and `error_description`; '' for anything
 * else (an HTML page, no body). The caller redacts and shortens it.
 */
export function tokenServiceWords(text: string): string {
  let json: unknown;
  try {
    json = parseRegistryJson(text);
  } catch {
    return '';
  }
  if (!isJsonObject(json)) return '';
  if (Array.isArray(json.errors) && isJsonObject(json.errors[0])) return registryErrorWords(json);
  return [json.details, json.error, json.error_description, json.message]
    .map(jsonText)
    .filter(Boolean)
    .join(' ');
}

/**
 * What a token says it grants, when it says so: the token spec's JWTs (distribution
 * `docs/spec/auth/jwt.md`: Docker Hub's, distribution's own token servers, Harbor's, GitLab's)
 * carry an `access` claim of `{type, name, actions}`. A function telling whether it grants every
 * action of a scope (`repository:team/app:pull`), or undefined for any other token (GHCR's are
 * opaque), a claim that is no list, or a scope of another shape. Only a hint: the spec calls tokens
 * opaque, so a scope it says is granted is still asked of the registry, and one it says is not is
 * asked for alone (shared-tokens.ts), never refused on its word.
 */
export function tokenGrants(token: string): ((scope: string) => boolean | undefined) | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let claims: unknown;
  try {
    claims = parseRegistryJson(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isJsonObject(claims) || !Array.isArray(claims.access)) return undefined;
  const granted = new Map<string, Set<string>>();
  for (const entry of claims.access) {
    if (!isJsonObject(entry) || entry.type !== 'repository' || typeof entry.name !== 'string') continue;
    const actions = Array.isArray(entry.actions) ? entry.actions.filter((a) => typeof a === 'string') : [];
    const known = granted.get(entry.name) ?? new Set<string>();
    for (const action of actions) known.add(action as string);
    granted.set(entry.name, known);
  }
  return (scope) => {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first === -1 || last === first || scope.slice(0, first) !== 'repository') return undefined;
    const actions = granted.get(scope.slice(first + 1, last));
    return scope
      .slice(last + 1)
      .split(',')
      .every((action) => actions?.has(action) === true || actions?.has('*') === true);
  };
}
