/**
 * The web page of an image's repository on the registries whose page addresses follow from the
 * repository's name alone (Docker Hub, Quay), as Renovate links a package to it: where a reviewer
 * sees the image's tags, their dates and its description. No request is made. Pure.
 */
import { encodePath } from './markdown.js';

/** A name part as registries allow it (distribution's path component). */
const PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * The page of a normalised repository (`docker.io/bitnami/redis`), or undefined for a registry
 * whose page cannot be told from the name (ghcr.io pages depend on whether the owner is a user or
 * an organisation; a private registry may have none).
 */
export function registryPage(repository: string): { name: string; url: string } | undefined {
  const [host, ...path] = repository.split('/');
  if (path.length !== 2 || !path.every((part) => PART.test(part))) return undefined;
  const [owner, name] = path as [string, string];
  if (host === 'docker.io') {
    const url =
      owner === 'library'
        ? `https://hub.docker.com/_/${encodePath(name)}`
        : `https://hub.docker.com/r/${encodePath(owner)}/${encodePath(name)}`;
    return { name: 'Docker Hub', url };
  }
  if (host === 'quay.io') {
    return { name: 'Quay', url: `https://quay.io/repository/${encodePath(owner)}/${encodePath(name)}` };
  }
  return undefined;
}
