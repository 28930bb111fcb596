/**
 * Chooses the files to scan from the workspace's file list with include and exclude globs.
 * Pure: the list comes from the workspace edge.
 */
import { Minimatch, type MinimatchOptions } from 'minimatch';
import { plural } from '../plural.js';
import { warning, type Problem } from '../problems.js';

/** The default `paths`: every YAML file. `.git` and `node_modules` are never listed by the edge. */
export const DEFAULT_PATHS: readonly string[] = ['**/*.yaml', '**/*.yml'];

/**
 * True when a pattern could reach outside the workspace (absolute, or with a `..` segment);
 * such patterns are refused.
 */
export function escapesWorkspace(pattern: string): boolean {
  return pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split(/[\\/]/).includes('..');
}

/**
 * The folders that hold a Helm chart (both `Chart.yaml` and `values.yaml`). Flux v1 skipped them
 * (`resource/load.go` `looksLikeChart`): their templates are not manifests and rarely parse.
 */
export function chartDirectories(files: readonly string[]): Set<string> {
  // Only the two file names matter: one pass with endsWith, no per-file slicing or sets.
  const withChart = new Set<string>();
  const withValues = new Set<string>();
  for (const file of files) {
    if (file.endsWith('Chart.yaml')) addDirectory(withChart, file, 'Chart.yaml');
    else if (file.endsWith('values.yaml')) addDirectory(withValues, file, 'values.yaml');
  }
  const charts = new Set<string>();
  for (const dir of withChart) if (withValues.has(dir)) charts.add(dir);
  return charts;
}

/** Adds the folder of `file` to `dirs` when the file is named exactly `name`. */
function addDirectory(dirs: Set<string>, file: string, name: string): void {
  const slash = file.length - name.length - 1;
  if (slash < 0) dirs.add('');
  else if (file[slash] === '/') dirs.add(file.slice(0, slash));
}

/** True when `file` lies in (or below) one of `dirs`. */
function isBelow(file: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.size === 0) return false;
  if (dirs.has('')) return true;
  for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1))
    if (dirs.has(file.slice(0, i))) return true;
  return false;
}

/** `**` then `/*` then a literal file-name ending: the shape of the default globs. */
const ANY_FILE_ENDING_WITH = /^\*\*\/\*([A-Za-z0-9_.-]+)$/;
/**
 * Paths minimatch reads differently from their plain text (a `.` or `..` segment, a trailing
 * `/`, a `\` that is a separator on Windows); the workspace listing never has one.
 */
const UNUSUAL_PATH = /(?:^|\/)\.\.?(?:\/|$)|\/$|\\/;

type Matcher = (file: string) => boolean;

/**
 * A matcher for one glob. A glob of the default shape (any folder, then `*.yaml`) matches, with
 * `dot`, exactly the paths that end with `.yaml` (unusual paths aside), so that shape is tested
 * with endsWith. Compiling a glob cost more than matching it against all 10,000 files of
 * the benchmark; it is still compiled, once, for any other glob or path.
 */
function compileGlob(pattern: string, options: MinimatchOptions): Matcher {
  let compiled: Minimatch | undefined;
  const minimatchOf = (file: string) => (compiled ??= new Minimatch(pattern, options)).match(file);
  const ending = ANY_FILE_ENDING_WITH.exec(pattern)?.[1];
  if (ending === undefined) return minimatchOf;
  return (file) => (UNUSUAL_PATH.test(file) ? minimatchOf(file) : file.endsWith(ending));
}

const GLOB_OPTIONS: MinimatchOptions = { dot: true, nocomment: true, nonegate: true };

/**
 * A pattern as users mean it: a leading `./` (as in `./apps/**`) is the workspace itself, and a
 * trailing `/` (`apps/`) means everything in that folder. The listing's paths have neither.
 */
export function normalizePattern(pattern: string): string {
  let p = pattern;
  while (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) p += '**';
  return p;
}

/**
 * Why a pattern with a `\` matched nothing: written with Windows separators (`apps\*.yaml`), most
 * likely. In a glob `\` escapes the next character on every runner (minimatch's default, which is
 * kept so a pattern selects the same files on Windows as on Linux), and the listing's paths are
 * `/`-separated everywhere; so the pattern as written with `/` is suggested, as what it would match.
 */
function backslashAdvice(files: readonly string[], pattern: string): string {
  const slashed = pattern.replace(/\\/g, '/');
  const matches = compileGlob(normalizePattern(slashed), GLOB_OPTIONS);
  const count = escapesWorkspace(normalizePattern(slashed)) ? 0 : files.filter((f) => matches(f)).length;
  const would = count === 0 ? 'which matches no file either' : `which matches ${plural(count, 'file')}`;
  return `matches no file in the workspace: separate folders with /, not \\ (in a pattern \\ escapes the next character, on Windows runners too); "${slashed}" is that pattern with /, ${would}`;
}

/** A `paths` or `exclude` pattern that cannot be what its author meant. */
export interface PatternProblem {
  /** `paths` or `exclude`. */
  input: 'paths' | 'exclude';
  /** The pattern as written. */
  pattern: string;
  /** Why, as a sentence fragment: `matches no file in the workspace`. */
  reason: string;
}

/**
 * The patterns that match nothing they could have been meant to: an include or exclude glob that
 * matches no file (a typo, or `actions/checkout` missing), an include that leads outside the
 * workspace or reaches only Helm chart folders (never scanned). An exclude that matches nothing is
 * as serious as an include: the files it was meant to keep out would be updated.
 */
export function checkPatterns(
  files: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): PatternProblem[] {
  const problems: PatternProblem[] = [];
  const charts = chartDirectories(files);
  const check = (input: 'paths' | 'exclude', pattern: string) => {
    if (escapesWorkspace(normalizePattern(pattern))) {
      // An absolute path may well be inside the workspace (a shell completes one): said as what it
      // is, not as leading outside.
      const reason = /^(?:\/|[A-Za-z]:)/.test(normalizePattern(pattern))
        ? 'is an absolute path; patterns are relative to the workspace: leave out the part of the path up to it'
        : 'leads outside the workspace; patterns are relative to it';
      problems.push({ input, pattern, reason });
      return;
    }
    const matches = compileGlob(normalizePattern(pattern), GLOB_OPTIONS);
    const matched = files.filter((file) => matches(file));
    if (matched.length === 0 && pattern.includes('\\')) {
      problems.push({ input, pattern, reason: backslashAdvice(files, pattern) });
    } else if (matched.length === 0) {
      const folder = normalizePattern(pattern).replace(/\/+$/, '');
      const isFolder = files.some((file) => file.startsWith(`${folder}/`));
      problems.push({
        input,
        pattern,
        reason: isFolder
          ? `names a folder, not files; write "${folder}/**" for every file in it`
          : 'matches no file in the workspace',
      });
    } else if (input === 'paths' && matched.every((file) => isBelow(file, charts))) {
      problems.push({
        input,
        pattern,
        reason:
          'matches only files in Helm chart folders (a Chart.yaml beside a values.yaml), which are never scanned',
      });
    }
  };
  for (const pattern of include) check('paths', pattern);
  for (const pattern of exclude) check('exclude', pattern);
  return problems;
}

/**
 * The files (workspace-relative, `/`-separated) that match any include and no exclude glob and lie
 * outside Helm chart folders, sorted.
 */
export function selectFiles(
  files: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): string[] {
  // One matcher per glob: `minimatch(file, glob)` compiles the glob again for every file. With
  // `nocomment` the two agree exactly.
  const compile = (patterns: readonly string[]) =>
    patterns.map((p) => compileGlob(normalizePattern(p), GLOB_OPTIONS));
  const includes = compile(
    (include.length ? include : DEFAULT_PATHS).filter((p) => !escapesWorkspace(normalizePattern(p))),
  );
  const excludes = compile(exclude);
  const charts = chartDirectories(files);
  return files
    .filter(
      (file) => !isBelow(file, charts) && includes.some((m) => m(file)) && !excludes.some((m) => m(file)),
    )
    .sort();
}

/**
 * A warning for each `paths` pattern that reaches files of `selected` (the files `paths` and
 * `exclude` chose) but none of `withReleases` (the files that hold a HelmRelease, used or not): it
 * matches files, but none with a HelmRelease (a kustomization, a values file), so it narrows the
 * run to nothing it was most likely meant to check. A pattern whose files `exclude` all takes out
 * is not one: the exclusion was written on purpose.
 */
export function pathsWithoutReleases(
  include: readonly string[],
  selected: readonly string[],
  withReleases: readonly string[],
): Problem[] {
  return include
    .filter((pattern) => {
      const matches = compileGlob(normalizePattern(pattern), GLOB_OPTIONS);
      return selected.some((file) => matches(file)) && !withReleases.some((file) => matches(file));
    })
    .map((pattern) =>
      warning(
        '',
        0,
        `paths: "${pattern}" matches files, but none holds a HelmRelease; nothing was checked for it.`,
      ),
    );
}
