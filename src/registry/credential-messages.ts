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

/** Why a registry's credentials were not sent to the token service it named (`realm`, its URL). */
export function withheld(registry: string, realm: string): string {
  const { host, hostname } = new URL(realm);
  // On the registry's own host, a realm is refused only over plain HTTP named by a registry read
  // over HTTPS (credential-hosts.ts).
  const why =
    hostname === new URL(`https://${registry}`).hostname
      ? `${host} over plain HTTP, named by ${registry} over HTTPS: its credentials never leave HTTPS ` +
        '(have the registry name an https:// token realm)'
      : `${host}, which is neither ${registry}'s host nor a host of its domain: a registry's credentials go only there`;
  return `credentials for ${registry} were found but not sent to ${why}, so the token was asked for without them`;
}

/**
 * After a token service's refusal (`status`): which credentials it was sent, and what to do.
 * Credentials are blamed only when they were sent (and which: the GitHub token, or the Docker
 * config's); a 403 to credentials that were sent is about what they may read, not whether they are
 * right. Without credentials, it says so as a fact, and how to give some if the repository is
 * private. `configured` are the registry's credentials, `sent` those the request carried (none
 * when the realm is not a host they belong to).
 */
export function tokenRefusalAdvice(refusal: {
  registry: string;
  /** The token service's URL (its realm). */
  realm: string;
  status: number;
  configured: RegistryCredentials | undefined;
  sent: RegistryCredentials | undefined;
  unreadable: UnreadableCredentials | undefined;
  loginAdvice: LoginAdvice;
}): string {
  const { registry, realm, status, configured, sent, unreadable, loginAdvice } = refusal;
  if (configured && !sent) return withheld(registry, realm);
  if (sent) {
    const which = `the credentials for ${registry} (${sent.origin ?? 'from the Docker config'}) were sent`;
    if (sent.origin === GITHUB_TOKEN_ORIGIN || status === 401)
      return `${which}: ${refusedCredentialsAdvice(sent)}`;
    return `${which} and may not read this repository: check that they are allowed to pull it`;
  }
  if (unreadable)
    return (
      `it was asked without credentials: ${describeCredentialLookup(registry, undefined, unreadable)}; ` +
      missingCredentialsAdvice(registry, unreadable, loginAdvice)
    );
  return (
    `it was asked without credentials (${describeCredentialLookup(registry, undefined)}); ` +
    `if the repository is private: ${loginAdvice(registry)}`
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
