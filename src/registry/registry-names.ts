/**
 * Registry host names as users write them in Docker config keys and `registry-mirrors`. Pure, so
 * the settings parser (core) and the registry edge share one reading.
 */
import { DOCKER_HUB, isRegistryHost } from '../image/reference.js';

/** The `auths` keys that mean Docker Hub (`https://index.docker.io/v1/` normalises to the second). */
const DOCKER_HUB_KEYS = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Normalises a docker config `auths` key to `host[:port]`; Docker Hub's keys become `docker.io`. */
export function normaliseRegistryKey(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
  return DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB : host;
}

/** How a `registry-mirrors` line is written, for error messages. */
const MIRROR_FORM =
  '"registry=https://endpoint[/prefix]" (e.g. docker.io=https://mirror.example.com/dockerhub)';

/** How a mirror's registry is written, for error messages. */
const HOST_FORM = 'host[:port] as images name it (e.g. docker.io or registry.example.com:5000)';

/**
 * Parses `registry-mirrors` lines (`docker.io=https://mirror.example.com/dockerhub`). Refuses a key
 * that is not a registry host, a registry given twice with different mirrors, user info in the URL
 * (a password there would be printed wherever the setting is shown; credentials belong in the
 * Docker config, looked up by the mirror's host), an endpoint ending in `/v2` (the client adds
 * `/v2/...` itself), queries and fragments.
 *
 * Messages never repeat user info or a query (a `?token=`): a line holding `@`, `?`, `#` or a space
 * (which no pattern of redaction can bound) is never quoted; the key is named once it is a host,
 * and the URL by its parts (scheme, host, path) once it has been parsed.
 */
export function parseMirrors(lines: readonly string[]): Record<string, string> {
  const mirrors: Record<string, string> = {};
  let entry = 0;
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    entry += 1;
    const quotable = !/[@?#\s]/.test(line);
    const eq = line.indexOf('=');
    if (eq <= 0) {
      const which = quotable ? `"${line}"` : `entry ${entry} (not repeated: it may hold a password)`;
      throw new Error(`registry-mirrors: ${which} is not ${MIRROR_FORM}`);
    }
    const key = line.slice(0, eq).trim();
    // A key that is no host (a URL, user info, a path) would never match an image: the mirror
    // would be bypassed without a word, straight to the registry it was meant to spare.
    if (!isRegistryHost(key)) {
      const what = key.includes('@')
        ? 'the registry before "=" has a user name or password'
        : `${quotable ? `"${key}" before "="` : `the text before "=" in entry ${entry}`} is not a registry host`;
      throw new Error(`registry-mirrors: ${what}; give ${HOST_FORM}: ${MIRROR_FORM}`);
    }
    const registry = normaliseRegistryKey(key);
    let url: URL;
    try {
      url = new URL(line.slice(eq + 1).trim());
    } catch {
      throw new Error(`registry-mirrors: ${registry} has no valid URL after "="; expected ${MIRROR_FORM}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(
        `registry-mirrors: ${registry} needs an http(s) URL, not ${url.protocol.slice(0, -1)}; expected ${MIRROR_FORM}`,
      );
    }
    if (url.username !== '' || url.password !== '') {
      throw new Error(
        `registry-mirrors: the URL for ${registry} has a user name or password; ` +
          `remove it and put the credentials in the Docker config under ${url.host} (docker login ${url.host})`,
      );
    }
    // Origin and path only: what follows may be the token the message must not repeat.
    const endpoint = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
    if (url.search !== '' || url.hash !== '') {
      throw new Error(
        `registry-mirrors: the URL for ${registry} (${endpoint}) has a query or fragment; expected ${MIRROR_FORM}`,
      );
    }
    const base = url.toString().replace(/\/+$/, '');
    if (/\/v2$/i.test(url.pathname.replace(/\/+$/, ''))) {
      throw new Error(
        `registry-mirrors: the URL for ${registry} ends in /v2; give the endpoint without it (the client adds /v2/...): ` +
          `${registry}=${base.replace(/\/v2$/i, '')}`,
      );
    }
    // docker.io and index.docker.io are one registry: two mirrors for it leave one unused.
    if (mirrors[registry] !== undefined && mirrors[registry] !== base) {
      throw new Error(`registry-mirrors: ${registry} is given twice, as ${mirrors[registry]} and ${base}`);
    }
    mirrors[registry] = base;
  }
  return mirrors;
}
