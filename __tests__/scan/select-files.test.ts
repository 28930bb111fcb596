import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { minimatch } from 'minimatch';
import { chartDirectories, checkPatterns, selectFiles } from '../../src/scan/select-files.js';

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

describe('selectFiles agrees with minimatch on any path', () => {
  const OPTIONS = { dot: true, nocomment: true, nonegate: true };
  // Path pieces that stress the endsWith shortcut: dot segments, empty segments, trailing and
  // Windows separators, names that only end like the glob, and the chart file names.
  const piece = fc.constantFrom(
    'a',
    '.',
    '..',
    '...',
    '',
    ' ',
    '\\',
    '.yaml',
    'x.yaml',
    '.yml',
    'yaml',
    'b.YAML',
    'y.yaml.bak',
    'Chart.yaml',
    'values.yaml',
    'xChart.yaml',
    '.git',
  );
  const path = fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
  const glob = fc.constantFrom(
    '**/*.yaml',
    '**/*.yml',
    '**/*yaml',
    '**/*.',
    '**/x.yaml',
    'a/**/*.yaml',
    '*.yaml',
  );

  it('for the default globs, globs of their shape and others, as include and as exclude', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 12 }), glob, (files, pattern) => {
        const charts = chartDirectories(files);
        const outsideCharts = (f: string) => ![...charts].some((d) => d === '' || f.startsWith(`${d}/`));
        const matches = (f: string) => minimatch(f, pattern, OPTIONS);
        expect(selectFiles(files, [pattern], [])).toEqual(
          files.filter((f) => outsideCharts(f) && matches(f)).sort(),
        );
        expect(selectFiles(files, [], [pattern])).toEqual(
          files
            .filter((f) => outsideCharts(f) && !matches(f))
            .filter((f) => minimatch(f, '**/*.yaml', OPTIONS) || minimatch(f, '**/*.yml', OPTIONS))
            .sort(),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('finds chart folders as a split at the last / would', () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 12 }), (files) => {
        const byDir = new Map<string, Set<string>>();
        for (const f of files) {
          const slash = f.lastIndexOf('/');
          const dir = slash < 0 ? '' : f.slice(0, slash);
          byDir.set(dir, (byDir.get(dir) ?? new Set()).add(f.slice(slash + 1)));
        }
        const expected = [...byDir].filter(([, n]) => n.has('Chart.yaml') && n.has('values.yaml'));
        expect([...chartDirectories(files)].sort()).toEqual(expected.map(([d]) => d).sort());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('patterns as users write them', () => {
  it.each([
    ['a leading ./', ['./apps/**'], [], ['apps/a.yaml', 'apps/b.yml', 'apps/notes.md']],
    ['a trailing / for a folder', ['apps/'], [], ['apps/a.yaml', 'apps/b.yml', 'apps/notes.md']],
    [
      'braces',
      ['{apps,clusters}/**/*.{yaml,yml}'],
      [],
      ['apps/a.yaml', 'apps/b.yml', 'clusters/prod/.hidden/c.yaml', 'clusters/prod/d.yaml'],
    ],
    ['./ in an exclude', [], ['./clusters/**', './only-chart/'], ['apps/a.yaml', 'apps/b.yml']],
  ])('%s', (_what, include, exclude, expected) => {
    expect(selectFiles(FILES, include, exclude)).toEqual(expected);
  });
});

describe('checkPatterns', () => {
  it.each([
    ['patterns that match', ['./apps/*.yaml', 'clusters/**'], ['apps/b.yml'], []],
    ['no pattern at all', [], [], []],
    [
      'an include that matches no file',
      ['app/**/*.yaml'],
      [],
      [['paths', 'app/**/*.yaml', 'matches no file in the workspace']],
    ],
    [
      'an exclude that matches no file',
      [],
      ['apps/*.yamll'],
      [['exclude', 'apps/*.yamll', 'matches no file in the workspace']],
    ],
    [
      'a folder name',
      ['clusters'],
      [],
      [['paths', 'clusters', 'names a folder, not files; write "clusters/**" for every file in it']],
    ],
    [
      'outside the workspace',
      ['../other/*.yaml'],
      [],
      [['paths', '../other/*.yaml', 'leads outside the workspace; patterns are relative to it']],
    ],
    // An absolute path, even one inside the workspace (the CLI's --dir, completed by a shell), was
    // said to lead outside it: it is refused for what it is, with what to write instead.
    [
      'an absolute path',
      ['/home/me/gitops/apps/*.yaml'],
      [],
      [
        [
          'paths',
          '/home/me/gitops/apps/*.yaml',
          'is an absolute path; patterns are relative to the workspace: leave out the part of the path up to it',
        ],
      ],
    ],
    [
      'an absolute Windows path',
      ['C:\\gitops\\apps\\*.yaml'],
      [],
      [
        [
          'paths',
          'C:\\gitops\\apps\\*.yaml',
          'is an absolute path; patterns are relative to the workspace: leave out the part of the path up to it',
        ],
      ],
    ],
    // Windows separators: in a glob \ escapes the next character (on every runner), so the
    // pattern matched nothing and was said to match nothing, with no word of why.
    [
      'an include with Windows separators',
      ['clusters\\prod\\*.yaml'],
      [],
      [
        [
          'paths',
          'clusters\\prod\\*.yaml',
          'matches no file in the workspace: separate folders with /, not \\ (in a pattern \\ escapes the next character, on Windows runners too); "clusters/prod/*.yaml" is that pattern with /, which matches 1 file',
        ],
      ],
    ],
    [
      'an exclude with Windows separators',
      [],
      ['apps\\*'],
      [
        [
          'exclude',
          'apps\\*',
          expect.stringContaining('"apps/*" is that pattern with /, which matches 3 files'),
        ],
      ],
    ],
    [
      'Windows separators that would match nothing either',
      ['app\\*.yaml'],
      [],
      [
        [
          'paths',
          'app\\*.yaml',
          expect.stringContaining('"app/*.yaml" is that pattern with /, which matches no file either'),
        ],
      ],
    ],
    ['an escape that matches', ['apps/\\a.yaml'], [], []],
    [
      'only chart folders',
      ['charts/**/*.yaml'],
      [],
      [['paths', 'charts/**/*.yaml', expect.stringContaining('only files in Helm chart folders')]],
    ],
  ])('%s', (_what, include, exclude, expected) => {
    expect(checkPatterns(FILES, include, exclude).map((p) => [p.input, p.pattern, p.reason])).toEqual(
      expected,
    );
  });
});
