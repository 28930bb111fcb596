/**
 * The CLI's flags: the Action's inputs taken as flags (what each takes and its line of the help),
 * the CLI's own, which may repeat and which are booleans, and the help that lists them all.
 */
import { wrap } from './report/plan-text.js';
import { DEFAULTS, INPUT_NAMES } from './settings.js';

/**
 * The Action's defaults, but the CLI asks the registry about every tag on every run unless told
 * otherwise: it is run by hand, often right after a push, and its cache file outlives the
 * registries it was pointed at (a local test registry recreated with the same tags would
 * otherwise be read from a stale cache).
 */
export const CLI_DEFAULTS = { ...DEFAULTS, 'tag-digest-max-age': '0' };

/** The Action's inputs that shape the plan, taken as flags. */
export const INPUT_FLAGS: Record<string, string> = {
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
export const GITHUB_ONLY_FLAGS: readonly string[] = INPUT_NAMES.filter(
  (name) => name !== 'token' && !(name in INPUT_FLAGS),
);

/** The CLI's own flags (the cases of cli-args.ts's parseArgs), candidates for "did you mean" with the inputs. */
export const OWN_FLAGS: readonly string[] = [
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
export const LIST_INPUTS: ReadonlySet<string> = new Set([
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
export const BOOLEAN_FLAGS = new Set([
  'require-automated',
  'fail-on-error',
  'dry-run',
  'update-repushed-digests',
]);

/** A flag and its description, the description wrapped within 100 columns. */
function flagHelp(flag: string, text: string): string {
  const lines = wrap(text, 25);
  // A flag longer than its column gets its description on the lines below it.
  if (flag.length > 22) return [`  ${flag}`, ...lines].join('\n');
  const [first = '', ...rest] = lines;
  return [`  ${flag.padEnd(22)} ${first.trimStart()}`, ...rest].join('\n');
}

/** The CLI's --help. */
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
