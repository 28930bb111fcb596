/**
 * Creation times at Go's nanosecond precision, from the RFC 3339 text (parseCreated) through the
 * order chooseTag uses (R7.2) and the digest cache's text form.
 */
import { describe, expect, it } from '@jest/globals';
import { chooseTag, parseFilter } from '../../src/filters/index.js';
import { compareCreated, formatCreated } from '../../src/image/created-time.js';
import type { TagDetails } from '../../src/ports.js';
import { parseCreated } from '../../src/registry/manifest.js';

describe('parseCreated keeps nanoseconds', () => {
  it.each<[string, string | undefined, number]>([
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z', 0],
    ['2024-01-02T03:04:05.1Z', '2024-01-02T03:04:05.100Z', 0],
    ['2024-01-02T03:04:05.123Z', '2024-01-02T03:04:05.123Z', 0],
    ['2024-01-02T03:04:05.1234Z', '2024-01-02T03:04:05.123400000Z', 400_000],
    ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123456789Z', 456_789],
    ['2024-01-02T03:04:05.000000001Z', '2024-01-02T03:04:05.000000001Z', 1],
    ['2024-01-02T03:04:05.9999999999Z', '2024-01-02T03:04:05.999999999Z', 999_999], // Go keeps 9 digits
    ['2024-01-02T05:04:05.123456789+02:00', '2024-01-02T03:04:05.123456789Z', 456_789],
    ['1969-12-31T23:59:59.123456789Z', '1969-12-31T23:59:59.123456789Z', 456_789],
    ['2024-02-30T00:00:00Z', undefined, 0],
  ])('%s', (text, formatted, nanos) => {
    const created = parseCreated(text);
    expect(created && formatCreated(created)).toBe(formatted);
    expect(created?.nanos ?? 0).toBe(formatted === undefined ? 0 : nanos);
  });

  it('reads its own text form back exactly, and old millisecond entries as before', () => {
    const created = parseCreated('2024-01-02T03:04:05.123456789Z')!;
    expect(compareCreated(parseCreated(formatCreated(created))!, created)).toBe(0);
    expect(parseCreated('2024-01-02T03:04:05.123Z')!.getTime()).toBe(Date.parse('2024-01-02T03:04:05.123Z'));
  });

  it.each<[string, string, number]>([
    ['same millisecond, later nanoseconds', '2024-01-02T03:04:05.123000002Z', 1],
    ['same millisecond, earlier nanoseconds', '2024-01-02T03:04:05.123000000Z', -1],
    ['same instant', '2024-01-02T03:04:05.123000001Z', 0],
    ['a later millisecond', '2024-01-02T03:04:05.124Z', 1],
  ])('compares %s', (_name, other, sign) => {
    const base = parseCreated('2024-01-02T03:04:05.123000001Z')!;
    expect(Math.sign(compareCreated(parseCreated(other)!, base))).toBe(sign);
  });
});

describe('time order at nanosecond precision (R7.2)', () => {
  const at = (text: string): TagDetails => ({
    digest: `sha256:${'a'.repeat(64)}`,
    created: parseCreated(text),
  });

  it.each<[string, string, string]>([
    // Without nanoseconds these tie, and the smaller tag (a) would win.
    ['b built 1 ns later in the same millisecond wins', '2024-01-02T03:04:05.123000002Z', 'b'],
    ['a built 1 ns later wins', '2024-01-02T03:04:05.123000000Z', 'a'],
    ['an exact tie goes to the smaller tag', '2024-01-02T03:04:05.123000001Z', 'a'],
  ])('%s', (_name, bTime, winner) => {
    const details = new Map<string, TagDetails>([
      ['current', at('2020-01-01T00:00:00Z')],
      ['a', at('2024-01-02T03:04:05.123000001Z')],
      ['b', at(bTime)],
    ]);
    const { decision } = chooseTag({
      filter: parseFilter('glob:*'),
      current: 'current',
      tags: [...details.keys()],
      details,
    });
    expect(decision).toEqual(expect.objectContaining({ kind: 'update', tag: winner }));
  });
});
