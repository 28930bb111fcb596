/**
 * Inputs another input leaves without effect: a warning each, naming both and the fix; none when
 * the input is left at its default or takes effect.
 */
import { describe, expect, it } from '@jest/globals';
import { ineffectiveInputs } from '../src/ineffective-inputs.js';
import { parseSettings } from '../src/settings.js';

/** The warnings' messages for a step's `with:` inputs (the rest at their defaults, as the runner passes them). */
function warningsFor(inputs: Record<string, string>): string[] {
  const problems = ineffectiveInputs(parseSettings((name) => inputs[name]));
  expect(problems.every((p) => p.severity === 'warning' && p.file === '' && p.line === 0)).toBe(true);
  return problems.map((p) => p.message);
}

describe('ineffectiveInputs', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['nothing set', {}, []],
    [
      'merge-method without automerge',
      { 'merge-method': 'rebase' },
      [
        'merge-method: rebase has no effect with automerge: none; remove it, or set automerge to patch, minor or all',
      ],
    ],
    [
      'merge-method with automerge: none written out',
      { automerge: 'none', 'merge-method': 'merge' },
      [
        'merge-method: merge has no effect with automerge: none; remove it, or set automerge to patch, minor or all',
      ],
    ],
    ['merge-method with automerge', { automerge: 'patch', 'merge-method': 'rebase' }, []],
    ['merge-method at its default without automerge', { 'merge-method': 'squash' }, []],
    [
      'dashboard-title without the dashboard',
      { 'dashboard-title': 'Staging images' },
      [
        'dashboard-title: "Staging images" has no effect with dashboard: false; remove it, or set dashboard: true',
      ],
    ],
    [
      'dashboard-title with dashboard: false written out',
      { dashboard: 'false', 'dashboard-title': 'Staging images' },
      [
        'dashboard-title: "Staging images" has no effect with dashboard: false; remove it, or set dashboard: true',
      ],
    ],
    ['dashboard-title with the dashboard', { dashboard: 'true', 'dashboard-title': 'Staging images' }, []],
    ['the dashboard at its default title', { dashboard: 'true' }, []],
    [
      'both, in the order of action.yml',
      { 'dashboard-title': 'Staging images', 'merge-method': 'merge' },
      [
        'merge-method: merge has no effect with automerge: none; remove it, or set automerge to patch, minor or all',
        'dashboard-title: "Staging images" has no effect with dashboard: false; remove it, or set dashboard: true',
      ],
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(warningsFor(inputs)).toEqual(expected);
  });
});
