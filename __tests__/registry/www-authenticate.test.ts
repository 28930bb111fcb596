import { describe, expect, it } from '@jest/globals';
import { parseChallenges } from '../../src/registry/www-authenticate.js';

describe('parseChallenges', () => {
  it.each([
    [
      'distribution htpasswd',
      'Basic realm="test-realm"',
      [{ scheme: 'basic', params: { realm: 'test-realm' } }],
    ],
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' },
        },
      ],
    ],
    [
      'scope with host:port and an error',
      'Bearer realm="http://127.0.0.1:1/token",service="s",scope="repository:team/app:pull",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'http://127.0.0.1:1/token',
            service: 's',
            scope: 'repository:team/app:pull',
            error: 'insufficient_scope',
          },
        },
      ],
    ],
    [
      'ECR Basic with a service',
      'Basic realm="https://1.dkr.ecr.eu-central-1.amazonaws.com/",service="ecr.amazonaws.com"',
      [
        {
          scheme: 'basic',
          params: { realm: 'https://1.dkr.ecr.eu-central-1.amazonaws.com/', service: 'ecr.amazonaws.com' },
        },
      ],
    ],
    [
      'two challenges in one header (codeberg)',
      'Bearer realm="https://codeberg.org/v2/token",service="container_registry",scope="*",Basic realm="https://codeberg.org/v2",service="container_registry",scope="*"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://codeberg.org/v2/token', service: 'container_registry', scope: '*' },
        },
        {
          scheme: 'basic',
          params: { realm: 'https://codeberg.org/v2', service: 'container_registry', scope: '*' },
        },
      ],
    ],
    [
      'case-insensitive scheme and names, token values, spaces',
      'BEARER Realm = "https://x/token" , Service=svc',
      [{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'svc' } }],
    ],
    [
      'backslash escapes in quoted strings',
      'Basic realm="a \\"quoted\\" realm"',
      [{ scheme: 'basic', params: { realm: 'a "quoted" realm' } }],
    ],
    ['empty', '', []],
  ])('%s', (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});
