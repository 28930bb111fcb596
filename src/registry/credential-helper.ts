/**
 * Docker credential helpers, run the way Docker runs them (docker/docker-credential-helpers
 * `client/client.go`): `docker-credential-<name> get` found on PATH, the server address on stdin
 * (no newline), and on stdout either
 *
 *   {"ServerURL": "europe-docker.pkg.dev", "Username": "oauth2accesstoken", "Secret": "ya29..."}
 *
 * or, with a non-zero exit, an error message; `credentials not found in native keychain` means the
 * helper has nothing for that address. A `Username` of `<token>` means `Secret` is an identity
 * (refresh) token (docker/cli `cli/config/credentials/native_store.go`). This is how
 * `gcloud auth configure-docker` (helper `gcloud`), `amazon-ecr-credential-helper` (`ecr-login`),
 * `docker-credential-acr-env` and the desktop key stores hand out credentials.
 *
 * Each run is bounded: a timeout (the helper and everything it started are killed) and a cap on
 * what it may write. Docker Hub's address is `https://index.docker.io/v1/`, as `docker login`
 * stores it; any other registry's is its host.
 */
import { DOCKER_HUB } from '../image/reference.js';
import { warning } from '../problems.js';
import type { RegistryCredentials } from './auth.js';
import type { DockerCredentials } from './docker-config.js';
import { byteCount } from '../byte-count.js';
import { SecretRedactor } from './redact.js';

/** Longest a helper may take (gcloud's helper starts Python and may refresh a token). */
export const HELPER_TIMEOUT_MS = 30_000;
/** Most a helper may write to stdout (a GCP or ECR token is a few KiB). */
export const HELPER_MAX_OUTPUT_BYTES = 64 * 1024;
/** What Docker's helpers print when they have nothing for the address. */
const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';
/** docker/cli's `tokenUsername`: the secret is an identity token. */
const TOKEN_USERNAME = '<token>';
/** Helper names Docker would find as one file on PATH (no path separators, no option-like names). */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What one `get` gave. */
export type HelperAnswer =
  | { kind: 'found'; credentials: RegistryCredentials }
  | { kind: 'not-found' }
  /** `reason` completes "docker-credential-x ..." (e.g. "timed out after 30 s"). */
  | { kind: 'failed'; reason: string };

/** How helpers are run. */
export interface HelperRunOptions {
  /**
   * The environment the helper sees (its PATH finds it), less the step's inputs
   * ({@link helperEnvironment}); default `process.env`.
   */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  maxOutputBytes?: number;
  /**
   * Ends a helper's process group (default: SIGKILL to it). Windows has no process groups:
   * there `process.kill(-pid)` throws ESRCH (https://github.com/nodejs/node/issues/3617), as a
   * test's replacement does.
   */
  killGroup?: (pid: number) => void;
}

const killProcessGroup = (pid: number): void => {
  process.kill(-pid, 'SIGKILL');
};

/** Whether `name` can be a helper's name (`ecr-login`, `gcloud`, `desktop`, `osxkeychain`). */
export function isHelperName(name: string): boolean {
  return HELPER_NAME.test(name);
}

/** The address a helper is asked about for a normalised registry host. */
export function helperServerAddress(host: string): string {
  return host === DOCKER_HUB ? 'https://index.docker.io/v1/' : host;
}

/** Text from a helper, safe and short enough for a message. */
function shortText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length <= 200 ? clean : `${clean.slice(0, 200)}…`;
}

/** Takes out what is shaped like a credential (no secret is known: the helper failed to give one). */
const credentialShapes = new SecretRedactor();

/**
 * What a failed helper said, for its warning: its stdout, else its stderr, with anything shaped
 * like a credential taken out (`Basic …`, `password=…`). Nothing when either holds a JSON object:
 * a broken helper may print its answer, credentials and all, after a line of its own.
 */
function failureWords(stdout: string, stderr: string): string {
  if (stdout.includes('{') || stderr.includes('{')) return '';
  return shortText(credentialShapes.redact(stdout)) || shortText(credentialShapes.redact(stderr));
}

/** Reads a helper's successful answer. */
function parseAnswer(stdout: string): HelperAnswer {
  let answer: { Username?: unknown; Secret?: unknown };
  try {
    answer = JSON.parse(stdout);
  } catch {
    return { kind: 'failed', reason: 'answered with something other than JSON' };
  }
  if (typeof answer !== 'object' || answer === null || typeof answer.Secret !== 'string')
    return { kind: 'failed', reason: 'answered without a "Secret"' };
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  if (answer.Secret === '') return { kind: 'not-found' };
  return {
    kind: 'found',
    credentials:
      username === TOKEN_USERNAME ? { identityToken: answer.Secret } : { username, password: answer.Secret },
  };
}

/**
 * What the runner gives a JavaScript Action and never a `run:` step: the Actions runtime (its token
 * may write this repository's caches and artifacts), which `actions/cache` uses.
 */
const ACTION_RUNTIME = new Set([
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
]);

/**
 * The environment a helper runs in: the run's, without the step's inputs (`INPUT_*`, the
 * runner's way of passing `with:` values), which hold the Action's GitHub token, nor the Actions
 * runtime given to this Action alone. Docker runs its helpers in its own environment, a `run:`
 * step's, where neither is; a helper (a third party's program, which may log its environment when
 * it fails) has no use for them.
 */
export function helperEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^INPUT_/i.test(name) && !ACTION_RUNTIME.has(name.toUpperCase())),
  );
}

/** Runs `docker-credential-<helper> get` for `host`. Never throws. */
export async function runCredentialHelper(
  helper: string,
  host: string,
  options: HelperRunOptions = {},
): Promise<HelperAnswer> {
  const timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS;
  const maxOutputBytes = options.maxOutputBytes ?? HELPER_MAX_OUTPUT_BYTES;
  const program = `docker-credential-${helper}`;
  if (!isHelperName(helper)) return { kind: 'failed', reason: 'is not a valid helper name' };
  // Loaded once a helper is run: most runs run none, and node:child_process costs a bundle's start
  // about 3 ms (issue 17).
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let settled = false;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    // Its own process group, so a timeout also ends whatever the helper started (gcloud, aws).
    const child = spawn(program, ['get'], {
      env: helperEnvironment(options.env ?? process.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const finish = (answer: HelperAnswer, kill: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (kill && child.pid !== undefined) {
        try {
          (options.killGroup ?? killProcessGroup)(child.pid);
        } catch {
          // Already gone, or no process group (Windows): the helper itself is ended. Left running,
          // it kept the run's process alive after the timeout until it ended on its own, if ever.
          child.kill('SIGKILL');
        }
      }
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () => finish({ kind: 'failed', reason: `timed out after ${timeoutMs / 1000} s` }, true),
      timeoutMs,
    );
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(
        {
          kind: 'failed',
          reason:
            error.code === 'ENOENT'
              ? `is not installed (${program} was not found on PATH)`
              : `could not be started: ${error.message}`,
        },
        false,
      );
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxOutputBytes) {
        finish({ kind: 'failed', reason: `wrote more than ${byteCount(maxOutputBytes)}` }, true);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 1024) stderr += chunk.toString('utf8');
    });
    child.on('close', (code, signal) => {
      const out = Buffer.concat(stdout).toString('utf8');
      if (code === 0) {
        finish(parseAnswer(out), false);
        return;
      }
      const message = failureWords(out, stderr);
      if (message === NOT_FOUND_MESSAGE) finish({ kind: 'not-found' }, false);
      else
        finish(
          {
            kind: 'failed',
            reason: `failed (${signal ? `killed by ${signal}` : `exit code ${code}`})${message ? `: ${message}` : ''}`,
          },
          false,
        );
    });
    // A helper that does not read its stdin must not break the run (EPIPE).
    child.stdin.on('error', () => undefined);
    child.stdin.end(helperServerAddress(host));
  });
}

/** Options of {@link createCredentialLookup}. */
export interface CredentialLookupOptions extends HelperRunOptions {
  /** Called with every secret a helper gives, before it is used. */
  maskSecret: (value: string) => void;
}

/**
 * Returns `lookUp(host)`, which asks the helper the docker config names for `host` (its
 * `credHelpers` entry, else `credsStore` when `host` has no usable `auths` credentials) once per
 * run, and puts what it gives into `docker.credentials`. Mirrors are looked up by the mirror's host.
 * A helper that is missing, fails, times out or has nothing for a host it was named for is a
 * warning in `docker.problems` naming the file, the helper and the host, and the registry is read
 * with its `auths` credentials if any, else anonymously. A store with nothing for a registry never
 * logged in to is not a problem (Docker asks it about every registry).
 */
export function createCredentialLookup(
  docker: DockerCredentials,
  options: CredentialLookupOptions,
): (host: string) => Promise<void> {
  const lookups = new Map<string, Promise<void>>();
  const lookUp = async (host: string): Promise<void> => {
    const named = docker.helpers.get(host);
    const hasAuths = docker.credentials.has(host);
    const configured = named ?? (hasAuths ? undefined : docker.store);
    if (!configured) return;
    const setting = named ? 'credHelpers' : 'credsStore';
    const answer = await runCredentialHelper(configured.helper, host, options);
    if (answer.kind === 'found') {
      const { password, identityToken } = answer.credentials;
      for (const secret of [password, identityToken]) if (secret) options.maskSecret(secret);
      docker.credentials.set(host, answer.credentials);
      return;
    }
    if (answer.kind === 'not-found' && setting === 'credsStore' && !docker.storeHosts.has(host)) return;
    const which = `${setting === 'credHelpers' ? 'helper' : 'store'} docker-credential-${configured.helper} (${setting})`;
    const reason = answer.kind === 'failed' ? answer.reason : 'has no credentials for it';
    const instead = hasAuths ? `its "auths" entry is used instead` : `${host} is read anonymously`;
    // A helper that failed is not one with nothing for the host: a 401 must not say "none found".
    if (answer.kind === 'failed' && !hasAuths) docker.unreadable.add(host);
    docker.problems.push(
      warning(
        '',
        0,
        `The docker config ${configured.source} sends ${host} to the credential ${which}, which ${reason}; ${instead}.`,
      ),
    );
  };
  return (host) => {
    let lookup = lookups.get(host);
    if (!lookup) {
      lookup = lookUp(host);
      lookups.set(host, lookup);
    }
    return lookup;
  };
}
