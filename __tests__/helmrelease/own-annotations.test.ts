/**
 * Keys under this Action's own annotation domain, `helmrelease-image-updater.io`, that it does not
 * read. Flux never read that domain, so such a key is a mistake: a misspelt
 * `minimum-release-age` ignored would propose tags younger than its author wants. Each blocks its
 * release with an error at its line naming the key meant; the known keys do not.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';

/** A HelmRelease with one extra annotation line (line 9). */
function release(annotation: string): string {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  namespace: apps',
    '  annotations:',
    '    fluxcd.io/automated: "true"',
    '    filter.fluxcd.io/chart-image: semver:~1.0',
    `    ${annotation}`,
    'spec:',
    '  values:',
    '    image: ghcr.io/org/app:1.0.0',
    '',
  ].join('\n');
}

const errors = (annotation: string) =>
  scanFile('app.yaml', release(annotation)).problems.filter((p) => p.severity === 'error');

describe('keys under helmrelease-image-updater.io', () => {
  it.each<[string, string, string]>([
    [
      'a misspelt minimum-release-age',
      'helmrelease-image-updater.io/minimum-relase-age: "3d"',
      'helmrelease-image-updater.io/minimum-release-age',
    ],
    [
      'a misspelt detection',
      'helmrelease-image-updater.io/detecton: deep',
      'helmrelease-image-updater.io/detection',
    ],
    [
      "Flux's spelling under this domain",
      'helmrelease-image-updater.io/minimum_release_age: "3d"',
      'helmrelease-image-updater.io/minimum-release-age',
    ],
    [
      'a misspelt domain',
      'helmrelease-image-updater.com/minimum-release-age: "3d"',
      'helmrelease-image-updater.io/minimum-release-age',
    ],
    [
      'the domain in capitals',
      'Helmrelease-Image-Updater.io/detection: deep',
      'helmrelease-image-updater.io/detection',
    ],
  ])('%s blocks the release at its line', (_name, annotation, meant) => {
    const key = annotation.slice(0, annotation.indexOf(':'));
    expect(errors(annotation)).toEqual([
      {
        file: 'app.yaml',
        line: 9,
        severity: 'error',
        message: `${key} is not an annotation this Action reads (did you mean ${meant}?); this HelmRelease gets no update until it is fixed`,
      },
    ]);
  });

  it('a key unlike any it reads blocks the release, naming the keys it reads', () => {
    expect(errors('helmrelease-image-updater.io/schedule: weekly').map((p) => p.message)).toEqual([
      'helmrelease-image-updater.io/schedule is not an annotation this Action reads (it reads ' +
        'helmrelease-image-updater.io/detection and helmrelease-image-updater.io/minimum-release-age); ' +
        'this HelmRelease gets no update until it is fixed',
    ]);
  });

  it.each([
    'helmrelease-image-updater.io/detection: deep',
    'helmrelease-image-updater.io/minimum-release-age: "3d"',
    'example.com/minimum-relase-age: "3d"',
    'app.kubernetes.io/name: app',
  ])('%s: no error', (annotation) => {
    expect(errors(annotation)).toEqual([]);
  });
});
