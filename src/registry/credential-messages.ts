/**
 * How messages about refused or withheld registry credentials say whose credentials were looked
 * up and what to do: shared by the token service's refusals (auth.ts) and the registry's own
 * (registry-session.ts), so both give the same advice.
 */
import type { RegistryCredentials } from './auth.js';

/** {@link RegistryCredentials.origin} of the workflow's token, used for ghcr.io when nothing is configured. */
export const GITHUB_TOKEN_ORIGIN = 'the GitHub token';

/**
 * What to do when a registry or its token service refuses credentials that were sent: check them;
 * for the workflow's own token, which the user never gave, say what GitHub needs (actions/runner
 * #1039: "installation not allowed to Read organization package").
 */
export function refusedCredentialsAdvice(credentials: RegistryCredentials): string {
  return credentials.origin === GITHUB_TOKEN_ORIGIN
    ? "give the job `permissions: packages: read`; a private package of another repository must grant this repository access (the package's settings, Manage Actions access), or log in to ghcr.io with a token that can read it"
    : 'check them';
}

/**
 * How to give a registry host credentials, as the shell that runs says it: the Action points to
 * `docker/login-action`, the CLI to `docker login` and `--docker-config`. Injected, so the
 * registry client never knows which shell runs it.
 */
export type LoginAdvice = (host: string) => string;

/** The advice when the shell gives none: true wherever the run reads its credentials from. */
export const DEFAULT_LOGIN_ADVICE: LoginAdvice = (host) => `add credentials for ${host} to the Docker config`;

/** Where the reason is for credentials that were configured but could not be read. */
const UNREADABLE_WHY = 'the warning about the Docker config says why';

/**
 * Why no credentials could be read for a host although some may be configured: its own entry or
 * credential helper failed (`entry`: a helper not installed, an "auths" value not base64), or the
 * whole Docker config `source` (its path, or `DOCKER_AUTH_CONFIG`) could not be read or is not
 * JSON, so nothing is known of what it holds (`config`). Each has a warning that says why.
 */
export type UnreadableCredentials = { kind: 'entry' } | { kind: 'config'; source: string };

/**
 * Says whose credentials were looked up for a registry and whether any were found, for messages
 * about failed authentication: `no credentials for mirror.example.com were found`. Credentials
 * that could not be read ({@link UnreadableCredentials}) are not "none found": a warning said so,
 * and this must not contradict it.
 */
export function describeCredentialLookup(
  host: string,
  credentials: RegistryCredentials | undefined,
  unreadable?: UnreadableCredentials,
): string {
  if (!credentials) {
    if (unreadable?.kind === 'entry') return `the credentials configured for ${host} could not be read`;
    if (unreadable?.kind === 'config')
      return `credentials for ${host} could not be read, as the Docker config ${unreadable.source} could not be read`;
    return `no credentials for ${host} were found`;
  }
  return `credentials for ${host} were found${credentials.origin ? ` (${credentials.origin})` : ''}`;
}

/**
 * What to do when no credentials were sent to `host`: give some (the shell's advice), or, when
 * configured ones could not be read, read the warning that says why: the fix is there (install
 * the helper, repair the entry), not in logging in.
 */
export function missingCredentialsAdvice(
  host: string,
  unreadable: UnreadableCredentials | undefined,
  loginAdvice: LoginAdvice,
): string {
  return unreadable ? UNREADABLE_WHY : loginAdvice(host);
}

/** Why a registry's credentials were not sent to the token service it named. */
export function withheld(registry: string, realmHost: string): string {
  return (
    `credentials for ${registry} were found but not sent to ${realmHost}, which is neither ${registry}'s ` +
    "host nor a host of its domain: a registry's credentials go only there, so the token was asked for without them"
  );
}

/** How a registry without credentials gets a higher pull limit (Docker Hub's is per account). */
export function higherLimitAdvice(
  host: string,
  unreadable: UnreadableCredentials | undefined,
  loginAdvice: LoginAdvice,
): string {
  if (unreadable?.kind === 'entry')
    return `fix the credentials configured for ${host}, which could not be read (${UNREADABLE_WHY}), for a higher limit`;
  if (unreadable?.kind === 'config')
    return `fix the Docker config ${unreadable.source}, which could not be read (${UNREADABLE_WHY}), for a higher limit`;
  return `${loginAdvice(host)} for a higher limit`;
}
