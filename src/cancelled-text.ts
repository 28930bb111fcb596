/**
 * Why a cancelled run stopped a registry request or a GitHub call: the reason it gives them, which
 * the report finds again in what they left (an image not checked).
 */
export const RUN_CANCELLED = 'the run was cancelled';

/**
 * The reason a cancelled run gives a pull request it did not reach: written by the GitHub writer
 * and read by the report, which tells those pull requests apart by it, so it lives below both.
 */
export const NOT_REACHED_CANCELLED = `not reached: ${RUN_CANCELLED}; the next run writes it`;
