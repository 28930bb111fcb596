/**
 * The per-HelmRelease minimum release age (issue 19): the annotation
 * `helmrelease-image-updater.io/minimum-release-age: 3d` overrides the `minimum-release-age`
 * input for the release's containers. Pure.
 */
import type { Annotation } from './annotations.js';

/** The annotation, under this project's own prefix (like `helmrelease-image-updater.io/detection`). */
export const MINIMUM_RELEASE_AGE_ANNOTATION = 'helmrelease-image-updater.io/minimum-release-age';

/** The longest minimum release age (input or annotation). */
export const MAX_MINIMUM_RELEASE_AGE = { ms: 90 * 86_400_000, text: '90d' };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `0` or a whole number with a unit (`90s`, `30m`, `24h`, `3d`), the format of the duration
 * inputs, in milliseconds; undefined when it is not one or is longer than the maximum.
 */
export function parseReleaseAge(raw: string): number | undefined {
  const match = /^(?:0|(\d{1,6})([smhd]))$/.exec(raw.trim());
  if (!match) return undefined;
  const ms = match[1] === undefined ? 0 : Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms <= MAX_MINIMUM_RELEASE_AGE.ms ? ms : undefined;
}

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
  const ms = annotation.isString ? parseReleaseAge(annotation.value) : undefined;
  if (ms !== undefined) return ms;
  block(
    annotation.line,
    `${MINIMUM_RELEASE_AGE_ANNOTATION} is "${annotation.source}"; write 0 or a duration such as 12h or 3d ` +
      `(at most ${MAX_MINIMUM_RELEASE_AGE.text})`,
  );
  return undefined;
}
