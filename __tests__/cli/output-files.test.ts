/**
 * The CLI's own files, `--cache-file` and `--stats-file`, where they cannot be written, run from
 * the source (`src/cli.ts` under tsx) in a child process with a kill timer, so a hang fails the
 * test (exit -1) instead of hanging the suite. Under `/proc`, `mkdir` answers ENOENT below a folder
 * that exists, where Node's recursive mkdir spun forever at 100% CPU.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

/**
 * Long enough for tsx to start on a busy machine, and shorter than jest's timeout: a hang is
 * killed here and fails the test with exit -1.
 */
const KILL_AFTER_MS = 20_000;

/** An empty checkout: the run asks no registry and still saves its cache and stats. */
let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'cli-output-files-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

const run = (...args: string[]) =>
  runCliFromSource(['--dir', workspace, ...args], { timeoutMs: KILL_AFTER_MS });

describe('a cache file that cannot be written', () => {
  it('under /proc: the run ends (exit 0) with a notice that the cache was not saved', async () => {
    const result = await run('--cache-file', '/proc/nope/digests.json');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('0 updates');
    expect(result.stderr).toContain('The digest cache /proc/nope/digests.json was not saved: ');
  });
});

describe('a stats file that cannot be written: one line on stderr and exit 2 (bad usage)', () => {
  it.each<[string, () => string, RegExp]>([
    ['under /proc', () => '/proc/nope/stats.json', /could not be created/],
    ['a folder', () => workspace, /EISDIR/],
  ])('%s', async (_name, path, why) => {
    const result = await run('--no-cache', '--stats-file', path());
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('0 updates');
    const line = result.stderr.split('\n').find((l) => l.includes('--stats-file'));
    expect(line).toMatch(
      new RegExp(`^helmrelease-image-updater: --stats-file: ${path()} could not be written: `),
    );
    expect(line).toMatch(why);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('in folders that do not exist yet: they are created and the stats written (exit 0)', async () => {
    const path = join(workspace, 'out', 'a', 'stats.json');
    const result = await run('--no-cache', '--stats-file', path);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(await readFile(path, 'utf8'))).toHaveProperty('counts');
  });
});
