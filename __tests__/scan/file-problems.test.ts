/**
 * The problems listed for one file's scan: at most 100, the rest counted in one more at the line
 * of the first left out, an error when any of them is.
 */
import { describe, expect, it } from '@jest/globals';
import type { FileScan } from '../../src/helmrelease/types.js';
import { error, warning, type Problem } from '../../src/problems.js';
import { capFileProblems, MAX_FILE_PROBLEMS } from '../../src/scan/file-problems.js';

/** `n` problems of `f.yaml`, at lines 1.. n, of the severity `kind(line)`. */
function problems(n: number, kind: (line: number) => 'error' | 'warning' = () => 'warning'): Problem[] {
  return Array.from({ length: n }, (_, i) =>
    (kind(i + 1) === 'error' ? error : warning)('f.yaml', i + 1, `problem ${i + 1}`),
  );
}

const scanOf = (list: Problem[]): FileScan => ({ file: 'f.yaml', releases: [], problems: list });

describe('capFileProblems', () => {
  it('lists 100 problems of a file by default', () => {
    expect(MAX_FILE_PROBLEMS).toBe(100);
  });

  it.each<[string, Problem[], Problem[]]>([
    ['fewer than the bound: as they are', problems(2), problems(2)],
    ['exactly the bound: as they are', problems(3), problems(3)],
    [
      'one more, a warning: the first 3, then one warning counting it',
      problems(4),
      [
        ...problems(3),
        warning(
          'f.yaml',
          4,
          '1 more problem in f.yaml is not listed, the most listed for one file being 3; the first of them, at line 4: problem 4',
        ),
      ],
    ],
    [
      'many more, an error among them: one error counting them, at the first left out',
      problems(1000, (line) => (line === 999 ? 'error' : 'warning')),
      [
        ...problems(3),
        error(
          'f.yaml',
          4,
          '997 more problems in f.yaml are not listed, the most listed for one file being 3; the first of them, at line 4: problem 4',
        ),
      ],
    ],
  ])('%s', (_what, list, expected) => {
    expect(capFileProblems(scanOf(list), 3).problems).toEqual(expected);
  });
});
