/**
 * Chooses the files to scan from the workspace's file list with include and exclude globs.
 * Pure: the list comes from the workspace edge.
 */
import { Minimatch } from 'minimatch';

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
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const slash = file.lastIndexOf('/');
    const dir = slash < 0 ? '' : file.slice(0, slash);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(file.slice(slash + 1));
    byDir.set(dir, names);
  }
  const charts = new Set<string>();
  for (const [dir, names] of byDir) if (names.has('Chart.yaml') && names.has('values.yaml')) charts.add(dir);
  return charts;
}

/** True when `file` lies in (or below) one of `dirs`. */
function isBelow(file: string, dirs: ReadonlySet<string>): boolean {
  if (dirs.has('')) return true;
  for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1))
    if (dirs.has(file.slice(0, i))) return true;
  return false;
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
  const options = { dot: true, nocomment: true, nonegate: true };
  // Each glob is compiled once: `minimatch(file, glob)` compiles it again for every file, which
  // on 10,000 files cost more than the matching itself. With `nocomment` the two agree exactly.
  const compile = (patterns: readonly string[]) => patterns.map((p) => new Minimatch(p, options));
  const includes = compile((include.length ? include : DEFAULT_PATHS).filter((p) => !escapesWorkspace(p)));
  const excludes = compile(exclude);
  const charts = chartDirectories(files);
  return files
    .filter(
      (file) =>
        !isBelow(file, charts) && includes.some((m) => m.match(file)) && !excludes.some((m) => m.match(file)),
    )
    .sort();
}
