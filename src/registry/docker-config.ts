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
 * Which credential helper serves which registry is read here (`credHelpers` by host, else
 * `credsStore`); `credential-helper.ts` runs them when a registry is first needed, as Docker does
 * (a helper named for a host wins over its `auths` entry; the store is asked only about registries
 * without usable `auths` credentials). Every secret goes through `maskSecret` as soon as it is read.
 * Messages name the file (or `DOCKER_AUTH_CONFIG`) they are about.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../input-values.js';
import { findJsonSyntaxError } from '../json-syntax-error.js';
import { warning, type Problem } from '../problems.js';
import { normaliseRegistryKey } from './registry-names.js';
import type { RegistryCredentials } from './auth.js';
import { isHelperName } from './credential-helper.js';
import { readRegularFile } from './regular-file.js';

/** A credential helper the config names, and where it was read. */
export interface ConfiguredHelper {
  /** `ecr-login` for `docker-credential-ecr-login`. */
  helper: string;
  /** The file's path, or `DOCKER_AUTH_CONFIG`. */
  source: string;
}

/** Credentials by normalised registry host, the helpers that may supply more, and problems. */
export interface DockerCredentials {
  credentials: Map<string, RegistryCredentials>;
  problems: Problem[];
  /** `credHelpers`: registry host -> its helper. */
  helpers: Map<string, ConfiguredHelper>;
  /** `credsStore`: the helper for every other registry. */
  store?: ConfiguredHelper;
  /** Hosts with an `auths` entry but no credentials in it: `docker login` put them in the store. */
  storeHosts: Set<string>;
  /**
   * Hosts whose configured credentials could not be read, each with a warning in `problems` (an
   * `auth` value not base64, a helper that is not a helper name, or, added while the run goes, a
   * helper that failed), so an authentication failure does not say none were configured.
   */
  unreadable: Set<string>;
  /**
   * The Docker config (its path, or `DOCKER_AUTH_CONFIG`) that exists but could not be read at all
   * (unreadable, not JSON, no JSON object), with a warning in `problems`: whatever it holds is
   * unknown, so an authentication failure says the credentials could not be read, and where.
   */
  unreadableConfig?: string;
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

/**
 * Parses a docker config's text; `source` (its path, or `DOCKER_AUTH_CONFIG`) is named in
 * messages. Pure except for the `maskSecret` callback.
 */
export function parseDockerConfig(
  text: string,
  maskSecret: (value: string) => void,
  source = 'config.json',
): DockerCredentials {
  const credentials = new Map<string, RegistryCredentials>();
  const problems: Problem[] = [];
  const helpers = new Map<string, ConfiguredHelper>();
  const storeHosts = new Set<string>();
  const unreadable = new Set<string>();
  const result = (store?: ConfiguredHelper, unreadableConfig?: string): DockerCredentials => ({
    credentials,
    problems,
    helpers,
    ...(store ? { store } : {}),
    storeHosts,
    unreadable,
    ...(unreadableConfig === undefined ? {} : { unreadableConfig }),
  });
  let config: {
    auths?: Record<string, AuthEntry>;
    credsStore?: unknown;
    credHelpers?: Record<string, unknown>;
  };
  try {
    config = JSON.parse(text);
  } catch {
    // Never the parser's message: V8 quotes the text around the error, a piece of a password.
    const error = findJsonSyntaxError(text);
    const where = error ? ` (line ${error.line}, column ${error.column}: ${error.problem})` : '';
    problems.push(
      warning(
        '',
        0,
        `The docker config ${source} is not valid JSON${where}; registries are accessed anonymously.`,
      ),
    );
    return result(undefined, source);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    // `null`, `[]`, `"..."`: JSON, but nothing Docker reads credentials from; not a silent "none".
    problems.push(
      warning(
        '',
        0,
        `The docker config ${source} is not a JSON object; registries are accessed anonymously.`,
      ),
    );
    return result(undefined, source);
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    // `null` is an empty entry to Docker's decoder.
    if (entry === null) continue;
    const host = normaliseRegistryKey(key);
    if (typeof entry !== 'object' || Array.isArray(entry)) {
      // Docker refuses such a file; ignoring the entry without a word would have a 401 say that
      // no credentials were configured. A string there is most likely the `auth` value itself.
      if (typeof entry === 'string' && entry !== '') maskSecret(entry);
      problems.push(
        warning(
          '',
          0,
          `The docker config entry for ${host} in ${source} is not a JSON object (write {"auth": "<base64 of user:password>"} or {"username": "...", "password": "..."}); it is ignored.`,
        ),
      );
      unreadable.add(host);
      continue;
    }
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
            `The docker config entry for ${host} in ${source} has an "auth" value that is not base64 of user:password; it is ignored.`,
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
    else storeHosts.add(host);
    if (!usable && typeof entry.auth === 'string' && entry.auth !== '') unreadable.add(host);
  }
  const named =
    typeof config.credHelpers === 'object' && config.credHelpers !== null ? config.credHelpers : {};
  const usableHelper = (setting: string, name: unknown): name is string => {
    if (typeof name === 'string' && isHelperName(name)) return true;
    problems.push(
      warning(
        '',
        0,
        `The docker config ${source} names the credential helper ${JSON.stringify(name)} in ${setting}, which is not a helper name (like "ecr-login"); it is not run.`,
      ),
    );
    return false;
  };
  for (const [key, helper] of Object.entries(named)) {
    // Docker's "use the default store" spelling.
    if (helper === '') continue;
    if (usableHelper(`credHelpers["${key}"]`, helper))
      helpers.set(normaliseRegistryKey(key), { helper, source });
    else if (!credentials.has(normaliseRegistryKey(key))) unreadable.add(normaliseRegistryKey(key));
  }
  const store =
    typeof config.credsStore === 'string' &&
    config.credsStore !== '' &&
    usableHelper('credsStore', config.credsStore)
      ? { helper: config.credsStore, source }
      : undefined;
  // `docker login` put these hosts' credentials in a store that is not run.
  if (!store && config.credsStore !== undefined && config.credsStore !== '')
    for (const host of storeHosts) unreadable.add(host);
  return result(store);
}

/** True when `path` is a file (following links). */
function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Largest docker config read (one holds a few KiB per registry). */
export const MAX_DOCKER_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads the docker config. At the default place (`$DOCKER_CONFIG`, `~/.docker`) a missing file means
 * no credentials; a `path` the user named (the `docker-config` input) that names no file is a mistake
 * in the configuration, an {@link InputError}: ignoring it would run without the credentials meant
 * and blame the registry. A file that cannot be used (not a regular file, over
 * {@link MAX_DOCKER_CONFIG_BYTES}, unreadable) is a warning and no credentials.
 * `DOCKER_AUTH_CONFIG` (same JSON, docker/cli#6008) takes precedence over the file, entry by entry.
 */
export async function readDockerConfig(
  maskSecret: (value: string) => void,
  options: { path?: string; env?: Record<string, string | undefined> } = {},
): Promise<DockerCredentials> {
  const env = options.env ?? process.env;
  const path = options.path ?? dockerConfigPath(env);
  let result: DockerCredentials = {
    credentials: new Map(),
    problems: [],
    helpers: new Map(),
    storeHosts: new Set(),
    unreadable: new Set(),
  };
  const read = await readRegularFile(path, MAX_DOCKER_CONFIG_BYTES);
  // A folder named by the input is most likely $DOCKER_CONFIG's: the file is in it.
  if (!read.ok && !read.missing && options.path !== undefined && read.reason.startsWith('is a directory')) {
    throw new InputError(
      'docker-config',
      `${path} is a directory; give the path of the docker config file in it (${join(path, 'config.json')}), or leave it out to use $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
    );
  }
  if (read.ok) result = parseDockerConfig(read.text, maskSecret, path);
  else if (read.missing && options.path !== undefined) {
    throw new InputError(
      'docker-config',
      `${path} does not exist; give the path of a docker config file, or leave it out to use $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
    );
  } else if (!read.missing) {
    result.problems.push(
      warning('', 0, `The docker config ${path} ${read.reason}; registries are accessed anonymously.`),
    );
    result.unreadableConfig = path;
  } else if (options.path === undefined && env.DOCKER_CONFIG && (await isFile(env.DOCKER_CONFIG))) {
    // DOCKER_CONFIG set to the file itself: no config.json below it, but not "none configured".
    result.problems.push(
      warning(
        '',
        0,
        `DOCKER_CONFIG names the file ${env.DOCKER_CONFIG}, not a folder: the docker config is read from ` +
          `$DOCKER_CONFIG/config.json; set DOCKER_CONFIG to ${basename(env.DOCKER_CONFIG) === 'config.json' ? dirname(env.DOCKER_CONFIG) : 'the folder that holds config.json'}. Registries are accessed anonymously.`,
      ),
    );
    result.unreadableConfig = path;
  }
  if (env.DOCKER_AUTH_CONFIG) {
    maskSecret(env.DOCKER_AUTH_CONFIG);
    const fromEnv = parseDockerConfig(env.DOCKER_AUTH_CONFIG, maskSecret, 'DOCKER_AUTH_CONFIG');
    for (const [host, credentials] of fromEnv.credentials) {
      result.credentials.set(host, credentials);
      // Credentials given in the variable beat a helper the file names for that host.
      result.helpers.delete(host);
      result.storeHosts.delete(host);
      result.unreadable.delete(host);
    }
    for (const [host, helper] of fromEnv.helpers) result.helpers.set(host, helper);
    for (const host of fromEnv.storeHosts) if (!result.credentials.has(host)) result.storeHosts.add(host);
    for (const host of fromEnv.unreadable) if (!result.credentials.has(host)) result.unreadable.add(host);
    if (fromEnv.store) result.store = fromEnv.store;
    if (fromEnv.unreadableConfig !== undefined) result.unreadableConfig ??= fromEnv.unreadableConfig;
    result.problems.push(...fromEnv.problems);
  }
  return result;
}
