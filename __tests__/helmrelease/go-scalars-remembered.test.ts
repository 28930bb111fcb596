/**
 * resolvePlainScalar remembers what it made of number-like texts (issue 17: `80`, `2`, `1.0.3` and
 * `256Mi` recur over thousands of releases). A remembered answer must be the answer a first read
 * gives, for every text, before and after the memory is full, and for texts too long to remember.
 */
import { describe, expect, it } from '@jest/globals';
import { resolvePlainScalar } from '../../src/helmrelease/go-scalars.js';

describe('resolvePlainScalar read again', () => {
  it.each([
    ['80', { type: 'int', value: 80n }],
    ['-0x1F', { type: 'int', value: -31n }],
    ['1_000', { type: 'int', value: 1000n }],
    ['18446744073709551615', { type: 'int', value: 18446744073709551615n }],
    ['4.0', { type: 'float', value: 4 }],
    ['1e3', { type: 'float', value: 1000 }],
    ['1.0.3', { type: 'str' }],
    ['256Mi', { type: 'str' }],
    ['1e999', { type: 'str' }],
    ['+', { type: 'str' }],
  ])('%s reads the same the second time', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
    expect(resolvePlainScalar(text)).toEqual(expected);
  });

  it('keeps every text apart past the number it remembers (10,000)', () => {
    const texts = Array.from({ length: 25_000 }, (_, i) => (i % 2 === 0 ? `${i}` : `${i}.0.${i % 7}`));
    for (const text of texts) resolvePlainScalar(text);
    for (const i of [0, 9_999, 10_000, 10_001, 24_999, 1, 15_000]) {
      expect(resolvePlainScalar(texts[i]!)).toEqual(
        i % 2 === 0 ? { type: 'int', value: BigInt(i) } : { type: 'str' },
      );
    }
  });

  it('reads texts longer than it remembers (64 characters) every time', () => {
    const long = `1${'0'.repeat(70)}`;
    const longVersion = `1.${'0'.repeat(70)}.1`;
    for (let i = 0; i < 2; i += 1) {
      expect(resolvePlainScalar(long)).toEqual({ type: 'float', value: 1e70 });
      expect(resolvePlainScalar(longVersion)).toEqual({ type: 'str' });
    }
  });
});
