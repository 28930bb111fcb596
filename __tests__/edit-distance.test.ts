import { editDistance, nearest } from '../src/edit-distance.js';

describe('editDistance: insertions, deletions, substitutions and swaps of neighbours, one edit each', () => {
  it.each<[string, string, number]>([
    ['json', 'json', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    // Two neighbouring letters swapped, the commonest typo: one edit, not two.
    ['json', 'jsno', 1],
    ['ab', 'ba', 1],
    ['locked', 'lcoked', 1],
    ['locked', 'lcokd', 2],
    ['automated', 'atuomate', 2],
    ['dry-run', 'dyr-run', 1],
    // Optimal string alignment: no substring is edited twice (Damerau-Levenshtein would say 2).
    ['ca', 'abc', 3],
  ])('%s -> %s: %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  // The bound: the lengths alone tell, without the table (a megabyte-long name costs nothing).
  it.each<[string, string, number, number]>([
    ['a'.repeat(1_000_000), 'a', 2, 3],
    ['json', 'jsno', 1, 1],
  ])('%#: within the limit, the distance; past it, more than the limit', (a, b, limit, expected) => {
    expect(editDistance(a, b, limit)).toBe(expected);
  });
});

describe('nearest: the name a typo most likely meant, or none', () => {
  it.each<[string, string[], string | undefined]>([
    ['chart-imag', ['chart-image', 'metrics'], 'chart-image'],
    ['contaner', ['container', 'sidecar'], 'container'],
    ['Sidecar', ['sidecar'], 'sidecar'],
    ['chartimage', ['chart-image'], 'chart-image'],
    // Too far for the candidate's length: no guess.
    ['web', ['db'], undefined],
    ['other', ['chart-image', 'sub'], undefined],
    ['metrics-exporter', ['metrics'], undefined],
    ['x', [], undefined],
    // Swapped neighbours: one edit, so even a short name is suggested.
    ['jsno', ['json', 'dir'], 'json'],
    ['ewb', ['web', 'db'], 'web'],
    ['sdiecar', ['sidecar', 'chart-image'], 'sidecar'],
    // The nearer of two.
    ['worker2', ['worker', 'worker-2'], 'worker'],
    // A megabyte-long name from a file costs nothing and suggests nothing.
    ['a'.repeat(1_000_000), ['a'], undefined],
  ])('%s among %j -> %s', (name, candidates, expected) => {
    expect(nearest(name, candidates)).toBe(expected);
  });
});
