/**
 * One run's requests to registries, shared by the tag listing and the tag description:
 *
 * - where a registry is: `docker.io` is served by `registry-1.docker.io`; `registry-mirrors` maps
 *   a host to another endpoint with an optional path prefix; plain HTTP only for loopback and
 *   `insecure-registries` hosts;
 * - authenticated requests: proactive when the registry's scheme is known, else the 401 is
 *   answered once through {@link Authenticator} (auth.ts), with credentials only for the
 *   registry's own origin;
 * - registry answers turned into {@link RegistryError}s with a readable reason, and Docker Hub's
 *   remaining pull allowance turned into a notice.
 */
import { createHash } from 'node:crypto';
import { RegistryError } from '../ports.js';
import { DOCKER_HUB } from '../image/reference.js';
import { AuthError, Authenticator, type RegistryCredentials } from './auth.js';
import { HttpClient, HttpError, type HttpOptions, type HttpResponse, type RequestKind } from './http.js';
import type { RequestPriority } from './request-scheduler.js';

const DOCKER_HUB_API = 'registry-1.docker.io';
const MAX_NOTICE_BODY = 200;

/** Where requests for one registry go. */
export interface Endpoint {
  /** The registry as spelled in normalised repositories, for errors. */
  registry: string;
  /** Base URL without trailing slash, e.g. `https://registry-1.docker.io` or `https://mirror/dockerhub`. */
  base: string;
  /** Key of the credentials to use: the registry, or the mirror's host. */
  credentialsKey: string;
}

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
}

/**
 * The credentials for a registry (or mirror) host: the configured ones, else for `ghcr.io` the
 * GitHub token (GHCR takes any user name with a token as password, REGISTRIES.md §4).
 */
export function credentialsForRegistry(
  key: string,
  credentials: ReadonlyMap<string, RegistryCredentials> | undefined,
  githubToken: string | undefined,
): RegistryCredentials | undefined {
  const configured = credentials?.get(key);
  if (configured) return configured;
  if (key === 'ghcr.io' && githubToken) return { username: 'x-access-token', password: githubToken };
  return undefined;
}

/** The sha256 digest of some bytes, `sha256:<hex>`. */
export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** Any error as a {@link RegistryError} of `registry`. */
export function toRegistryError(error: unknown, registry: string): RegistryError {
  return error instanceof RegistryError
    ? error
    : new RegistryError(error instanceof Error ? error.message : String(error), registry);
}

/** Requests to registries for one run; see the module comment. */
export class RegistrySession {
  /** The one HTTP client of the run (its counters are the run's request counts). */
  readonly http: HttpClient;
  private readonly auth: Authenticator;
  private readonly mirrors: Readonly<Record<string, string>>;
  /** Shows the user a notice (the client's `onNotice`). */
  readonly notice: (message: string) => void;
  private readonly probes = new Map<string, Promise<void>>();
  private readonly warnedRateLimit = new Set<string>();

  constructor(options: RegistrySessionOptions = {}) {
    const maskSecret = options.maskSecret ?? (() => undefined);
    this.notice = options.onNotice ?? (() => undefined);
    this.http = new HttpClient({ ...options.http, insecureHosts: options.insecureRegistries ?? [] });
    this.mirrors = options.mirrors ?? {};
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
    const credentialsFor = (key: string) =>
      credentialsForRegistry(key, options.credentials, options.githubToken);
    this.auth = new Authenticator({ http: this.http, credentialsFor, maskSecret });
  }

  /** Where requests for `registry` go. */
  endpointFor(registry: string): Endpoint {
    const mirror = this.mirrors[registry];
    if (mirror) return { registry, base: mirror, credentialsKey: new URL(mirror).host };
    const host = registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
    const scheme = this.http.allowsPlainHttp(registry) ? 'http' : 'https';
    return { registry, base: `${scheme}://${host}`, credentialsKey: registry };
  }

  /** Sends one request with auth: proactive when the scheme is known, else answer the 401 once. */
  async send(
    endpoint: Endpoint,
    path: string,
    url: string | URL,
    kind: RequestKind,
    method: 'GET' | 'HEAD' = 'GET',
    headers: Record<string, string> = {},
    priority?: RequestPriority,
  ): Promise<HttpResponse> {
    const { auth, http, probes } = this;
    // Probe-free, but not a thundering herd: while the first request to a registry learns its
    // scheme (401 + token), the others wait instead of each collecting their own 401.
    let finishProbe: (() => void) | undefined;
    if (!auth.knowsScheme(endpoint.credentialsKey)) {
      const probe = probes.get(endpoint.credentialsKey);
      if (probe) await probe;
      else probes.set(endpoint.credentialsKey, new Promise<void>((resolve) => (finishProbe = resolve)));
    }
    try {
      // Credentials go only to the registry's own origin, whatever URL a redirect or a Link
      // header led to (REGISTRIES.md §5).
      const ownOrigin = new URL(url).origin === new URL(endpoint.base).origin;
      let authorization = ownOrigin ? await auth.headerFor(endpoint.credentialsKey, path) : undefined;
      const go = (a: string | undefined) =>
        http.request({
          url,
          method,
          kind,
          headers: a ? { ...headers, authorization: a } : headers,
          ...(priority ? { priority } : {}),
        });
      let response = await go(authorization);
      if (response.status === 401 && ownOrigin) {
        const next = await auth.answerChallenge(
          endpoint.credentialsKey,
          path,
          response.headers.get('www-authenticate'),
          authorization,
        );
        if (next !== undefined) {
          authorization = next;
          response = await go(authorization);
        }
      }
      if (response.status !== 401) auth.noteAnswered(endpoint.credentialsKey);
      return response;
    } catch (error) {
      if (error instanceof AuthError) throw new RegistryError(error.message, endpoint.registry, error.status);
      if (error instanceof HttpError) throw new RegistryError(error.message, endpoint.registry);
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
    const remaining = response.headers.get('ratelimit-remaining');
    if (remaining === null) return;
    const left = Number.parseInt(remaining, 10);
    const limit = Number.parseInt(response.headers.get('ratelimit-limit') ?? '', 10);
    const low = Number.isFinite(left) && (left <= 10 || (Number.isFinite(limit) && left <= limit / 10));
    const key = `${endpoint.registry}${low ? ' low' : ''}`;
    if (this.warnedRateLimit.has(key)) return;
    this.warnedRateLimit.add(key);
    this.notice(
      `${endpoint.registry}: ${left} pulls left${Number.isFinite(limit) ? ` of ${limit}` : ''} in the current rate-limit window` +
        (low ? '; log in (docker/login-action) or keep the digest cache to use fewer pulls' : ''),
    );
  }

  /** The error for an unsuccessful answer about `what` (`the tag list of ...`, `repo:tag`). */
  failure(endpoint: Endpoint, response: HttpResponse, what: string): RegistryError {
    let detail = '';
    try {
      const errors = (
        JSON.parse(response.body.toString('utf8')) as { errors?: Array<{ code?: string; message?: string }> }
      ).errors;
      if (errors?.[0]) detail = `: ${errors[0].code ?? ''} ${errors[0].message ?? ''}`.trimEnd();
    } catch {
      const text = response.body.toString('utf8').trim();
      if (text) detail = `: ${text.slice(0, MAX_NOTICE_BODY)}`;
    }
    const status = response.status;
    const reason =
      status === 401
        ? `authentication failed for ${what} (log in with docker/login-action, or check the credentials; registries also answer 401 for repositories that do not exist)`
        : status === 403
          ? `access denied to ${what}`
          : status === 404
            ? `${what} not found`
            : status === 429
              ? `${endpoint.registry} rate-limited the request for ${what}${response.headers.get('ratelimit-remaining') !== null ? ` (ratelimit-remaining ${response.headers.get('ratelimit-remaining')})` : ''}`
              : `${endpoint.registry} answered ${status} for ${what}`;
    return new RegistryError(`${reason}${detail}`, endpoint.registry, status);
  }
}
