/** The run's budget of tags held (run-tag-budget.ts): what listings take, keep and give back. */
import { describe, expect, it } from '@jest/globals';
import { RunTagBudget } from '../../src/registry/run-tag-budget.js';

/** One listing's move: its account (by index) takes, keeps or closes. */
type Move =
  | [account: number, 'take', count: number, taken: boolean]
  | [account: number, 'keep' | 'close', count?: number];

describe('RunTagBudget', () => {
  const cases: Array<[string, Move[], number]> = [
    [
      'takes up to the bound, not past it',
      [
        [0, 'take', 6, true],
        [0, 'take', 4, true],
        [1, 'take', 1, false],
      ],
      10,
    ],
    [
      'a refused page takes nothing',
      [
        [0, 'take', 8, true],
        [1, 'take', 3, false],
        [1, 'take', 2, true],
      ],
      10,
    ],
    [
      'a closed account gives everything back',
      [
        [0, 'take', 8, true],
        [0, 'close'],
        [1, 'take', 10, true],
      ],
      10,
    ],
    [
      'keep gives back what is not kept (duplicates)',
      [
        [0, 'take', 8, true],
        [0, 'keep', 5],
        [1, 'take', 5, true],
      ],
      10,
    ],
    [
      'closing twice gives back once',
      [
        [0, 'take', 4, true],
        [1, 'take', 6, true],
        [0, 'close'],
        [0, 'close'],
      ],
      6,
    ],
    [
      'a closed account takes nothing and refuses nothing',
      [
        [0, 'close'],
        [0, 'take', 20, true],
      ],
      0,
    ],
  ];
  it.each(cases)('%s', (_, moves, held) => {
    const budget = new RunTagBudget(10);
    const accounts = [budget.open(), budget.open()];
    for (const [index, move, count, taken] of moves) {
      if (move === 'take') expect(accounts[index].take(count)).toBe(taken);
      else if (move === 'keep') accounts[index].keep(count!);
      else accounts[index].close();
    }
    expect(budget.held).toBe(held);
  });

  it("tells a listing what the others hold, and the run's bound", () => {
    const budget = new RunTagBudget(10);
    const [a, b] = [budget.open(), budget.open()];
    a.take(3);
    b.take(4);
    expect([a.heldByOthers(), b.heldByOthers(), a.max]).toEqual([4, 3, 10]);
  });
});
