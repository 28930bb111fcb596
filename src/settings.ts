/**
 * The typed settings of a run, parsed once from the Action's inputs or the CLI's flags. Pure: the
 * shells pass a function that reads a raw value by input name.
 */
import { DEFAULT_TITLE_TEMPLATE } from './plan/pull-request-text.js';
import { parseMirrors } from './registry/registry-names.js';

/**
 * The longest `tag-digest-max-age`: Flux v1's longest refresh, and well before the digest cache
 * forgets a tag (30 days), so trust always ends with a fresh look.
 */
const MAX_TAG_DIGEST_AGE = { ms: 7 * 86_400_000, text: '7d' };

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
  /** The branch pull requests target (undefined: the repository's default branch). */
  baseBranch: string | undefined;
  /** Prefix of every branch this tool creates. */
  branchPrefix: string;
  /** Only releases with `fluxcd.io/automated: "true"` are updated (Flux v1's rule). */
  requireAutomated: boolean;
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
  /** `container`: one pull request per container bump; `image`: one per repository and new tag. */
  groupBy: 'container' | 'image';
  /** Registry host -> endpoint URL (with an optional path prefix), for mirrors and pull-through caches. */
  registryMirrors: Record<string, string>;
  /** Hosts that may be reached over plain HTTP (loopback always may). */
  insecureRegistries: string[];
  /** Path of a Docker `config.json` with registry credentials (undefined: `$DOCKER_CONFIG` or `~/.docker`). */
  dockerConfig: string | undefined;
  /** Requests in flight per registry host. */
  registryConcurrency: number;
  /** Longest time a tag's digest confirmed by an earlier run is trusted without asking (ms; 0: always ask). */
  tagDigestMaxAgeMs: number;
  /** Fail at the end when any image could not be checked or any pull request could not be written. */
  failOnError: boolean;
  /** Pull request title template. */
  titleTemplate: string;
  /** Commit message template. */
  commitMessageTemplate: string;
}

/** Reads a raw input value by its kebab-case name ('' or undefined when not given). */
export type InputReader = (name: string) => string | undefined;

/** Default values, shared by `action.yml` (checked by a test) and the CLI. */
export const DEFAULTS = {
  'branch-prefix': 'helmrelease-image-updater/',
  'require-automated': 'true',
  'dry-run': 'false',
  'max-pull-requests': '10',
  'group-by': 'container',
  'registry-concurrency': '8',
  'tag-digest-max-age': '24h',
  'fail-on-error': 'true',
  'title-template': DEFAULT_TITLE_TEMPLATE,
  'commit-message-template': DEFAULT_TITLE_TEMPLATE,
} as const;

/** Splits a list input: newlines or commas separate values; blanks and `#` comment lines are dropped. */
export function parseList(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(/[\n,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '' && !v.startsWith('#'));
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

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `0` or a whole number with a unit (`90s`, `30m`, `24h`, `7d`) into milliseconds. */
export function parseDuration(name: string, raw: string, max: { ms: number; text: string }): number {
  const match = /^(?:0|(\d+)([smhd]))$/.exec(raw.trim());
  const ms =
    match === null ? NaN : match[1] === undefined ? 0 : Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
  // NaN fails the comparison too.
  if (!(ms <= max.ms)) {
    throw new InputError(
      name,
      `expected 0 or a duration such as 30m, 24h or 7d (at most ${max.text}), got "${raw}"`,
    );
  }
  return ms;
}

/** Parses `host=url` lines with the registry client's own parser, naming the input on error. */
function parseMirrorsInput(name: string, values: string[]): Record<string, string> {
  try {
    return parseMirrors(values);
  } catch (e) {
    throw new InputError(name, (e as Error).message.replace(/^registry-mirrors: /, ''));
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
  const groupBy = raw('group-by').trim();
  if (groupBy !== 'container' && groupBy !== 'image') {
    throw new InputError('group-by', `expected container or image, got "${groupBy}"`);
  }
  const branchPrefix = raw('branch-prefix').trim();
  if (!BRANCH_PREFIX_RE.test(branchPrefix) || branchPrefix.includes('..')) {
    throw new InputError('branch-prefix', `"${branchPrefix}" is not usable in a git branch name`);
  }
  const baseBranch = raw('base-branch').trim();
  return {
    paths: parseList(raw('paths')),
    exclude: parseList(raw('exclude')),
    baseBranch: baseBranch === '' ? undefined : baseBranch,
    branchPrefix,
    requireAutomated: parseBoolean('require-automated', raw('require-automated')),
    dryRun: parseBoolean('dry-run', raw('dry-run')),
    labels: parseList(raw('labels')),
    reviewers: parseList(raw('reviewers')),
    teamReviewers: parseList(raw('team-reviewers')),
    assignees: parseList(raw('assignees')),
    maxPullRequests: parseInteger('max-pull-requests', raw('max-pull-requests'), 0, 1000),
    groupBy,
    registryMirrors: parseMirrorsInput('registry-mirrors', parseList(raw('registry-mirrors'))),
    insecureRegistries: parseList(raw('insecure-registries')),
    dockerConfig: raw('docker-config').trim() || undefined,
    registryConcurrency: parseInteger('registry-concurrency', raw('registry-concurrency'), 1, 64),
    tagDigestMaxAgeMs: parseDuration('tag-digest-max-age', raw('tag-digest-max-age'), MAX_TAG_DIGEST_AGE),
    failOnError: parseBoolean('fail-on-error', raw('fail-on-error')),
    titleTemplate: raw('title-template'),
    commitMessageTemplate: raw('commit-message-template'),
  };
}
