/**
 * Scanning stays linear in the file's size (issue 12): thousands of aliases into a mapping of
 * thousands of keys, and thousands of filters naming no container, cost one pass each. Each case
 * took minutes before (a scan of the mapping per alias, a list of every container per filter).
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';

/** A HelmRelease with the given annotation and values lines. */
function release(annotations: string[], values: string[]): string {
  return [
    'apiVersion: helm.fluxcd.io/v1',
    'kind: HelmRelease',
    'metadata:',
    '  name: app',
    '  annotations:',
    ...annotations.map((a) => `    ${a}`),
    'spec:',
    '  values:',
    ...values.map((v) => `    ${v}`),
    '',
  ].join('\n');
}

describe('scanning at scale', () => {
  it('resolves 60,000 aliases into a mapping of 60,000 keys', () => {
    const n = 60_000;
    const text = release(
      Array.from({ length: n }, (_, i) => `repository.fluxcd.io/a${i}: k${i}`),
      Array.from({ length: n }, (_, i) => `k${i}: repo/x${i}:1.0`),
    );
    const scan = scanFile('f.yaml', text);
    expect(scan.problems).toEqual([]);
    const containers = scan.releases[0]?.containers ?? [];
    expect(containers).toHaveLength(n);
    expect(containers.find((c) => c.container === `a${n - 1}`)?.reference.text).toBe(`repo/x${n - 1}:1.0`);
  }, 120_000);

  it('reports 10,000 filters naming none of 10,000 containers with the first ten names each', () => {
    const n = 10_000;
    const text = release(
      Array.from({ length: n }, (_, i) => `filter.fluxcd.io/nope${i}: semver:~1`),
      Array.from({ length: n }, (_, i) => `c${String(i).padStart(5, '0')}: {image: repo/x:1.0}`),
    );
    const scan = scanFile('f.yaml', text);
    expect(scan.problems).toHaveLength(n);
    expect(scan.problems[0].message).toContain(
      'its containers are: c00000, c00001, c00002, c00003, c00004, c00005, c00006, c00007, c00008, c00009 and 9990 more',
    );
  }, 120_000);

  it('in deep mode, checks 20,000 filters against 20,000 containers by name and by dotted prefix', () => {
    const n = 20_000;
    const text = release(
      [
        'helmrelease-image-updater.io/detection: deep',
        'filter.fluxcd.io/apps.list: glob:1.*',
        ...Array.from({ length: n }, (_, i) => `filter.fluxcd.io/nope${i}: glob:*`),
      ],
      [
        'apps:',
        '  list:',
        ...Array.from({ length: n }, (_, i) => `  - {name: c${i}, image: repo/x${i}:1.0}`),
      ],
    );
    const scan = scanFile('f.yaml', text);
    expect(scan.problems).toHaveLength(n);
    expect(scan.problems[n - 1].message).toMatch(/^filter\.fluxcd\.io\/nope19999 names no container/);
    const containers = scan.releases[0]?.containers ?? [];
    expect(containers).toHaveLength(n);
    // The prefix filter is found for every container below it.
    expect(containers.every((c) => c.filter?.value === 'glob:1.*')).toBe(true);
  }, 120_000);

  it('reports a syntax error on a line of 200,000 characters without quoting the line back', () => {
    // A `key: a: b` line gets advice quoting its value; on a line this long the advice's pattern
    // backtracked for minutes, and the message would have held the whole line.
    const text = release([], [`image: nginx: 1.0${' '.repeat(200_000)}x`]);
    const scan = scanFile('f.yaml', text);
    expect(scan.releases).toEqual([]);
    expect(scan.problems.map((p) => [p.line, p.message])).toEqual([
      [
        8,
        'HelmRelease app could not be read (YAML syntax error: Nested mappings are not allowed in compact mappings); it gets no update until this is fixed',
      ],
    ]);
  });

  it('blocks a release whose semver filter is 200,000 characters long, without quoting it back', () => {
    // Each `a - b` range is rewritten in the whole constraint (as Masterminds does): minutes here.
    const text = release(
      [`filter.fluxcd.io/c: semver:${'1 - '.repeat(50_000)}1`],
      ['c: {image: repo/x:1.0}'],
    );
    const scan = scanFile('f.yaml', text);
    expect(scan.releases[0]?.policies.blocked).toMatch(/^a policy annotation is unusable/);
    expect(scan.problems.map((p) => [p.line, p.message])).toEqual([
      [
        6,
        'filter.fluxcd.io/c: filter `semver:1 - 1 - 1 - 1 - 1 - 1 - 1 - 1 - 1…` is not a valid semver constraint ' +
          '(it is 200,001 characters long; constraints longer than 1,000 are not read); Flux v1 would have ' +
          'matched every version tag with it, pre-releases included; this HelmRelease is held (no update) ' +
          'until the filter is fixed',
      ],
    ]);
  });

  it('resolves 20,000 alias keys, each to the latest of 20,000 anchors of one name before it', () => {
    const n = 20_000;
    const values: string[] = [];
    for (let i = 0; i < n; i += 1) values.push(`x${i}: &a c${i}`, `*a : {image: repo/x${i}:1.0}`);
    const scan = scanFile('f.yaml', release([], values));
    expect(scan.problems).toEqual([]);
    const containers = scan.releases[0]?.containers ?? [];
    expect(containers).toHaveLength(n);
    expect(containers.every((c) => c.reference.text === `repo/x${c.container.slice(1)}:1.0`)).toBe(true);
  }, 120_000);

  // What yaml.v2 refuses (go-yaml-refusals.ts) is looked for once per line: 100,000 `...` lines
  // took 62 s (200,000: minutes) while each looked ahead past all the others.
  it('finds the document after 200,000 end markers once', () => {
    const text = `${release([], ['image: repo/a:1'])}${'...\n'.repeat(200_000)}x: 1\n`;
    expect(scanFile('f.yaml', text).problems.map((p) => [p.severity, p.line])).toEqual([
      ['warning', 200_009],
    ]);
  }, 120_000);

  it.each<[string, string[]]>([
    ['a flow collection', ['x: [a,', ...Array<string>(100_000).fill('  \t'), '  b]']],
    ['a block scalar', ['x: |', '  a', ...Array<string>(100_000).fill('      \t'), '  b']],
    ['a plain scalar', ['x: a', ...Array<string>(100_000).fill('       \t'), 'y: 1']],
  ])(
    'reads 100,000 lines of a tab inside %s, each looked at once',
    (_name, lines) => {
      const scan = scanFile('f.yaml', release([], ['image: repo/a:1', ...lines]));
      expect(scan.problems).toEqual([]);
      expect(scan.releases.map((r) => r.name)).toEqual(['app']);
    },
    120_000,
  );

  // The package's parse copied the whole line for each error's excerpt: 100,000 anchors took 46 s.
  it.each([
    ['anchors', '&a '],
    ['tags', '!t '],
  ])(
    'holds back a release with 200,000 %s on one line, each error read once',
    (_name, property) => {
      const scan = scanFile('f.yaml', release([], [`image: ${property.repeat(200_000)}repo/a:1`]));
      expect(scan.releases).toEqual([]);
      expect(scan.problems.map((p) => [p.severity, p.line, p.message.split(' (')[0]])).toEqual([
        ['error', 8, 'HelmRelease app could not be read'],
      ]);
    },
    120_000,
  );
});
