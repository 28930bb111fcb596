/**
 * The reason a cancelled run gives a pull request it did not reach: written by the GitHub writer
 * and read by the report, which tells those pull requests apart by it, so it lives below both.
 */
export const NOT_REACHED_CANCELLED = 'not reached: the run was cancelled; the next run writes it';
