/**
 * The CLI's command line: its flags (the Action's inputs among them), the help that lists them,
 * and argv parsed into {@link CliArgs}; the shell (cli.ts) passes argv and the environment.
 */
import { join } from 'node:path';
import { cliCacheFolder } from './cli-cache-folder.js';
import { nearest } from './edit-distance.js';
import { wrap } from './report/plan-text.js';
import { DEFAULTS, INPUT_NAMES, InputError, parseList } from './settings.js';

/**
 * The Action's defaults, but the CLI asks the registry about every tag on every run unless told
 * otherwise: it is run by hand, often right after a push, and its cache file outlives the
 * registries it was pointed at (a local test registry recreated with the same tags would
 * otherwise be read from a stale cache).
 */
export const CLI_DEFAULTS = { ...DEFAULTS, 'tag-digest-max-age': '0' };

/** The Action's inputs that shape the plan, taken as flags. */
const INPUT_FLAGS: Record<string, string> = {
  paths:
    'Files to scan, as globs relative to --dir (default: every *.yaml and *.yml). Repeatable; commas or newlines separate values.',
  exclude: 'Globs of files to leave out. Repeatable.',
  images:
    'Check only these image repositories: globs on the normalised name (docker.io/bitnami/*) or image references (bitnami/nginx). Repeatable.',
  'require-automated': `Only update HelmReleases with fluxcd.io/automated: "true" (default ${DEFAULTS['require-automated']}).`,
  detection: `flux-v1 (Flux v1's rules) or deep (the same value shapes at any depth of spec.values) (default ${DEFAULTS.detection}).`,
  'registry-mirrors': 'host=https://endpoint[/prefix] to use instead of a registry host. Repeatable.',
  'registry-aliases':
    'registry[/namespace]=host[/namespace] to read instead, the namespace inside the repository name. Repeatable.',
  'insecure-registries':
    'Registry hosts that may be reached over plain HTTP (loopback always may). Repeatable.',
  'docker-config':
    'Path of a Docker config.json with registry credentials (default $DOCKER_CONFIG/config.json, else ~/.docker/config.json).',
  'registry-concurrency': `Requests in flight per registry host (default ${DEFAULTS['registry-concurrency']}).`,
  'tag-digest-max-age': `Longest time a tag's digest read by an earlier run is trusted without asking the registry, e.g. 30m or ${DEFAULTS['tag-digest-max-age']} (default ${CLI_DEFAULTS['tag-digest-max-age']} here: every run asks; the Action's default is ${DEFAULTS['tag-digest-max-age']}).`,
  'minimum-release-age':
    'Do not propose a tag whose image was built less than this long ago, e.g. 3d (default 0: no minimum).',
  'update-repushed-digests': `Propose the new digest of an image pinned by digest whose tag stays but was re-pushed with another image (default ${DEFAULTS['update-repushed-digests']}).`,
  'registry-budget': `Longest time spent on registries; repositories not done by then are reported and the rest of the run goes on, e.g. 90s or 1h (default ${DEFAULTS['registry-budget']}).`,
  'fail-on-error': `Exit 1 when any problem is an error: an image that could not be checked, a HelmRelease held back by a mistake (default ${DEFAULTS['fail-on-error']}).`,
};

/**
 * The Action's other inputs (its pull-request ones): accepted (and validated) so a workflow's
 * settings can be tried locally as they are, but without GitHub they change nothing. `token` is not among them: the CLI
 * never needs one, and a token on a command line ends up in shell history.
 */
const GITHUB_ONLY_FLAGS: readonly string[] = INPUT_NAMES.filter(
  (name) => name !== 'token' && !(name in INPUT_FLAGS),
);

/** The CLI's own flags (the cases of {@link parseArgs}), candidates for "did you mean" with the inputs. */
const OWN_FLAGS: readonly string[] = [
  'json',
  'write',
  'help',
  'version',
  'no-cache',
  'dir',
  'cache-file',
  'stats-file',
  'explain',
  'tags',
];

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

/** What each input flag takes, for its line of the help (as `--dir DIR` shows its own). */
const INPUT_VALUES: Record<string, string> = {
  paths: 'GLOB',
  exclude: 'GLOB',
  images: 'GLOB',
  'require-automated': '[true|false]',
  detection: 'MODE',
  'registry-mirrors': 'HOST=URL',
  'registry-aliases': 'FROM=TO',
  'insecure-registries': 'HOST',
  'docker-config': 'FILE',
  'registry-concurrency': 'N',
  'tag-digest-max-age': 'AGE',
  'minimum-release-age': 'AGE',
  'update-repushed-digests': '[true|false]',
  'registry-budget': 'TIME',
  'fail-on-error': '[true|false]',
};

/**
 * The inputs that take a list (settings.ts reads them with parseListInput): their flags may be
 * repeated, each adding to the list. Any other flag given twice is refused: the last one won
 * without a word (`--dir`), or the two values reached the input's check as one text.
 */
const LIST_INPUTS: ReadonlySet<string> = new Set([
  'paths',
  'exclude',
  'images',
  'registry-mirrors',
  'registry-aliases',
  'insecure-registries',
  'labels',
  'reviewers',
  'team-reviewers',
  'assignees',
]);

/** Flags that are booleans: given alone they mean `true`. */
const BOOLEAN_FLAGS = new Set(['require-automated', 'fail-on-error', 'dry-run', 'update-repushed-digests']);

/** A flag and its description, the description wrapped within 100 columns. */
function flagHelp(flag: string, text: string): string {
  const lines = wrap(text, 25);
  // A flag longer than its column gets its description on the lines below it.
  if (flag.length > 22) return [`  ${flag}`, ...lines].join('\n');
  const [first = '', ...rest] = lines;
  return [`  ${flag.padEnd(22)} ${first.trimStart()}`, ...rest].join('\n');
}

export const HELP = `Usage: helmrelease-image-updater [--dir DIR] [--json] [--write] [options]
       helmrelease-image-updater explain FILE [--tags [NAME=]a,b,c] [--paths GLOB] [--exclude GLOB]

Plans HelmRelease image updates from a local checkout against the real registries, as the
GitHub Action does, without talking to GitHub.

explain FILE prints every HelmRelease in FILE, offline: its policies and each container's name,
image, tag and filter, and where each was read. With --tags (the tags a registry would list,
oldest first; --tags NAME=a,b,c for one container, by its name or its repository) it shows which
tag each container would get and why every newer tag was refused.
It reads the rest of FILE's workspace as a run does (--dir, else the nearest folder above FILE
with .git, else FILE's folder), so what another file holds back (a kustomization, a Kustomize
patch, a .flux.yaml) is shown held, with its error at that file and line.
--paths and --exclude choose the files that run scans, relative to that workspace, so a file
they leave out is said to be updated by no run; a pattern that matches no file stops explain as
it stops a run (exit 2). As in a run, kustomizations and .flux.yaml files count wherever they
are, a Kustomize patch document only in a file those flags select.
It prints text only, changes no file and asks no registry: --json, --write, --stats-file and
--cache-file are refused with it. Of the Action's inputs it applies --paths, --exclude,
--require-automated and --detection and refuses the others.

Options:
${[
  [
    '--dir DIR',
    "The checkout to scan (default: the current directory, refused below a checkout's root); with explain, the one FILE is in.",
  ],
  [
    '--json',
    'Print one JSON object on stdout: every container with its decision, the updates, the problems.',
  ],
  ['--write', 'Apply the planned edits to the files in place (refused with --dry-run).'],
  [
    '--cache-file FILE',
    'Digest cache file (default: $XDG_CACHE_HOME/helmrelease-image-updater/digests.json).',
  ],
  [
    '--no-cache',
    "Use no cache files: no digest cache, nor the CLI's compiled code (refused with --cache-file).",
  ],
  ['--stats-file FILE', 'Write request counts and phase timings as JSON (for benchmarks).'],
  [
    '--tags [NAME=]a,b,c',
    'With explain: the tags to choose from, oldest first; NAME= for one container (or repository). Repeatable.',
  ],
  ['--version', 'Print the version.'],
  ['--help', 'Show this help.'],
  ...Object.entries(INPUT_FLAGS).map(([name, text]) => [
    `--${name}${INPUT_VALUES[name] ? ` ${INPUT_VALUES[name]}` : ''}`,
    text,
  ]),
]
  .map(([flag, text]) => flagHelp(flag!, text!))
  .join('\n')}

${wrap(
  "Also accepted, with the Action's validation, but without effect here (the CLI writes no pull " +
    `requests): ${GITHUB_ONLY_FLAGS.map((name) => `--${name}`).join(', ')}.`,
  0,
).join('\n')}

Registry credentials come from the Docker config; GITHUB_TOKEN, when set, is used for ghcr.io
(not when GITHUB_SERVER_URL names a GitHub Enterprise server: its token is not ghcr.io's).
Exit status: 0 when the plan was made (even with updates), 1 when any problem is an error
(with --fail-on-error, the default), 2 for bad usage (including a --paths or --exclude pattern
that matches no file, a workspace past the bounds a run reads, and a --stats-file that cannot be
written), 3 for a failure nothing expected (a bug: its message and stack are printed).
`;

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
