/**
 * `explain FILE` and the usage mistakes around it, run from the source (`src/cli.ts` under tsx):
 * a flag explain cannot honour is refused, not ignored, and the messages name what the user typed.
 * (The built CLI's explain output is in e2e/cli-offline.test.ts.)
 */
import { describe, expect, it } from '@jest/globals';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

const FILE = 'examples/apps/data/mongodb.yaml';

describe('explain, run from the source', () => {
  it.each<[string, string[], string]>([
    ['no file: named as the command word typed', ['explain'], 'explain: needs a file'],
    ['a flag where the file goes', ['explain', '--tags', '1.0'], 'explain: needs a file'],
    [
      'a file that does not exist',
      ['explain', '/nonexistent.yaml'],
      'explain: /nonexistent.yaml does not exist',
    ],
    [
      'a file under a folder that does not exist',
      ['explain', 'examples/nope/app.yaml'],
      'explain: examples/nope/app.yaml does not exist',
    ],
    [
      // A HelmRelease's namespace/name where its file goes: what explain takes instead.
      "a release's name",
      ['explain', 'data/mongodb'],
      'explain: data/mongodb does not exist: explain takes the file a HelmRelease is in (explain path/to/mongodb.yaml), not its name',
    ],
    [
      // Said only as "it is not a regular file": a folder, and what to give instead.
      'a folder',
      ['explain', 'examples/apps'],
      'explain: examples/apps is a folder; explain takes one file (explain examples/apps/NAME.yaml), and a run plans a folder (--dir examples/apps)',
    ],
    [
      // Read as --paths are, relative to --dir, the file is there: say where FILE is read from.
      'a file given relative to --dir',
      ['explain', 'apps/data/mongodb.yaml', '--dir', 'examples'],
      'explain: apps/data/mongodb.yaml does not exist (FILE is read from the current folder, not from --dir: give examples/apps/data/mongodb.yaml)',
    ],
    [
      '--json (a script would parse the text report)',
      ['explain', FILE, '--json'],
      '--json: explain FILE prints text only; leave out --json',
    ],
    ['--json with --explain FILE', ['--json', '--explain', FILE], '--json: explain FILE prints text only'],
    ['--write', ['explain', FILE, '--write'], '--write: explain FILE changes no file; leave out --write'],
    // The CLI's own files: accepted, neither was written (a benchmark script found no stats file).
    [
      '--stats-file (explain makes no requests to count)',
      ['explain', FILE, '--stats-file', 'stats.json'],
      '--stats-file: explain FILE makes no requests and writes no file; leave out --stats-file',
    ],
    [
      '--cache-file (explain reads no registry)',
      ['explain', FILE, '--cache-file=digests.json'],
      '--cache-file: explain FILE works offline and uses no digest cache; leave out --cache-file',
    ],
    // Settings of a plan that explain does not apply: its answer would read as made with them.
    [
      '--minimum-release-age (explain knows no build times)',
      ['explain', FILE, '--tags', '8.0.4', '--minimum-release-age', '3d'],
      '--minimum-release-age: explain FILE works offline and does not apply it; leave out --minimum-release-age',
    ],
    [
      '--images',
      ['explain', FILE, '--images', 'bitnami/mongodb'],
      '--images: explain FILE works offline and does not apply it; leave out --images',
    ],
    [
      'a pull-request flag',
      ['explain', FILE, '--labels', 'deps'],
      '--labels: explain FILE works offline and does not apply it; leave out --labels',
    ],
  ])('%s: exit 2, one message, nothing on stdout', async (_name, args, message) => {
    const run = await runCliFromSource(args);
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(run.stderr).toContain(`helmrelease-image-updater: ${message}`);
    expect(run.stderr).not.toMatch(/ENOENT|realpath|--explain: needs|\n\s+at /);
  });

  // The command word's own help, as `git <command> --help` gives: not a file named --help.
  it.each([
    [['explain', '--help']],
    [['explain', 'examples/apps/data/mongodb.yaml', '--help']],
    [['--help', 'explain']],
  ])('%j prints the help (exit 0)', async (args) => {
    const run = await runCliFromSource(args);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: helmrelease-image-updater .*\n.* explain FILE /);
  });

  it.each([[['--require-automated', 'false']], [['--detection', 'deep']]])(
    'explain applies %j',
    async (flags) => {
      const run = await runCliFromSource(['explain', FILE, ...flags]);
      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    },
  );

  it('an existing file is explained (exit 0)', async () => {
    const run = await runCliFromSource(['explain', FILE]);
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(run.stdout).toContain('data/mongodb');
  });
});
