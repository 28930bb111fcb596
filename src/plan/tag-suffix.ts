/**
 * When a tag's suffix changes (`1.25.3-alpine` to `1.25.4`, `7.2.3-debian-11-r0` to
 * `7.4.0-debian-12-r0`), which the heading's two tags show but do not point out. A Flux filter
 * may allow it (a semver range skips the `-alpine` tags as pre-releases and takes `1.25.4`; no
 * filter takes the newest build of any tag), where Renovate keeps an image's suffix; for a
 * suffix that names a variant of the image (its base: alpine, bookworm), the pull request moves
 * the release to another variant, and the reviewer should know. Pure.
 */
import { parseTagVersion } from '../filters/semver-filter.js';
import { literal } from './markdown.js';

/** A pre-release label (`rc.1`, `beta2`, `alpha-3`): a stage of a version, no variant. */
const PRE_RELEASE = /^(?:alpha|beta|rc|pre|preview|dev|snapshot|canary|nightly|next)(?:[-.]?[0-9]+)*$/i;

/**
 * The part of a suffix that names the variant: none for a pre-release label, and without a trailing
 * package revision (`-r4`, as Alpine and Bitnami number their rebuilds), which changes with every
 * rebuild and says nothing of the variant.
 */
function variantOf(suffix: string): string {
  return PRE_RELEASE.test(suffix) ? '' : suffix.replace(/(?:^|[-.])r\d+$/, '');
}

/**
 * The two suffixes when both tags are versions whose suffixes name different variants, else
 * undefined: the release moves to another variant of the image (auto-merge leaves it for review).
 */
export function variantChange(from: string, to: string): [string, string] | undefined {
  const before = parseTagVersion(from);
  const after = parseTagVersion(to);
  if (before === undefined || after === undefined) return undefined;
  return variantOf(before.prerelease) === variantOf(after.prerelease)
    ? undefined
    : [before.prerelease, after.prerelease];
}

/**
 * A sentence for the body when both tags are versions whose suffixes name different variants
 * (`1.2.3-alpine` to `1.2.3` too), else undefined. Pre-releases (`1.3.0-rc.1` to `1.4.0-alpha.1`,
 * or to `1.4.0`) and a new revision of the same suffix say nothing here.
 */
export function suffixChangeText(from: string, to: string): string | undefined {
  const suffixes = variantChange(from, to);
  if (suffixes === undefined) return undefined;
  const [before, after] = suffixes;
  const change =
    before === ''
      ? `The tag gains the suffix ${literal(`-${after}`)}`
      : after === ''
        ? `The tag drops its suffix ${literal(`-${before}`)}`
        : `The tag's suffix changes from ${literal(`-${before}`)} to ${literal(`-${after}`)}`;
  return `${change}: where a suffix names a variant of the image (its base, such as alpine or bookworm), ${literal(to)} is another variant than ${literal(from)}, which the filter allows.`;
}
