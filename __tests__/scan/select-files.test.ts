import { describe, expect, it } from '@jest/globals';
import { selectFiles } from '../../src/scan/select-files.js';

const FILES = [
  'apps/a.yaml',
  'apps/b.yml',
  'apps/notes.md',
  'charts/web/Chart.yaml',
  'charts/web/values.yaml',
  'charts/web/templates/hr.yaml',
  'clusters/prod/.hidden/c.yaml',
  'clusters/prod/d.yaml',
  'only-chart/Chart.yaml',
];

describe('selectFiles', () => {
  it.each([
    [
      'defaults: every YAML file outside chart folders',
      [],
      [],
      [
        'apps/a.yaml',
        'apps/b.yml',
        'clusters/prod/.hidden/c.yaml',
        'clusters/prod/d.yaml',
        'only-chart/Chart.yaml',
      ],
    ],
    ['include globs', ['clusters/**/*.yaml'], [], ['clusters/prod/.hidden/c.yaml', 'clusters/prod/d.yaml']],
    [
      'exclude globs',
      [],
      ['**/.hidden/**', 'apps/*.yml'],
      ['apps/a.yaml', 'clusters/prod/d.yaml', 'only-chart/Chart.yaml'],
    ],
    ['patterns that leave the workspace are refused', ['../**/*.yaml', '/etc/*.yaml'], [], []],
    ['a chart folder is never scanned, even when named', ['charts/**/*.yaml'], [], []],
  ])('%s', (_what, include, exclude, expected) => {
    expect(selectFiles(FILES, include, exclude)).toEqual(expected);
  });
});
