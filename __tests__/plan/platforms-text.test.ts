import { describe, expect, it } from '@jest/globals';
import { platformsText, type PlatformsText } from '../../src/plan/platforms-text.js';
import { renderBody, type BodyContext } from '../../src/plan/pull-request-text.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const AMD = 'linux/amd64';
const ARM = 'linux/arm64';
const ARMV7 = 'linux/arm/v7';

describe('platformsText', () => {
  it.each<[string, readonly string[] | undefined, readonly string[] | undefined, PlatformsText]>([
    ['new platforms unknown', undefined, [AMD], {}],
    ['current platforms unknown', [AMD, ARM], undefined, {}],
    ['same platforms', [AMD, ARM], [AMD, ARM], {}],
    ['same platforms in another order', [ARM, AMD], [AMD, ARM], {}],
    [
      'one platform gained',
      [AMD, ARM],
      [AMD],
      { line: 'Platforms: linux/amd64, linux/arm64 (was linux/amd64)' },
    ],
    [
      'one platform lost',
      [AMD],
      [AMD, ARM],
      {
        warning:
          '> [!WARNING]\n> **Drops linux/arm64:** the new image is for linux/amd64 only (was linux/amd64, linux/arm64).',
      },
    ],
    [
      'one lost and one gained: the loss is what is said',
      [AMD, ARMV7],
      [AMD, ARM],
      {
        warning:
          '> [!WARNING]\n> **Drops linux/arm64:** the new image is for linux/amd64, linux/arm/v7 (was linux/amd64, linux/arm64).',
      },
    ],
    [
      'from single-platform (which one unread) to several',
      [AMD, ARM],
      [],
      { line: 'Platforms: linux/amd64, linux/arm64 (was single-platform)' },
    ],
    ['from single-platform (unread) to one: cannot tell', [ARM], [], {}],
    [
      'from several to single-platform (unread)',
      [],
      [AMD, ARM],
      {
        warning:
          '> [!WARNING]\n> **Drops platforms:** the new image is single-platform (was linux/amd64, linux/arm64).',
      },
    ],
    ['single-platform to single-platform, both unread', [], [], {}],
    ['from one to single-platform (unread): cannot tell', [], [AMD], {}],
    [
      'exactly eight: all named, no count',
      Array.from({ length: 8 }, (_, i) => `linux/v${i}`),
      [AMD],
      {
        warning:
          '> [!WARNING]\n> **Drops linux/amd64:** the new image is for ' +
          Array.from({ length: 8 }, (_, i) => `linux/v${i}`).join(', ') +
          ' (was linux/amd64).',
      },
    ],
    [
      'long lists: eight named, the rest counted; names escaped',
      Array.from({ length: 12 }, (_, i) => `linux/arch_${i}`),
      [AMD],
      {
        warning:
          '> [!WARNING]\n> **Drops linux/amd64:** the new image is for ' +
          Array.from({ length: 8 }, (_, i) => `linux/arch\\_${i}`).join(', ') +
          ' and 4 more (was linux/amd64).',
      },
    ],
  ])('%s', (_name, platforms, fromPlatforms, expected) => {
    expect(platformsText({ platforms, fromPlatforms })).toEqual(expected);
  });

  it('stays short and inert whatever it is given (the registry client gives only checked names)', () => {
    const hostile = Array.from({ length: 1000 }, (_, i) => `<img src=x>@team #${i} ${'x'.repeat(40_000)}`);
    const { warning } = platformsText({ platforms: [AMD], fromPlatforms: hostile });
    expect(warning!.length).toBeLessThan(4000);
    expect(warning).not.toMatch(/<img|@team|(?<!&)#\d/);
  });
});

describe('renderBody with platforms', () => {
  const context: BodyContext = {
    serverUrl: 'https://github.com',
    owner: 'acme',
    repo: 'fleet',
    base: 'main',
    branch: 'helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d',
  };
  /** The update section's lines, from its heading to the "Why" line. */
  const sectionHead = (body: string) => body.slice(0, body.indexOf('**Why')).trim().split('\n');

  it.each<[string, Partial<Parameters<typeof makeUpdate>[0]>, string[]]>([
    [
      'a lost platform comes right under the heading, before anything else',
      { platforms: [AMD], fromPlatforms: [AMD, ARM] },
      [
        '### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)',
        '',
        '> [!WARNING]',
        '> **Drops linux/arm64:** the new image is for linux/amd64 only (was linux/amd64, linux/arm64).',
        '',
        '- HelmRelease `data/mongodb`, container `chart-image`',
        '- [releases/mongodb.yaml line 12](https://github.com/acme/fleet/blob/main/releases/mongodb.yaml#L12) on `main`',
        '- [bitnami/mongodb on Docker Hub](https://hub.docker.com/r/bitnami/mongodb): its tags and their dates',
      ],
    ],
    [
      'a gained platform is a line of what changes',
      { platforms: [AMD, ARM], fromPlatforms: [AMD] },
      [
        '### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)',
        '',
        '- HelmRelease `data/mongodb`, container `chart-image`',
        '- [releases/mongodb.yaml line 12](https://github.com/acme/fleet/blob/main/releases/mongodb.yaml#L12) on `main`',
        '- Platforms: linux/amd64, linux/arm64 (was linux/amd64)',
        '- [bitnami/mongodb on Docker Hub](https://hub.docker.com/r/bitnami/mongodb): its tags and their dates',
      ],
    ],
    [
      'the same platforms: not mentioned',
      { platforms: [AMD, ARM], fromPlatforms: [ARM, AMD] },
      [
        '### Update `bitnami/mongodb` from `4.0.3` to `4.0.4` (patch)',
        '',
        '- HelmRelease `data/mongodb`, container `chart-image`',
        '- [releases/mongodb.yaml line 12](https://github.com/acme/fleet/blob/main/releases/mongodb.yaml#L12) on `main`',
        '- [bitnami/mongodb on Docker Hub](https://hub.docker.com/r/bitnami/mongodb): its tags and their dates',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(sectionHead(renderBody([makeUpdate(overrides)], context))).toEqual(expected);
  });
});
