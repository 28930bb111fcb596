import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { parseImageScope } from '../../src/scan/image-scope.js';
import { scopeWarnings } from '../../src/scan/scope-warnings.js';
import { parseMirrors } from '../../src/registry/registry-names.js';
import { parseRegistryAliases } from '../../src/registry/registry-aliases.js';

const RELEASE = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    repository: https://charts.example.com
    name: web
    version: 1.0.0
  values:
    image:
      repository: bitnami/nginx
      tag: 1.25.0
`;

const UNREADABLE = `apiVersion: helm.fluxcd.io/v1
kind: HelmRelease
metadata: [
`;

/** One scan per file, as the run keeps them (files with neither release nor problem are dropped). */
function scans(files: Record<string, string>) {
  return Object.entries(files)
    .map(([file, text]) => scanFile(file, text))
    .filter((scan) => scan.releases.length > 0 || scan.problems.length > 0);
}

/** The files `paths` and `exclude` selected: those given, and files without a release. */
const SELECTED = ['apps/web.yaml', 'clusters/kustomization.yaml', 'clusters/values.yaml'];

function messages(files: Record<string, string>, paths: string[], images: string[], selected = SELECTED) {
  const found = scans(files);
  const releases = found.reduce((n, s) => n + s.releases.length, 0);
  const warnings = scopeWarnings({
    paths,
    files: selected,
    releases,
    scans: found,
    imageScope: parseImageScope(images),
  });
  return {
    leading: warnings.leading.map((p) => p.message),
    trailing: warnings.trailing.map((p) => p.message),
  };
}

describe('scopeWarnings', () => {
  it.each([
    ['a release found, every image in scope: nothing to say', { 'apps/web.yaml': RELEASE }, [], [], [], []],
    [
      'no release in the files selected leads, naming the default paths',
      {},
      [],
      [],
      [
        'No HelmRelease found in 3 files (every *.yaml and *.yml file); nothing was checked. ' +
          'Check paths, and that the job checks the repository out first (actions/checkout).',
      ],
      [],
    ],
    [
      'no release, paths given: they are named',
      {},
      ['apps/**'],
      [],
      [
        'No HelmRelease found in 3 files (paths apps/**); nothing was checked. ' +
          'Check paths, and that the job checks the repository out first (actions/checkout).',
      ],
      [],
    ],
    [
      'a release that could not be read says why itself: no "check paths"',
      { 'apps/web.yaml': UNREADABLE },
      [],
      [],
      [],
      [],
    ],
    [
      'an images value that matches no image found trails',
      { 'apps/web.yaml': RELEASE },
      [],
      ['docker.io/bitnami/nginx', 'ghcr.io/org/*'],
      [],
      [
        'images: "ghcr.io/org/*" matches no image found in the HelmReleases scanned; nothing was checked for it.',
      ],
    ],
    [
      'a normalised images value names what it was read as',
      { 'apps/web.yaml': RELEASE },
      [],
      ['redis'],
      [],
      [
        'images: "redis" (docker.io/library/redis) matches no image found in the HelmReleases scanned; nothing was checked for it.',
      ],
    ],
    // A glob is matched as written against names that carry their registry; a reference is
    // normalised. A glob written as for a reference would check nothing, with no word of why.
    [
      'a glob without a registry that Docker Hub names would match says so',
      { 'apps/web.yaml': RELEASE },
      [],
      ['bitnami/*', 'nginx*'],
      [],
      [
        'images: "bitnami/*" matches no image found in the HelmReleases scanned; nothing was checked for it. ' +
          'A glob is matched against the repository with its registry, as "docker.io/bitnami/*" would match.',
        'images: "nginx*" matches no image found in the HelmReleases scanned; nothing was checked for it.',
      ],
    ],
    [
      'an official image by a glob without a registry',
      { 'apps/web.yaml': RELEASE.replace('bitnami/nginx', 'nginx') },
      [],
      ['ngin?'],
      [],
      [
        'images: "ngin?" matches no image found in the HelmReleases scanned; nothing was checked for it. ' +
          'A glob is matched against the repository with its registry, as "docker.io/library/ngin?" would match.',
      ],
    ],
  ])('%s', (_name, files, paths, images, leading, trailing) => {
    expect(messages(files, paths, images)).toEqual({ leading, trailing });
  });

  it('a paths pattern whose files hold no release trails, after a release was found', () => {
    const { leading, trailing } = messages({ 'apps/web.yaml': RELEASE }, ['apps/**', 'clusters/**'], []);
    expect(leading).toEqual([]);
    expect(trailing).toHaveLength(1);
    expect(trailing[0]).toContain('clusters/**');
  });

  it('a paths pattern whose files exclude took out says nothing: the exclusion was meant', () => {
    const selected = ['apps/web.yaml'];
    expect(messages({ 'apps/web.yaml': RELEASE }, ['apps/**', 'clusters/**'], [], selected)).toEqual({
      leading: [],
      trailing: [],
    });
  });

  it('one file is "1 file"', () => {
    expect(messages({}, [], [], ['apps/web.yaml']).leading[0]).toContain('No HelmRelease found in 1 file (');
  });
});

describe('registry-mirrors and registry-aliases entries no image falls under', () => {
  // The one image found is docker.io/bitnami/nginx.
  const warn = (files: Record<string, string>, mirrors: string[], aliases: string[]) => {
    const found = scans(files);
    return scopeWarnings({
      paths: [],
      files: SELECTED,
      releases: found.reduce((n, s) => n + s.releases.length, 0),
      scans: found,
      imageScope: [],
      registryKeys: {
        mirrors: Object.keys(parseMirrors(mirrors)),
        aliases: Object.keys(parseRegistryAliases(aliases)),
      },
    }).trailing.map((p) => p.message);
  };
  const mirrorUnused = (key: string) =>
    `registry-mirrors: ${key} is the registry of no image found in the HelmReleases scanned; its mirror was not used.`;
  const aliasUnused = (key: string) =>
    `registry-aliases: ${key} matches no image found in the HelmReleases scanned; nothing was read at its alias.`;
  it.each<[string, string[], string[], string[]]>([
    ["a mirror of the image's registry", ['docker.io=https://mirror.example.com'], [], []],
    ['a mirror named by another spelling of it', ['index.docker.io=https://mirror.example.com'], [], []],
    ['a mistyped registry', ['docker.iu=https://mirror.example.com'], [], [mirrorUnused('docker.iu')]],
    ['a registry no image is on', ['quay.io=https://mirror.example.com'], [], [mirrorUnused('quay.io')]],
    ['an alias of the registry', [], ['docker.io=harbor.example.com/hub'], []],
    ["an alias of the image's namespace", [], ['docker.io/bitnami=harbor.example.com/bitnami'], []],
    [
      'an alias of another namespace',
      [],
      ['docker.io/library=harbor.example.com/library'],
      [aliasUnused('docker.io/library')],
    ],
    // A prefix at a `/` only, as the client reads it: docker.io/bit is no namespace of bitnami/nginx.
    [
      "an alias of a name's first letters",
      [],
      ['docker.io/bit=harbor.example.com/bit'],
      [aliasUnused('docker.io/bit')],
    ],
  ])('%s', (_name, mirrors, aliases, expected) => {
    expect(warn({ 'apps/web.yaml': RELEASE }, mirrors, aliases)).toEqual(expected);
  });

  it('says nothing of them when no HelmRelease was found: that warning says it all', () => {
    expect(warn({}, ['quay.io=https://mirror.example.com'], ['ghcr.io=harbor.example.com/ghcr'])).toEqual([]);
  });
});
