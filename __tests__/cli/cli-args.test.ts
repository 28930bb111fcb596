/**
 * The CLI's command line (src/cli-args.ts): an unknown flag names the flag it is most likely a
 * typo of, and guesses nothing when no flag is near.
 */
import { describe, expect, it } from '@jest/globals';

import { HELP, parseArgs, usageMessage } from '../../src/cli-args.js';

/** The usage message parseArgs stops with, as the CLI prints it after its name. */
function refusal(argv: string[]): string {
  try {
    parseArgs(argv, {});
  } catch (caught) {
    return usageMessage(caught);
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('an unknown flag', () => {
  it.each([
    // argv, the whole message
    [['--dryrun'], '--dryrun: unknown flag; did you mean --dry-run?'],
    [['--dry_run'], '--dry_run: unknown flag; did you mean --dry-run?'],
    [['--dryRun=true'], '--dryRun: unknown flag; did you mean --dry-run?'],
    [['--jason'], '--jason: unknown flag; did you mean --json?'],
    // Two neighbouring letters swapped count as one typo.
    [['--jsno'], '--jsno: unknown flag; did you mean --json?'],
    [['--dyr-run'], '--dyr-run: unknown flag; did you mean --dry-run?'],
    [['--exculde', 'a'], '--exculde: unknown flag; did you mean --exclude?'],
    [['--exlude', 'a'], '--exlude: unknown flag; did you mean --exclude?'],
    [['--path', 'a'], '--path: unknown flag; did you mean --paths?'],
    [['--nocache'], '--nocache: unknown flag; did you mean --no-cache?'],
    [['--registry-mirror', 'a=b'], '--registry-mirror: unknown flag; did you mean --registry-mirrors?'],
    [['--failon-error'], '--failon-error: unknown flag; did you mean --fail-on-error?'],
    // A pull-request input the CLI accepts without effect is a candidate too.
    [['--max-pull-request', '2'], '--max-pull-request: unknown flag; did you mean --max-pull-requests?'],
    // Nothing near: no guess, only where the flags are listed.
    [['--bogus'], '--bogus: unknown flag (--help lists them)'],
    [['--x'], '--x: unknown flag (--help lists them)'],
    [['--verbose'], '--verbose: unknown flag (--help lists them)'],
    // Not offered: the CLI takes no token (it would end up in shell history). Said so, with where
    // the one it reads comes from, to a user who brings the Action's input along.
    [
      ['--token', 't'],
      '--token: the CLI takes no token (it never talks to GitHub); GITHUB_TOKEN, when set, is used for ghcr.io',
    ],
    // One dash: the flag meant, as typed with two.
    [['-h'], 'unexpected argument "-h" (flags start with --; did you mean --help?)'],
    [['-json'], 'unexpected argument "-json" (flags start with --; did you mean --json?)'],
    [['-dir', 'x'], 'unexpected argument "-dir" (flags start with --; did you mean --dir?)'],
    [['-v'], 'unexpected argument "-v" (flags start with --; did you mean --version?)'],
    [['-q'], 'unexpected argument "-q" (flags start with --)'],
    // A folder given as the first word of a command (`cli examples`): how to give it.
    [['apps'], 'unexpected argument "apps" (flags start with --; to scan a folder, give --dir apps)'],
    [
      ['--json', 'apps'],
      'unexpected argument "apps" (flags start with --; to scan a folder, give --dir apps)',
    ],
    // A flag's name without its dashes (`cli help`), not a folder to scan.
    [['help'], 'unexpected argument "help" (flags start with --; did you mean --help?)'],
    [['--dir', 'x', 'write'], 'unexpected argument "write" (flags start with --; did you mean --write?)'],
    // A file, or the command word after a flag: explain comes first.
    [
      ['apps/web.yaml'],
      'unexpected argument "apps/web.yaml" (flags start with --; to explain a file, give explain apps/web.yaml first)',
    ],
    [
      ['--dir', 'x', 'explain', 'f.yml'],
      'unexpected argument "explain" (flags start with --; explain comes first: explain FILE [flags])',
    ],
  ])('%j', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  // Every flag the help lists is a candidate: its name with the last letter doubled suggests it.
  const listed = [...new Set([...HELP.matchAll(/--([a-z][a-z-]+)/g)].map((match) => match[1]!))];
  it.each(listed)('--%s, mistyped, is suggested', (flag) => {
    expect(refusal([`--${flag}${flag.at(-1)}`, 'x'])).toBe(
      `--${flag}${flag.at(-1)}: unknown flag; did you mean --${flag}?`,
    );
  });
});

describe('--help', () => {
  // Each option's line says what it takes, as --dir DIR does: a flag alone reads as a switch.
  it.each([
    ['--paths GLOB'],
    ['--detection MODE'],
    ['--registry-mirrors HOST=URL'],
    ['--docker-config FILE'],
    ['--registry-concurrency N'],
    ['--minimum-release-age AGE'],
    ['--registry-budget TIME'],
    ['--fail-on-error [true|false]'],
  ])('shows %s', (line) => {
    expect(HELP).toMatch(new RegExp(`^ {2}${line.replace(/[[\]|]/g, '\\$&')}(?: |$)`, 'm'));
  });

  it('takes a value on every option line but the switches', () => {
    const switches = ['--json', '--write', '--no-cache', '--version', '--help'];
    const options = [...HELP.matchAll(/^ {2}(--[a-z-]+)( \S+)?/gm)].filter(
      ([, flag]) => !switches.includes(flag!),
    );
    expect(options.filter(([, , value]) => value === undefined).map(([, flag]) => flag)).toEqual([]);
  });
});

describe('a flag whose value is left out', () => {
  // Taken as the value, the next flag was lost: `--cache-file --write` wrote a cache file named
  // --write into the checkout and planned without writing, exit 0.
  it.each([
    // argv, the whole message
    [
      ['--cache-file', '--write'],
      '--cache-file: needs a value, not the flag --write (for a value starting with --, write --cache-file=VALUE)',
    ],
    [
      ['--stats-file', '--json'],
      '--stats-file: needs a value, not the flag --json (for a value starting with --, write --stats-file=VALUE)',
    ],
    [
      ['--dir', '--write'],
      '--dir: needs a value, not the flag --write (for a value starting with --, write --dir=VALUE)',
    ],
    [
      ['--exclude', '--json'],
      '--exclude: needs a value, not the flag --json (for a value starting with --, write --exclude=VALUE)',
    ],
    [
      ['explain', 'f.yaml', '--tags', '--paths=a'],
      '--tags: needs a value, not the flag --paths=a (for a value starting with --, write --tags=VALUE)',
    ],
    [['--paths'], '--paths: needs a value'],
    // An empty path is a mistake, not the default: `--dir ""` scanned (and with --write edited)
    // the current directory.
    [['--dir', '', '--write'], '--dir: is empty; give a path, or leave the flag out'],
    [['--dir=', '--write'], '--dir: is empty; give a path, or leave the flag out'],
    [['--cache-file', ''], '--cache-file: is empty; give a path, or leave the flag out'],
    [['--stats-file='], '--stats-file: is empty; give a path, or leave the flag out'],
    [['explain', ''], 'explain: needs a file'],
    // So is an input's value given empty (`--images "$IMAGE"` with the variable unset): read as
    // the input left out, `--images ""` checked every image and `--paths ""` scanned every file,
    // and with --write edited them, where the user asked for fewer.
    [['--images', '', '--write'], '--images: is empty; give a value, or leave the flag out'],
    [['--paths='], '--paths: is empty; give a value, or leave the flag out'],
    [['--exclude', '  '], '--exclude: is empty; give a value, or leave the flag out'],
    [['--images', 'a/b', '--images='], '--images: is empty; give a value, or leave the flag out'],
    [['--docker-config', ''], '--docker-config: is empty; give a value, or leave the flag out'],
    [['--require-automated='], '--require-automated: is empty; give a value, or leave the flag out'],
    [['--labels', ''], '--labels: is empty; give a value, or leave the flag out'],
    // Both ways round: the last one won, and `--no-cache --cache-file X` read and wrote X.
    [
      ['--no-cache', '--cache-file', 'x.json'],
      '--no-cache: --cache-file names a cache to use; leave out one of them',
    ],
    [
      ['--cache-file=x.json', '--no-cache'],
      '--no-cache: --cache-file names a cache to use; leave out one of them',
    ],
    // A flag of one value given twice: the last --dir won without a word, and an input's two
    // values reached its check as one text on two lines (`got "deep\nflux-v1"`).
    [['--dir', '/nonexistent', '--dir', '.'], '--dir: given more than once; give it once'],
    [['--stats-file=a.json', '--stats-file=b.json'], '--stats-file: given more than once; give it once'],
    [['--cache-file', 'a', '--cache-file', 'b'], '--cache-file: given more than once; give it once'],
    [['explain', 'a.yaml', '--explain', 'b.yaml'], '--explain: given more than once; give it once'],
    [
      ['--detection', 'deep', '--detection', 'flux-v1'],
      '--detection: given more than once; give it once (only list flags, such as --paths, repeat)',
    ],
    [
      ['--require-automated', 'false', '--require-automated'],
      '--require-automated: given more than once; give it once (only list flags, such as --paths, repeat)',
    ],
    // A switch takes no value: `--no-cache=false` turned the cache off all the same.
    [['--no-cache=false'], '--no-cache: takes no value'],
    [['--json=false'], '--json: takes no value'],
  ])('%j', (argv, message) => {
    expect(refusal(argv)).toBe(message);
  });

  it.each([
    // A value starting with -- is given with =; a lone boolean flag still means true.
    [['--cache-file=--odd', '--write'], { cacheFile: '--odd', write: true }],
    [['--dry-run', '--write'], { write: true, inputs: new Map([['dry-run', ['true']]]) }],
    [
      ['--require-automated', 'false', '--json'],
      { json: true, inputs: new Map([['require-automated', ['false']]]) },
    ],
    // List flags repeat, each adding to the list; so does --tags.
    [
      ['--paths', 'a/**', '--paths=b/**', '--images', 'x', '--images', 'y'],
      {
        inputs: new Map([
          ['paths', ['a/**', 'b/**']],
          ['images', ['x', 'y']],
        ]),
      },
    ],
    [['explain', 'f.yaml', '--tags', '1.0', '--tags', '1.1'], { explain: 'f.yaml', tags: ['1.0', '1.1'] }],
  ])('%j is read as written', (argv, expected) => {
    expect(parseArgs(argv, {})).toMatchObject(expected);
  });
});
