/**
 * Which HelmReleases a Kustomize patch is for: its `target` (each field an anchored Go regular
 * expression, as in Kustomize), else the kind, name and namespace of its own document. Pure.
 *
 *   target: {kind: HelmRelease, name: "app|web"}   apps/app and apps/web, by any name on the way
 *   target: {labelSelector: team=x}                 not evaluated: every release, said so
 */
import type { HelmRelease } from '../helmrelease/types.js';
import { compileRegex } from '../filters/regex-filter.js';
import { groupedCount } from '../byte-count.js';
import type { PatchTarget } from './kustomization.js';
import { namesOnTheWay, namespacesOnTheWay, type Rename } from './kustomize-resources.js';
import type { Narrowing } from './narrowing-sources.js';
import type { PatchedAnnotations } from './patch-annotations.js';

const ALL = (): boolean => true;

/**
 * The longest target field compiled as a regular expression. RE2 matches in linear time, so no
 * pattern can hang a match, but compiling is linear in the pattern's size with a large constant:
 * one of 4 MiB (the file bound) took 12 s before RE2 refused it as too large, for every entry
 * that wrote it. A name is at most 253 characters; a longer field is for every release.
 */
export const MAX_TARGET_PATTERN = 4096;

/** An anchored Go regular expression's test, or undefined when it does not compile. */
function anchored(pattern: string): ((text: string) => boolean) | undefined {
  const compiled = compileRegex(`^(?:${pattern})$`);
  return 'error' in compiled ? undefined : (text) => compiled.regex.test(text);
}

/** Whether a patch names the HelmRelease it is for: its target's name (of kind HelmRelease), or its own. */
export function namesHelmRelease(target: PatchTarget | undefined, doc: PatchedAnnotations): boolean {
  if (target === undefined) return doc.name !== undefined;
  const kind = target.kind === undefined ? undefined : anchored(target.kind);
  return target.name !== undefined && target.selector === undefined && (kind?.('HelmRelease') ?? true);
}

/**
 * Which releases a patch is for: those its target selects (each field an anchored regular
 * expression, as in Kustomize), else those its own document names (a strategic merge patch),
 * else, for a JSON6902 patch without target (which Kustomize refuses), all of them. A name or
 * namespace matches when any the release has on the way does (Kustomize matches a resource's
 * original and current names); a release without a namespace matches any.
 */
export function targetSelects(
  target: PatchTarget | undefined,
  doc: PatchedAnnotations | undefined,
): Pick<Narrowing, 'selects' | 'approximate'> {
  const unread: string[] = [];
  const test = (field: string, pattern: string | undefined): ((text: string) => boolean) | undefined => {
    if (pattern === undefined) return undefined;
    if (pattern.length > MAX_TARGET_PATTERN) {
      unread.push(
        `its target's ${field} is ${groupedCount(pattern.length)} characters long, more than the ${groupedCount(MAX_TARGET_PATTERN)} read as a regular expression here`,
      );
      return ALL;
    }
    const compiled = anchored(pattern);
    if (compiled === undefined)
      unread.push(`its target's ${field} is not a regular expression Kustomize reads`);
    return compiled ?? ALL;
  };
  let kind: ((text: string) => boolean) | undefined;
  let name: ((text: string) => boolean) | undefined;
  let namespace: ((text: string) => boolean) | undefined;
  let group: ((text: string) => boolean) | undefined;
  let version: ((text: string) => boolean) | undefined;
  if (target) {
    kind = test('kind', target.kind);
    name = test('name', target.name);
    namespace = test('namespace', target.namespace);
    group = test('group', target.group);
    version = test('version', target.version);
    if (target.selector) unread.push(`its target's selector (${target.selector}) is not evaluated here`);
  } else if (doc) {
    if (doc.name !== undefined) name = (text) => text === doc.name;
    if (doc.namespace !== undefined) namespace = (text) => text === doc.namespace;
  }
  const selects = (release: HelmRelease, renames: readonly Rename[]): boolean => {
    const slash = release.apiVersion.lastIndexOf('/');
    const releaseGroup = slash === -1 ? '' : release.apiVersion.slice(0, slash);
    const namespaces = namespacesOnTheWay(release.namespace, renames);
    return (
      (kind?.('HelmRelease') ?? true) &&
      (group?.(releaseGroup) ?? true) &&
      (version?.(release.apiVersion.slice(slash + 1)) ?? true) &&
      (name === undefined || namesOnTheWay(release.name, renames).some(name)) &&
      (namespace === undefined || namespaces.length === 0 || namespaces.some(namespace))
    );
  };
  return { selects, ...(unread.length > 0 ? { approximate: unread.join('; ') } : {}) };
}
