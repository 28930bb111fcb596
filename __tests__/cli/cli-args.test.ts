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
    // Not offered: the CLI takes no token (it would end up in shell history).
    [['--token', 't'], '--token: unknown flag (--help lists them)'],
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
