/** Which `.flux.yaml` (Flux v1 manifest generation) governs a file: the nearest one at or above it. */
import { describe, expect, it } from '@jest/globals';
import { findFluxConfigs, governingFluxConfig } from '../../src/helmrelease/manifest-generation.js';

describe('governingFluxConfig', () => {
  const listing = [
    '.flux.yaml.bak',
    'apps/.flux.yaml',
    'apps/prod/.flux.yaml',
    'apps/prod/app.yaml',
    'apps/base/app.yaml',
    'infra/not.flux.yaml',
    'infra/app.yaml',
  ];
  const configs = findFluxConfigs(listing);

  it('finds only files named exactly .flux.yaml', () => {
    expect([...configs].sort()).toEqual(['apps/.flux.yaml', 'apps/prod/.flux.yaml']);
  });

  it.each<[string, string | undefined]>([
    ['apps/base/app.yaml', 'apps/.flux.yaml'],
    ['apps/prod/app.yaml', 'apps/prod/.flux.yaml'],
    ['apps/prod/deep/x/app.yaml', 'apps/prod/.flux.yaml'],
    ['apps/app.yaml', 'apps/.flux.yaml'],
    ['infra/app.yaml', undefined],
    ['app.yaml', undefined],
    ['appsx/app.yaml', undefined],
  ])('%s -> %s', (file, config) => {
    expect(governingFluxConfig(file, configs)).toBe(config);
  });

  it('a .flux.yaml at the root governs every file', () => {
    expect(governingFluxConfig('a/b/c.yaml', findFluxConfigs(['.flux.yaml']))).toBe('.flux.yaml');
  });
});
