/**
 * Container image references: parse, validate, normalise and re-tag.
 *
 * Parsing follows Flux v1 (`pkg/image/image.go` `ParseRef`) with Docker's rule for the registry
 * (FLUX-V1-RULES §5, decision 10): the first path element is a registry only when it contains
 * `.` or `:` or is `localhost`. The spelling in the file is never changed except for the tag.
 *
 *   mongo                          -> Docker Hub, docker.io/library/mongo
 *   bitnami/mongodb:4.0.3          -> Docker Hub, docker.io/bitnami/mongodb, tag 4.0.3
 *   index.docker.io/mongo          -> Docker Hub, docker.io/library/mongo
 *   localhost:5000/team/app:1.2    -> localhost:5000/team/app, tag 1.2 (the port is not a tag)
 *   ghcr.io/org/app:v1@sha256:...  -> tag v1, digest-pinned
 */

/** An image reference as written in a file, split into its parts. */
export interface ImageReference {
  /** The reference exactly as written. */
  text: string;
  /** The registry as written (`docker.io`, `localhost:5000`), or undefined when there is none. */
  registry: string | undefined;
  /** The repository path as written, without registry, tag or digest (`bitnami/mongodb`). */
  path: string;
  /** The tag, or undefined for an untagged reference. */
  tag: string | undefined;
  /** The digest (`sha256:…`) of a digest-pinned reference. */
  digest: string | undefined;
  /** The normalised repository used for registry lookups, e.g. `docker.io/library/mongo`. */
  repository: string;
}

/** The outcome of parsing: a reference, or a sentence saying why the text is not one. */
export type ParsedReference = { ok: true; reference: ImageReference } | { ok: false; reason: string };

/** How Docker Hub is spelled in normalised repositories. */
export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io']);

// Docker's reference grammar (distribution/reference `regexp.go`).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`,
);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
const MAX_NAME_LENGTH = 255;
const FLUX_VARIABLE = /\$\{[^}]*\}?/;

/** True when `text` is a registry host as image references name it: `host[:port]`, `[IPv6][:port]`. */
export function isRegistryHost(text: string): boolean {
  return DOMAIN_RE.test(text);
}

/** True for a `sha256:` digest with its 64 lowercase hex digits (the only kind registries send). */
export function isSha256Digest(digest: string): boolean {
  return DIGEST_RE.test(digest);
}

/** True when a tag is a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

/** True when the first path element names a registry host (Docker's rule). */
function looksLikeRegistry(element: string): boolean {
  return element.includes('.') || element.includes(':') || element === 'localhost';
}

/** Parses and validates an image reference. */
export function parseImageReference(text: string): ParsedReference {
  if (text === '') return { ok: false, reason: 'the image reference is empty' };
  // Flux v2 post-build substitution (`${TAG}`, `${REGISTRY:=ghcr.io}`) fills these in the cluster;
  // the file itself holds no image to look up, so say that rather than "invalid repository name".
  const variable = FLUX_VARIABLE.exec(text);
  if (variable) {
    return {
      ok: false,
      reason: `"${text}" holds the Flux variable ${variable[0]} (post-build substitution); images with variables are not updated`,
    };
  }
  if (/\s/.test(text)) return { ok: false, reason: `"${text}" contains white space` };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) {
      return {
        ok: false,
        reason: `"${text}" has an invalid digest "${digest}" (expected sha256:<64 hex digits>)`,
      };
    }
    if (rest === '') return { ok: false, reason: `"${text}" is a digest without an image name` };
  }
  const slash = rest.indexOf('/');
  let registry: string | undefined;
  let remainder = rest;
  if (slash > 0 && looksLikeRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    remainder = rest.slice(slash + 1);
    if (!DOMAIN_RE.test(registry))
      return { ok: false, reason: `"${text}" has an invalid registry "${registry}"` };
  }
  let path = remainder;
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon >= 0) {
    path = remainder.slice(0, colon);
    tag = remainder.slice(colon + 1);
    if (tag === '') return { ok: false, reason: `"${text}" has a ":" but no tag after it` };
    if (path.includes(':')) return { ok: false, reason: `"${text}" has more than one tag separator ":"` };
    if (!TAG_RE.test(tag)) {
      return {
        ok: false,
        reason:
          tag.length > 128
            ? `"${text}" has a tag longer than 128 characters`
            : `"${text}" has an invalid tag "${tag}" (allowed: letters, digits, "_", "." and "-", not starting with "." or "-")`,
      };
    }
  }
  if (path === '') return { ok: false, reason: `"${text}" has no repository name` };
  for (const component of path.split('/')) {
    if (component === '') return { ok: false, reason: `"${text}" has an empty path element` };
    if (!PATH_COMPONENT_RE.test(component)) {
      const upper = component !== component.toLowerCase();
      return {
        ok: false,
        reason: upper
          ? `"${text}" has upper-case letters in the repository name "${path}"; image names must be lower case`
          : `"${text}" has an invalid repository name "${path}" (allowed: lower-case letters, digits and separators ".", "_", "__", "-")`,
      };
    }
  }
  const repository = normaliseRepository(registry, path);
  if (repository.length > MAX_NAME_LENGTH) {
    return { ok: false, reason: `"${text}" is longer than ${MAX_NAME_LENGTH} characters` };
  }
  return { ok: true, reference: { text, registry, path, tag, digest, repository } };
}

/** The normalised repository for lookups: Docker Hub spelled `docker.io`, `library/` added. */
export function normaliseRepository(registry: string | undefined, path: string): string {
  if (registry === undefined || DOCKER_HUB_ALIASES.has(registry)) {
    return `${DOCKER_HUB}/${path.includes('/') ? path : `library/${path}`}`;
  }
  return `${registry}/${path}`;
}

/** Splits a normalised repository into its registry host and its path. */
export function splitRepository(repository: string): { registry: string; path: string } {
  const slash = repository.indexOf('/');
  return { registry: repository.slice(0, slash), path: repository.slice(slash + 1) };
}

/**
 * The longest key `has` holds that is `repository` (its registry in lower case) or a prefix of it
 * at a `/`: `docker.io/bitnami` of `docker.io/bitnami/nginx`, never `docker.io/bit`. How a
 * `registry-aliases` key is matched (registry-aliases.ts), and how a warning tells one no image falls
 * under (scope-warnings.ts).
 */
export function repositoryPrefixKey(has: (key: string) => boolean, repository: string): string | undefined {
  const lower = repository.replace(/^[^/]+/, (host) => host.toLowerCase());
  for (let end = lower.length; end > 0; end = lower.lastIndexOf('/', end - 1)) {
    if (has(lower.slice(0, end))) return lower.slice(0, end);
  }
  return undefined;
}
