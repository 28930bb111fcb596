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
 * Says whose credentials were looked up for a registry and whether any were found, for messages
 * about failed authentication: `no credentials for mirror.example.com were found`.
 */
export function describeCredentialLookup(host: string, credentials: RegistryCredentials | undefined): string {
  if (!credentials) return `no credentials for ${host} were found`;
  return `credentials for ${host} were found${credentials.origin ? ` (${credentials.origin})` : ''}`;
}

/** Why a registry's credentials were not sent to the token service it named. */
export function withheld(registry: string, realmHost: string): string {
  return (
    `credentials for ${registry} were found but not sent to ${realmHost}, which is neither ${registry}'s ` +
    "host nor a host of its domain: a registry's credentials go only there, so the token was asked for without them"
  );
}
