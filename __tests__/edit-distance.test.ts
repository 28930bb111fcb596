import { nearest } from '../src/edit-distance.js';

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
    // The nearer of two.
    ['worker2', ['worker', 'worker-2'], 'worker'],
    // A megabyte-long name from a file costs nothing and suggests nothing.
    ['a'.repeat(1_000_000), ['a'], undefined],
  ])('%s among %j -> %s', (name, candidates, expected) => {
    expect(nearest(name, candidates)).toBe(expected);
  });
});
