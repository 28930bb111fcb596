/**
 * Where a run's tokens are asked for: a token service's request as a request of the repository
 * that asked first (its flow, request-scheduler.ts), ended only by its own deadline (http.ts) or
 * the run's stop, never by one repository's signal (a token request may be shared, auth.ts); its
 * answer read within bounds (token-protocol.ts), the token masked before anything can log it, and a
 * refusal turned into a message that says which credentials went, or why none did, and what to do.
 * Which token to ask for, and when, is auth.ts's.
 */
import { HttpError, type HttpClient, type HttpResponse, type HttpRequest } from './http.js';
import {
  DEFAULT_LOGIN_ADVICE,
  type LoginAdvice,
  tokenRefusalAdvice,
  type UnreadableCredentials,
} from './credential-messages.js';
import { readTokenAnswer, tokenRequest, tokenServiceWords, type IssuedToken } from './token-protocol.js';
import type { RegistryCredentials } from './auth.js';

/** A registry answered 401 and authentication could not fix it. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** A token service that could not be reached, or did not answer in time. */
export class TokenServiceNotReached extends AuthError {}

/** Where a registry's Bearer tokens come from. */
export interface BearerEndpoint {
  realm: string;
  service: string | undefined;
  /** False for a realm on a host the registry's credentials do not belong to: asked without them. */
  withCredentials: boolean;
}

/** Options of {@link TokenService}. */
export interface TokenServiceOptions {
  http: HttpClient;
  /** Credentials of a registry, by the key the client uses (the endpoint host). */
  credentialsFor(registry: string): RegistryCredentials | undefined;
  maskSecret(value: string): void;
  now?: () => number;
  /** Refresh a token this long before it expires. Default 10 s. */
  expiryMarginMs?: number;
  /** How the user gives a host credentials, in the shell's words; default {@link DEFAULT_LOGIN_ADVICE}. */
  loginAdvice?: LoginAdvice;
  /**
   * A token service's own words for a message (why it refused): without the run's secrets or
   * anything shaped like a credential, and short. Without it, its words are not quoted.
   */
  quote?: (text: string) => string;
  /** Why credentials for a registry could not be read (a warning said so), when they could not. */
  unreadable?: (registry: string) => UnreadableCredentials | undefined;
  /**
   * Aborts when the run stops (or its registry budget runs out): ends every token request in
   * flight, shared or not. A repository's own signal only ends its wait (auth.ts's
   * `TokenRequester`).
   */
  stopSignal?: AbortSignal;
}

/** Asks token services for tokens, for one run. */
export class TokenService {
  private readonly now: () => number;
  private readonly loginAdvice: LoginAdvice;
  /**
   * The token requests in flight, each with a controller of its own that the run's stop aborts:
   * one listener on the stop signal, not one per request (an EventTarget's cost grows with its
   * listeners, deadlines.ts).
   */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: TokenServiceOptions) {
    this.now = options.now ?? Date.now;
    this.loginAdvice = options.loginAdvice ?? DEFAULT_LOGIN_ADVICE;
    options.stopSignal?.addEventListener(
      'abort',
      () => {
        for (const controller of this.inFlight) controller.abort(options.stopSignal!.reason);
      },
      { once: true },
    );
  }

  /**
   * A token for `scope` (space-separated scopes) of `registry` from its realm, as a request of
   * `flow`: with the registry's credentials when the realm is on a host they belong to; a refusal
   * says why and what to do, in the service's own words when there are any.
   */
  async fetch(
    registry: string,
    endpoint: BearerEndpoint,
    scope: string,
    flow: string | undefined,
  ): Promise<IssuedToken> {
    const configured = this.options.credentialsFor(registry);
    const credentials = endpoint.withCredentials ? configured : undefined;
    const started = this.now();
    const service = new URL(endpoint.realm).host;
    let response;
    try {
      response = await this.send(tokenRequest(endpoint, scope, credentials), flow);
    } catch (error) {
      // The run stopped: no failure of the realm's (a remembered one is not forgotten for it).
      if (error instanceof HttpError && this.options.stopSignal?.aborted) throw error;
      throw new TokenServiceNotReached(
        `could not get a token from the token service ${service}: ${error instanceof HttpError ? error.message : String(error)}`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      const words = this.options.quote ? tokenServiceWords(response.body.toString('utf8')) : '';
      const why = words ? `: ${this.options.quote!(words)}` : '';
      throw new AuthError(
        `the token service at ${service} refused a token for ${registry} (${response.status}${why}); ` +
          tokenRefusalAdvice({
            registry,
            realm: endpoint.realm,
            status: response.status,
            configured,
            sent: credentials,
            unreadable: this.options.unreadable?.(registry),
            loginAdvice: this.loginAdvice,
          }),
        response.status,
      );
    }
    if (response.status !== 200) {
      throw new AuthError(`the token service ${service} answered ${response.status}`, response.status);
    }
    const answer = readTokenAnswer(
      response.body.toString('utf8'),
      service,
      started,
      this.options.expiryMarginMs ?? 10_000,
    );
    if (!answer.ok) throw new AuthError(answer.reason);
    this.options.maskSecret(answer.token.value);
    return answer.token;
  }

  /**
   * Sends a token request as a request of `flow` (the repository that asked first), ended only by
   * its own deadline (http.ts) or the run's stop: a signal of its own, which
   * {@link TokenServiceOptions.stopSignal} aborts.
   */
  private async send(request: HttpRequest, flow: string | undefined): Promise<HttpResponse> {
    const controller = new AbortController();
    const stop = this.options.stopSignal;
    if (stop?.aborted) controller.abort(stop.reason);
    this.inFlight.add(controller);
    try {
      return await this.options.http.request({
        ...request,
        signal: controller.signal,
        ...(flow === undefined ? {} : { flow }),
      });
    } finally {
      this.inFlight.delete(controller);
    }
  }
}
