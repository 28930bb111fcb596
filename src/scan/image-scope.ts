/**
 * The `images` input: which image repositories a run checks (a run triggered by a registry push
 * checks only the image pushed). Pure.
 *
 * The rule: each value is matched against the normalised repository of every image found
 * (`docker.io/bitnami/nginx`, `ghcr.io/org/app`; no tag). A value with a glob character
 * (`*`, `?`, `[`, `{`) is a minimatch glob on that name as written: `*` stays within one path
 * segment, `**` crosses segments, so `docker.io/bitnami/*` matches `docker.io/bitnami/nginx` and
 * not `docker.io/bitnami/charts/nginx`. A value without one is an image reference and is normalised
 * the way an image in a HelmRelease is (`nginx` is `docker.io/library/nginx`, `bitnami/nginx` is
 * `docker.io/bitnami/nginx`); its tag or digest, if any, is dropped (a push of one tag checks the
 * whole repository, as a scheduled run would), so a webhook's `image:tag` can be passed as it is.
 */
import { Minimatch } from 'minimatch';
import { parseImageReference } from '../image/reference.js';

/** One value of `images`, ready to match. */
export interface ImageScopePattern {
  /** The value as given, for messages. */
  text: string;
  /** What repositories are matched against (the normalised name, or the glob). */
  pattern: string;
  matches: (repository: string) => boolean;
}

const GLOB_CHARACTERS = /[*?[\]{}]/;

/** A glob on repository names: `*` within a path segment, `**` across them. */
function globMatcher(glob: string): Minimatch {
  return new Minimatch(glob, { dot: true, nonegate: true, nocomment: true });
}

/**
 * Parses the values of `images`; throws an Error whose message says which value is unusable and
 * why (the settings name the input).
 */
export function parseImageScope(values: readonly string[]): ImageScopePattern[] {
  return values.map((text) => {
    if (GLOB_CHARACTERS.test(text)) {
      if (/\s/.test(text)) throw new Error(`"${text}" contains white space`);
      const matcher = globMatcher(text);
      return { text, pattern: text, matches: (repository: string) => matcher.match(repository) };
    }
    const parsed = parseImageReference(text);
    if (!parsed.ok) throw new Error(`${parsed.reason}; give an image repository or a glob`);
    const pattern = parsed.reference.repository;
    return { text, pattern, matches: (repository: string) => repository === pattern };
  });
}

/** True when the scope is empty (the whole run) or any of its patterns matches. */
export function inImageScope(scope: readonly ImageScopePattern[], repository: string): boolean {
  return scope.length === 0 || scope.some((p) => p.matches(repository));
}

/** The patterns that match none of the repositories found. */
export function unmatchedImageScope(
  scope: readonly ImageScopePattern[],
  repositories: Iterable<string>,
): ImageScopePattern[] {
  const left = new Set(scope);
  for (const repository of repositories) {
    for (const p of left) if (p.matches(repository)) left.delete(p);
    if (left.size === 0) break;
  }
  return [...left];
}

/**
 * For a glob written without a registry (`bitnami/*`, `nginx*`), the same glob on Docker Hub's names
 * (`docker.io/bitnami/*`, `docker.io/library/nginx*`) when that one matches one of `repositories`:
 * a glob is matched as written, unlike a reference, which is normalised, so the first matches
 * nothing. A first segment with `.` or `:`, or `localhost`, names a registry, as Docker reads it.
 */
export function dockerHubGlob(p: ImageScopePattern, repositories: Iterable<string>): string | undefined {
  if (!GLOB_CHARACTERS.test(p.text)) return undefined;
  const slash = p.text.indexOf('/');
  const first = slash === -1 ? '' : p.text.slice(0, slash);
  if (/[.:]/.test(first) || first === 'localhost') return undefined;
  const glob = `docker.io/${slash === -1 ? 'library/' : ''}${p.text}`;
  const matcher = globMatcher(glob);
  for (const repository of repositories) if (matcher.match(repository)) return glob;
  return undefined;
}
