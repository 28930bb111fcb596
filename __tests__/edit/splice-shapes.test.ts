/**
 * The tag's bytes and nothing else: each way a tag can be written, and what the edit makes of it
 * (quotes kept; a plain tag quoted only when the new one would otherwise not read as a string).
 */
import { describe, expect, it } from '@jest/globals';
import { applyUpdates } from '../../src/edit/apply-updates.js';
import { applySplices, needsQuoting, spliceForTag } from '../../src/edit/splice-tag.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

/** A HelmRelease `app` whose `spec.values` are `values` (indented by the function). */
function release(values: string): string {
  const indented = values
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  return `apiVersion: helm.fluxcd.io/v1\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  values:\n${indented}`;
}

function bump(values: string, to: string) {
  const target = {
    release: 'app',
    documentIndex: 0,
    container: 'chart-image',
    repository: 'docker.io/repo/app',
    to,
  };
  return applyUpdates('f.yaml', release(values), [target]);
}

describe('each way of writing the tag', () => {
  it.each([
    // values before, new tag, values after
    ['image: repo/app\ntag: 1.0.0\n', '1.1.0', 'image: repo/app\ntag: 1.1.0\n'],
    ['image: repo/app\ntag: 1.0.0\n', 'v1.1', 'image: repo/app\ntag: v1.1\n'],
    ['image: repo/app\ntag: 1.0.0\n', '1.10', 'image: repo/app\ntag: "1.10"\n'],
    ['image: repo/app\ntag: 1.0.0\n', 'true', 'image: repo/app\ntag: "true"\n'],
    ['image: repo/app\ntag: 1.0.0\n', '0x10', 'image: repo/app\ntag: "0x10"\n'],
    ['image: repo/app\ntag: 1.0.0 # pinned\n', '1.10', 'image: repo/app\ntag: "1.10" # pinned\n'],
    ["image: repo/app\ntag: '1.0.0'\n", '1.10', "image: repo/app\ntag: '1.10'\n"],
    ['image: repo/app\ntag: "1.0.0"\n', '1.1.0', 'image: repo/app\ntag: "1.1.0"\n'],
    ['image: repo/app:1.0.0\n', '1.10', 'image: repo/app:1.10\n'],
    ['image: repo/app:1.0 # c\n', '1.1', 'image: repo/app:1.1 # c\n'],
    ['image: "repo/app:1.0.0"\n', '1.1.0', 'image: "repo/app:1.1.0"\n'],
    ["image: 'repo/app:1.0.0'\n", '1.1.0', "image: 'repo/app:1.1.0'\n"],
    ['image: {repository: repo/app, tag: "1.0"}\n', '1.1', 'image: {repository: repo/app, tag: "1.1"}\n'],
    // An explicit string tag keeps any plain text a string: no quotes are needed, and none added.
    ['image: repo/app\ntag: !!str 1.0\n', '1.10', 'image: repo/app\ntag: !!str 1.10\n'],
    ['image: repo/app\ntag: ! 150\n', '151', 'image: repo/app\ntag: ! 151\n'],
    ['image: repo/app\ntag: &t !!str 1.0 # c\n', 'true', 'image: repo/app\ntag: &t !!str true # c\n'],
    [
      'image: repo/app\ntag: !<tag:yaml.org,2002:str> 1.0\n',
      '1e3',
      'image: repo/app\ntag: !<tag:yaml.org,2002:str> 1e3\n',
    ],
    [
      'image: {repository: repo/app, tag: !!str 1.0}\n',
      '1.10',
      'image: {repository: repo/app, tag: !!str 1.10}\n',
    ],
  ])('%j to %s', (before, to, after) => {
    expect(bump(before, to)).toEqual({ ok: true, text: release(after) });
  });

  // Named in words: Stryker picks a case's test by its name, and one holding escapes is never picked.
  it.each([
    // what, values, the reason the edit is refused
    [
      'a tag written as a block scalar',
      'image: repo/app\ntag: >-\n  1.0.0\n',
      'app chart-image: the tag is written as a YAML block scalar, which this tool does not rewrite',
    ],
    [
      'an image written as a block scalar',
      'image: >-\n  repo/app:1.0.0\n',
      'app chart-image: the tag is written as a YAML block scalar, which this tool does not rewrite',
    ],
    [
      'an image whose tag is written with an escape',
      'image: "repo/app:1.\\x30"\n',
      'app chart-image: the tag is not written literally at the end of "\\"repo/app:1.\\\\x30\\""',
    ],
    [
      'an image whose colon is written with an escape',
      'image: "repo/app\\x3a1.0"\n',
      'app chart-image: the tag is not written literally at the end of "\\"repo/app\\\\x3a1.0\\""',
    ],
    ['an image with no tag', 'image: repo/app\n', 'app chart-image: the image has no tag to update'],
  ])('%s is refused', (_what, values, reason) => {
    expect(bump(values, '1.1')).toEqual({ ok: false, reason });
  });
});

describe('applySplices', () => {
  it.each([
    // splices as [start, end, text], result (undefined: they overlap)
    [[], 'abcdef'],
    [[[1, 2, 'X']], 'aXcdef'],
    [
      [
        [4, 6, 'YZ'],
        [0, 1, 'X'],
      ],
      'XbcdYZ',
    ],
    [[[1, 1, '+']], 'a+bcdef'],
    [[[0, 6, '']], ''],
    [
      [
        [1, 3, 'X'],
        [3, 4, 'Y'],
      ],
      'aXYef',
    ],
    [
      [
        [1, 3, 'X'],
        [2, 4, 'Y'],
      ],
      undefined,
    ],
  ] as [[number, number, string][], string | undefined][])('%j', (splices, result) => {
    expect(
      applySplices(
        'abcdef',
        splices.map(([start, end, text]) => ({ start, end, text })),
      ),
    ).toBe(result);
  });
});

describe('spliceForTag', () => {
  const A = `sha256:${'a'.repeat(64)}`;
  const B = `sha256:${'b'.repeat(64)}`;
  const text = release(`image: repo/app:1.0@${A}\n`);
  const occurrence = scanFile('f.yaml', text).releases[0]!.containers[0]!;
  it.each([
    // new tag, the splice text or the refusal
    [`1.1@${B}`, { ok: true, text: `1.1@${B}` }],
    ['1.1', { ok: false, reason: 'the image is pinned by digest and the new tag has none' }],
    [`1.1@${B}x`, { ok: false, reason: 'the image is pinned by digest and the new tag has none' }],
  ])('a pinned image to %s', (to, expected) => {
    const made = spliceForTag(text, occurrence, to);
    expect(made.ok ? { ok: true, text: made.splice.text } : made).toEqual(expected);
  });

  it('refuses a pinned image whose digest is written with escapes (its text ends in another colon)', () => {
    // `\\x61\\x61\\u0061` reads `aaa`: the text is 11 bytes longer than the reference, so the bytes
    // where the tag would start follow the colon of `sha256:`, yet they are not the tag.
    const escaped = release(`image: "repo/app:1.0@sha256:\\x61\\x61\\u0061${'a'.repeat(61)}"\n`);
    const pinned = scanFile('f.yaml', escaped).releases[0]!.containers[0]!;
    expect(pinned.reference.digest).toBe(A);
    const made = spliceForTag(escaped, pinned, `1.1@${B}`);
    expect(made.ok ? made.splice : made.reason).toMatch(/^the tag is not written literally at the end of /);
  });

  it('refuses an image with no tag, saying so', () => {
    const untagged = release('image: repo/app\n');
    const bare = scanFile('f.yaml', untagged).releases[0]!.containers[0]!;
    expect(spliceForTag(untagged, bare, '1.1')).toEqual({
      ok: false,
      reason: 'the image has no tag to update',
    });
  });

  it('quotes what only yaml.v2 (Flux v1) would read as a number', () => {
    expect(needsQuoting('0e_0')).toBe(true);
  });

  it.each([
    // text that is no plain scalar at all: written bare it would not parse
    'a: b',
    '[x',
    '{x',
    '*x',
    '- x',
    '%x',
    '@x',
  ])('quotes %j, which YAML cannot read as a plain scalar', (value) => {
    expect(needsQuoting(value)).toBe(true);
  });
});
