import { describe, expect, it } from '@jest/globals';
import { credentialsKeyOf, endpointOf, type Endpoint } from '../../src/registry/registry-endpoint.js';

const MIRRORS = {
  'docker.io': 'https://mirror.example.com/dockerhub',
  'quay.io': 'http://127.0.0.1:5000',
};
/** Plain HTTP for loopback hosts only, as plain-http.ts allows without insecure-registries. */
const loopbackOnly = (host: string): boolean => /^(?:localhost|127\.0\.0\.1)(?::\d+)?$/.test(host);

describe('endpointOf', () => {
  it.each<[string, string, Readonly<Record<string, string>>, Omit<Endpoint, 'registry'>]>([
    [
      'Docker Hub is served by its API host',
      'docker.io',
      {},
      {
        base: 'https://registry-1.docker.io',
        origin: 'https://registry-1.docker.io',
        credentialsKey: 'docker.io',
      },
    ],
    [
      'a registry without a mirror is asked over HTTPS at its own host',
      'ghcr.io',
      MIRRORS,
      { base: 'https://ghcr.io', origin: 'https://ghcr.io', credentialsKey: 'ghcr.io' },
    ],
    [
      'a host name in any case finds the same registry',
      'GHCR.io',
      {},
      { base: 'https://ghcr.io', origin: 'https://ghcr.io', credentialsKey: 'ghcr.io' },
    ],
    [
      'a loopback registry is asked over plain HTTP where allowed',
      'localhost:5000',
      {},
      { base: 'http://localhost:5000', origin: 'http://localhost:5000', credentialsKey: 'localhost:5000' },
    ],
    [
      "a mirror keeps its path prefix, and its host's credentials are used",
      'docker.io',
      MIRRORS,
      {
        base: 'https://mirror.example.com/dockerhub',
        origin: 'https://mirror.example.com',
        credentialsKey: 'mirror.example.com',
      },
    ],
    [
      'a mirror is asked as it is given, plain HTTP included, whatever the case of the registry',
      'Quay.io',
      MIRRORS,
      { base: 'http://127.0.0.1:5000', origin: 'http://127.0.0.1:5000', credentialsKey: '127.0.0.1:5000' },
    ],
  ])('%s', (_name, registry, mirrors, expected) => {
    expect(endpointOf(registry, mirrors, loopbackOnly)).toEqual({ registry, ...expected });
  });
});

describe('credentialsKeyOf', () => {
  it.each([
    ['docker.io', 'mirror.example.com'],
    ['index.docker.io', 'mirror.example.com'],
    ['quay.io', '127.0.0.1:5000'],
    ['GHCR.IO', 'ghcr.io'],
    ['registry.example.com', 'registry.example.com'],
  ])('%s -> %s', (registry, key) => {
    expect(credentialsKeyOf(registry, MIRRORS)).toBe(key);
  });
});
