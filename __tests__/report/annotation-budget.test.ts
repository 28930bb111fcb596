import { ANNOTATIONS_PER_SEVERITY, planAnnotations } from '../../src/report/annotation-budget.js';
import { error, warning, type Problem } from '../../src/problems.js';

/** `n` problems of one severity, `e1`… or `w1`…, at lines 1…n of hr.yaml. */
const many = (make: typeof error, prefix: string, n: number): Problem[] =>
  Array.from({ length: n }, (_, i) => make('hr.yaml', i + 1, `${prefix}${i + 1}`));

/** What is annotated and what only logged, as `e1`, `w3`, and the counts' messages. */
function plan(problems: Problem[], reservedErrors = 0) {
  const { annotate, logOnly } = planAnnotations(problems, reservedErrors);
  return { annotate: annotate.map((p) => p.message), logOnly: logOnly.map((p) => p.message) };
}

const moreErrors = (n: number) =>
  `${n} more error${n === 1 ? '' : 's'} than GitHub shows as annotations: each is in the job summary, and in this step's log`;
const moreWarnings = (n: number) =>
  `${n} more warning${n === 1 ? '' : 's'} than GitHub shows as annotations: each is in the job summary, and in this step's log`;
const names = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

describe('planAnnotations: at most 10 of each severity, the last counting the rest', () => {
  it.each<[string, Problem[], number, { annotate: string[]; logOnly: string[] }]>([
    ['none', [], 0, { annotate: [], logOnly: [] }],
    ['10 warnings: all', many(warning, 'w', 10), 0, { annotate: names('w', 1, 10), logOnly: [] }],
    [
      '11 warnings: 9 and a count of 2',
      many(warning, 'w', 11),
      0,
      { annotate: [...names('w', 1, 9), moreWarnings(2)], logOnly: names('w', 10, 11) },
    ],
    [
      '31 warnings at one line each: 9 and a count of 22',
      many(warning, 'w', 31),
      0,
      { annotate: [...names('w', 1, 9), moreWarnings(22)], logOnly: names('w', 10, 31) },
    ],
    [
      '10 errors and the step’s failure: 8 and a count of 2',
      many(error, 'e', 10),
      1,
      { annotate: [...names('e', 1, 8), moreErrors(2)], logOnly: names('e', 9, 10) },
    ],
    [
      '9 errors and the step’s failure: all',
      many(error, 'e', 9),
      1,
      { annotate: names('e', 1, 9), logOnly: [] },
    ],
    [
      'each severity counted on its own, in the order found',
      [...many(warning, 'w', 12), ...many(error, 'e', 3)],
      0,
      {
        annotate: [...names('w', 1, 9), ...names('e', 1, 3), moreWarnings(3)],
        logOnly: names('w', 10, 12),
      },
    ],
  ])('%s', (_name, problems, reserved, expected) => {
    expect(plan(problems, reserved)).toEqual(expected);
  });

  it('never annotates more of a severity than GitHub shows, and loses no problem', () => {
    for (let errors = 0; errors <= 25; errors += 1) {
      for (const reserved of [0, 1]) {
        const problems = [...many(error, 'e', errors), ...many(warning, 'w', 25 - errors)];
        const { annotate, logOnly } = planAnnotations(problems, reserved);
        const count = (severity: string) => annotate.filter((p) => p.severity === severity).length;
        expect(count('error') + reserved).toBeLessThanOrEqual(ANNOTATIONS_PER_SEVERITY);
        expect(count('warning')).toBeLessThanOrEqual(ANNOTATIONS_PER_SEVERITY);
        const kept = [...annotate.filter((p) => p.file), ...logOnly].map((p) => p.message).sort();
        expect(kept).toEqual(problems.map((p) => p.message).sort());
      }
    }
  });
});
