/**
 * The typed settings of a run, parsed once from the Action's inputs or the CLI's flags. Pure: the
 * shells pass a function that reads a raw value by input name.
 *
 * Longer than the house's ~400 lines on purpose: the one list of input names, their defaults and
 * each input's parse and message stay side by side, so an input cannot be added to one and missed
 * in another; the parsers of structured values (mirrors, aliases, image scopes) live elsewhere.
 */
import { durationMs } from './duration.js';
import { DEFAULT_TITLE_TEMPLATE, TEMPLATE_PLACEHOLDERS } from './plan/pull-request-text.js';
import { parseMirrors } from './registry/registry-names.js';
import { parseRegistryAliases } from './registry/registry-aliases.js';
import { DETECTION_MODES, type DetectionMode } from './helmrelease/detect-deep.js';
import { parseImageScope } from './scan/image-scope.js';
import {
  AUTOMERGE_LEVELS,
  MERGE_METHODS,
  type AutomergeLevel,
  type MergeMethod,
} from './github/auto-merge.js';
import { MAX_MINIMUM_RELEASE_AGE } from './helmrelease/release-age.js';
import { editDistance } from './edit-distance.js';
import { GROUP_BY_VALUES, type GroupBy } from './plan/branch-name.js';
import { DEFAULT_DASHBOARD_TITLE } from './report/dashboard-text.js';

/**
 * The longest `tag-digest-max-age`: Flux v1's longest refresh, and well before the digest cache
 * forgets a tag (30 days), so trust always ends with a fresh look.
 */
const MAX_TAG_DIGEST_AGE = { ms: 7 * 86_400_000, text: '7d' };

/** The longest `registry-budget`: GitHub's limit on a job's time. */
const MAX_REGISTRY_BUDGET = { ms: 6 * 3_600_000, text: '6h' };

/** Thrown for an invalid input; the message names the input. */
export class InputError extends Error {
  constructor(
    /** The input's kebab-case name. */
    readonly input: string,
    message: string,
  ) {
    super(`Input "${input}": ${message}`);
    this.name = 'InputError';
  }
}

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
 * The runner's environment variable for an input: `INPUT_` and the name upper-cased, spaces turned
 * into `_` (hyphens are kept), which is what `core.getInput` reads.
 */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** The candidate closest to `name` (ignoring case, `_` and `-` differences count as one edit). */
export function closest(name: string, candidates: readonly string[]): string {
  const key = name.toLowerCase();
  return candidates.reduce((best, candidate) =>
    editDistance(key, candidate.toLowerCase()) < editDistance(key, best.toLowerCase()) ? candidate : best,
  );
}

/**
 * Rejects an `INPUT_*` variable that names no input of this Action: a typo such as `dryrun: true`
 * would otherwise be ignored and the run would write real pull requests. Throws an
 * {@link InputError} naming the first unknown input and the closest valid one.
 */
export function checkInputNames(env: Readonly<Record<string, string | undefined>>): void {
  const known = new Set(INPUT_NAMES.map(inputVariable));
  const unknown = Object.keys(env)
    .filter((key) => key.startsWith('INPUT_') && !known.has(key))
    .sort();
  if (unknown.length === 0) return;
  const names = unknown.map((key) => key.slice('INPUT_'.length).toLowerCase());
  const first = names[0]!;
  const others = names.length > 1 ? ` (also unknown: ${names.slice(1).join(', ')})` : '';
  throw new InputError(
    first,
    `this Action has no such input; did you mean "${closest(first, INPUT_NAMES)}"?${others} ` +
      `Nothing was written. The inputs are: ${INPUT_NAMES.join(', ')}.`,
  );
}

/** Rejects a template placeholder that the templates do not know (it would stay in every title). */
function checkTemplate(name: string, template: string): string {
  for (const match of template.matchAll(/\{([\w.-]+)\}/g)) {
    const placeholder = match[1]!;
    if ((TEMPLATE_PLACEHOLDERS as readonly string[]).includes(placeholder)) continue;
    throw new InputError(
      name,
      `unknown placeholder {${placeholder}}; did you mean {${closest(placeholder, TEMPLATE_PLACEHOLDERS)}}?` +
        ` The placeholders are ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
    );
  }
  return template;
}

/**
 * Splits a list input: newlines or commas separate values, except commas inside `{...}` (a glob's
 * braces, `{apps,clusters}/**`); blanks and `#` comment lines are dropped.
 */
export function parseList(raw: string | undefined): string[] {
  if (!raw) return [];
  const values: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= raw.length; i += 1) {
    const c = raw[i];
    if (c === '{') depth += 1;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '\n' || c === undefined || (c === ',' && depth === 0)) {
      values.push(raw.slice(start, i));
      start = i + 1;
      if (c === '\n') depth = 0;
    }
  }
  return values.map((v) => v.trim()).filter((v) => v !== '' && !v.startsWith('#'));
}

function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new InputError(name, `expected true or false, got "${raw}"`);
}

function parseInteger(name: string, raw: string, min: number, max: number): number {
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new InputError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return Number(v);
}

/** Parses `0` or a whole number with a unit (`90s`, `30m`, `24h`, `7d`) into milliseconds. */
export function parseDuration(name: string, raw: string, max: { ms: number; text: string }): number {
  const ms = durationMs(raw, max.ms);
  if (ms === undefined) {
    throw new InputError(
      name,
      `expected 0 or a duration such as 30m, 24h or 7d (at most ${max.text}), got "${raw}"`,
    );
  }
  return ms;
}

/** Like {@link parseDuration}, without `0`. */
function parsePositiveDuration(name: string, raw: string, max: { ms: number; text: string }): number {
  let ms = 0;
  try {
    ms = parseDuration(name, raw, max);
  } catch {
    // Said below, without parseDuration's "0 or".
  }
  if (ms === 0)
    throw new InputError(
      name,
      `expected a duration such as 90s, 10m or 1h (at most ${max.text}), got "${raw}"`,
    );
  return ms;
}

/** Checks each `images` value (it is compiled again per run), naming the input on error. */
function parseImagesInput(values: string[]): string[] {
  try {
    parseImageScope(values);
  } catch (e) {
    throw new InputError('images', (e as Error).message);
  }
  return values;
}

/** Parses `host=url` lines with the registry client's own parser, naming the input on error. */
function parseMirrorsInput(name: string, values: string[]): Record<string, string> {
  try {
    return parseMirrors(values);
  } catch (e) {
    throw new InputError(name, (e as Error).message.replace(/^registry-mirrors: /, ''));
  }
}

/** Parses `registry-aliases` lines, naming the input on error. */
function parseAliasesInput(values: string[]): Record<string, string> {
  try {
    return parseRegistryAliases(values);
  } catch (e) {
    throw new InputError('registry-aliases', (e as Error).message.replace(/^registry-aliases: /, ''));
  }
}

const BRANCH_PREFIX_RE = /^[A-Za-z0-9._/-]*$/;

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
  const registryMirrors = parseMirrorsInput('registry-mirrors', parseList(raw('registry-mirrors')));
  const registryAliases = parseAliasesInput(parseList(raw('registry-aliases')));
  // Both for one registry would leave the mirror unused: the alias is read instead.
  const both = Object.keys(registryAliases).find((key) => registryMirrors[key] !== undefined);
  if (both !== undefined) {
    throw new InputError(
      'registry-aliases',
      `${both} is also in registry-mirrors; give it in one of them (the alias would leave the mirror unused)`,
    );
  }
  const branchPrefix = raw('branch-prefix').trim();
  if (!BRANCH_PREFIX_RE.test(branchPrefix) || branchPrefix.includes('..')) {
    throw new InputError('branch-prefix', `"${branchPrefix}" is not usable in a git branch name`);
  }
  const baseBranch = raw('base-branch').trim();
  const titleTemplate = checkTemplate('title-template', raw('title-template'));
  // The commit message follows the title unless it is set itself.
  const commitMessageTemplate =
    raw('commit-message-template').trim() === ''
      ? titleTemplate
      : checkTemplate('commit-message-template', raw('commit-message-template'));
  return {
    paths: parseList(raw('paths')),
    exclude: parseList(raw('exclude')),
    images: parseImagesInput(parseList(raw('images'))),
    baseBranch: baseBranch === '' ? undefined : baseBranch,
    branchPrefix,
    requireAutomated: parseBoolean('require-automated', raw('require-automated')),
    detection: detection as DetectionMode,
    dryRun: parseBoolean('dry-run', raw('dry-run')),
    labels: parseList(raw('labels')),
    reviewers: parseList(raw('reviewers')),
    teamReviewers: parseList(raw('team-reviewers')),
    assignees: parseList(raw('assignees')),
    maxPullRequests: parseInteger('max-pull-requests', raw('max-pull-requests'), 0, 1000),
    groupBy,
    rebaseWhen,
    registryMirrors,
    registryAliases,
    insecureRegistries: parseList(raw('insecure-registries')),
    dockerConfig: raw('docker-config').trim() || undefined,
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

/** One of `choices`, naming the input otherwise. */
function parseChoice<T extends string>(name: string, raw: string, choices: readonly T[]): T {
  const value = raw.trim();
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `expected ${choices.join(', ')}, got "${value}"`);
}

/** A one-line prefix of at most 50 characters (a conventional commit type and scope). */
function parseCommitPrefix(raw: string): string {
  const prefix = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(prefix)) throw new InputError('commit-prefix', 'must be one line');
  if (prefix.length > 50) throw new InputError('commit-prefix', 'must be at most 50 characters');
  return prefix;
}

/** One line of at most 256 characters (GitHub's limit on an issue title). */
function parseDashboardTitle(raw: string): string {
  const title = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(title)) throw new InputError('dashboard-title', 'must be one line');
  if (title.length > 256) throw new InputError('dashboard-title', 'must be at most 256 characters');
  return title;
}
