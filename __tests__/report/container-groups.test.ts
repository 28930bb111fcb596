/**
 * The job summary and the dashboard issue group the containers a run did not update alike: the
 * same groups, under the same words, in the same order, each container in the same one; a filter
 * no tag passes is a problem in both.
 */
import { describe, expect, it } from '@jest/globals';
import type { ContainerDecision } from '../../src/plan/types.js';
import { renderDashboard } from '../../src/report/dashboard-text.js';
import { renderSummary } from '../../src/report/summary.js';
import { EVERY_KIND, report } from './not-updated-fixture.js';

/**
 * The groups of a rendered body in order, each as its heading (without a count) and the containers
 * its rows name (`apps/<name> (<name>)`).
 */
function groupsOf(body: string): [string, string[]][] {
  const groups: [string, string[]][] = [];
  for (const line of body.split('\n')) {
    const heading = /^### (.+?)(?: \(\d+\))?$|^<summary><b>(.+?)<\/b> \(\d+\)<\/summary>$/.exec(line);
    if (heading) groups.push([heading[1] ?? heading[2]!, []]);
    const row = /^- .*?apps\/([\w-]+) \(\1\)/.exec(line);
    if (row) groups.at(-1)?.[1].push(row[1]!);
  }
  return groups;
}

describe('the containers not updated, in the job summary and on the dashboard', () => {
  const links = { serverUrl: 'https://github.com', owner: 'acme', repo: 'fleet', ref: 'HEAD' };
  const everyKind = [...EVERY_KIND];
  const expected: [string, string[]][] = [
    ['Problems', ['search']],
    ['Too new: waiting for the minimum release age', ['api']],
    ['Locked', ['db']],
    ['Ignored', ['legacy']],
    ['Not automated (no <code>fluxcd.io/automated: "true"</code>)', ['queue']],
    ['Out of scope (not matched by <code>images</code>; not checked)', ['batch']],
    ['Up to date', ['cache', 'web']],
  ];

  it.each<[string, (containers: ContainerDecision[]) => string]>([
    ['the job summary', (containers) => renderSummary(report(containers), false, links)],
    [
      'the dashboard',
      (containers) => renderDashboard({ containers, pullRequests: [], problems: [] }, { links }),
    ],
  ])('%s lists them in the shared groups and order', (_name, render) => {
    expect(groupsOf(render(everyKind))).toEqual(expected);
  });

  it('both count each group alike in their first lines', () => {
    const counts = '1 too new · 1 locked · 1 ignored · 1 not automated · 1 out of scope · 2 up to date';
    expect(renderSummary(report(everyKind), false, links)).toContain(`1 warning · ${counts}`);
    expect(renderDashboard({ containers: everyKind, pullRequests: [], problems: [] }, { links })).toContain(
      `**1 problem** · ${counts}`,
    );
  });

  it.each<[string, (containers: ContainerDecision[]) => string]>([
    ['the job summary', (containers) => renderSummary(report(containers), false, links)],
    [
      'the dashboard',
      (containers) => renderDashboard({ containers, pullRequests: [], problems: [] }, { links }),
    ],
  ])('%s writes each row image first: image · release (container) · file and line', (_name, render) => {
    // Each row as a reader sees it, up to its reason: links as their text, code in backticks (the
    // summary writes <code>, the dashboard backticks), escapes left out.
    const rows = render(everyKind)
      .split('\n')
      .filter((line) => line.startsWith('- ') && !line.includes('apps/search'))
      .map((row) =>
        row
          .replace(/<br>.*/, '')
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
          .replace(/<\/?code>/g, '`')
          .replace(/\\|&#8203;/g, ''),
      );
    expect(rows).toEqual(
      ['api', 'db', 'legacy', 'queue', 'batch', 'cache', 'web'].map(
        (name) => `- \`ghcr.io/acme/${name}:1.0.0\` · apps/${name} (${name}) · apps/${name}.yaml:7`,
      ),
    );
  });

  it('both keep why each one waits, is held or is a problem', () => {
    // The words as a reader sees them: Markdown's backslash escapes and zero-width spaces left out.
    const shown = (body: string): string => body.replace(/\\|&#8203;/g, '');
    const bodies = [
      renderSummary(report(everyKind), false, links),
      renderDashboard({ containers: everyKind, pullRequests: [], problems: [] }, { links }),
    ].map(shown);
    for (const reason of [
      'waiting for the 7.2 migration',
      'younger than the minimum release age 3d',
      'ignored (fluxcd.io/ignore: "true")',
      "none of the repository's 3 tags matches semver:^1",
    ]) {
      expect(bodies.map((body) => body.includes(reason))).toEqual([true, true]);
    }
  });
});
