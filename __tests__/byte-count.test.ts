import { describe, expect, it } from '@jest/globals';
import { byteCount } from '../src/byte-count.js';

describe('byteCount', () => {
  it.each<[number, string]>([
    [4 * 1024 ** 3, '4,294,967,296 bytes (4 GiB)'],
    [512 * 1024 ** 2, '536,870,912 bytes (512 MiB)'],
    [1536 * 1024 ** 2, '1,610,612,736 bytes (1536 MiB)'],
    [1024 ** 2 + 1, '1,048,577 bytes'],
    [25, '25 bytes'],
    [0, '0 bytes'],
  ])('%d: %s', (bytes, text) => {
    expect(byteCount(bytes)).toBe(text);
  });
});
