/**
 * What each shell tells its user to do when a registry wanted credentials and got none. The
 * registry client only says whose credentials were looked up; how to give some differs: a
 * workflow logs in with docker/login-action, a terminal with `docker login`. A Docker config the
 * user named (the `docker-config` input, `--docker-config`) is where the run reads them, so the
 * advice names that file instead: a login would write them elsewhere.
 */
import type { LoginAdvice } from './registry/credential-messages.js';

/** The Action's advice; `dockerConfig` is the `docker-config` input, when given. */
export function actionLoginAdvice(dockerConfig: string | undefined): LoginAdvice {
  if (dockerConfig !== undefined)
    return (host) => `add credentials for ${host} to ${dockerConfig} (the docker-config input)`;
  // docker/login-action logs in to Docker Hub when `registry` is left out.
  return (host) =>
    host === 'docker.io'
      ? 'log in with docker/login-action'
      : `log in with docker/login-action (registry: ${host})`;
}

/** The CLI's advice; `dockerConfig` is `--docker-config`, when given. */
export function cliLoginAdvice(dockerConfig: string | undefined): LoginAdvice {
  if (dockerConfig !== undefined)
    return (host) => `add credentials for ${host} to ${dockerConfig} (--docker-config)`;
  // `docker login` writes where the CLI reads without --docker-config ($DOCKER_CONFIG, ~/.docker).
  return (host) =>
    `log in with \`docker login ${host}\`, or pass --docker-config with a Docker config that has credentials for it`;
}
