/**
 * Chooses the files to scan from the workspace's file list with include and exclude globs.
 * Pure: the list comes from the workspace edge.
 */
import { minimatch } from 'minimatch';

/** The default `paths`: every YAML file. `.git` and `node_modules` are never listed by the edge. */
export const DEFAULT_PATHS: readonly string[] = ['**/*.yaml', '**/*.yml'];

/**
 * True when a pattern could reach outside the workspace (absolute, or with a `..` segment);
 * such patterns are refused.
 */
export function escapesWorkspace(pattern: string): boolean {
  return pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern) || pattern.split(/[\\/]/).includes('..');
}

/** The files (workspace-relative, `/`-separated) that match any include and no exclude glob, sorted. */
export function selectFiles(
  files: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): string[] {
  const options = { dot: true, nocomment: true, nonegate: true };
  const includes = (include.length ? include : DEFAULT_PATHS).filter((p) => !escapesWorkspace(p));
  return files
    .filter((file) => includes.some((p) => minimatch(file, p, options)))
    .filter((file) => !exclude.some((p) => minimatch(file, p, options)))
    .sort();
}
