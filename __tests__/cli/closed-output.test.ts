/**
 * A reader that goes away before the CLI has printed (`--json | head -c 100`, a pager quit early)
 * is the reader's choice, not a failure: the CLI says nothing of it and exits with the run's own
 * status. Its write used to fail with EPIPE, which the handler of uncaught errors called a bug
 * (exit 3, "please report it"). The CLI runs from its source (src/cli.ts under tsx), with the
 * reading end of its stdout closed before it writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { writeFiles } from '../e2e/fixture-repository.js';
import { helmRelease } from '../reliability/support.js';

describe('the CLI, when the reader of its output has gone', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'cli-closed-output-'));
    await writeFiles(workspace, {
      'apps/app.yaml': helmRelease({
        annotations: ['filter.fluxcd.io/chart-image: semver:~1.0'],
        // Nothing listens on port 9: the image cannot be checked, an error (exit 1).
        values: ['image: 127.0.0.1:9/team/app:1.0.0'],
      }),
    });
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it.each<[string, number, (dir: string) => string[]]>([
    ['--help', 0, () => ['--help']],
    ['explain FILE --tags', 0, (dir) => ['explain', join(dir, 'apps/app.yaml'), '--tags', '1.0.0,1.0.1']],
    ['a run with an image it could not check, as text', 1, (dir) => ['--dir', dir, '--no-cache']],
    ['the same run as --json', 1, (dir) => ['--dir', dir, '--no-cache', '--json']],
  ])(
    '%s: exits %s, and says nothing of the closed output',
    async (_, status, args) => {
      const run = await runCliFromSource(args(workspace), { closeStdout: true, timeoutMs: 30_000 });
      expect(run.exitCode).toBe(status);
      // The text run logs its progress on stderr as always; nothing more.
      expect(run.stderr).not.toMatch(/unexpected failure|EPIPE|Error/);
    },
    40_000,
  );
});
