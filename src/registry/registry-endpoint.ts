/**
 * Where a run's requests for a registry go, and whose credentials they carry: `docker.io` is
 * served by `registry-1.docker.io`; `registry-mirrors` maps a host to another endpoint with an
 * optional path prefix, whose host's credentials it then uses; plain HTTP only where `plainHttp`
 * allows (loopback and `insecure-registries` hosts, plain-http.ts). Pure.
 */
import { DOCKER_HUB } from '../image/reference.js';
import type { RegistryCredentials } from './auth.js';
import { GITHUB_TOKEN_ORIGIN } from './credential-messages.js';
import { normaliseRegistryKey } from './registry-names.js';

const DOCKER_HUB_API = 'registry-1.docker.io';

/** Where requests for one registry go. */
export interface Endpoint {
  /** The registry as spelled in normalised repositories, for errors. */
  registry: string;
  /** Base URL without trailing slash, e.g. `https://registry-1.docker.io` or `https://mirror/dockerhub`. */
  base: string;
  /** The origin of `base` (`https://mirror`), where the registry's credentials may go. */
  origin: string;
  /** Key of the credentials to use: the registry, or the mirror's host. */
  credentialsKey: string;
}

/**
 * The GitHub token when ghcr.io may be sent it: a token of github.com (`serverUrl`, the runner's
 * GITHUB_SERVER_URL, unset meaning github.com). A GitHub Enterprise Server's or GHE.com's token
 * belongs to that server: ghcr.io is github.com's registry and would be sent a credential that is
 * not its own (and refuse it). Undefined then, and for a server URL that is no URL.
 */
export function ghcrToken(token: string | undefined, serverUrl: string | undefined): string | undefined {
  if (!token) return undefined;
  let hostname: string;
  try {
    hostname = new URL(serverUrl || 'https://github.com').hostname;
  } catch {
    return undefined;
  }
  return hostname === 'github.com' ? token : undefined;
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
  if (key === 'ghcr.io' && githubToken) {
    return { username: 'x-access-token', password: githubToken, origin: GITHUB_TOKEN_ORIGIN };
  }
  return undefined;
}

/**
 * The host whose credentials requests for `registry` use: the registry's own (normalised), or for
 * a mirrored registry the mirror's host. The credential helpers are run for the same key.
 */
export function credentialsKeyOf(registry: string, mirrors: Readonly<Record<string, string>>): string {
  const key = normaliseRegistryKey(registry);
  const mirror = mirrors[key];
  return mirror ? new URL(mirror).host : key;
}

/**
 * The endpoint of `registry` (as spelled in repositories): its mirror, else its own host (Docker
 * Hub's API host for `docker.io`) over HTTPS, or plain HTTP where `plainHttp` allows the host.
 */
export function endpointOf(
  registry: string,
  mirrors: Readonly<Record<string, string>>,
  plainHttp: (host: string) => boolean,
): Endpoint {
  // Host names are case-insensitive: `Registry.IO/app` finds a `registry.io` mirror and credentials.
  const key = normaliseRegistryKey(registry);
  const mirror = mirrors[key];
  if (mirror) {
    return {
      registry,
      base: mirror,
      origin: new URL(mirror).origin,
      credentialsKey: credentialsKeyOf(registry, mirrors),
    };
  }
  const host = key === DOCKER_HUB ? DOCKER_HUB_API : key;
  const base = `${plainHttp(key) ? 'http' : 'https'}://${host}`;
  return { registry, base, origin: new URL(base).origin, credentialsKey: key };
}
