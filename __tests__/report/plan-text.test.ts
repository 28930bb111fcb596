/**
 * The CLI's text report of a run: the containers not updated in the job summary's and the
 * dashboard's groups, under their headings, in their order and counted in their words; and the
 * line that counts the containers it does not list, run over in-memory files and registry.
 */
import { describe, expect, it } from '@jest/globals';
import { renderPlanText } from '../../src/report/plan-text.js';
import { renderSummary } from '../../src/report/summary.js';
import { runUpdate } from '../../src/run-update.js';
import {
  helmRelease,
  memoryLog,
  memoryRegistry,
  memoryWorkspace,
  RUN_SETTINGS,
} from '../reliability/support.js';
import { EVERY_KIND, report } from './not-updated-fixture.js';

const FILES = {
  'current.yaml': helmRelease({ name: 'current', values: ['image: team/current:1.0'] }),
  // Held by a mistake in its annotations: checked, and an error.
  'held.yaml': helmRelease({
    name: 'held',
    annotations: ['filter.fluxcd.io/chart-imag: semver:~1.0'],
    values: ['image: team/held:1.0'],
  }),
  // Its registry failed: an error, and not checked.
  'failed.yaml': helmRelease({ name: 'failed', values: ['image: team/failed:1.0'] }),
};

describe('renderPlanText: the other containers', () => {
  it('counts errors as not updated because of an error, whichever kind (a hold is no failed check)', async () => {
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace(FILES),
      registry: memoryRegistry({
        'docker.io/team/current': ['1.0'],
        'docker.io/team/held': ['1.0', '1.1'],
        'docker.io/team/failed': new Error('connect ECONNREFUSED'),
      }),
      log: memoryLog(),
    });
    expect(report.plan.containers.map((c) => [c.release, c.decision])).toEqual([
      ['apps/current', 'up-to-date'],
      ['apps/failed', 'error'],
      ['apps/held', 'error'],
    ]);
    // Joined back where the report wraps at 100 columns.
    expect(renderPlanText(report).replace(/\s+/g, ' ')).toContain(
      'Other containers: 2 not updated because of an error (see Problems), 1 up to date (--json lists each). ',
    );
  });
});

/** The sections of the text in order, each as its heading (without a count) and the containers its lines name. */
function sectionsOf(text: string): [string, string[]][] {
  const sections: [string, string[]][] = [];
  for (const line of text.split('\n')) {
    const heading = /^(\S.*?) \([^)]*\):$/.exec(line);
    if (heading) sections.push([heading[1]!, []]);
    const row = /^ {2,4}.*?apps\/([\w-]+) \(\1\)/.exec(line);
    if (row) sections.at(-1)?.[1].push(row[1]!);
  }
  return sections;
}

describe('renderPlanText: the containers not updated, as in the job summary and on the dashboard', () => {
  const everyKind = [...EVERY_KIND];
  const text = renderPlanText(report(everyKind));

  it('lists the groups the summary shows open, under its headings and in its order; a filter no tag passes is a problem', () => {
    expect(sectionsOf(text)).toEqual([
      ['Too new: waiting for the minimum release age', ['api']],
      ['Locked', ['db']],
      ['Ignored', ['legacy']],
      ['Problems', ['search']],
    ]);
  });

  it.each<[string, string]>([
    [
      'the locked one, with why',
      '  apps/db (db) ghcr.io/acme/db:1.0.0\n    apps/db.yaml:7 · locked (fluxcd.io/locked: "true"): waiting for the 7.2 migration\n',
    ],
    [
      'the one too new, with why',
      '    apps/api.yaml:7 · not proposed yet: 1.1.0 is younger than the minimum release age 3d\n',
    ],
    [
      'the filter no tag passes, as a warning',
      "Problems (1 warning):\n  warning apps/search.yaml:7\n    apps/search (search) ghcr.io/acme/search:1.0.0: none of the repository's 3 tags matches\n    semver:^1\n",
    ],
    [
      'the groups the summary collapses, counted in its words and order',
      'Other containers: 1 not automated, 1 out of scope, 2 up to date (--json lists each).\n',
    ],
  ])('prints %s', (_name, lines) => {
    expect(text).toContain(lines);
  });

  it("counts each group in the words and order of the summary's first line", () => {
    const words = (line: string) =>
      [...line.matchAll(/(\d+) (too new|locked|ignored|not automated|out of scope|up to date)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    const summaryLine = renderSummary(report(everyKind), false).split('\n')[2]!;
    const counted = [
      ...sectionsOf(text).flatMap(([heading, rows]) =>
        heading === 'Problems' ? [] : [`${rows.length} ${heading.split(':')[0]!.toLowerCase()}`],
      ),
      ...words(text.split('\n').find((line) => line.startsWith('Other containers:'))!),
    ];
    expect(counted).toEqual(words(summaryLine));
  });
});

describe('renderPlanText: a file whose name holds whitespace other than a space', () => {
  // A name may hold any byte but `/` and NUL; the report wraps its lines at spaces, and printed
  // every other whitespace as one, so the path shown named another file (or none).
  it.each<[string, string, string]>([
    ['a line feed', 'apps/new\nline.yaml', 'apps/new\\u000aline.yaml'],
    ['a carriage return', 'apps/cr\rret.yaml', 'apps/cr\\u000dret.yaml'],
    ['a tab', 'apps/tab\tname.yaml', 'apps/tab\\u0009name.yaml'],
    ['a line separator', 'apps/ls\u2028name.yaml', 'apps/ls\\u2028name.yaml'],
    ['a no-break space', 'apps/nb\u00a0name.yaml', 'apps/nb\\u00a0name.yaml'],
    ['a space, kept', 'apps/plain name.yaml', 'apps/plain name.yaml'],
  ])('%s: its update and its problem name it with that escape', async (_what, file, shown) => {
    const report = await runUpdate(RUN_SETTINGS, {
      workspace: memoryWorkspace({
        [file]: [
          helmRelease({ name: 'web', namespace: 'ns', values: ['image: team/web:1.0'] }),
          helmRelease({
            name: 'held',
            namespace: 'ns',
            annotations: ['filter.fluxcd.io/chart-imag: semver:~1.0'],
            values: ['image: team/held:1.0'],
          }),
        ].join('---\n'),
      }),
      registry: memoryRegistry({
        'docker.io/team/web': ['1.0', '1.1'],
        'docker.io/team/held': ['1.0', '1.1'],
      }),
      log: memoryLog(),
    });
    const lines = renderPlanText(report).split('\n');
    expect(lines.filter((line) => line.includes('apps/')).map((line) => line.trim().split(' ·')[0])).toEqual([
      `${shown}:14`,
      `error ${shown}:23`,
    ]);
  });
});
