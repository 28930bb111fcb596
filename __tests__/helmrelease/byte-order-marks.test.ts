/**
 * Byte-order marks at the start of a line: go-yaml skips one wherever a line starts with it, so
 * Flux read a document whose first line carries one (files joined together, each with its BOM).
 * The parser here reads it as part of a key, so the first key's mark is taken off, and a mark
 * further inside a document is said rather than silently changing what is read.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const BOM = '\uFEFF';
const release = (name: string, kindFirst: boolean) =>
  [
    ...(kindFirst
      ? ['kind: HelmRelease', 'apiVersion: helm.fluxcd.io/v1']
      : ['apiVersion: helm.fluxcd.io/v1', 'kind: HelmRelease']),
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  values:',
    '    image:',
    '      repository: nginx',
    '      tag: 1.0.0',
    '',
  ].join('\n');
const INNER =
  'a byte-order mark (U+FEFF) starts this line inside a document; Flux reads past it, but this Action ' +
  'reads it as part of what follows: remove it';

describe('byte-order marks at the start of a line', () => {
  it.each([
    { name: 'the file starts with one', text: BOM + release('a', true), releases: ['a'], problems: [] },
    {
      name: 'a joined document starts with one, kind first',
      text: `${release('a', true)}---\n${BOM}${release('b', true)}`,
      releases: ['a', 'b'],
      problems: [],
    },
    {
      name: 'a joined document starts with one, apiVersion first (its apiVersion is still read)',
      text: `${release('a', false)}---\r\n${BOM}${release('b', false)}`,
      releases: ['a', 'b'],
      problems: [],
    },
    {
      name: 'one inside a document is said, at its line',
      text: release('a', true).replace('spec:', `${BOM}spec:`),
      releases: ['a'],
      problems: [{ line: 5, message: INNER, severity: 'warning' }],
    },
    {
      name: 'a joined document after a marker with trailing blanks',
      text: `${release('a', true)}--- \t\n${BOM}${release('b', true)}`,
      releases: ['a', 'b'],
      problems: [],
    },
    {
      name: 'two inside a document are said once, at the first',
      text: release('a', true).replace('spec:', `${BOM}spec:`).replace('  values:', `${BOM}  values:`),
      releases: ['a'],
      problems: [{ line: 5, message: INNER, severity: 'warning' }],
    },
    {
      name: 'one inside a value is no mark at a line start',
      text: release('a', true).replace('name: a', `name: a${BOM}`),
      releases: [`a${BOM}`],
      problems: [],
    },
  ])('$name', ({ text, releases, problems }) => {
    const scan = scanFile('joined.yaml', text);
    expect(scan.releases.map((r) => r.name)).toEqual(releases);
    expect(scan.releases.map((r) => r.apiVersion ?? '')).toEqual(releases.map(() => 'helm.fluxcd.io/v1'));
    expect(scan.problems.map(({ line, message, severity }) => ({ line, message, severity }))).toEqual(
      problems,
    );
  });
});
