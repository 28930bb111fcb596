/**
 * `--dry-run` together with `--write`, run from the source (`src/cli.ts` under tsx). The CLI takes
 * the Action's `dry-run` input as a flag, and a user who adds it expects nothing to be written, so
 * the two together are refused (bad usage) rather than `--write` silently winning.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

/** An empty checkout: nothing to ask a registry about. */
let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'cli-dry-run-write-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('--dry-run with --write', () => {
  it.each<[string, string[]]>([
    ['--dry-run alone', ['--write', '--dry-run']],
    ['--dry-run true', ['--dry-run', 'true', '--write']],
    ['--dry-run=true', ['--dry-run=true', '--write']],
  ])('%s: exit 2, one message, nothing on stdout', async (_name, args) => {
    const run = await runCliFromSource(['--dir', workspace, '--no-cache', ...args]);
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toContain(
      'helmrelease-image-updater: --write: --dry-run asks for no writes; leave out one of them',
    );
  });

  it('--dry-run false with --write writes as asked (exit 0)', async () => {
    const run = await runCliFromSource(['--dir', workspace, '--no-cache', '--dry-run', 'false', '--write']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Wrote 0 files.');
  });
});
