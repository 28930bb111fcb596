/** Which `.flux.yaml` (Flux v1 manifest generation) governs a file: the nearest one at or above it. */
import { describe, expect, it } from '@jest/globals';
import {
  FLUX_CONFIG,
  findFluxConfigs,
  governingFluxConfig,
  holdGeneratedReleases,
} from '../../src/helmrelease/manifest-generation.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';

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

describe('governingFluxConfig without configs', () => {
  it('no .flux.yaml governs nothing', () => {
    expect(FLUX_CONFIG).toBe('.flux.yaml');
    expect(governingFluxConfig('apps/app.yaml', new Set())).toBeUndefined();
  });

  it('a file at the root is governed only by a root .flux.yaml', () => {
    expect(governingFluxConfig('app.yaml', new Set(['.flux.yaml']))).toBe('.flux.yaml');
    expect(governingFluxConfig('app.yaml', new Set(['apps/.flux.yaml']))).toBeUndefined();
  });
});

describe('holdGeneratedReleases', () => {
  const text = [
    'kind: HelmRelease',
    'metadata: {name: one}',
    'spec: {values: {image: repo/one:1.0}}',
    '---',
    'kind: HelmRelease',
    'metadata: {name: two}',
    'spec: {values: {image: repo/two:1.0}}',
    '',
  ].join('\n');
  const configs = new Set(['apps/.flux.yaml']);
  const reason =
    'Flux v1 manifest generation: apps/.flux.yaml governs this file, and Flux wrote image updates through ' +
    "the config's updaters (a patchUpdated patch file, or commandUpdated commands), not into this file; it is " +
    'not edited. If Flux v1 no longer deploys from it (Flux v2 ignores .flux.yaml), delete apps/.flux.yaml';

  it('holds every release of a governed file, keeps its containers, and says why once at the first release', () => {
    const scan = scanFile('apps/base/app.yaml', text);
    const held = holdGeneratedReleases(scan, configs);
    expect(held.releases.map((r) => [r.name, r.policies.generated, r.containers.length])).toEqual([
      ['one', reason, 1],
      ['two', reason, 1],
    ]);
    expect(held.releases[0].policies).toEqual({
      ...scan.releases[0].policies,
      generated: reason,
      generatedBy: 'apps/.flux.yaml',
    });
    expect(held.problems).toEqual([
      ...scan.problems,
      { file: 'apps/base/app.yaml', line: 1, message: reason, severity: 'warning' },
    ]);
    expect(scan.releases[0].policies.generated).toBeUndefined();
  });

  it('leaves an ungoverned file, or one without releases, as it is', () => {
    const ungoverned = scanFile('infra/app.yaml', text);
    expect(holdGeneratedReleases(ungoverned, configs)).toBe(ungoverned);
    const empty = scanFile('apps/config.yaml', 'kind: ConfigMap\n');
    expect(holdGeneratedReleases(empty, configs)).toBe(empty);
  });
});
