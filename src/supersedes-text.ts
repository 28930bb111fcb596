/**
 * How a pull request names those it replaced: `supersedes #3, #4`, or in a dry run `would supersede
 * #3, #4`. The writer puts it in an outcome's reason and the job summary shows it beside an
 * unchanged one; a leaf of its own, as report text may not import the GitHub writer.
 */

/** The words before the numbers: as done, or (a dry run) as it would be. */
function supersedesPhrase(dryRun: boolean): string {
  return dryRun ? 'would supersede ' : 'supersedes ';
}

/** `supersedes #3, #4`; `would supersede #3, #4` in a dry run, for those a real run would close. */
export function supersedesReason(numbers: readonly number[], dryRun = false): string {
  return `${supersedesPhrase(dryRun)}${numbers.map((n) => `#${n}`).join(', ')}`;
}
