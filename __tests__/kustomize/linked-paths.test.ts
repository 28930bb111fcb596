/**
 * Kustomize paths read through the workspace's links, as the system resolves them: the link a path
 * starts with, then the links its target path starts with, at most MAX_LINKS_FOLLOWED of them.
 */
import { describe, expect, it } from '@jest/globals';
import { MAX_LINKS_FOLLOWED, throughLinks, type ThroughLinks } from '../../src/kustomize/linked-paths.js';

const LINKS = new Map<string, string | null>([
  ['clusters/base', 'apps/base'],
  ['clusters/app.yaml', 'apps/base/app.yaml'],
  ['clusters/all', ''],
  ['apps/base/shared', 'shared'],
  ['clusters/outside', null],
  ['loop/a', 'loop/b'],
  ['loop/b', 'loop/a'],
]);

describe('throughLinks', () => {
  it.each<[string, string, ThroughLinks]>([
    ['a path through no link', 'apps/base/app.yaml', { path: 'apps/base/app.yaml' }],
    ['a path that only starts like a link', 'clusters/basement', { path: 'clusters/basement' }],
    ['a linked folder', 'clusters/base', { path: 'apps/base' }],
    ['a file through a linked folder', 'clusters/base/app.yaml', { path: 'apps/base/app.yaml' }],
    ['a linked file', 'clusters/app.yaml', { path: 'apps/base/app.yaml' }],
    ['a link to the workspace', 'clusters/all/apps', { path: 'apps' }],
    ['a link within a linked folder', 'clusters/base/shared/x.yaml', { path: 'shared/x.yaml' }],
    ['a link out of the listing', 'clusters/outside/kustomization.yaml', { outside: true }],
    ['links that lead to each other', 'loop/a/x', { loops: true }],
  ])('%s', (_, path, expected) => {
    expect(throughLinks(path, LINKS)).toEqual(expected);
  });

  it(`follows ${MAX_LINKS_FOLLOWED} links, as Linux does, and no more`, () => {
    const chain = (n: number) =>
      new Map(Array.from({ length: n }, (_, i) => [`l${i}`, i + 1 === n ? 'apps' : `l${i + 1}`]));
    expect(throughLinks('l0/x', chain(MAX_LINKS_FOLLOWED))).toEqual({ path: 'apps/x' });
    expect(throughLinks('l0/x', chain(MAX_LINKS_FOLLOWED + 1))).toEqual({ loops: true });
  });
});
