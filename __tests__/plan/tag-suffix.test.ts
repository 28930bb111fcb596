import { describe, expect, it } from '@jest/globals';
import { renderBody, type BodyContext } from '../../src/plan/pull-request-body.js';
import { suffixChangeText } from '../../src/plan/tag-suffix.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const VARIANT = ': where a suffix names a variant of the image (its base, such as alpine or bookworm), ';

describe('suffixChangeText: a tag that moves to another variant', () => {
  it.each<[string, string, string, string | undefined]>([
    // name, from, to, what the body says
    [
      'a semver range skips the -alpine tags as pre-releases and takes the plain version',
      '1.25.3-alpine',
      '1.25.4',
      `The tag drops its suffix \`-alpine\`${VARIANT}\`1.25.4\` is another variant than \`1.25.3-alpine\`, which the filter allows.`,
    ],
    [
      'the same version, another variant (newest build under glob:*)',
      '15.4-bookworm',
      '15.4',
      `The tag drops its suffix \`-bookworm\`${VARIANT}\`15.4\` is another variant than \`15.4-bookworm\`, which the filter allows.`,
    ],
    [
      'a new base release',
      '7.2.3-debian-11-r0',
      '7.4.0-debian-12-r0',
      `The tag's suffix changes from \`-debian-11-r0\` to \`-debian-12-r0\`${VARIANT}\`7.4.0-debian-12-r0\` is another variant than \`7.2.3-debian-11-r0\`, which the filter allows.`,
    ],
    [
      'a suffix gained',
      '15.4',
      '16.1-bookworm',
      `The tag gains the suffix \`-bookworm\`${VARIANT}\`16.1-bookworm\` is another variant than \`15.4\`, which the filter allows.`,
    ],
    [
      'a pre-release of another variant',
      '1.2.3',
      '1.3.0-rc.1-alpine',
      `The tag gains the suffix \`-rc.1-alpine\`${VARIANT}\`1.3.0-rc.1-alpine\` is another variant than \`1.2.3\`, which the filter allows.`,
    ],
    [
      'another variant whose suffix ends in a pre-release label',
      '1.2.3',
      '1.3.0-alpine-rc.1',
      `The tag gains the suffix \`-alpine-rc.1\`${VARIANT}\`1.3.0-alpine-rc.1\` is another variant than \`1.2.3\`, which the filter allows.`,
    ],
    ['the same suffix', '1.25.3-alpine', '1.27.0-alpine', undefined],
    ['a new package revision of the same suffix', '7.2.4-debian-12-r1', '7.2.5-debian-12-r0', undefined],
    // Bitnami's revisions pass 9 within a minor version.
    ['a package revision past 9', '7.2.4-debian-12-r12', '7.2.5-debian-12-r0', undefined],
    ['the first package revision of the same suffix', '7.2.4-debian-12', '7.2.5-debian-12-r1', undefined],
    ['a bare package revision', '1.2.3-r4', '1.2.10-r1', undefined],
    ['one pre-release to another', '1.3.0-rc.1', '1.4.0-alpha.1', undefined],
    ['a pre-release to a release', '1.2.0-rc.1', '1.2.1', undefined],
    ['a release to a pre-release', '4.0.3', '5.0.0-beta2', undefined],
    ['no suffix on either', 'v1.2.3', '1.2.4', undefined],
    ['a tag that is no version', '1.25.3-alpine', 'mainline', undefined],
    // A glob filter moves a container from a branch tag to a version.
    ['from a tag that is no version', 'mainline', '1.25.4-alpine', undefined],
    ['four parts, no semver version', '1.2.3.4-alpine', '1.2.4.0', undefined],
  ])('%s: %s to %s', (_name, from, to, expected) => {
    expect(suffixChangeText(from, to)).toBe(expected);
  });
});

describe('renderBody: a suffix change is listed with what changes', () => {
  const context: BodyContext = {
    serverUrl: 'https://github.com',
    owner: 'acme',
    repo: 'fleet',
    base: 'main',
    branch: 'updates/web/nginx/chart-image-1a2b3c4d',
  };

  it('after the file line', () => {
    const update = makeUpdate({ from: '1.25.3-alpine', to: '1.25.4', filter: 'semver:~1.25' });
    const listed = renderBody([update], context)
      .split('\n')
      .filter((line) => line.startsWith('- '));
    expect(listed.slice(2, 3)).toEqual([`- ${suffixChangeText('1.25.3-alpine', '1.25.4')!}`]);
  });
});
