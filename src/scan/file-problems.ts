/**
 * The problems a run lists for one file's scan, at most {@link MAX_FILE_PROBLEMS}: the rest are
 * counted in one problem at the line of the first left out. A file can hold a problem for every
 * few bytes (a 4 MiB file of 140,000 HelmRelease documents, each with an escape yaml.v2 does not
 * know, gave 140,000 errors: 787 MB and 42 MB of `--json`), and ten such files would exhaust the
 * runner. Only the list is cut: what holds a release is its own, so nothing more is updated. Pure.
 */
import { groupedCount } from '../byte-count.js';
import type { FileScan } from '../helmrelease/types.js';
import { error, warning } from '../problems.js';

/** Problems listed for one file's scan; the rest are counted in one more. */
export const MAX_FILE_PROBLEMS = 100;

/** `scan` with its problems past the first {@link MAX_FILE_PROBLEMS} counted in one problem. */
export function capFileProblems(scan: FileScan, max = MAX_FILE_PROBLEMS): FileScan {
  if (scan.problems.length <= max) return scan;
  const left = scan.problems.slice(max);
  const first = left[0]!;
  const message =
    `${groupedCount(left.length)} more ${left.length === 1 ? 'problem' : 'problems'} in ${scan.file} ` +
    `${left.length === 1 ? 'is' : 'are'} not listed, the most listed for one file ` +
    `being ${groupedCount(max)}; the first of them, at line ${first.line}: ${first.message}`;
  const summary = left.some((p) => p.severity === 'error')
    ? error(scan.file, first.line, message)
    : warning(scan.file, first.line, message);
  return { ...scan, problems: [...scan.problems.slice(0, max), summary] };
}
