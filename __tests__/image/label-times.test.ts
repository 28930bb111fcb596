/**
 * Build times from labels for Flux v1's own images (FLUX-V1-RULES R10.2): which repositories,
 * which label wins, and the port that applies it.
 */
import { describe, expect, it } from '@jest/globals';
import { parseImageReference } from '../../src/image/reference.js';
import {
  fluxCanonicalName,
  labelTimedDetails,
  labelTimedRegistry,
  usesLabelTimes,
} from '../../src/image/label-times.js';
import { RegistryError, type RegistryPort, type TagDetails } from '../../src/ports.js';

/** The normalised repository of an image as a HelmRelease writes it. */
function repositoryOf(image: string): string {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.reference.repository;
}

describe('which repositories take build times from labels', () => {
  it.each([
    // Flux's defaults, however Docker Hub is spelled.
    ['weaveworks/flux:1.2.3', true],
    ['fluxcd/flux', true],
    ['docker.io/fluxcd/helm-operator:1.4.4', true],
    ['index.docker.io/fluxcd/helm-operator', true],
    ['registry-1.docker.io/weaveworks/flux', true],
    ['Docker.IO/fluxcd/flux', true],
    // go-glob's `*` crosses `/`.
    ['docker.io/fluxcd/team/app', true],
    // Near misses.
    ['docker.io/fluxcdx/a', false],
    ['docker.io/weaveworksx/a', false],
    ['ghcr.io/fluxcd/a', false],
    ['quay.io/weaveworks/a', false],
    ['docker.io/library/flux', false],
    ['flux', false],
    ['docker.io/acme/fluxcd', false],
    ['localhost:5000/fluxcd/a', false],
    ['mirror.example.com/docker.io/fluxcd/a', false],
  ])('%s: %s', (image, expected) => {
    expect(usesLabelTimes(repositoryOf(image))).toBe(expected);
  });

  it.each([
    ['docker.io/fluxcd/flux', 'index.docker.io/fluxcd/flux'],
    ['docker.io/library/alpine', 'index.docker.io/library/alpine'],
    ['registry-1.docker.io/fluxcd/flux', 'index.docker.io/fluxcd/flux'],
    ['GHCR.io/fluxcd/flux', 'ghcr.io/fluxcd/flux'],
  ])("Flux's canonical name of %s is %s", (repository, expected) => {
    expect(fluxCanonicalName(repository)).toBe(expected);
  });

  it('takes other patterns, matched as go-glob matches them', () => {
    expect(usesLabelTimes('ghcr.io/acme/app', ['ghcr.io/acme/*'])).toBe(true);
    expect(usesLabelTimes('ghcr.io/acme/app', ['ghcr.io/*/app'])).toBe(true);
    expect(usesLabelTimes('ghcr.io/acme/app', ['ghcr.io/acme/?pp'])).toBe(false);
  });
});

const CREATED = new Date('1970-01-01T00:00:00Z');
const OCI = new Date('2024-05-06T07:08:09Z');
const LABEL_SCHEMA = new Date('2023-01-01T00:00:00Z');

describe('which time an image of such a repository has', () => {
  it.each<[string, TagDetails['labelTimes'], Date | undefined]>([
    ['the OCI label wins over Label Schema', { created: OCI, buildDate: LABEL_SCHEMA }, OCI],
    ['even when older', { created: LABEL_SCHEMA, buildDate: OCI }, LABEL_SCHEMA],
    ['Label Schema alone', { buildDate: LABEL_SCHEMA }, LABEL_SCHEMA],
    ['neither label: created', {}, CREATED],
    ['labels not read: created', undefined, CREATED],
  ])('%s', (_name, labelTimes, expected) => {
    const details: TagDetails = {
      digest: 'sha256:x',
      created: CREATED,
      ...(labelTimes ? { labelTimes } : {}),
    };
    expect(labelTimedDetails(details).created).toEqual(expected);
  });

  it('a label time replaces a missing created', () => {
    expect(
      labelTimedDetails({ digest: 'sha256:x', created: undefined, labelTimes: { created: OCI } }).created,
    ).toEqual(OCI);
  });
});

describe('labelTimedRegistry', () => {
  const labelled: TagDetails = { digest: 'sha256:a', created: CREATED, labelTimes: { created: OCI } };
  const failed = new RegistryError('boom', 'docker.io');
  const stops: string[] = [];
  const port: RegistryPort = {
    listTags: async () => ['1', '2'],
    describeTags: async (_repository, tags, onDescribed) => {
      for (const tag of tags) onDescribed?.(tag);
      return new Map<string, TagDetails | RegistryError>([
        ['1', labelled],
        ['2', failed],
      ]);
    },
    stop: (reason) => void stops.push(reason),
  };
  const registry = labelTimedRegistry(port);

  it.each([
    ['docker.io/fluxcd/flux', OCI],
    ['ghcr.io/fluxcd/flux', CREATED],
  ])('%s: the first tag is timed at %s', async (repository, expected) => {
    const described: string[] = [];
    const details = await registry.describeTags(repository, ['1', '2'], (tag) => described.push(tag));
    expect((details.get('1') as TagDetails).created).toEqual(expected);
    expect(details.get('2')).toBe(failed);
    expect(described).toEqual(['1', '2']);
  });

  it('passes the rest through', async () => {
    expect(await registry.listTags('docker.io/fluxcd/flux')).toEqual(['1', '2']);
    registry.stop?.('done');
    expect(stops).toEqual(['done']);
    expect(registry.describePlatforms).toBeUndefined();
  });

  it('passes every method a port has through to it', async () => {
    // Required<RegistryPort>: a method added to the port fails to compile here until it is added,
    // so a wrapper that drops one (the run never learns the registry can list ahead) is caught.
    const calls: string[] = [];
    const full: Required<RegistryPort> = {
      listTags: async (repository) => (calls.push(`listTags ${repository}`), []),
      describeTags: async (repository) => (calls.push(`describeTags ${repository}`), new Map()),
      describePlatforms: async (repository) => (calls.push(`describePlatforms ${repository}`), new Map()),
      stop: (reason) => void calls.push(`stop ${reason}`),
      listAhead: () => (calls.push('listAhead'), 3),
      settleAhead: () => (calls.push('settleAhead'), 2),
      writing: () => (calls.push('writing'), true),
    };
    const wrapped = labelTimedRegistry(full);
    expect(Object.keys(wrapped).sort()).toEqual(Object.keys(full).sort());
    await wrapped.listTags('ghcr.io/a/b');
    await wrapped.describeTags('ghcr.io/a/b', []);
    await wrapped.describePlatforms!('ghcr.io/a/b', []);
    wrapped.stop!('done');
    expect(wrapped.listAhead!(() => true)).toBe(3);
    expect(wrapped.settleAhead!([])).toBe(2);
    expect(wrapped.writing!()).toBe(true);
    expect(calls).toEqual([
      'listTags ghcr.io/a/b',
      'describeTags ghcr.io/a/b',
      'describePlatforms ghcr.io/a/b',
      'stop done',
      'listAhead',
      'settleAhead',
      'writing',
    ]);
  });
});
