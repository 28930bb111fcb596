/**
 * One run's requests to registries, shared by the tag listing and the tag description:
 *
 * - where a registry is (registry-endpoint.ts), asked once per registry spelling;
 * - authenticated requests: proactive when the registry's scheme is known, else the 401 is
 *   answered once through {@link Authenticator} (auth.ts), with credentials only for the
 *   registry's own origin, and only a challenge that came from that origin (never one from a host
 *   the registry redirected to);
 * - registry answers turned into {@link RegistryError}s with a readable reason
 *   (registry-failure.ts [pure]), and Docker Hub's remaining pull allowance into a notice
 *   (rate-limit-notices.ts), and its `Warning` headers into notices (registry-warnings.ts);
 *   registry-originated text in them is redacted (redact.ts) of every
 *   secret masked in the run and of anything shaped like a credential.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from '../ports.js';
import { AuthError, Authenticator, type RegistryCredentials } from './auth.js';
import {
  DEFAULT_LOGIN_ADVICE,
  higherLimitAdvice,
  type LoginAdvice,
  type UnreadableCredentials,
} from './credential-messages.js';
import { HttpClient, HttpError, type HttpOptions, type HttpResponse, type RequestKind } from './http.js';
import { SecretRedactor } from './redact.js';
import { credentialsForRegistry, endpointOf, type Endpoint } from './registry-endpoint.js';
import type { RememberedSchemes } from './remembered-schemes.js';
import type { RequestPriority } from './request-scheduler.js';
import { RateLimitNotices } from './rate-limit-notices.js';
import { registryFailure } from './registry-failure.js';
import { RegistryWarnings } from './registry-warnings.js';
import { DEFAULT_MAX_RETRY_AFTER_MS } from './retry-policy.js';
import { UnansweredRegistries } from './unanswered-registries.js';

const MAX_NOTICE_BODY = 200;

/** Options of {@link RegistrySession}. */
export interface RegistrySessionOptions {
  /** Credentials by normalised registry host (`docker.io`, `ghcr.io`, `localhost:5000`). */
  credentials?: ReadonlyMap<string, RegistryCredentials>;
  /** Used for `ghcr.io` when no credentials are configured for it (the Action's token). */
  githubToken?: string;
  /** Registry host -> endpoint URL with optional path prefix. */
  mirrors?: Readonly<Record<string, string>>;
  /** Hosts that may be reached over plain HTTP (loopback always may). */
  insecureRegistries?: readonly string[];
  /** Called with every secret before anything is logged. */
  maskSecret?: (value: string) => void;
  /** Notices worth showing the user, e.g. Docker Hub's remaining pull allowance. */
  onNotice?: (message: string) => void;
  /** Timeouts, retries, per-host concurrency; see {@link HttpOptions}. */
  http?: HttpOptions;
  /** How registries authenticated in earlier runs (the digest cache's), kept up to date. */
  rememberedSchemes?: RememberedSchemes;
  /** How the user gives a host credentials, in the shell's words; default {@link DEFAULT_LOGIN_ADVICE}. */
  loginAdvice?: LoginAdvice;
  /**
   * Hosts whose configured credentials could not be read (a warning says why); read at each
   * failure, as credential helpers add to it while the run goes.
   */
  unreadableCredentials?: ReadonlySet<string>;
  /**
   * The Docker config that could not be read at all (its path, or `DOCKER_AUTH_CONFIG`; a warning
   * says why): a host without credentials may have had some there.
   */
  unreadableConfig?: string;
  /**
   * Aborts when the run stops or its registry budget runs out (deadlines.ts): ends the token
   * requests in flight, which are shared between repositories and so carry no one repository's signal.
   */
  stopSignal?: AbortSignal;
}

/** The sha256 digest of some bytes, `sha256:<hex>`. */
export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Any error as a {@link RegistryError} of `registry`, its text passed through `redact`. */
export function toRegistryError(
  error: unknown,
  registry: string,
  redact: (text: string) => string = (text) => text,
): RegistryError {
  return error instanceof RegistryError
    ? new RegistryError(redact(error.message), error.host, error.status)
    : new RegistryError(redact(error instanceof Error ? error.message : String(error)), registry);
}

/** Waits for `promise`, but no longer than `ms` or until `signal` aborts; never rejects. */
async function waitAtMost(
  promise: Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
        onAbort = resolve;
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Requests to registries for one run; see the module comment. */
export class RegistrySession {
  /** The one HTTP client of the run (its counters are the run's request counts). */
  readonly http: HttpClient;
  private readonly auth: Authenticator;
  /** Every secret masked in the run, to redact from registry-originated text. */
  private readonly redactor = new SecretRedactor();
  private readonly credentialsFor: (key: string) => RegistryCredentials | undefined;
  private readonly mirrors: Readonly<Record<string, string>>;
  /** Shows the user a notice (the client's `onNotice`). */
  readonly notice: (message: string) => void;
  private readonly probes = new Map<string, Promise<void>>();
  /** The repositories waiting for a registry's first request to learn its scheme, by registry. */
  private readonly probeWaiters = new Map<string, Set<string>>();
  /** Endpoints by registry as spelled in repositories. */
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly rateLimits: RateLimitNotices;
  private readonly warnings: RegistryWarnings;
  /** Registries that have answered nothing, and those given up on for it. */
  private readonly unanswered = new UnansweredRegistries();
  /** How long a request waits for another to learn a registry's scheme before going on its own. */
  private readonly probeWaitMs: number;
  private readonly loginAdvice: LoginAdvice;
  /** The longest `Retry-After` the client waits out (http.ts), for a failure's words. */
  private readonly maxRetryAfterMs: number;
  private readonly unreadable: (key: string) => UnreadableCredentials | undefined;

  constructor(options: RegistrySessionOptions = {}) {
    const mask = options.maskSecret ?? (() => undefined);
    const maskSecret = (value: string): void => {
      this.redactor.add(value);
      mask(value);
    };
    this.notice = options.onNotice ?? (() => undefined);
    this.http = new HttpClient({ ...options.http, insecureHosts: options.insecureRegistries ?? [] });
    this.mirrors = options.mirrors ?? {};
    this.probeWaitMs = options.http?.timeoutMs ?? 30_000;
    this.maxRetryAfterMs = options.http?.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.loginAdvice = options.loginAdvice ?? DEFAULT_LOGIN_ADVICE;
    this.unreadable = (key) =>
      options.unreadableCredentials?.has(key)
        ? { kind: 'entry' }
        : options.unreadableConfig !== undefined
          ? { kind: 'config', source: options.unreadableConfig }
          : undefined;
    for (const secret of [
      options.githubToken,
      ...[...(options.credentials?.values() ?? [])].flatMap((c) => [
        c.password,
        c.identityToken,
        c.registryToken,
      ]),
    ]) {
      if (secret) maskSecret(secret);
    }
    const credentialsFor = (key: string) => {
      const found = credentialsForRegistry(key, options.credentials, options.githubToken);
      // Credentials may arrive after construction (a credential helper runs when its registry is
      // first needed; the caller masked them): redact them too. `add` ignores a known secret.
      for (const secret of [found?.password, found?.identityToken, found?.registryToken])
        this.redactor.add(secret);
      return found;
    };
    this.credentialsFor = credentialsFor;
    this.warnings = new RegistryWarnings(this.notice, (text) =>
      this.redactor.redactAndTruncate(text, MAX_NOTICE_BODY),
    );
    // How to get a higher pull limit, then `, or `; nothing when credentials are used already.
    this.rateLimits = new RateLimitNotices(this.notice, (key) =>
      credentialsFor(key) ? '' : `${higherLimitAdvice(key, this.unreadable(key), this.loginAdvice)}, or `,
    );
    this.auth = new Authenticator({
      http: this.http,
      credentialsFor,
      maskSecret,
      loginAdvice: this.loginAdvice,
      unreadable: this.unreadable,
      ...(options.rememberedSchemes ? { remembered: options.rememberedSchemes } : {}),
      redact: (text) => this.redact(text),
      quote: (text) => this.redactor.redactAndTruncate(text, MAX_NOTICE_BODY),
      ...(options.stopSignal ? { stopSignal: options.stopSignal } : {}),
    });
  }

  /**
   * Registry-originated text (an error body, a label) without the run's secrets or anything shaped
   * like a credential: a registry may echo the request's Authorization header.
   */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** True when a registry's name for something (a tag) holds a secret masked in the run. */
  holdsSecret(text: string): boolean {
    return this.redactor.holdsSecret(text);
  }

  /** Any error as a {@link RegistryError} of `registry`, redacted. */
  toRegistryError(error: unknown, registry: string): RegistryError {
    return toRegistryError(error, registry, (text) => this.redact(text));
  }

  /** Where requests for `registry` go. */
  endpointFor(registry: string): Endpoint {
    // Once per registry spelling: every listing and tag asks, and the answer never changes.
    let endpoint = this.endpoints.get(registry);
    if (endpoint === undefined) {
      endpoint = endpointOf(registry, this.mirrors, (host) => this.http.allowsPlainHttp(host));
      this.endpoints.set(registry, endpoint);
    }
    return endpoint;
  }

  /**
   * Sends one request with auth: proactive when the scheme is known, else answer the 401 once.
   * `signal` is the repository's deadline; the request counts towards the repository's share of
   * the host (request-scheduler.ts).
   */
  async send(
    endpoint: Endpoint,
    path: string,
    url: string | URL,
    kind: RequestKind,
    method: 'GET' | 'HEAD' = 'GET',
    headers: Record<string, string> = {},
    priority?: RequestPriority,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const { auth, http, probes, unanswered } = this;
    const { registry } = endpoint;
    // A registry that answered none of its first repositories: the rest are not asked, rather than
    // each waiting out its own timeouts (unanswered-registries.ts).
    const refusal = unanswered.refusal(registry);
    if (refusal !== undefined) throw new RegistryError(this.redact(refusal), registry);
    // Parsed once: HttpClient takes the URL as it is.
    const target = typeof url === 'string' ? new URL(url) : url;
    // Probe-free, but not a thundering herd: while the first request to a registry learns its
    // scheme (401 + token), the others wait instead of each collecting their own 401 - for at
    // most one request timeout, so a first request that hangs holds no other repository longer.
    // A scheme an earlier run learned (remembered-schemes.ts) needs no first request.
    let finishProbe: (() => void) | undefined;
    if (!auth.knowsScheme(endpoint.credentialsKey, endpoint.origin)) {
      const probe = probes.get(endpoint.credentialsKey);
      if (probe) {
        // Its connection is opened meanwhile (connections-ahead.ts): ready when the wait ends.
        http.openAhead(target);
        // Named to the first request's challenge, whose answer may ask for its token meanwhile.
        const waiters = this.probeWaiters.get(endpoint.credentialsKey) ?? new Set<string>();
        this.probeWaiters.set(endpoint.credentialsKey, waiters.add(path));
        try {
          await waitAtMost(probe, this.probeWaitMs, signal);
        } finally {
          waiters.delete(path);
        }
      } else probes.set(endpoint.credentialsKey, new Promise<void>((resolve) => (finishProbe = resolve)));
    }
    try {
      // Credentials go only to the registry's own origin, whatever URL a redirect or a Link
      // header led to (REGISTRIES.md §5).
      const ownOrigin = target.origin === endpoint.origin;
      // A token comes first, often from another host (auth.docker.io): the registry's connection
      // is opened meanwhile (connections-ahead.ts).
      if (ownOrigin && auth.awaitsToken(endpoint.credentialsKey, path)) http.openAhead(target);
      // A token is asked for as a request of the repository: its flow, and its wait ends with its signal.
      const flow = `${registry}/${path}`;
      const requester = signal ? { flow, signal } : { flow };
      let authorization = ownOrigin
        ? await auth.headerFor(endpoint.credentialsKey, path, requester)
        : undefined;
      const go = async (a: string | undefined) => {
        let answered = false;
        try {
          const answer = await http.request({
            url: target,
            method,
            kind,
            headers: a ? { ...headers, authorization: a } : headers,
            ...(priority ? { priority } : {}),
            flow,
            ...(signal ? { signal } : {}),
            onAnswer: () => {
              answered = true;
              unanswered.answered(registry);
            },
            // Checked again once a slot is free: requests waiting for one when the registry is
            // given up on are not sent either.
            refuseStart: () => unanswered.refusal(registry),
          });
          // The registry's own warnings (registry-warnings.ts), not those of a host it redirected to.
          if (new URL(answer.url).origin === endpoint.origin)
            this.warnings.note(registry, answer.headers.get('warning'));
          return answer;
        } catch (error) {
          // A failure with a cause is the network's, after the request's retries (http.ts); one
          // without (an abort, a refused URL, the registry given up on) says nothing of the registry.
          if (!answered && error instanceof HttpError && error.cause !== undefined)
            unanswered.unanswered(registry, path, this.redact(error.message));
          throw error;
        }
      };
      let response = await go(authorization);
      // Only the registry's own challenge is answered: a host it redirected to (object storage, a
      // CDN, an attacker) that asks for credentials gets none, and does not teach the registry's
      // scheme or realm for its other repositories.
      if (response.status === 401 && ownOrigin && new URL(response.url).origin === target.origin) {
        const next = await auth.answerChallenge(
          endpoint.credentialsKey,
          path,
          response.headers.get('www-authenticate'),
          authorization,
          endpoint.origin,
          requester,
          // The registry's first request: the repositories waiting for it.
          finishProbe ? [...(this.probeWaiters.get(endpoint.credentialsKey) ?? [])] : [],
        );
        if (next !== undefined) {
          authorization = next;
          response = await go(authorization);
        }
      }
      if (response.status !== 401) auth.noteAnswered(endpoint.credentialsKey, endpoint.origin, authorization);
      return response;
    } catch (error) {
      if (error instanceof AuthError || error instanceof HttpError) {
        const status = error instanceof AuthError ? error.status : undefined;
        throw new RegistryError(this.redact(error.message), endpoint.registry, status);
      }
      throw error;
    } finally {
      if (finishProbe) {
        probes.delete(endpoint.credentialsKey);
        finishProbe();
      }
    }
  }

  /** Tells the user, once per registry and once more when it runs low, about the pulls left. */
  noteRateLimit(endpoint: Endpoint, response: HttpResponse): void {
    this.rateLimits.note(endpoint, response);
  }

  /**
   * The error for an unsuccessful answer about `what` (`the tag list of ...`, `repo:tag`);
   * `notFound`, when given, says what a 404 means for it and what to check (registry-failure.ts).
   */
  failure(endpoint: Endpoint, response: HttpResponse, what: string, notFound?: string): RegistryError {
    const key = endpoint.credentialsKey;
    return registryFailure(
      endpoint,
      response,
      what,
      notFound,
      {
        found: this.credentialsFor(key),
        unreadable: this.unreadable(key),
        withheldFrom: this.auth.withheldFrom(key),
        loginAdvice: this.loginAdvice,
        quote: (text) => this.redactor.redactAndTruncate(text, MAX_NOTICE_BODY),
      },
      { now: Date.now(), maxRetryAfterMs: this.maxRetryAfterMs },
    );
  }
}
