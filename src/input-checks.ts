/**
 * The checks particular to one input, each with the message that says how to fix it: templates'
 * and labels' placeholders, the branch prefix, the commit prefix and dashboard title (one line,
 * bounded), the Docker config's path (never its JSON), and the structured lists (`images`, `registry-mirrors`, `registry-aliases`,
 * `insecure-registries`) parsed by their owners' parsers with the input named on error. Pure;
 * called by `parseSettings` in `settings.ts`.
 */
import { closest } from './edit-distance.js';
import { isRegistryHost } from './image/reference.js';
import { MAX_PREFIX_BYTES, sanitizeBranchPrefix } from './plan/branch-name.js';
import {
  LABEL_PLACEHOLDERS,
  longestLabelLength,
  MAX_LABEL_LENGTH,
  TEMPLATE_PLACEHOLDERS,
} from './plan/pull-request-text.js';
import { parseRegistryAliases } from './registry/registry-aliases.js';
import { parseMirrors } from './registry/registry-names.js';
import { parseImageScope } from './scan/image-scope.js';
import { InputError } from './input-values.js';

/** Rejects a `{word}` in `text` that is not one of `known`, with the closest one as a hint. */
function checkPlaceholders(name: string, text: string, known: readonly string[]): void {
  for (const match of text.matchAll(/\{([\w.-]+)\}/g)) {
    const placeholder = match[1]!;
    if (known.includes(placeholder)) continue;
    const list = known.map((p) => `{${p}}`);
    throw new InputError(
      name,
      `unknown placeholder {${placeholder}}; did you mean {${closest(placeholder, known)}}?` +
        (list.length === 1
          ? ` The only placeholder is ${list[0]}.`
          : ` The placeholders are ${list.join(', ')}.`),
    );
  }
}

/**
 * The `docker-config` path, or undefined for the default place. A value that is the config's JSON
 * instead (a secret holding the config, given as the input) is refused without being repeated:
 * it holds the credentials, and "… does not exist" printed it whole, where the runner's mask of a
 * structured secret may not cover it and the CLI has none.
 */
export function parseDockerConfigInput(raw: string): string | undefined {
  const path = raw.trim();
  if (path === '') return undefined;
  if (path.startsWith('{') || /[\r\n]/.test(path)) {
    throw new InputError(
      'docker-config',
      'holds JSON or several lines, not the path of a Docker config file (not repeated here: it may hold ' +
        'credentials); give the path of the file, or pass its JSON in the DOCKER_AUTH_CONFIG environment variable',
    );
  }
  return path;
}

/** Rejects a template placeholder that the templates do not know (it would stay in every title). */
export function checkTemplate(name: string, template: string): string {
  checkPlaceholders(name, template, TEMPLATE_PLACEHOLDERS);
  return template;
}

/**
 * Rejects a placeholder other than `{type}` in a label (`update:{typ}` would become a label itself)
 * and a label longer than GitHub takes (cut, it would be another label than the one configured,
 * which automation matching the whole name never sees).
 */
export function parseLabels(labels: string[]): string[] {
  for (const label of labels) {
    checkPlaceholders('labels', label, LABEL_PLACEHOLDERS);
    const length = longestLabelLength(label);
    if (length > MAX_LABEL_LENGTH) {
      const shown = label.length > 80 ? `${label.slice(0, 79)}…` : label;
      throw new InputError(
        'labels',
        `"${shown}" ${label.includes('{type}') ? 'can be' : 'is'} ${length} characters long; GitHub takes labels of at most ${MAX_LABEL_LENGTH}`,
      );
    }
  }
  return labels;
}

const BRANCH_PREFIX_RE = /^[A-Za-z0-9._/-]*$/;

/** Which of git's rules for a path segment of a ref `prefix` breaks (the ones its characters can). */
function brokenSegmentRule(prefix: string): string {
  const segments = prefix.split('/');
  if (prefix.endsWith('/')) segments.pop();
  if (segments.some((s) => s === '')) return 'it has an empty path segment (a leading "/" or "//")';
  if (segments.some((s) => /^[.-]/.test(s)))
    return 'a path segment starts with "." or "-" (git refuses a leading ".", and a leading "-" reads as an option)';
  if (segments.some((s) => s.endsWith('.') || s.endsWith('.lock')))
    return 'a path segment ends in "." or ".lock", which git refuses';
  return 'git refuses it in a branch name';
}

/**
 * A prefix usable in a git branch name as written (no `..`, no characters git or a shell would trip
 * on, no segment git refuses): one the branch names would change (`-x/` to `x/`, `/` to nothing,
 * which puts the branches among people's) is refused, not rewritten behind the user's back.
 */
export function parseBranchPrefix(raw: string): string {
  const branchPrefix = raw.trim();
  if (!BRANCH_PREFIX_RE.test(branchPrefix) || branchPrefix.includes('..')) {
    throw new InputError('branch-prefix', `"${branchPrefix}" is not usable in a git branch name`);
  }
  // GitHub takes refs of at most 255 bytes: a long prefix would leave no room for the rest. (The
  // prefix is ASCII here, so its length is its bytes.)
  if (branchPrefix.length > MAX_PREFIX_BYTES) {
    throw new InputError(
      'branch-prefix',
      `must be at most ${MAX_PREFIX_BYTES} characters (git refs are bounded)`,
    );
  }
  const sanitized = sanitizeBranchPrefix(branchPrefix);
  if (sanitized !== branchPrefix) {
    const change =
      sanitized === '' ? 'would leave the branch names without a prefix' : `would become "${sanitized}"`;
    throw new InputError('branch-prefix', `"${branchPrefix}" ${change}: ${brokenSegmentRule(branchPrefix)}`);
  }
  return branchPrefix;
}

/** A one-line prefix of at most 50 characters (a conventional commit type and scope). */
export function parseCommitPrefix(raw: string): string {
  const prefix = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(prefix)) throw new InputError('commit-prefix', 'must be one line');
  if (prefix.length > 50) throw new InputError('commit-prefix', 'must be at most 50 characters');
  return prefix;
}

/** One line of at most 256 characters (GitHub's limit on an issue title). */
export function parseDashboardTitle(raw: string): string {
  const title = raw.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(title)) throw new InputError('dashboard-title', 'must be one line');
  if (title.length > 256) throw new InputError('dashboard-title', 'must be at most 256 characters');
  return title;
}

/** Checks each `images` value (it is compiled again per run), naming the input on error. */
export function parseImagesInput(values: string[]): string[] {
  try {
    parseImageScope(values);
  } catch (e) {
    throw new InputError('images', (e as Error).message);
  }
  return values;
}

/** What an `insecure-registries` entry looks like, for messages. */
const INSECURE_FORM = 'host[:port] as images name the registry (e.g. registry.local:5000 or 10.0.0.5)';

/**
 * Checks `insecure-registries`: each entry is `host[:port]`, compared with the hosts images name.
 * Anything else could never match, and the run would then fail with TLS's words ("wrong version
 * number") instead of this input's. A URL is refused, not turned into its host: its scheme says
 * something this input does not do (`https://` reads as "trust its certificate", which is never
 * skipped), and the workflow is better off saying what it means. Messages never repeat user info
 * or a query, which may hold a password or token.
 */
export function parseInsecureRegistries(values: readonly string[]): string[] {
  for (const value of values) {
    if (value.includes('@')) {
      throw new InputError(
        'insecure-registries',
        `an entry has a user name or password; give only ${INSECURE_FORM} and put credentials in the Docker config`,
      );
    }
    if (isRegistryHost(value)) continue;
    const cut = value.search(/[?#]/);
    const shown = cut < 0 ? value : `${value.slice(0, cut)}…`;
    const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value);
    if (url && isRegistryHost(url[1]!)) {
      throw new InputError(
        'insecure-registries',
        `"${shown}" is a URL; give ${INSECURE_FORM}: ${url[1]} (plain HTTP is what this input allows)`,
      );
    }
    throw new InputError('insecure-registries', `"${shown}" is not ${INSECURE_FORM}`);
  }
  return [...values];
}

/**
 * Parses `registry-mirrors` (`host=url` lines) and `registry-aliases` with the registry client's own
 * parsers, naming the input on error; refuses a registry given in both.
 */
export function parseRegistryInputs(
  mirrors: string[],
  aliases: string[],
): { registryMirrors: Record<string, string>; registryAliases: Record<string, string> } {
  let registryMirrors: Record<string, string>;
  try {
    registryMirrors = parseMirrors(mirrors);
  } catch (e) {
    throw new InputError('registry-mirrors', (e as Error).message.replace(/^registry-mirrors: /, ''));
  }
  let registryAliases: Record<string, string>;
  try {
    registryAliases = parseRegistryAliases(aliases);
  } catch (e) {
    throw new InputError('registry-aliases', (e as Error).message.replace(/^registry-aliases: /, ''));
  }
  // Both for one registry would leave the mirror unused: the alias is read instead.
  const both = Object.keys(registryAliases).find((key) => registryMirrors[key] !== undefined);
  if (both !== undefined) {
    throw new InputError(
      'registry-aliases',
      `${both} is also in registry-mirrors; give it in one of them (the alias would leave the mirror unused)`,
    );
  }
  return { registryMirrors, registryAliases };
}

/** A GitHub login (an Enterprise Managed User's ends in `_shortcode`). */
const LOGIN = '[A-Za-z0-9][A-Za-z0-9_-]*';
const LOGIN_RE = new RegExp(`^@?(${LOGIN})$`);
/** A team: `slug` or `org/slug`. */
const TEAM_RE = new RegExp(`^@?((?:${LOGIN}/)?[A-Za-z0-9][A-Za-z0-9_.-]*)$`);

/**
 * Reads `reviewers` and `assignees` (logins) or `team-reviewers` (`slug` or `org/slug`): a leading
 * `@`, as in mentions and CODEOWNERS, is dropped; a name given twice, in any case (GitHub's names
 * are case-insensitive; a team by its slug), is kept once, as first written. Anything else (two
 * names with a space between them, an e-mail address) is refused: it could never be asked, and
 * GitHub's refusal would fail the request for every other name on every pull request.
 */
export function parsePeople(name: 'reviewers' | 'team-reviewers' | 'assignees', values: string[]): string[] {
  const team = name === 'team-reviewers';
  const seen = new Set<string>();
  const people: string[] = [];
  for (const value of values) {
    const person = (team ? TEAM_RE : LOGIN_RE).exec(value)?.[1];
    if (person === undefined) {
      const form = team ? 'a team (slug or org/slug)' : 'a GitHub login';
      throw new InputError(
        name,
        `"${value}" is not ${form}; separate names with commas or new lines (a leading @ is fine)`,
      );
    }
    const key = (team ? person.slice(person.indexOf('/') + 1) : person).toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    people.push(person);
  }
  return people;
}
