import { writeEdits } from '../../src/adapters/write-edits.js';
import { FileNotWrittenError } from '../../src/adapters/write-workspace-file.js';
import type { FileEdit, Update } from '../../src/plan/types.js';

/** An edit of `file` with `count` updates, the first at `line`. */
const edit = (file: string, count: number, line = 7): FileEdit => ({
  file,
  before: 'a',
  after: 'b',
  updates: Array.from({ length: count }, () => ({ line }) as Update),
});

describe('writeEdits: a file that cannot be written is a problem at it, the others are written', () => {
  it.each<[string, FileEdit[], string[], number, [string, number, string][]]>([
    ['all written', [edit('a.yaml', 1), edit('b.yaml', 2)], [], 2, []],
    [
      'the first refused, the rest still written',
      [edit('a.yaml', 1), edit('b.yaml', 1), edit('c.yaml', 1)],
      ['a.yaml'],
      2,
      [
        [
          'a.yaml',
          7,
          "the file could not be written (EACCES: permission denied, open 'a.yaml'), so its update was not applied; make it writable and run again",
        ],
      ],
    ],
    [
      'each refused file said, with its count of updates',
      [edit('a.yaml', 3, 12), edit('b.yaml', 1)],
      ['a.yaml', 'b.yaml'],
      0,
      [
        [
          'a.yaml',
          12,
          "the file could not be written (EACCES: permission denied, open 'a.yaml'), so its 3 updates were not applied; make it writable and run again",
        ],
        [
          'b.yaml',
          7,
          "the file could not be written (EACCES: permission denied, open 'b.yaml'), so its update was not applied; make it writable and run again",
        ],
      ],
    ],
    [
      'a file left alone for a reason of its own: its advice, not the permission one',
      [edit('a.yaml', 1), edit('changed.yaml', 2, 9)],
      ['changed.yaml'],
      1,
      [
        [
          'changed.yaml',
          9,
          'the file could not be written (it changed after the run read it), so its 2 updates were not applied; run again, to plan from what it holds now',
        ],
      ],
    ],
  ])('%s', async (_name, edits, refused, files, problems) => {
    const tried: string[] = [];
    const written = await writeEdits(edits, async ({ file }) => {
      tried.push(file);
      if (file === 'changed.yaml') {
        throw new FileNotWrittenError(
          'it changed after the run read it',
          'run again, to plan from what it holds now',
        );
      }
      if (refused.includes(file)) throw new Error(`EACCES: permission denied, open '${file}'`);
    });
    expect(tried).toEqual(edits.map((e) => e.file));
    expect(written.files).toBe(files);
    expect(written.problems.map((p) => [p.file, p.line, p.message])).toEqual(problems);
    expect(written.problems.every((p) => p.severity === 'error')).toBe(true);
  });
});
