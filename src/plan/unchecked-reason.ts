/**
 * The reason of a container the registry could not be checked for, said one way, so that the
 * reports can tell that failure from the other errors a container is decided with before any
 * request (a release held by a mistake in its annotations, a file Flux v1 could not read). Pure.
 */
import type { ContainerDecision } from './types.js';

/** `could not check docker.io/bitnami/redis: <why>`. */
export function uncheckedReason(repository: string, why: string): string {
  return `could not check ${repository}: ${why}`;
}

/**
 * True for a container decided `error` because its registry could not be checked (`registryFailed`,
 * set by the planner): its listing failed, no tag could be read, or the registry failed the digest
 * of a pinned image after listing it.
 */
export function isUnchecked(container: ContainerDecision): boolean {
  return container.decision === 'error' && container.registryFailed === true;
}

/**
 * Statuses that say the registry failed, whatever image was asked for: its credentials refused
 * (401, 403, a proxy's 407), a timeout (408), its rate limit (429), a server error (5xx).
 */
function isRegistryStatus(status: number): boolean {
  return [401, 403, 407, 408, 429].includes(status) || status >= 500;
}

/**
 * Whether a read of one image failed for the registry's reason, not the image's own: no answer
 * at all (no status: the network, a timeout, the run's registry budget) or a status that says the
 * registry failed. An answer about the image (404: no such manifest; 200 with content that cannot
 * be used: not the hash of its digest, an index that lists no image for the platform) is the
 * image's, and the registry's other answers show it was up.
 */
export function isRegistrySideError(error: Error & { status?: number }): boolean {
  return error.status === undefined || isRegistryStatus(error.status);
}
