/**
 * Credentials from the docker config file that `docker login`, `docker/login-action` and
 * `aws-actions/amazon-ecr-login` write: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`
 * (docker/cli `cli/config/config.go`). Accepted shapes (docker/cli `types/authconfig.go`):
 *
 *   { "auths": {
 *       "https://index.docker.io/v1/": { "auth": "base64(user:password)" },
 *       "ghcr.io": { "username": "me", "password": "..." },
 *       "myacr.azurecr.io": { "auth": "base64(0000...:)", "identitytoken": "<refresh token>" },
 *       "registry.example.com": { "registrytoken": "<bearer token>" } },
 *     "credsStore": "desktop",
 *     "credHelpers": { "123456789012.dkr.ecr.us-east-1.amazonaws.com": "ecr-login" } }
 *
 * Keys may carry a scheme or path (`https://ghcr.io`, `ghcr.io/v1/`); they are normalised to
 * `host[:port]`, with Docker Hub's keys (`https://index.docker.io/v1/`, `index.docker.io`,
 * `registry-1.docker.io`) all becoming `docker.io`, the spelling of normalised repositories.
 * Credential helpers are not run (desktop/osxkeychain/pass need a user session and may hang or
 * prompt on a runner): a registry that relies on one becomes a warning naming it and is accessed
 * anonymously. Every secret goes through `maskSecret` as soon as it is read.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { warning, type Problem } from '../problems.js';
import { normaliseRegistryKey } from './registry-names.js';
import type { RegistryCredentials } from './auth.js';

/** Credentials by normalised registry host, plus problems found in the file. */
export interface DockerCredentials {
  credentials: Map<string, RegistryCredentials>;
  problems: Problem[];
}

/** Where the docker config lives: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(
  env: Record<string, string | undefined> = process.env,
  home = homedir(),
): string {
  return env.DOCKER_CONFIG ? join(env.DOCKER_CONFIG, 'config.json') : join(home, '.docker', 'config.json');
}

interface AuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
  registrytoken?: unknown;
}

/** Parses a docker config's text. Pure except for the `maskSecret` callback. */
export function parseDockerConfig(text: string, maskSecret: (value: string) => void): DockerCredentials {
  const credentials = new Map<string, RegistryCredentials>();
  const problems: Problem[] = [];
  let config: {
    auths?: Record<string, AuthEntry>;
    credsStore?: unknown;
    credHelpers?: Record<string, unknown>;
  };
  try {
    config = JSON.parse(text);
  } catch (error) {
    problems.push(
      warning(
        '',
        0,
        `The docker config is not valid JSON (${(error as Error).message}); registries are accessed anonymously.`,
      ),
    );
    return { credentials, problems };
  }
  if (typeof config !== 'object' || config === null) return { credentials, problems };
  const emptyEntries: string[] = [];
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (typeof entry !== 'object' || entry === null) continue;
    const host = normaliseRegistryKey(key);
    const found: RegistryCredentials = {};
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      maskSecret(entry.auth);
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) {
        problems.push(
          warning(
            '',
            0,
            `The docker config entry for ${host} has an "auth" value that is not base64 of user:password; it is ignored.`,
          ),
        );
      } else {
        found.username = decoded.slice(0, colon);
        found.password = decoded.slice(colon + 1);
      }
    }
    if (typeof entry.username === 'string') found.username = entry.username;
    if (typeof entry.password === 'string') found.password = entry.password;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '')
      found.identityToken = entry.identitytoken;
    if (typeof entry.registrytoken === 'string' && entry.registrytoken !== '')
      found.registryToken = entry.registrytoken;
    for (const secret of [found.password, found.identityToken, found.registryToken]) {
      if (secret) maskSecret(secret);
    }
    const usable =
      (found.username !== undefined && found.password !== undefined) ||
      found.identityToken ||
      found.registryToken;
    if (usable) credentials.set(host, found);
    else emptyEntries.push(host);
  }
  const helpers =
    typeof config.credHelpers === 'object' && config.credHelpers !== null ? config.credHelpers : {};
  for (const [key, helper] of Object.entries(helpers)) {
    const host = normaliseRegistryKey(key);
    if (credentials.has(host)) continue;
    problems.push(
      warning(
        '',
        0,
        `The docker config sends ${host} to the credential helper "docker-credential-${String(helper)}", which this action does not run; ${host} is accessed anonymously. Log in with docker/login-action (or write an "auths" entry) instead.`,
      ),
    );
  }
  if (typeof config.credsStore === 'string' && config.credsStore !== '') {
    const hosts = emptyEntries.filter(
      (host) => !Object.keys(helpers).some((k) => normaliseRegistryKey(k) === host),
    );
    const names = hosts.length > 0 ? hosts.join(', ') : 'registries without an "auths" entry';
    problems.push(
      warning(
        '',
        0,
        `The docker config keeps credentials in the store "docker-credential-${config.credsStore}", which this action does not run; ${names} ${hosts.length === 1 ? 'is' : 'are'} accessed anonymously.`,
      ),
    );
  }
  return { credentials, problems };
}

/**
 * Reads the docker config. A missing file means no credentials; an unreadable one is a warning.
 * `DOCKER_AUTH_CONFIG` (same JSON, docker/cli#6008) takes precedence over the file, entry by entry.
 */
export async function readDockerConfig(
  maskSecret: (value: string) => void,
  options: { path?: string; env?: Record<string, string | undefined> } = {},
): Promise<DockerCredentials> {
  const env = options.env ?? process.env;
  const path = options.path ?? dockerConfigPath(env);
  let result: DockerCredentials = { credentials: new Map(), problems: [] };
  try {
    result = parseDockerConfig(await readFile(path, 'utf8'), maskSecret);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      result.problems.push(
        warning('', 0, `Could not read the docker config ${path}: ${(error as Error).message}`),
      );
    }
  }
  if (env.DOCKER_AUTH_CONFIG) {
    maskSecret(env.DOCKER_AUTH_CONFIG);
    const fromEnv = parseDockerConfig(env.DOCKER_AUTH_CONFIG, maskSecret);
    for (const [host, credentials] of fromEnv.credentials) result.credentials.set(host, credentials);
    result.problems.push(...fromEnv.problems);
  }
  return result;
}
