import { describe, expect, it } from '@jest/globals';
import { parseImageReference } from '../../src/image/reference.js';

describe('parseImageReference', () => {
  it.each([
    // text, registry, path, tag, digest, repository
    ['mongo', undefined, 'mongo', undefined, undefined, 'docker.io/library/mongo'],
    ['mongo:4.0', undefined, 'mongo', '4.0', undefined, 'docker.io/library/mongo'],
    ['bitnami/mongodb:4.0.3', undefined, 'bitnami/mongodb', '4.0.3', undefined, 'docker.io/bitnami/mongodb'],
    ['docker.io/mongo:4', 'docker.io', 'mongo', '4', undefined, 'docker.io/library/mongo'],
    ['index.docker.io/mongo', 'index.docker.io', 'mongo', undefined, undefined, 'docker.io/library/mongo'],
    ['docker.io/library/mongo:4', 'docker.io', 'library/mongo', '4', undefined, 'docker.io/library/mongo'],
    [
      'registry-1.docker.io/library/mongo',
      'registry-1.docker.io',
      'library/mongo',
      undefined,
      undefined,
      'registry-1.docker.io/library/mongo',
    ],
    ['localhost:5000/x', 'localhost:5000', 'x', undefined, undefined, 'localhost:5000/x'],
    [
      'localhost:5000/team/app:1.2',
      'localhost:5000',
      'team/app',
      '1.2',
      undefined,
      'localhost:5000/team/app',
    ],
    ['localhost/app:1', 'localhost', 'app', '1', undefined, 'localhost/app'],
    ['ghcr.io/org/app:v1', 'ghcr.io', 'org/app', 'v1', undefined, 'ghcr.io/org/app'],
    ['acme/team/app:1', undefined, 'acme/team/app', '1', undefined, 'docker.io/acme/team/app'],
    [
      'quay.io/prometheus/node-exporter:v1.8.0',
      'quay.io',
      'prometheus/node-exporter',
      'v1.8.0',
      undefined,
      'quay.io/prometheus/node-exporter',
    ],
    ['myreg:5000/app', 'myreg:5000', 'app', undefined, undefined, 'myreg:5000/app'],
    [
      `nginx:1.25@sha256:${'a'.repeat(64)}`,
      undefined,
      'nginx',
      '1.25',
      `sha256:${'a'.repeat(64)}`,
      'docker.io/library/nginx',
    ],
    [
      `nginx@sha256:${'b'.repeat(64)}`,
      undefined,
      'nginx',
      undefined,
      `sha256:${'b'.repeat(64)}`,
      'docker.io/library/nginx',
    ],
  ])('%s', (text, registry, path, tag, digest, repository) => {
    expect(parseImageReference(text)).toEqual({
      ok: true,
      reference: { text, registry, path, tag, digest, repository },
    });
  });

  it.each([
    ['', 'the image reference is empty'],
    ['repo:', '"repo:" has a ":" but no tag after it'],
    ['repo:1:2', '"repo:1:2" has more than one tag separator ":"'],
    ['/repo', '"/repo" has an empty path element'],
    ['repo/', '"repo/" has an empty path element'],
    [
      'Bitnami/MongoDB:1',
      '"Bitnami/MongoDB:1" has upper-case letters in the repository name "Bitnami/MongoDB"; image names must be lower case',
    ],
    [
      'repo:-bad',
      '"repo:-bad" has an invalid tag "-bad" (allowed: letters, digits, "_", "." and "-", not starting with "." or "-")',
    ],
    ['repo:' + 'a'.repeat(129), `"repo:${'a'.repeat(129)}" has a tag longer than 128 characters`],
    [
      'repo@sha256:abc',
      '"repo@sha256:abc" has an invalid digest "sha256:abc" (expected sha256:<64 hex digits>)',
    ],
    [`@sha256:${'c'.repeat(64)}`, `"@sha256:${'c'.repeat(64)}" is a digest without an image name`],
    ['re po', '"re po" contains white space'],
    [
      'repo$x:1',
      '"repo$x:1" has an invalid repository name "repo$x" (allowed: lower-case letters, digits and separators ".", "_", "__", "-")',
    ],
  ])('rejects %j', (text, reason) => {
    expect(parseImageReference(text)).toEqual({ ok: false, reason });
  });
});
