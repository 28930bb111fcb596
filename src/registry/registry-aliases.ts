/**
 * `registry-aliases` (issue 18), Renovate's registryAliases: a registry (or a registry and a
 * namespace) is read from another place whose namespace goes INSIDE the repository name, as Harbor
 * proxy-cache projects, Artifactory and Nexus Docker repositories and GitLab's dependency proxy
 * expect:
 *
 *   docker.io=harbor.example.com/dockerhub-proxy
 *   nginx  ->  docker.io/library/nginx  ->  harbor.example.com/dockerhub-proxy/library/nginx
 *          ->  https://harbor.example.com/v2/dockerhub-proxy/library/nginx/tags/list
 *
 * `registry-mirrors` instead puts its path prefix before `/v2` (containerd style). Pure, shared by
 * the settings parser and the registry setup; the files keep the images' own names.
 */
import { repositoryPrefixKey } from '../image/reference.js';
import { normaliseRegistryKey } from './registry-names.js';

/** How a `registry-aliases` line is written, for error messages. */
const ALIAS_FORM =
  '"registry[/namespace]=host[:port][/namespace]" (e.g. docker.io=harbor.example.com/dockerhub-proxy)';

/** One path component of a repository name (distribution's reference grammar). */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** A registry host, with an optional port. */
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?$/;

/** `host[/a/b]` to its normalised form, or a sentence saying what is wrong with it. */
function readPlace(text: string): { ok: true; place: string } | { ok: false; why: string } {
  const [host = '', ...path] = text.split('/');
  if (!HOST.test(host)) return { ok: false, why: `"${host}" is not a registry host` };
  const bad = path.find((p) => !COMPONENT.test(p));
  if (bad !== undefined) return { ok: false, why: `"${bad}" is not a lower-case repository path component` };
  return { ok: true, place: [normaliseRegistryKey(host), ...path].join('/') };
}

/**
 * Parses `registry-aliases` lines into normalised `registry[/namespace]` -> `host[/namespace]`.
 * Refuses user info (a password there would be printed wherever the setting is shown; credentials
 * belong in the Docker config, looked up by the alias's host) and URLs (the alias is a name, not an
 * endpoint: `registry-mirrors` takes endpoints). Messages never repeat user info or a query (a
 * `?token=`): as for `registry-mirrors`, a line holding `@`, `?`, `#` or a space is never quoted.
 */
export function parseRegistryAliases(lines: readonly string[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  let entry = 0;
  for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
    entry += 1;
    const quotable = !/[@?#\s]/.test(line);
    const shown = quotable ? `"${line}"` : `entry ${entry} (not repeated: it may hold a password)`;
    /** What is wrong with one side, without its text when the line is not quoted either. */
    const wrong = (why: string, side: string): string =>
      quotable ? why : `${side} is not a registry host with lower-case repository path components`;
    const eq = line.indexOf('=');
    const from = line.slice(0, Math.max(eq, 0)).trim();
    const to = line.slice(eq + 1).trim();
    if (from.includes('@')) {
      throw new Error(
        `registry-aliases: the registry before "=" in entry ${entry} has a user name or password; give ${ALIAS_FORM}`,
      );
    }
    const at = to.lastIndexOf('@');
    if (at >= 0) {
      const host = to.slice(at + 1).split('/')[0];
      throw new Error(
        `registry-aliases: the alias for ${from || 'a registry'} has a user name or password; remove it and put ` +
          `the credentials in the Docker config under ${host} (docker login ${host})`,
      );
    }
    if (eq <= 0) throw new Error(`registry-aliases: ${shown} is not ${ALIAS_FORM}`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(to) || /^[a-z][a-z0-9+.-]*:\/\//i.test(from)) {
      throw new Error(
        `registry-aliases: ${shown} has a URL; an alias is a registry name without a scheme, expected ${ALIAS_FORM} ` +
          '(registry-mirrors takes endpoint URLs)',
      );
    }
    const key = readPlace(from.replace(/\/+$/, ''));
    const value = readPlace(to.replace(/\/+$/, ''));
    if (!key.ok)
      throw new Error(
        `registry-aliases: ${shown}: ${wrong(key.why, 'the registry before "="')}; expected ${ALIAS_FORM}`,
      );
    if (!value.ok)
      throw new Error(
        `registry-aliases: ${shown}: ${wrong(value.why, 'the alias after "="')}; expected ${ALIAS_FORM}`,
      );
    if (aliases[key.place] !== undefined && aliases[key.place] !== value.place)
      throw new Error(
        `registry-aliases: ${key.place} is given twice, as ${aliases[key.place]} and ${value.place}`,
      );
    aliases[key.place] = value.place;
  }
  return aliases;
}

/**
 * The repository to read instead of a normalised one (`docker.io/library/nginx`): the longest
 * alias key that is the repository or a prefix of it at a `/` is replaced by its value.
 */
export function aliasedRepository(aliases: Readonly<Record<string, string>>, repository: string): string {
  const key = repositoryPrefixKey((k) => aliases[k] !== undefined, repository);
  return key === undefined ? repository : aliases[key] + repository.slice(key.length);
}
