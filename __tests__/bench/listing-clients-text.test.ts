import { describe, expect, it } from '@jest/globals';
import { renderListingClients } from '../../scripts/bench/baselines.js';
import type { WallParts } from '../../scripts/bench/wall-parts.js';

const parts = (turnByWindowMs: (number | null)[]): WallParts => ({
  leadMs: 80,
  registryMs: 820,
  tailMs: 12,
  frontMs: 20.4,
  turnMs: 1.06,
  turnByWindowMs,
});

describe('renderListingClients', () => {
  it('says where each wall went, with the turn a request by 200 ms window (a dash where none took a turn)', () => {
    const line = renderListingClients(
      {
        requests: 300,
        http: { wallMs: 900, parts: parts([1]) },
        undici: { wallMs: 920, parts: parts([1.72, 0.86, null, 0.91]) },
      },
      750,
      [{ name: 'warm', wallMs: 975, parts: parts([3.45, 2.28, 2.58, 1.02, 0.78]) }],
    );
    expect(line).toContain('undici 920 ms (1.23 x the floor)');
    expect(line).toContain('warm 1.06');
    expect(line).toContain(
      'the undici client 80 ms to its first request, 820 ms to the last answer (20.4 ms of the front and ' +
        '1.1 ms of its own turn a request; by 200 ms from the first request 1.7, 0.9, -, 0.9 ms), 12 ms to its exit',
    );
    expect(line).toContain('by 200 ms from the first request 3.5, 2.3, 2.6, 1.0, 0.8 ms)');
  });
});
