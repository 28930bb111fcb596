/**
 * Inputs set to no effect by another input's value: `merge-method` with `automerge: none`,
 * `dashboard-title` with `dashboard: false`. Whoever set one expected it to do something, so it is
 * a configuration mistake; as it widens nothing, it is a warning (in the annotations, the
 * `problems` output and the summary), not a stop. Pure; the shells add these to the run's problems.
 *
 * The runner passes every declared input, with its `action.yml` default when the workflow leaves it
 * out, so an input counts as set when its value is not the default: `merge-method: squash` written
 * out (the default) cannot be told from one left out, and gets no warning.
 */
import { warning, type Problem } from './problems.js';
import { DEFAULTS, type Settings } from './settings.js';

/** One input that another input's value makes do nothing. */
interface IneffectiveInput {
  /** The input was set (its value is not the default). */
  isSet: (settings: Settings) => boolean;
  /** Another input's value leaves it without effect. */
  isIneffective: (settings: Settings) => boolean;
  /** What the warning says: the input, what cancels it, and how to fix it. */
  message: (settings: Settings) => string;
}

const INEFFECTIVE_INPUTS: readonly IneffectiveInput[] = [
  {
    isSet: (s) => s.mergeMethod !== DEFAULTS['merge-method'],
    isIneffective: (s) => s.automerge === 'none',
    message: (s) =>
      `merge-method: ${s.mergeMethod} has no effect with automerge: none; remove it, or set automerge to patch, minor or all`,
  },
  {
    isSet: (s) => s.dashboardTitle !== DEFAULTS['dashboard-title'],
    isIneffective: (s) => !s.dashboard,
    message: (s) =>
      `dashboard-title: "${s.dashboardTitle}" has no effect with dashboard: false; remove it, or set dashboard: true`,
  },
];

/** A warning for each input that `settings` set but another of its inputs leaves without effect. */
export function ineffectiveInputs(settings: Settings): Problem[] {
  return INEFFECTIVE_INPUTS.filter((rule) => rule.isSet(settings) && rule.isIneffective(settings)).map(
    (rule) => warning('', 0, rule.message(settings)),
  );
}
