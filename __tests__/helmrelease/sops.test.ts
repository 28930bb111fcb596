/**
 * SOPS-encrypted files are never edited (a changed value breaks the SOPS MAC): a file whose document
 * has a top-level `sops:` mapping with a `mac` is encrypted; one warning, at the first `sops:` key,
 * says so when the file holds a HelmRelease.
 */
import { describe, expect, it } from '@jest/globals';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import { mayBeSopsEncrypted, readSops } from '../../src/helmrelease/sops.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

const FILE = 'secrets/app.yaml';
const WHY =
  'this file is encrypted with SOPS (a top-level sops: key with a mac), so its HelmReleases are not updated: ' +
  'changing a tag would break the SOPS MAC and Flux could no longer decrypt the file';
const SOPS = ['sops:', '  mac: ENC[AES256_GCM,data:abc]', '  version: 3.7.3'];
const RELEASE = [
  'apiVersion: helm.fluxcd.io/v1',
  'kind: HelmRelease',
  'spec:',
  '  values:',
  '    image: repo/app:1.0',
];

function sopsOf(...lines: string[]) {
  const { docs, lines: counter } = parseFile(lines.join('\n'));
  return readSops(FILE, docs, counter);
}

describe('mayBeSopsEncrypted', () => {
  it.each<[string, string, boolean]>([
    ['sops: at column 0', 'a: 1\nsops:\n  mac: x\n', true],
    ['sops: on the first line', 'sops:\n', true],
    // Any other spelling of the key may be a document's (an indented document's, a JSON one's).
    ['indented sops:', 'a:\n  sops:\n', true],
    ['a quoted sops key', '{"sops": {"mac": "x"}}\n', true],
    ['a double-quoted key spelt with an escape', '"\\x73ops":\n', true],
    ['a double-quoted key broken by an escaped line break', '"so\\\n  ps":\n', true],
    ['no sops', 'kind: HelmRelease\n', false],
    ['an escape that cannot spell a letter', 'filter: "regex:^v\\d+"\n', false],
  ])('%s: %s', (_name, text, expected) => {
    expect(mayBeSopsEncrypted(text)).toBe(expected);
  });
});

describe('readSops', () => {
  it.each<[string, string[], ReturnType<typeof readSops>]>([
    [
      'a HelmRelease with SOPS metadata',
      [...RELEASE, ...SOPS],
      { encrypted: true, problems: [{ file: FILE, line: 6, message: WHY, severity: 'warning' }] },
    ],
    [
      'SOPS metadata in a second document, the HelmRelease in the first',
      [...RELEASE, '---', 'kind: Secret', ...SOPS],
      {
        encrypted: true,
        problems: [{ file: FILE, line: 8, message: WHY, severity: 'warning' }],
      },
    ],
    [
      'SOPS metadata without a HelmRelease: encrypted, nothing to say',
      ['kind: Secret', ...SOPS],
      { encrypted: true, problems: [] },
    ],
    [
      'a sops map without a mac is not SOPS metadata',
      [...RELEASE, 'sops:', '  version: 3.7.3'],
      { encrypted: false, problems: [] },
    ],
    ['a sops value that is not a map', [...RELEASE, 'sops: mac'], { encrypted: false, problems: [] }],
    ['a kind that is not HelmRelease', ['kind: HelmReleaseList', ...SOPS], { encrypted: true, problems: [] }],
    ['no sops at all', RELEASE, { encrypted: false, problems: [] }],
    // Keys that are no text (yaml.v2 reads an empty key as null): read past, never the sops key.
    [
      'an empty key before the sops key',
      ['? ', ': v', 'kind: Secret', ...SOPS],
      { encrypted: true, problems: [] },
    ],
    [
      'a key that is a list is not the sops key',
      ['? [sops]', ': {mac: x}'],
      { encrypted: false, problems: [] },
    ],
    ['a document that is a list', ['- a', '- b'], { encrypted: false, problems: [] }],
  ])('%s', (_name, lines, expected) => {
    expect(sopsOf(...lines)).toEqual(expected);
  });

  it('documents left unparsed are skipped', () => {
    const { docs, lines } = parseFile([...RELEASE, ...SOPS].join('\n'));
    expect(readSops(FILE, [undefined, ...docs], lines).encrypted).toBe(true);
    expect(readSops(FILE, [undefined], lines)).toEqual({ encrypted: false, problems: [] });
  });
});

describe('a file with SOPS metadata in another document than its HelmRelease is not updated', () => {
  const release = [...RELEASE, '---'];
  // The scan reads only the documents that spell HelmRelease unless the file may hold SOPS metadata.
  it.each<[string, string[], number]>([
    ['at column 0', [...release, 'kind: Secret', ...SOPS], 8],
    ['after a byte order mark (files joined together)', [...release, '\uFEFFsops:', '  mac: x'], 7],
    ['in an indented document', [...release, '  kind: Secret', '  sops:', '    mac: x'], 8],
    ['in a JSON document', [...release, '{', '  "kind": "Secret",', '  "sops": {"mac": "x"}', '}'], 9],
    ['spaced before its colon', [...release, 'sops :', '  mac: x'], 7],
    ['as an explicit key', [...release, '? sops', ': {mac: x}'], 7],
    ['in a flow map', [...release, '{kind: Secret, sops: {mac: x}}'], 7],
    ['spelt with an escape', [...release, '"\\x73ops":', '  mac: x'], 7],
  ])('%s', (_name, lines, line) => {
    const scan = scanFile(FILE, lines.join('\n') + '\n');
    expect(scan.releases).toEqual([]);
    expect(scan.problems).toEqual([{ file: FILE, line, message: WHY, severity: 'warning' }]);
  });
});
