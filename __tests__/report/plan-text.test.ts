/**
 * The CLI's text report of a run: the line that counts the containers neither updated nor listed
 * as not updated, run over in-memory files and registry.
 */
import { describe, expect, it } from '@jest/globals';
import { renderPlanText } from '../../src/report/plan-text.js';
import { runUpdate } from '../../src/run-update.js';
import {
  helmRelease,
  memoryLog,
  memoryRegistry,
  memoryWorkspace,
  RUN_SETTINGS,
} from '../reliability/support.js';

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
      'Other containers: 1 up to date, 2 not updated because of an error (see Problems) (--json lists each). ',
    );
  });
});
