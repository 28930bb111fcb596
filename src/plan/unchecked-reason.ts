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

/** True for a container decided `error` because its registry could not be checked. */
export function isUnchecked(container: ContainerDecision): boolean {
  return (
    container.decision === 'error' && container.reason.startsWith(uncheckedReason(container.repository, ''))
  );
}
