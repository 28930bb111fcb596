/**
 * The per-HelmRelease minimum release age (issue 19): `helmrelease-image-updater.io/minimum-release-age`
 * overrides the input; a value that is not a usable duration blocks the release at its line.
 */
import { describe, expect, it } from '@jest/globals';
import type { Annotation } from '../../src/helmrelease/annotations.js';
import {
  MAX_MINIMUM_RELEASE_AGE,
  MINIMUM_RELEASE_AGE_ANNOTATION,
  readMinimumReleaseAge,
} from '../../src/helmrelease/release-age.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An annotation as readAnnotations gives it; `isString` false for an unquoted number. */
function annotation(key: string, source: string, isString = true): Annotation {
  return { key, value: source, isString, isNull: false, source, line: 7 };
}

function read(annotations: Annotation[]): { ms: number | undefined; blocked: [number, string][] } {
  const blocked: [number, string][] = [];
  const ms = readMinimumReleaseAge(annotations, (line, message) => blocked.push([line, message]));
  return { ms, blocked };
}

describe('readMinimumReleaseAge', () => {
  it('the annotation key and the longest age', () => {
    expect(MINIMUM_RELEASE_AGE_ANNOTATION).toBe('helmrelease-image-updater.io/minimum-release-age');
    expect(MAX_MINIMUM_RELEASE_AGE).toEqual({ ms: 90 * DAY, text: '90d' });
  });

  it('no annotation: undefined, nothing blocked', () => {
    expect(read([annotation('fluxcd.io/automated', 'true')])).toEqual({ ms: undefined, blocked: [] });
  });

  it.each<[string, number]>([
    ['0', 0],
    ['12h', 12 * HOUR],
    ['3d', 3 * DAY],
    ['90d', 90 * DAY],
    [' 30m ', 30 * 60_000],
  ])('%j is %d ms', (value, ms) => {
    expect(read([annotation('other', 'x'), annotation(MINIMUM_RELEASE_AGE_ANNOTATION, value)])).toEqual({
      ms,
      blocked: [],
    });
  });

  it.each<[string, string, boolean]>([
    ['a word', 'three days', true],
    ['longer than 90 days', '91d', true],
    ['two units', '1h30m', true],
  ])('%s blocks the release at its line', (_name, value, isString) => {
    expect(read([annotation(MINIMUM_RELEASE_AGE_ANNOTATION, value, isString)])).toEqual({
      ms: undefined,
      blocked: [
        [
          7,
          `helmrelease-image-updater.io/minimum-release-age is "${value}"; write 0 or a duration such as 12h or 3d (at most 90d)`,
        ],
      ],
    });
  });

  it('an unquoted number blocks the release, saying to quote it', () => {
    expect(read([annotation(MINIMUM_RELEASE_AGE_ANNOTATION, '0', false)])).toEqual({
      ms: undefined,
      blocked: [
        [
          7,
          'helmrelease-image-updater.io/minimum-release-age is the YAML value 0, not a string (Kubernetes ' +
            'rejects non-string annotations); quote it: helmrelease-image-updater.io/minimum-release-age: "0"',
        ],
      ],
    });
  });
});
