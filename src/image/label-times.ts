/**
 * Build times from labels, for Flux v1's own images (FLUX-V1-RULES R10.2). fluxd's
 * `--registry-use-labels` (default `index.docker.io/weaveworks/*` and `index.docker.io/fluxcd/*`)
 * named the repositories whose images' build time is their `org.opencontainers.image.created`
 * label, else their `org.label-schema.build-date` label, else the config's `created`
 * (`pkg/registry/cache/registry.go` `TimestampLabelWhitelist.apply`). Flux applied it when reading
 * a repository's metadata, so the order by build time, the times shown and everything else that
 * reads a build time saw the label's; {@link labelTimedRegistry} does the same at the port.
 *
 * Flux matched the patterns with go-glob (`*` crosses `/`, case-sensitive) against the canonical
 * name: Docker Hub as `index.docker.io`, `library/` added. `registry-1.docker.io`, the endpoint
 * behind Docker Hub, counts as Docker Hub here (Flux kept it as another registry), and host names
 * are compared in lower case. Pure.
 */
import { matchGlob } from '../filters/glob-filter.js';
import type { RegistryError, RegistryPort, TagDetails } from '../ports.js';
import { DOCKER_HUB, splitRepository } from './reference.js';

/** fluxd's default `--registry-use-labels` (`cmd/fluxd/main.go`). */
export const LABEL_TIME_REPOSITORIES: readonly string[] = [
  'index.docker.io/weaveworks/*',
  'index.docker.io/fluxcd/*',
];

/** Host names that mean Docker Hub, which Flux's canonical names spell `index.docker.io`. */
const DOCKER_HUB_HOSTS = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);

/** Flux v1's canonical name of a normalised repository: `docker.io/fluxcd/flux` -> `index.docker.io/fluxcd/flux`. */
export function fluxCanonicalName(repository: string): string {
  const { registry, path } = splitRepository(repository);
  const host = registry.toLowerCase();
  return `${DOCKER_HUB_HOSTS.has(host) ? 'index.docker.io' : host}/${path}`;
}

/** True when the images of a normalised repository take their build time from their labels. */
export function usesLabelTimes(
  repository: string,
  patterns: readonly string[] = LABEL_TIME_REPOSITORIES,
): boolean {
  const canonical = fluxCanonicalName(repository);
  return patterns.some((pattern) => matchGlob(pattern, canonical));
}

/**
 * The two build-time labels' values, each through `convert` (read, written, parsed); a label
 * absent, or that `convert` makes undefined, is left out.
 */
export function mapLabelTimes<A, B>(
  labels: { created?: A; buildDate?: A } | undefined,
  convert: (value: A) => B | undefined,
): { created?: B; buildDate?: B } {
  const created = labels?.created === undefined ? undefined : convert(labels.created);
  const buildDate = labels?.buildDate === undefined ? undefined : convert(labels.buildDate);
  return { ...(created !== undefined ? { created } : {}), ...(buildDate !== undefined ? { buildDate } : {}) };
}

/** The label time Flux v1 preferred: the OCI label's, else the Label Schema one's; undefined without either. */
export function preferredLabelTime<T>(labels: { created?: T; buildDate?: T } | undefined): T | undefined {
  return labels?.created ?? labels?.buildDate;
}

/**
 * The build time Flux v1 used for an image of such a repository: the OCI label, else the Label
 * Schema one, else `created`. A label that is absent or not RFC 3339 never replaces anything.
 */
export function labelTimedDetails(details: TagDetails): TagDetails {
  const label = preferredLabelTime(details.labelTimes);
  return label === undefined ? details : { ...details, created: label };
}

/**
 * `registry` with the build times of the repositories {@link usesLabelTimes} names taken from their
 * labels; every other repository, and every failed tag, is answered as `registry` answers it.
 */
export function labelTimedRegistry(registry: RegistryPort): RegistryPort {
  return {
    listTags: (repository) => registry.listTags(repository),
    async describeTags(repository, tags, onDescribed) {
      const details = await registry.describeTags(repository, tags, onDescribed);
      if (!usesLabelTimes(repository)) return details;
      const timed = new Map<string, TagDetails | RegistryError>();
      for (const [tag, found] of details)
        timed.set(tag, found instanceof Error ? found : labelTimedDetails(found));
      return timed;
    },
    ...(registry.describePlatforms ? { describePlatforms: registry.describePlatforms.bind(registry) } : {}),
    ...(registry.stop ? { stop: registry.stop.bind(registry) } : {}),
    ...(registry.listAhead ? { listAhead: registry.listAhead.bind(registry) } : {}),
    ...(registry.settleAhead ? { settleAhead: registry.settleAhead.bind(registry) } : {}),
    ...(registry.writing ? { writing: registry.writing.bind(registry) } : {}),
  };
}
