/**
 * Containers not updated and a run over them, shared by the tests of how the job summary, the
 * dashboard and the CLI's text group them (container-groups.test.ts, plan-text.test.ts).
 */
import type { ContainerDecision, DecisionKind } from '../../src/plan/types.js';
import type { RunReport } from '../../src/run-update.js';

/** The container `name` of apps/`name`, with `decision` and `reason`. */
export function container(name: string, decision: DecisionKind, reason: string): ContainerDecision {
  return {
    file: `apps/${name}.yaml`,
    line: 7,
    documentIndex: 0,
    release: `apps/${name}`,
    container: name,
    image: `ghcr.io/acme/${name}:1.0.0`,
    repository: `ghcr.io/acme/${name}`,
    current: '1.0.0',
    filter: 'semver:^1',
    decision,
    reason,
  };
}

/** A run that updated nothing, over `containers`. */
export function report(containers: ContainerDecision[]): RunReport {
  return {
    plan: { containers, updates: [], edits: [], problems: [] },
    pullRequests: [],
    problems: [],
    counts: { files: 1, scanned: 1, releases: 1, containers: containers.length, repositories: 1 },
    timings: { scan: 0, registry: 0, plan: 0, pullRequests: 0 },
  };
}

/** A container of every kind not updated, two up to date, in no particular order. */
export const EVERY_KIND: readonly ContainerDecision[] = [
  container('cache', 'up-to-date', 'up to date (highest version matching ^1)'),
  container('queue', 'not-automated', 'not automated (no fluxcd.io/automated: "true")'),
  container('db', 'locked', 'locked (fluxcd.io/locked: "true"): waiting for the 7.2 migration'),
  container('search', 'no-matching-tag', "none of the repository's 3 tags matches semver:^1"),
  container('legacy', 'ignored', 'ignored (fluxcd.io/ignore: "true")'),
  container('api', 'too-new', 'not proposed yet: 1.1.0 is younger than the minimum release age 3d'),
  container('batch', 'out-of-scope', 'out of scope (not matched by the images input)'),
  container('web', 'up-to-date', 'up to date (highest version matching ^1)'),
];
