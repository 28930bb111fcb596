/**
 * Titles a reviewer can tell apart: a release written once per cluster, bumped in both, opens two
 * pull requests whose titles name their files; every other title stays as its template says.
 */
import { describe, expect, it } from '@jest/globals';
import { groupUpdates } from '../../src/plan/branch-name.js';
import { renderTitle } from '../../src/plan/pull-request-text.js';
import { titlePlaces } from '../../src/plan/title-places.js';
import type { Update } from '../../src/plan/types.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const staging = (overrides: Partial<Update> = {}) =>
  makeUpdate({ file: 'clusters/staging/mongodb.yaml', ...overrides });
const production = (overrides: Partial<Update> = {}) =>
  makeUpdate({ file: 'clusters/production/mongodb.yaml', ...overrides });

/** The run's titles, as the writer renders them: plain, then with the files where two are alike. */
function titles(
  updates: Update[],
  groupBy: 'container' | 'release' | 'image' = 'container',
  template?: string,
): string[] {
  const requests = groupUpdates(updates, groupBy, 'hriu/');
  const places = titlePlaces(requests, (r) => renderTitle(r.updates, template));
  return requests.map((r) => renderTitle(r.updates, template, '', places.get(r.branch)));
}

describe('titlePlaces', () => {
  it.each<[string, Update[], 'container' | 'release' | 'image', string[]]>([
    [
      'one release in two clusters, bumped alike: each title names its file',
      [staging(), production()],
      'container',
      [
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/staging/mongodb.yaml',
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/production/mongodb.yaml',
      ],
    ],
    [
      'bumped to different tags: the titles differ already and stay as they are',
      [staging(), production({ to: '4.0.5' })],
      'container',
      [
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)',
        'Update bitnami/mongodb from 4.0.3 to 4.0.5 (data/mongodb)',
      ],
    ],
    [
      'only the two alike get files; a third release keeps its plain title',
      [
        staging(),
        makeUpdate({ file: 'apps/other.yaml', name: 'other', release: 'data/other' }),
        production(),
      ],
      'container',
      [
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/staging/mongodb.yaml',
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/other)',
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/production/mongodb.yaml',
      ],
    ],
    [
      'several images of a release in two clusters (group-by release)',
      [
        staging(),
        staging({ container: 'metrics', image: 'bitnami/exporter:1.0', to: '1.1', line: 20 }),
        production(),
        production({ container: 'metrics', image: 'bitnami/exporter:1.0', to: '1.1', line: 20 }),
      ],
      'release',
      [
        'Update 2 images in data/mongodb (clusters/staging/mongodb.yaml)',
        'Update 2 images in data/mongodb (clusters/production/mongodb.yaml)',
      ],
    ],
    [
      'two containers of one release on one image, bumped alike: one file, so each names its container too',
      [staging(), staging({ container: 'migrations', line: 20 }), production()],
      'container',
      [
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/staging/mongodb.yaml, container chart-image',
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/staging/mongodb.yaml, container migrations',
        'Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb) in clusters/production/mongodb.yaml',
      ],
    ],
    [
      'group-by image: one pull request carries both files, titled as before',
      [staging(), production()],
      'image',
      ['Update bitnami/mongodb from 4.0.3 to 4.0.4 (data/mongodb)'],
    ],
  ])('%s', (_name, updates, groupBy, expected) => {
    expect(titles(updates, groupBy)).toEqual(expected);
  });
});

describe('titlePlaces with a title template', () => {
  it('a template without the tag: requests carrying several files each name them all', () => {
    const updates = [
      staging(),
      staging({ file: 'clusters/staging/mongodb-replica.yaml' }),
      production({ from: '5.0.1', to: '5.0.2' }),
      production({ file: 'clusters/production/mongodb-replica.yaml', from: '5.0.1', to: '5.0.2' }),
    ];
    expect(titles(updates, 'image', 'Update {repository}')).toEqual([
      'Update bitnami/mongodb in clusters/staging/mongodb.yaml, clusters/staging/mongodb-replica.yaml',
      'Update bitnami/mongodb in clusters/production/mongodb.yaml, clusters/production/mongodb-replica.yaml',
    ]);
  });
});

describe('renderTitle with its file named', () => {
  it.each<[string, Update[], string, string]>([
    [
      'a downgrade still says so, after the file',
      [staging({ to: '4.0.2', downgrade: true })],
      '{repository} {to}',
      'bitnami/mongodb 4.0.2 in clusters/staging/mongodb.yaml (downgrade)',
    ],
    [
      'a file name cannot add a line nor turn the title around',
      [staging({ file: 'a\nb\u202e.yaml' })],
      '{repository} {to}',
      'bitnami/mongodb 4.0.4 in a b\\u202e.yaml',
    ],
  ])('%s', (_name, updates, template, expected) => {
    expect(renderTitle(updates, template, '', updates[0]!.file)).toBe(expected);
  });

  it('keeps a title with a long file path within GitHub’s limit, the path cut after its start', () => {
    const file = `clusters/${'deep/'.repeat(100)}mongodb.yaml`;
    const title = renderTitle([staging({ file, name: 'x'.repeat(300) })], undefined, '', file);
    expect(title.length).toBeLessThanOrEqual(256);
    expect(title).toMatch(/ in clusters\/deep\/deep\/.*…$/);
  });
});
