/**
 * A registry none of whose repositories could be read is said once, before its containers'
 * problems, in the CLI's text, the job summary and the dashboard issue: a host that refused
 * connections to 300 repositories otherwise read as 1,806 problems, none saying that it was one
 * cause.
 */
import { describe, expect, it } from '@jest/globals';
import type { ContainerDecision, DecisionKind } from '../../src/plan/types.js';
import { error } from '../../src/problems.js';
import { renderDashboard } from '../../src/report/dashboard-text.js';
import { renderPlanText } from '../../src/report/plan-text.js';
import { registryOutages } from '../../src/report/registry-outages.js';
import { renderSummary } from '../../src/report/summary.js';
import { container as appContainer, report } from './not-updated-fixture.js';

/** Container `name` of `repository` (`host/path`), decided `decision`; an error is its listing's failure. */
function container(repository: string, name: string, decision: DecisionKind): ContainerDecision {
  const reason =
    decision === 'error'
      ? `could not check ${repository}: GET ${repository}/tags/list: connect ECONNREFUSED`
      : decision;
  return {
    ...appContainer(name, decision, reason),
    repository,
    image: `${repository}:1.0.0`,
    ...(decision === 'error' ? { registryFailed: true as const } : {}),
  };
}

/** An `error` container of `repository` that the registry did not fail (no `registryFailed`). */
function otherError(repository: string, name: string): ContainerDecision {
  const { registryFailed: _, ...rest } = container(repository, name, 'error');
  return rest;
}

/**
 * Container `name` of an image pinned by digest: its tag list was read, but not its new tag's
 * digest; `registryFailed` when the registry failed that read (a 503), not the image (a 404).
 */
function pinned(repository: string, name: string, registryFailed: boolean): ContainerDecision {
  return {
    ...otherError(repository, name),
    reason: `pinned by digest, and the digest of 1.1.0 could not be read: ${registryFailed ? 'GET … answered 503' : 'manifest unknown'}; not updated`,
    ...(registryFailed ? { registryFailed: true as const } : {}),
  };
}

/** Container `name` of a release its annotations hold: an error, but the registry was never asked. */
function held(repository: string, name: string): ContainerDecision {
  return {
    ...otherError(repository, name),
    reason:
      'a policy annotation is unusable (filter.fluxcd.io/chart-imag names no container of this HelmRelease)',
  };
}

describe('registryOutages', () => {
  const down = 'could not check ghcr.io/acme/a: GET ghcr.io/acme/a/tags/list: connect ECONNREFUSED';
  it.each<[string, ContainerDecision[], ReturnType<typeof registryOutages>]>([
    [
      'every repository of a host failed: one outage, its repositories and containers counted',
      [
        container('ghcr.io/acme/a', 'a', 'error'),
        container('ghcr.io/acme/a', 'a2', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
        container('docker.io/library/redis', 'redis', 'up-to-date'),
      ],
      [{ host: 'ghcr.io', repositories: 2, containers: 3, firstReason: down }],
    ],
    [
      'one repository of the host was read: no outage',
      [
        container('ghcr.io/acme/a', 'a', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
        container('ghcr.io/acme/c', 'c', 'update'),
      ],
      [],
    ],
    [
      'a repository that failed for one container and was read for another counts as read',
      [
        container('ghcr.io/acme/a', 'a', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
        container('ghcr.io/acme/b', 'b2', 'no-matching-tag'),
      ],
      [],
    ],
    [
      'a single failed repository is its own problem, not an outage',
      [container('ghcr.io/acme/a', 'a', 'error'), container('ghcr.io/acme/a', 'a2', 'error')],
      [],
    ],
    [
      'decisions made without the registry neither fail nor read a host',
      [
        container('ghcr.io/acme/a', 'a', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
        container('ghcr.io/acme/c', 'c', 'skipped'),
        container('ghcr.io/acme/d', 'd', 'locked'),
        container('ghcr.io/acme/e', 'e', 'not-automated'),
        container('ghcr.io/acme/f', 'f', 'out-of-scope'),
        container('ghcr.io/acme/g', 'g', 'ignored'),
      ],
      [{ host: 'ghcr.io', repositories: 2, containers: 2, firstReason: down }],
    ],
    [
      'each host on its own, in the order of its first container',
      [
        container('quay.io/x/a', 'qa', 'error'),
        container('ghcr.io/acme/a', 'a', 'error'),
        container('quay.io/x/b', 'qb', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
        container('ghcr.io/acme/c', 'c', 'too-new'),
      ],
      [
        {
          host: 'quay.io',
          repositories: 2,
          containers: 2,
          firstReason: 'could not check quay.io/x/a: GET quay.io/x/a/tags/list: connect ECONNREFUSED',
        },
      ],
    ],
    [
      'an error decided without asking the registry (a release held by a mistake) neither fails nor reads a host',
      [
        held('ghcr.io/acme/h', 'h'),
        container('ghcr.io/acme/a', 'a', 'error'),
        container('ghcr.io/acme/b', 'b', 'error'),
      ],
      [{ host: 'ghcr.io', repositories: 2, containers: 2, firstReason: down }],
    ],
    [
      'one failed repository beside a held release is its own problem, not an outage',
      [held('ghcr.io/acme/h', 'h'), container('ghcr.io/acme/a', 'a', 'error')],
      [],
    ],
    [
      'a pinned digest the registry failed after listing its tags counts with that registry’s failures',
      [container('ghcr.io/acme/a', 'a', 'error'), pinned('ghcr.io/acme/b', 'b', true)],
      [{ host: 'ghcr.io', repositories: 2, containers: 2, firstReason: down }],
    ],
    [
      'a pinned digest that failed for the image’s own reason neither fails nor reads a host',
      [
        container('ghcr.io/acme/a', 'a', 'error'),
        pinned('ghcr.io/acme/p', 'p', false),
        container('ghcr.io/acme/b', 'b', 'error'),
      ],
      [{ host: 'ghcr.io', repositories: 2, containers: 2, firstReason: down }],
    ],
    [
      'one failed listing beside a pinned digest failed for the image’s reason is not an outage',
      [container('ghcr.io/acme/a', 'a', 'error'), pinned('ghcr.io/acme/p', 'p', false)],
      [],
    ],
    ['no containers', [], []],
  ])('%s', (_name, containers, expected) => {
    expect(registryOutages(containers)).toEqual(expected);
  });
});

describe('a registry that could not be read, in the reports', () => {
  const containers = [
    container('ghcr.io/acme/a', 'a', 'error'),
    container('ghcr.io/acme/b', 'b', 'error'),
    container('docker.io/library/redis', 'redis', 'up-to-date'),
  ];
  const run = {
    ...report(containers),
    problems: containers
      .filter((c) => c.decision === 'error')
      .map((c) => error(c.file, c.line, `${c.release} ${c.container}: ${c.reason}`)),
  };

  it('the CLI says it once, before the problems, which still list each container', () => {
    const text = renderPlanText(run);
    const lines = text.split('\n');
    const heading = lines.indexOf('Registries that could not be read (1):');
    expect(heading).toBeGreaterThan(-1);
    expect(lines.slice(heading + 1, heading + 4).join('\n')).toBe(
      [
        '  ghcr.io: none of its 2 repositories could be read, so 2 containers were not checked (each is under',
        '  Problems)',
        '    the first error: could not check ghcr.io/acme/a: GET ghcr.io/acme/a/tags/list: connect',
      ].join('\n'),
    );
    const problems = lines.findIndex((line) => line.startsWith('Problems ('));
    expect(problems).toBeGreaterThan(heading);
    expect(lines.filter((line) => line.startsWith('  error apps/'))).toHaveLength(2);
  });

  it('the job summary lists it first among the problems, escaped, and counts no extra error', () => {
    const body = renderSummary(run, false);
    const rows = body.split('\n');
    const problems = rows.indexOf('### Problems');
    expect(rows[problems + 2]).toBe(
      '- **Registry not read** <code>ghcr.io</code>: none of its 2 repositories could be read, so 2 ' +
        'containers were not checked (each is listed below). The first error: could not check ' +
        'ghcr.io/acme/a: GET ghcr.io/acme/a/tags/list: connect ECONNREFUSED',
    );
    expect(rows[problems + 3]).toMatch(/^- \*\*Error\*\* /);
    expect(rows[2]).toMatch(/^\*\*2 errors\*\* · /);
  });

  it('the dashboard lists it first among the problems, in its own escaping', () => {
    const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'fleet', ref: 'main' };
    const body = renderDashboard({ containers, pullRequests: [], problems: run.problems }, { links });
    const rows = body.split('\n');
    // Headed and counted as the problems it stands over: the line itself is none.
    const problems = rows.indexOf('### Problems (2)');
    expect(rows[problems + 2]).toBe(
      '- **Registry not read** `ghcr.io`: none of its 2 repositories could be read, so 2 containers ' +
        'were not checked (each is listed below). The first error: could not check ghcr.io/acme/a: ' +
        'GET ghcr.io/acme/a/tags/list: connect ECONNREFUSED',
    );
    expect(rows[problems + 3]).toContain('apps/a (a)');
    expect(body).toContain('**2 problems**');
  });

  it('none says anything when the registry answered for some repository', () => {
    const read = [...containers, container('ghcr.io/acme/c', 'c', 'update')];
    expect(renderPlanText({ ...run, plan: { ...run.plan, containers: read } })).not.toContain(
      'Registries that could not be read',
    );
    expect(renderSummary({ ...run, plan: { ...run.plan, containers: read } }, false)).not.toContain(
      'Registry not read',
    );
    expect(
      renderDashboard(
        { containers: read, pullRequests: [], problems: [] },
        { links: { serverUrl: 'https://github.com', owner: 'acme', repo: 'fleet', ref: 'main' } },
      ),
    ).not.toContain('Registry not read');
  });
});
