import { describe, expect, it } from '@jest/globals';
import { plural } from '../src/plural.js';

describe('plural', () => {
  it.each([
    [0, 'containers'],
    [1, 'container'],
    [2, 'containers'],
  ])('%d', (count, noun) => {
    expect(plural(count, 'container')).toBe(`${count} ${noun}`);
  });

  it('takes an irregular plural', () => {
    expect(plural(2, 'repository', 'repositories')).toBe('2 repositories');
  });
});
