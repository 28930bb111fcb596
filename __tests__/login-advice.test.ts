/**
 * What each shell tells its user to do when a registry wanted credentials and got none
 * (src/login-advice.ts): the Action's user logs in with docker/login-action, the CLI's with
 * `docker login` or --docker-config, and a Docker config the user named is where they must go.
 */
import { describe, expect, it } from '@jest/globals';

import { actionLoginAdvice, cliLoginAdvice } from '../src/login-advice.js';

describe('login advice', () => {
  it.each<
    [
      string,
      (dockerConfig: string | undefined) => (host: string) => string,
      string | undefined,
      string,
      string,
    ]
  >([
    // shell, its advice, the Docker config named, host, the advice
    [
      'Action',
      actionLoginAdvice,
      undefined,
      '127.0.0.1:5055',
      'log in with docker/login-action (registry: 127.0.0.1:5055)',
    ],
    // docker/login-action's default registry is Docker Hub.
    ['Action', actionLoginAdvice, undefined, 'docker.io', 'log in with docker/login-action'],
    [
      'Action',
      actionLoginAdvice,
      'ci/docker.json',
      'ghcr.io',
      'add credentials for ghcr.io to ci/docker.json (the docker-config input)',
    ],
    [
      'CLI',
      cliLoginAdvice,
      undefined,
      '127.0.0.1:5055',
      'log in with `docker login 127.0.0.1:5055`, or pass --docker-config with a Docker config that has credentials for it',
    ],
    [
      'CLI',
      cliLoginAdvice,
      '/tmp/config.json',
      'ghcr.io',
      'add credentials for ghcr.io to /tmp/config.json (--docker-config)',
    ],
  ])('%s, Docker config %j, for %s', (_shell, advice, dockerConfig, host, says) => {
    expect(advice(dockerConfig)(host)).toBe(says);
  });

  it("the CLI's never sends its user to a GitHub Action", () => {
    expect(cliLoginAdvice(undefined)('ghcr.io')).not.toMatch(/login-action/);
  });
});
