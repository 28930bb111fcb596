/**
 * The typed settings of a run, parsed once from the Action's inputs or the CLI's flags. Pure: the
 * shells pass a function that reads a raw value by input name.
 *
 * The one list of input names, their defaults and the parse of each stay side by side here, so an
 * input cannot be added to one and missed in another. How a value is parsed is in
 * `input-values.ts` (lists, booleans, numbers, durations, choices) and `input-checks.ts` (the checks
 * particular to one input); unknown input names are caught in `input-names.ts`.
 */
import { DEFAULT_TITLE_TEMPLATE } from './plan/pull-request-text.js';
import { DETECTION_MODES, type DetectionMode } from './helmrelease/detect-deep.js';
import {
  AUTOMERGE_LEVELS,
  MERGE_METHODS,
  type AutomergeLevel,
  type MergeMethod,
} from './github/auto-merge.js';
import { MAX_MINIMUM_RELEASE_AGE } from './helmrelease/release-age.js';
import { GROUP_BY_VALUES, type GroupBy } from './plan/branch-name.js';
import { DEFAULT_DASHBOARD_TITLE } from './report/dashboard-issue.js';
import {
  checkTemplate,
  parseBranchPrefix,
  parseCommitPrefix,
  parseDashboardTitle,
  parseDockerConfigInput,
  parseImagesInput,
  parseInsecureRegistries,
  parseLabels,
  parsePeople,
  parseRegistryInputs,
} from './input-checks.js';
import {
  InputError,
  parseBoolean,
  parseChoice,
  parseDuration,
  parseInteger,
  parseListInput,
  parseNarrowingListInput,
  parsePositiveDuration,
} from './input-values.js';

export { InputError, parseList } from './input-values.js';

/**
 * The longest `tag-digest-max-age`: Flux v1's longest refresh, and well before the digest cache
 * forgets a tag (30 days), so trust always ends with a fresh look.
 */
const MAX_TAG_DIGEST_AGE = { ms: 7 * 86_400_000, text: '7d' };

/** The longest `registry-budget`: GitHub's limit on a job's time. */
const MAX_REGISTRY_BUDGET = { ms: 6 * 3_600_000, text: '6h' };

/** Everything a run is configured with. */
export interface Settings {
  /** File globs to scan (empty: every `*.yaml`/`*.yml`). */
  paths: string[];
  /** File globs to leave out. */
  exclude: string[];
  /** Image repositories (globs or references) to check; the rest are out of scope (empty: all). */
  images: string[];
  /** The branch pull requests target (undefined: the repository's default branch). */
  baseBranch: string | undefined;
  /** Prefix of every branch this tool creates. */
  branchPrefix: string;
  /** Only releases with `fluxcd.io/automated: "true"` are updated (Flux v1's rule). */
  requireAutomated: boolean;
  /** How images are found: `flux-v1` (Flux v1's rules) or `deep` (the same shapes at any depth). */
  detection: DetectionMode;
  /** Plan and report, but write nothing. */
  dryRun: boolean;
  /** Labels added to every pull request. */
  labels: string[];
  /** Users asked to review. */
  reviewers: string[];
  /** Teams (slugs) asked to review. */
  teamReviewers: string[];
  /** Users assigned. */
  assignees: string[];
  /** The most open pull requests this tool keeps at once. */
  maxPullRequests: number;
  /**
   * `container`: one pull request per container bump; `image`: one per repository and new tag;
   * `release`: one per HelmRelease, with all its containers' bumps.
   */
  groupBy: GroupBy;
  /**
   * When an open pull request's branch is rebuilt on a base that moved on: `conflicted` (only when
   * the base's copy of its file changed), `behind-base` (whenever the base moved), `never`.
   */
  rebaseWhen: 'conflicted' | 'behind-base' | 'never';
  /** Registry host -> endpoint URL (with an optional path prefix), for mirrors and pull-through caches. */
  registryMirrors: Record<string, string>;
  /** `registry[/namespace]` -> `host[/namespace]` read instead (the namespace goes inside the repository name). */
  registryAliases: Record<string, string>;
  /** Hosts that may be reached over plain HTTP (loopback always may). */
  insecureRegistries: string[];
  /** Path of a Docker `config.json` with registry credentials (undefined: `$DOCKER_CONFIG` or `~/.docker`). */
  dockerConfig: string | undefined;
  /** Requests in flight per registry host. */
  registryConcurrency: number;
  /** Longest time a tag's digest confirmed by an earlier run is trusted without asking (ms; 0: always ask). */
  tagDigestMaxAgeMs: number;
  /** Tags whose image is younger than this are not proposed yet (ms; 0: no minimum). */
  minimumReleaseAgeMs: number;
  /** Propose the new digest of a pinned image whose tag stays but was re-pushed with another image. */
  updateRepushedDigests: boolean;
  /** Time the run spends on registries at most (ms); repositories not done by then fail. */
  registryBudgetMs: number;
  /** Fail at the end when any image could not be checked or any pull request could not be written. */
  failOnError: boolean;
  /** Pull request title template. */
  titleTemplate: string;
  /** Commit message template. */
  commitMessageTemplate: string;
  /** Put before every title and commit message (`chore(deps):`); '' for none. */
  commitPrefix: string;
  /** Which update types get GitHub's native auto-merge (never a downgrade). */
  automerge: AutomergeLevel;
  /** The merge method auto-merge uses. */
  mergeMethod: MergeMethod;
  /** Keep one issue listing every container and its decision, with boxes to act on. */
  dashboard: boolean;
  /** The dashboard issue's title. */
  dashboardTitle: string;
}

/** Reads a raw input value by its kebab-case name ('' or undefined when not given). */
export type InputReader = (name: string) => string | undefined;

/** Default values, shared by `action.yml` (checked by a test) and the CLI. */
export const DEFAULTS = {
  'branch-prefix': 'helmrelease-image-updater/',
  'require-automated': 'true',
  detection: 'flux-v1',
  'dry-run': 'false',
  'max-pull-requests': '10',
  'group-by': 'container',
  'rebase-when': 'conflicted',
  'registry-concurrency': '8',
  'tag-digest-max-age': '24h',
  'minimum-release-age': '0',
  'update-repushed-digests': 'false',
  'registry-budget': '15m',
  'fail-on-error': 'true',
  'title-template': DEFAULT_TITLE_TEMPLATE,
  automerge: 'none',
  'merge-method': 'squash',
  dashboard: 'false',
  'dashboard-title': DEFAULT_DASHBOARD_TITLE,
} as const;

/**
 * Every input of `action.yml`, in its order (a test keeps the two equal). The runner passes any
 * `with:` key as an `INPUT_*` variable, declared or not, so this list is how a typo is caught.
 */
export const INPUT_NAMES = [
  'token',
  'paths',
  'exclude',
  'images',
  'base-branch',
  'branch-prefix',
  'require-automated',
  'detection',
  'dry-run',
  'labels',
  'reviewers',
  'team-reviewers',
  'assignees',
  'max-pull-requests',
  'group-by',
  'rebase-when',
  'registry-mirrors',
  'registry-aliases',
  'insecure-registries',
  'docker-config',
  'registry-concurrency',
  'tag-digest-max-age',
  'minimum-release-age',
  'update-repushed-digests',
  'registry-budget',
  'fail-on-error',
  'title-template',
  'commit-message-template',
  'commit-prefix',
  'automerge',
  'merge-method',
  'dashboard',
  'dashboard-title',
] as const;

/**
 * Parses and validates every input; an input given empty or not at all takes its value from
 * `defaults` (the Action's; the CLI changes one). Throws an {@link InputError} naming the first
 * bad one.
 */
export function parseSettings(
  read: InputReader,
  defaults: Readonly<Record<keyof typeof DEFAULTS, string>> = DEFAULTS,
): Settings {
  const raw = (name: keyof typeof DEFAULTS | string): string => {
    const value = read(name);
    if (value !== undefined && value.trim() !== '') return value;
    return (defaults as Record<string, string>)[name] ?? '';
  };
  const groupBy = parseChoice('group-by', raw('group-by'), GROUP_BY_VALUES);
  const detection = raw('detection').trim();
  if (!(DETECTION_MODES as readonly string[]).includes(detection)) {
    throw new InputError('detection', `expected ${DETECTION_MODES.join(' or ')}, got "${detection}"`);
  }
  const rebaseWhen = raw('rebase-when').trim();
  if (rebaseWhen !== 'conflicted' && rebaseWhen !== 'behind-base' && rebaseWhen !== 'never') {
    throw new InputError('rebase-when', `expected conflicted, behind-base or never, got "${rebaseWhen}"`);
  }
  const { registryMirrors, registryAliases } = parseRegistryInputs(
    parseListInput('registry-mirrors', raw('registry-mirrors')),
    parseListInput('registry-aliases', raw('registry-aliases')),
  );
  const branchPrefix = parseBranchPrefix(raw('branch-prefix'));
  const baseBranch = raw('base-branch').trim();
  const titleTemplate = checkTemplate('title-template', raw('title-template'));
  // The commit message follows the title unless it is set itself.
  const commitMessageTemplate =
    raw('commit-message-template').trim() === ''
      ? titleTemplate
      : checkTemplate('commit-message-template', raw('commit-message-template'));
  return {
    paths: parseNarrowingListInput('paths', raw('paths'), 'every *.yaml and *.yml file'),
    exclude: parseListInput('exclude', raw('exclude')),
    images: parseImagesInput(parseNarrowingListInput('images', raw('images'), 'every image')),
    baseBranch: baseBranch === '' ? undefined : baseBranch,
    branchPrefix,
    requireAutomated: parseBoolean('require-automated', raw('require-automated')),
    detection: detection as DetectionMode,
    dryRun: parseBoolean('dry-run', raw('dry-run')),
    labels: parseLabels(parseListInput('labels', raw('labels'))),
    reviewers: parsePeople('reviewers', parseListInput('reviewers', raw('reviewers'))),
    teamReviewers: parsePeople('team-reviewers', parseListInput('team-reviewers', raw('team-reviewers'))),
    assignees: parsePeople('assignees', parseListInput('assignees', raw('assignees'))),
    maxPullRequests: parseInteger('max-pull-requests', raw('max-pull-requests'), 0, 1000),
    groupBy,
    rebaseWhen,
    registryMirrors,
    registryAliases,
    insecureRegistries: parseInsecureRegistries(
      parseListInput('insecure-registries', raw('insecure-registries')),
    ),
    dockerConfig: parseDockerConfigInput(raw('docker-config')),
    registryConcurrency: parseInteger('registry-concurrency', raw('registry-concurrency'), 1, 64),
    tagDigestMaxAgeMs: parseDuration('tag-digest-max-age', raw('tag-digest-max-age'), MAX_TAG_DIGEST_AGE),
    minimumReleaseAgeMs: parseDuration(
      'minimum-release-age',
      raw('minimum-release-age'),
      MAX_MINIMUM_RELEASE_AGE,
    ),
    updateRepushedDigests: parseBoolean('update-repushed-digests', raw('update-repushed-digests')),
    registryBudgetMs: parsePositiveDuration('registry-budget', raw('registry-budget'), MAX_REGISTRY_BUDGET),
    failOnError: parseBoolean('fail-on-error', raw('fail-on-error')),
    titleTemplate,
    commitMessageTemplate,
    commitPrefix: parseCommitPrefix(raw('commit-prefix')),
    automerge: parseChoice('automerge', raw('automerge'), AUTOMERGE_LEVELS),
    mergeMethod: parseChoice('merge-method', raw('merge-method'), MERGE_METHODS),
    dashboard: parseBoolean('dashboard', raw('dashboard')),
    dashboardTitle: parseDashboardTitle(raw('dashboard-title')),
  };
}
