/**
 * The per-HelmRelease minimum release age (issue 19): the annotation
 * `helmrelease-image-updater.io/minimum-release-age: 3d` overrides the `minimum-release-age`
 * input for the release's containers. Pure.
 */
import { durationMs } from '../duration.js';
import type { Annotation } from './annotations.js';

/** The annotation, under this project's own prefix (like `helmrelease-image-updater.io/detection`). */
export const MINIMUM_RELEASE_AGE_ANNOTATION = 'helmrelease-image-updater.io/minimum-release-age';

/** The longest minimum release age (input or annotation). */
export const MAX_MINIMUM_RELEASE_AGE = { ms: 90 * 86_400_000, text: '90d' };

/**
 * The release's minimum age from its annotation, or undefined without one. An unusable value
 * blocks the release (`block`): ignoring it would propose releases younger than its author wants.
 */
export function readMinimumReleaseAge(
  annotations: readonly Annotation[],
  block: (line: number, message: string) => void,
): number | undefined {
  const annotation = annotations.find((a) => a.key === MINIMUM_RELEASE_AGE_ANNOTATION);
  if (annotation === undefined) return undefined;
  const ms = annotation.isString ? durationMs(annotation.value, MAX_MINIMUM_RELEASE_AGE.ms) : undefined;
  if (ms !== undefined) return ms;
  const write = `write 0 or a duration such as 12h or 3d (at most ${MAX_MINIMUM_RELEASE_AGE.text})`;
  // An unquoted `0` is a number: "write 0" would tell its author to write what they wrote.
  block(
    annotation.line,
    annotation.isString
      ? `${MINIMUM_RELEASE_AGE_ANNOTATION} is "${annotation.source}"; ${write}`
      : annotation.isNull
        ? `${MINIMUM_RELEASE_AGE_ANNOTATION} is empty; ${write}, quoted`
        : `${MINIMUM_RELEASE_AGE_ANNOTATION} is the YAML value ${annotation.source}, not a string (Kubernetes ` +
          `rejects non-string annotations); quote it: ${MINIMUM_RELEASE_AGE_ANNOTATION}: "${annotation.source}"`,
  );
  return undefined;
}
