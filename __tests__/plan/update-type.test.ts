import { updateTypeOf, type UpdateType } from '../../src/plan/update-type.js';

describe('updateTypeOf', () => {
  it.each<[string, string, boolean, UpdateType]>([
    ['4.0.3', '5.0.0', false, 'major'],
    ['v4.0.3', 'v4.1.0', false, 'minor'],
    ['4.0.3', '4.0.4', false, 'patch'],
    ['4.0', '4.0.1', false, 'patch'],
    ['1.2.0-rc.1', '1.2.0', false, 'patch'],
    ['4.0.3', '5.0.0-rc.1', false, 'pre-release'],
    ['1.0.0-rc.1', '1.0.0-rc.2', false, 'pre-release'],
    ['1.0.0-alpine', '1.0.1-rc.1', false, 'pre-release'],
    // A suffix both tags share is a variant: the version core says what changed.
    ['0.24.6-alpine', '0.25.6-alpine', false, 'minor'],
    ['1.2.3-alpine', '2.0.0-alpine', false, 'major'],
    ['1.2.3-debian-12-r4', '1.2.4-debian-12-r4', false, 'patch'],
    ['4.0.3', '4.0.2', true, 'downgrade'],
    ['master-aaa', 'master-bbb', true, 'downgrade'],
    ['master-aaa', 'master-bbb', false, 'build'],
    // A lower version is a downgrade whichever order chose it (a backport that is the newest build).
    ['2.0.0', '1.9.9', false, 'downgrade'],
    ['v4.0.3', '3.6.5', false, 'downgrade'],
    // The same version spelled differently (Flux v1 prefers the longer spelling).
    ['1.10', '1.10.0', false, 'build'],
    ['latest', '1.0.0', false, 'build'],
    ['1.0.0', 'latest', false, 'build'],
    ['1.0.0', 'master-bbb', false, 'build'],
  ])('%s -> %s (downgrade %s): %s', (from, to, downgrade, expected) => {
    expect(updateTypeOf(from, to, downgrade)).toBe(expected);
  });
});
