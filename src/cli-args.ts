/**
 * The CLI's command line: argv parsed into {@link CliArgs}, with a hint for each flag mistyped; the
 * shell (cli.ts) passes argv and the environment. The flags and the help are cli-flags.ts's.
 */
import { join } from 'node:path';
import { cliCacheFolder } from './cli-cache-folder.js';
import { nearest } from './edit-distance.js';
import { InputError, parseList } from './settings.js';
import { BOOLEAN_FLAGS, GITHUB_ONLY_FLAGS, INPUT_FLAGS, LIST_INPUTS, OWN_FLAGS } from './cli-flags.js';

export { CLI_DEFAULTS, HELP } from './cli-flags.js';

/**
 * Why a flag is unknown, with the flag it is most likely a typo of (`--dryrun`: did you mean
 * --dry-run?). `nearest`, not `closest`: a name far from every flag gets no guess, only --help.
 */
function unknownFlag(name: string): string {
  const meant = nearest(name, [...OWN_FLAGS, ...Object.keys(INPUT_FLAGS), ...GITHUB_ONLY_FLAGS]);
  return meant === undefined ? 'unknown flag (--help lists them)' : `unknown flag; did you mean --${meant}?`;
}

/** Single-letter flags other tools take, as the flags they most likely mean here. */
const SHORT_FLAGS: Record<string, string> = { h: 'help', v: 'version', V: 'version' };

/**
 * Why a word that is not a flag was refused, and what was most likely meant: a flag typed with one
 * dash (`-h`, `-json`) or none (`cli help`), a folder to scan given as a word (`cli examples`), a
 * file to explain, or the command word after a flag.
 */
function unexpectedArgument(arg: string): string {
  if (arg === 'explain') return 'flags start with --; explain comes first: explain FILE [flags]';
  if (/\.ya?ml$/i.test(arg)) return `flags start with --; to explain a file, give explain ${arg} first`;
  // Only a flag's exact name: a folder called `apps` is not a typo of --paths.
  if ([...OWN_FLAGS, ...Object.keys(INPUT_FLAGS), ...GITHUB_ONLY_FLAGS].includes(arg))
    return `flags start with --; did you mean --${arg}?`;
  if (!arg.startsWith('-') || arg === '-') return `flags start with --; to scan a folder, give --dir ${arg}`;
  const name = arg.slice(1).split('=')[0]!;
  const meant =
    SHORT_FLAGS[name] ?? nearest(name, [...OWN_FLAGS, ...Object.keys(INPUT_FLAGS), ...GITHUB_ONLY_FLAGS]);
  return meant === undefined ? 'flags start with --' : `flags start with --; did you mean --${meant}?`;
}

/** Bad usage that concerns no single flag. */
class UsageError extends Error {}

/** Parsed command line. */
export interface CliArgs {
  dir: string;
  /** `--dir` was given (explain then reads that workspace rather than looking for the file's). */
  dirGiven: boolean;
  json: boolean;
  write: boolean;
  help: boolean;
  cacheFile: string | undefined;
  /** `--cache-file` was given (`cacheFile` otherwise holds the default). */
  cacheFileGiven: boolean;
  statsFile: string | undefined;
  inputs: Map<string, string[]>;
  version: boolean;
  /** `explain FILE` (or `--explain FILE`): the file to explain. */
  explain: string | undefined;
  /** `--tags`: the tags `explain` chooses from. */
  tags: string[] | undefined;
  /** `--tags NAME=a,b`: the tags for one container, or the containers of one repository. */
  namedTags: Map<string, string[]>;
}

/** Parses argv (without node and the script); throws an InputError for bad usage. */
export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>): CliArgs {
  const args: CliArgs = {
    dir: '.',
    dirGiven: false,
    json: false,
    write: false,
    help: false,
    cacheFile: join(cliCacheFolder(env), 'digests.json'),
    cacheFileGiven: false,
    statsFile: undefined,
    inputs: new Map(),
    version: false,
    explain: undefined,
    tags: undefined,
    namedTags: new Map(),
  };
  // `--help` before anything else asks for the help, whatever follows (`--help explain`).
  if (argv[0] === '--help') return { ...args, help: true };
  // `explain FILE`: a command word first, then its file.
  if (argv[0] === 'explain') {
    // `explain --help` asks for the help, as `git <command> --help` does, not for a file.
    if (argv[1] === '--help') return { ...args, help: true };
    // Named as typed: the command word, not a flag.
    if (!argv[1] || argv[1].startsWith('--')) throw new UsageError('explain: needs a file');
    args.explain = argv[1];
    argv = argv.slice(2);
  }
  let noCache = false;
  // `explain FILE` gave the file already.
  const given = new Set<string>(args.explain === undefined ? [] : ['explain']);
  /** Refuses a flag of one value given a second time. */
  const once = (name: string, hint = ''): void => {
    if (given.has(name)) throw new InputError(name, `given more than once; give it once${hint}`);
    given.add(name);
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--'))
      throw new UsageError(`unexpected argument "${arg}" (${unexpectedArgument(arg)})`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const takeValue = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const value = argv[i + 1];
      if (value === undefined) throw new InputError(name, 'needs a value');
      // A flag where the value should be is a value left out, not the value: taken, `--cache-file
      // --write` wrote a cache file named --write and dropped --write without a word.
      if (value.startsWith('--'))
        throw new InputError(
          name,
          `needs a value, not the flag ${value} (for a value starting with --, write --${name}=VALUE)`,
        );
      i += 1;
      return value;
    };
    // A path given empty (`--dir "$CHECKOUT"` with the variable unset) is a mistake, not the
    // default: `--dir ""` scanned, and with --write edited, the current directory.
    const takePath = (): string => {
      const value = takeValue();
      if (value === '') throw new InputError(name, 'is empty; give a path, or leave the flag out');
      return value;
    };
    switch (name) {
      case 'json':
      case 'write':
      case 'help':
      case 'version':
        if (eq > 0) throw new InputError(name, 'takes no value');
        args[name] = true;
        break;
      case 'no-cache':
        if (eq > 0) throw new InputError(name, 'takes no value');
        noCache = true;
        break;
      case 'dir':
        once(name);
        args.dir = takePath();
        args.dirGiven = true;
        break;
      case 'cache-file':
        once(name);
        args.cacheFile = takePath();
        args.cacheFileGiven = true;
        break;
      case 'stats-file':
        once(name);
        args.statsFile = takePath();
        break;
      case 'explain':
        once(name);
        args.explain = takePath();
        break;
      case 'tags': {
        // `NAME=a,b` is for one container (or repository) only; a tag holds no `=`.
        const value = takeValue();
        const named = /^([^=]+)=(.*)$/s.exec(value);
        if (named)
          args.namedTags.set(named[1], [...(args.namedTags.get(named[1]) ?? []), ...parseList(named[2])]);
        else args.tags = [...(args.tags ?? []), ...parseList(value)];
        break;
      }
      case 'token':
        // Named, as it is an input of the Action; a token on a command line ends up in shell history.
        throw new InputError(
          name,
          'the CLI takes no token (it never talks to GitHub); GITHUB_TOKEN, when set, is used for ghcr.io',
        );
      default: {
        if (!(name in INPUT_FLAGS) && !GITHUB_ONLY_FLAGS.includes(name))
          throw new InputError(name, unknownFlag(name));
        if (!LIST_INPUTS.has(name)) once(name, ' (only list flags, such as --paths, repeat)');
        // A boolean flag alone (`--require-automated --json`) means true.
        const alone =
          BOOLEAN_FLAGS.has(name) && eq < 0 && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'));
        const value = alone ? 'true' : takeValue();
        // As for a path: the Action reads an input given empty as one left out, but here an empty
        // value is a mistake (`--images "$IMAGE"` with the variable unset), and read as left out
        // it widened the run: every image checked, every file scanned, and with --write edited.
        if (value.trim() === '') throw new InputError(name, 'is empty; give a value, or leave the flag out');
        args.inputs.set(name, [...(args.inputs.get(name) ?? []), value]);
      }
    }
  }
  if (noCache) {
    // Either way round, one of them was ignored: the last won.
    if (args.cacheFileGiven)
      throw new InputError('no-cache', '--cache-file names a cache to use; leave out one of them');
    args.cacheFile = undefined;
  }
  return args;
}

/** The Action's inputs `explain FILE` applies; it refuses the others rather than answer without them. */
const EXPLAIN_INPUTS: readonly string[] = ['paths', 'exclude', 'require-automated', 'detection'];

/**
 * Refuses flags `explain FILE` cannot honour, and `--tags` without it, rather than ignoring them:
 * a script asking for JSON would parse the text report, and a plan's setting explain does not
 * apply (`--minimum-release-age`, `--images`) would make its answer read as one made with it.
 */
export function checkExplainFlags(args: CliArgs): void {
  if ((args.tags || args.namedTags.size > 0) && !args.explain)
    throw new InputError('tags', 'is only for explain FILE');
  if (args.explain === undefined) return;
  if (args.json) throw new InputError('json', 'explain FILE prints text only; leave out --json');
  if (args.write) throw new InputError('write', 'explain FILE changes no file; leave out --write');
  if (args.statsFile !== undefined)
    throw new InputError(
      'stats-file',
      'explain FILE makes no requests and writes no file; leave out --stats-file',
    );
  if (args.cacheFileGiven)
    throw new InputError(
      'cache-file',
      'explain FILE works offline and uses no digest cache; leave out --cache-file',
    );
  const unused = [...args.inputs.keys()].find((name) => !EXPLAIN_INPUTS.includes(name));
  if (unused) {
    throw new InputError(unused, `explain FILE works offline and does not apply it; leave out --${unused}`);
  }
}

/** An error's message, naming an input as the flag the user typed (--registry-concurrency). */
export function usageMessage(e: unknown): string {
  return e instanceof InputError
    ? `--${e.input}: ${e.message.replace(/^Input "[^"]*": /, '')}`
    : (e as Error).message;
}
