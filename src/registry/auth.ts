/**
 * Registry authentication: the probe-free challenge flow of the Docker token spec
 * (distribution `docs/spec/auth/token.md`, `oauth.md`).
 *
 * A request goes out without credentials (or with what was learned earlier for that registry);
 * a `401` carries `WWW-Authenticate` challenges (www-authenticate.ts parses them).
 *
 * Basic: send `Authorization: Basic` with the registry's credentials. Bearer: get a token from the
 * realm (GET, anonymous or Basic; POST `grant_type=refresh_token` for a docker config
 * `identitytoken`), read `token` or `access_token`, cache it per realm+service+scope until
 * `issued_at + expires_in` (default 60 s) minus a margin, and retry once. The tokens a registry's
 * repositories ask for at once, before their first request, come from one token request naming
 * all their scopes (shared-tokens.ts, which also says what happens when a service grants fewer);
 * so do those of the repositories its first request holds back, asked for while that request gets
 * its own token from the realm its challenge names.
 *
 * The realm may be on another host (auth.docker.io); it only ever receives the credentials
 * configured for the registry being accessed, only when that registry named it (the caller passes
 * only challenges that came from the registry's own origin: a redirect target's challenge is never
 * answered), and only when the realm is on a host those credentials belong to
 * (credential-hosts.ts); any other realm is asked for a token without them. A scheme is learned for
 * the registry only once a token was had with it, so one repository's unusable realm fails that
 * repository alone. A scheme an earlier run learned (remembered-schemes.ts, in the digest cache) is
 * used from a run's first request, with the same decision on credentials as a live challenge gets;
 * a remembered realm that gives no token is forgotten and the request meets the registry's
 * challenge instead. How a token is asked for and its answer read, capped in bytes and length, is
 * token-protocol.ts's; sending the request and wording a refusal, token-service.ts's. Every secret
 * passes through `maskSecret` before anything is logged.
 *
 * A token request is the requesting repository's: it counts towards that repository's share of the
 * token host and its deadline's clock (its flow), and the repository stops waiting for it when its
 * signal aborts ({@link TokenRequester}). Concurrent requests for one scope share one token request,
 * so that request is not ended by one repository's signal, which would fail the others waiting on
 * it: it goes on for them, bounded by its own deadline (http.ts), and only the run's stop
 * ({@link TokenServiceOptions.stopSignal}, deadlines.ts) ends it, so no token request outlives a
 * run that said it stopped.
 */
import { abortMessage, HttpError } from './http.js';
import { credentialsBelongTo, loadPublicSuffixes, needsPublicSuffixes } from './credential-hosts.js';
import { parseChallenges, realmProblem } from './www-authenticate.js';
import { SharedTokens } from './shared-tokens.js';
import {
  AuthError,
  TokenService,
  TokenServiceNotReached,
  type BearerEndpoint,
  type TokenServiceOptions,
} from './token-service.js';
import type { RememberedScheme, RememberedSchemes } from './remembered-schemes.js';
import { basicHeader, type IssuedToken, type TokenCredentials } from './token-protocol.js';

export { AuthError } from './token-service.js';

/**
 * Credentials for one registry, from the docker config or the Action's inputs: those a token
 * request may carry (a username and password, a refresh token), and these.
 */
export interface RegistryCredentials extends TokenCredentials {
  /** A bearer token sent to the registry as is (docker config `registrytoken`). */
  registryToken?: string;
  /** Where these came from when not the Docker config (`the GitHub token`), for messages. */
  origin?: string;
}

/**
 * What is known about how one registry authenticates; `rememberedFor`: the origin of the registry
 * it was remembered for (remembered-schemes.ts), until the registry answers it.
 */
type Scheme = ({ kind: 'none' } | { kind: 'basic' } | ({ kind: 'bearer' } & BearerEndpoint)) & {
  rememberedFor?: string;
};

/** Options of {@link Authenticator}: those of its {@link TokenService}, and these. */
export interface AuthenticatorOptions extends TokenServiceOptions {
  /** How registries authenticated in earlier runs, used until one answers otherwise; kept up to date. */
  remembered?: RememberedSchemes;
  /** A registry's text without the run's secrets: a realm or service holding one is not remembered. */
  redact?: (text: string) => string;
}

/** The repository a token is asked for on behalf of. */
export interface TokenRequester {
  /** The repository's signal (deadlines.ts): when it aborts, the repository stops waiting for the token. */
  signal?: AbortSignal;
  /** The repository's flow (request-scheduler.ts), for a token request it starts. */
  flow?: string;
}

/** Holds learned schemes and cached tokens for one run. */
export class Authenticator {
  private readonly schemes = new Map<string, Scheme>();
  private readonly scopes = new Map<string, string>();
  private readonly tokens = new Map<string, Promise<IssuedToken>>();
  /** Tokens asked for several scopes at once (shared-tokens.ts). */
  private readonly shared = new SharedTokens();
  private readonly now: () => number;
  /** Where tokens are asked for (token-service.ts). */
  private readonly service: TokenService;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
    this.service = new TokenService(options);
  }

  /**
   * The Authorization header to send proactively for a repository of a registry, when an earlier
   * challenge taught us the scheme; undefined before that (probe-free: the first request asks).
   */
  async headerFor(
    registry: string,
    repositoryPath: string,
    requester: TokenRequester = {},
  ): Promise<string | undefined> {
    const credentials = this.options.credentialsFor(registry);
    if (credentials?.registryToken) return `Bearer ${credentials.registryToken}`;
    const scheme = this.schemes.get(registry);
    if (!scheme || scheme.kind === 'none') return undefined;
    if (scheme.kind === 'basic') return basicHeader(credentials);
    const scope = this.scopeOf(registry, repositoryPath);
    try {
      // Asked for before any request of the repository: with the other scopes asked for meanwhile.
      const token = await this.token(registry, scheme, scope, requester, true);
      return `Bearer ${token.value}`;
    } catch (error) {
      if (scheme.rememberedFor === undefined || !(error instanceof AuthError)) throw error;
      // A remembered realm that gives no token now: forgotten, and the request goes without, to
      // meet the registry's own challenge as on a first run.
      if (this.schemes.get(registry) === scheme) this.schemes.delete(registry);
      this.options.remembered?.forget(registry, scheme.rememberedFor);
      return undefined;
    }
  }

  /** The scope a repository's token is asked for: what its registry's challenge named, else pull. */
  private scopeOf(registry: string, repositoryPath: string): string {
    return this.scopes.get(`${registry} ${repositoryPath}`) ?? `repository:${repositoryPath}:pull`;
  }

  /**
   * Whether the header for a repository of this registry waits for a token request (the scheme is
   * Bearer and no token for the repository's scope was asked for yet).
   */
  awaitsToken(registry: string, repositoryPath: string): boolean {
    const scheme = this.schemes.get(registry);
    if (scheme?.kind !== 'bearer' || this.options.credentialsFor(registry)?.registryToken) return false;
    const scope = this.scopeOf(registry, repositoryPath);
    return !this.tokens.has(tokenKey(registry, scheme, scope));
  }

  /**
   * Whether a response from this registry has taught us how (or whether) it authenticates, or an
   * earlier run did (then adopted for `origin`, the registry's own).
   */
  knowsScheme(registry: string, origin: string): boolean {
    if (this.schemes.has(registry) || this.options.credentialsFor(registry)?.registryToken !== undefined)
      return true;
    const remembered = this.options.remembered?.get(registry, origin, this.now());
    if (!remembered) return false;
    // A realm on another host is decided with the Public Suffix List, loaded only where a live
    // challenge names one: until then the run learns the scheme as a cold run does.
    if (remembered.kind === 'bearer' && needsPublicSuffixes(remembered.realm, origin)) return false;
    this.schemes.set(
      registry,
      remembered.kind === 'bearer'
        ? {
            ...remembered,
            // A Bearer endpoint names its service even when it has none.
            service: remembered.service,
            // As for a realm the registry's live challenge names.
            withCredentials: credentialsBelongTo(remembered.realm, origin),
            rememberedFor: origin,
          }
        : { kind: remembered.kind, rememberedFor: origin },
    );
    return true;
  }

  /**
   * Records that the registry answered without asking for credentials (or as remembered), to a
   * request that carried `sent`.
   */
  noteAnswered(registry: string, origin: string, sent?: string): void {
    // A scope's own token taken where a shared one was refused: the service granted fewer scopes.
    if (sent !== undefined) this.shared.taken(registry, sent);
    const scheme = this.schemes.get(registry);
    if (!scheme) {
      this.schemes.set(registry, { kind: 'none' });
      this.remember(registry, origin, { kind: 'none' });
    } else if (scheme.rememberedFor !== undefined) {
      // Answered as remembered: the scheme holds (kept alive in the file).
      this.remember(registry, origin, rememberedForm(scheme));
      delete scheme.rememberedFor;
    }
  }

  /** Remembers a scheme for later runs, unless its realm or service holds a secret of this run. */
  private remember(registry: string, origin: string, scheme: RememberedScheme): void {
    const { remembered, redact = (text: string) => text } = this.options;
    if (!remembered) return;
    const texts = scheme.kind === 'bearer' ? [scheme.realm, scheme.service ?? ''] : [];
    if (texts.every((text) => redact(text) === text))
      remembered.remember(registry, origin, scheme, this.now());
    else remembered.forget(registry, origin);
  }

  /**
   * Answers a 401: learns the scheme from the challenge and returns the header to retry with, or
   * undefined when there is nothing better to send.
   * @param sent the Authorization header the rejected request carried
   */
  async answerChallenge(
    registry: string,
    repositoryPath: string,
    header: string | null,
    sent: string | undefined,
    /** The origin the challenge came from: the registry's own (or its mirror's). */
    registryOrigin: string,
    requester: TokenRequester = {},
    /**
     * The registry's other repositories waiting for this, its first request, to learn the scheme:
     * their tokens are asked for meanwhile, together (shared-tokens.ts), from the realm this
     * challenge names and with the same decision on credentials as this repository's, so they are
     * ready when the wait ends, a round trip sooner. This repository's own token is asked for
     * alone, as before: it learns the scheme, whatever the service makes of several scopes.
     */
    waiting: readonly string[] = [],
  ): Promise<string | undefined> {
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const basic = challenges.find((c) => c.scheme === 'basic');
    const credentials = this.options.credentialsFor(registry);
    if (bearer) {
      const realm = checkRealm(bearer.params.realm!);
      if (needsPublicSuffixes(realm, registryOrigin)) await loadPublicSuffixes();
      const endpoint: Scheme = {
        kind: 'bearer',
        realm,
        service: bearer.params.service,
        withCredentials: credentialsBelongTo(realm, registryOrigin),
      };
      const scope = bearer.params.scope ?? `repository:${repositoryPath}:pull`;
      const key = tokenKey(registry, endpoint, scope);
      const cached = this.tokens.get(key);
      // A token we just sent was rejected (expired early, revoked, or asked for with other scopes
      // and granted fewer): fetch a fresh one, once.
      let sharedRefused = false;
      if (cached && sent !== undefined) {
        const value = await waitUnlessAborted(
          cached.catch(() => undefined),
          requester.signal,
          endpoint.realm,
        );
        if (value && sent === `Bearer ${value.value}`) {
          this.tokens.delete(key);
          sharedRefused = this.shared.wasShared(value.value);
        }
      }
      const pending = this.token(registry, endpoint, scope, requester);
      if (sent === undefined)
        for (const path of waiting.filter((p) => p !== repositoryPath))
          // Each fails or succeeds for its own repository, when it asks once the wait ends.
          this.token(registry, endpoint, this.scopeOf(registry, path), {}, true).catch(() => undefined);
      const token = await pending;
      // Learned only now that the realm gave a token: a realm that fails (refused, unreachable,
      // denied for this scope) fails this repository, not every repository of the registry.
      this.schemes.set(registry, endpoint);
      this.remember(registry, registryOrigin, rememberedForm(endpoint));
      this.scopes.set(`${registry} ${repositoryPath}`, scope);
      const next = `Bearer ${token.value}`;
      // Whether the registry takes it tells whether the shared token fell short (noteAnswered).
      if (sharedRefused) this.shared.askedAloneAfterShared(next);
      return next === sent ? undefined : next;
    }
    if (basic) {
      this.schemes.set(registry, { kind: 'basic' });
      this.remember(registry, registryOrigin, { kind: 'basic' });
      const next = basicHeader(credentials);
      return next === sent ? undefined : next;
    }
    return undefined;
  }

  /**
   * The token for a scope, cached or asked for; `requester` stops waiting for it when its signal
   * aborts, without ending a token request others wait for too (see the module comment).
   */
  private token(
    registry: string,
    endpoint: BearerEndpoint,
    scope: string,
    requester: TokenRequester,
    /** Whether it may be asked for together with other scopes (shared-tokens.ts). */
    batchable = false,
  ): Promise<IssuedToken> {
    // A repository that stopped waiting starts no token request that no one may wait for.
    if (requester.signal?.aborted)
      return Promise.reject(new HttpError(abortMessage(requester.signal), endpoint.realm));
    const key = tokenKey(registry, endpoint, scope);
    const cached = this.tokens.get(key);
    if (cached) {
      return waitUnlessAborted(cached, requester.signal, endpoint.realm).then((token) => {
        if (token.expiresAt > this.now()) return token;
        if (this.tokens.get(key) === cached) this.tokens.delete(key);
        return this.token(registry, endpoint, scope, requester, batchable);
      });
    }
    // Concurrent requests for one scope share one token request.
    const { flow } = requester;
    const pending =
      batchable && this.shared.mayShare(registry)
        ? this.shared.token(
            registry,
            `${tokenKey(registry, endpoint, '')}\n${endpoint.withCredentials}`,
            scope,
            (scopes) => this.service.fetch(registry, endpoint, scopes, flow),
            // A service not reached would be no better asked again, scope by scope.
            (error) => error instanceof AuthError && !(error instanceof TokenServiceNotReached),
          )
        : this.service.fetch(registry, endpoint, scope, flow);
    this.tokens.set(key, pending);
    pending.catch(() => {
      if (this.tokens.get(key) === pending) this.tokens.delete(key);
    });
    return waitUnlessAborted(pending, requester.signal, endpoint.realm);
  }

  /**
   * The token realm (its URL) this registry named that its credentials were kept from, when it has
   * credentials and named such a realm; for the message when the registry then refuses.
   */
  withheldFrom(registry: string): string | undefined {
    const scheme = this.schemes.get(registry);
    if (scheme?.kind !== 'bearer' || scheme.withCredentials || !this.options.credentialsFor(registry))
      return undefined;
    return scheme.realm;
  }
}

/**
 * `promise`, or an {@link HttpError} as soon as `signal` aborts (as a request of the repository
 * would end): the repository stops waiting, and the promise goes on for whoever else waits on it.
 */
function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, url: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new HttpError(abortMessage(signal), url));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new HttpError(abortMessage(signal), url));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Tokens are cached per registry too: a token obtained with one registry's credentials must never
 * be sent to another registry that names the same realm, service and scope in its challenge.
 */
function tokenKey(registry: string, endpoint: BearerEndpoint, scope: string): string {
  return `${registry}\n${endpoint.realm}\n${endpoint.service ?? ''}\n${scope}`;
}

/** The realm as a URL the token request may go to (www-authenticate.ts), normalised. */
function checkRealm(realm: string): string {
  const problem = realmProblem(realm);
  if (problem) throw new AuthError(`the registry named a token realm ${problem}`);
  return new URL(realm).toString();
}

/** A scheme as remembered: no credentials decision, which is made again when it is used. */
function rememberedForm(scheme: Scheme): RememberedScheme {
  if (scheme.kind !== 'bearer') return { kind: scheme.kind };
  return scheme.service === undefined
    ? { kind: 'bearer', realm: scheme.realm }
    : { kind: 'bearer', realm: scheme.realm, service: scheme.service };
}
