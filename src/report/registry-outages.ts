/**
 * Registries no repository of which could be read in a run: a host that is down, refuses the
 * run's credentials or is not where a mirror setting points. Each of its containers is still a
 * problem at its own file and line; these say it once, first, so that an operator whose whole
 * registry failed reads one cause instead of the same error under every container (a run with 300
 * repositories on a host that refused connections listed 1,806). Pure.
 */
import type { ContainerDecision, DecisionKind } from '../plan/types.js';
import { isUnchecked } from '../plan/unchecked-reason.js';
import { plural } from '../plural.js';

/** A registry host none of whose repositories could be read. */
export interface RegistryOutage {
  /** `ghcr.io`: the host of the normalised repository names. */
  host: string;
  /** Its repositories the run looked up (each failed). */
  repositories: number;
  /** Its containers that could not be checked. */
  containers: number;
  /** The first of their reasons, as each container's problem says it. */
  firstReason: string;
}

/**
 * Decisions that need the registry to have answered for the repository. `skipped` is not among them,
 * as many are decided before any request (an untagged image); an `error` that says the registry
 * could not be checked is the failure.
 */
const READ_DECISIONS: ReadonlySet<DecisionKind> = new Set([
  'update',
  'up-to-date',
  'too-new',
  'no-matching-tag',
]);

/** The fewest failed repositories that make a host's failure one cause rather than a few. */
const MIN_REPOSITORIES = 2;

/** `docker.io/bitnami/redis` → `docker.io`. */
function hostOf(repository: string): string {
  const slash = repository.indexOf('/');
  return slash === -1 ? repository : repository.slice(0, slash);
}

/**
 * The hosts on which every repository looked up failed, at least {@link MIN_REPOSITORIES} of them, in
 * the order their first container comes; a host with one repository read is not among them.
 */
export function registryOutages(containers: readonly ContainerDecision[]): RegistryOutage[] {
  const hosts = new Map<
    string,
    { failed: Set<string>; read: boolean; containers: number; firstReason: string | undefined }
  >();
  for (const c of containers) {
    // Other errors (a release held by a mistake, a file Flux could not read) asked no registry.
    const failed = isUnchecked(c);
    if (!failed && !READ_DECISIONS.has(c.decision)) continue;
    const host = hostOf(c.repository);
    let entry = hosts.get(host);
    if (!entry) {
      entry = { failed: new Set(), read: false, containers: 0, firstReason: undefined };
      hosts.set(host, entry);
    }
    if (!failed) {
      entry.read = true;
      continue;
    }
    entry.failed.add(c.repository);
    entry.containers += 1;
    entry.firstReason ??= c.reason;
  }
  const outages: RegistryOutage[] = [];
  for (const [host, entry] of hosts) {
    if (entry.read || entry.failed.size < MIN_REPOSITORIES) continue;
    outages.push({
      host,
      repositories: entry.failed.size,
      containers: entry.containers,
      firstReason: entry.firstReason!,
    });
  }
  return outages;
}

/**
 * What every report says of an outage, after its host: `none of its 300 repositories could be read,
 * so 1806 containers were not checked`; each report adds where the containers are listed.
 */
export function outageText(o: RegistryOutage): string {
  return (
    `none of its ${plural(o.repositories, 'repository', 'repositories')} could be read, ` +
    `so ${plural(o.containers, 'container')} were not checked`
  );
}
