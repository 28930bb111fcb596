/**
 * Keys under this Action's own annotation domain, `helmrelease-image-updater.io`, that it does not
 * read, and keys under a domain a typo away from it. Flux never read this domain, so such a key is
 * a mistake, never someone else's annotation: ignored, a misspelt `minimum-release-age` would
 * propose tags younger than its author wants, so each one blocks its release (the caller's
 * `block`). Pure.
 */
import { closest, editDistance } from '../edit-distance.js';
import type { Annotation } from './annotations.js';
import { DETECTION_ANNOTATION } from './detect-deep.js';
import { MINIMUM_RELEASE_AGE_ANNOTATION } from './release-age.js';

/** The domain of this Action's own annotations. */
const OWN_DOMAIN = 'helmrelease-image-updater.io';

/** Every annotation this Action reads under its own domain. */
const OWN_KEYS: readonly string[] = [DETECTION_ANNOTATION, MINIMUM_RELEASE_AGE_ANNOTATION];

/** Most edits between a key's suffix and a known one for the hint to name it. */
const SUFFIX_EDITS = 3;

/** Most edits between a domain and this Action's for the key to count as meant for it. */
const DOMAIN_EDITS = 3;

/** Blocks the release at every key meant for this Action's domain that it does not read. */
export function blockUnknownOwnAnnotations(
  annotations: readonly Annotation[],
  block: (line: number, message: string) => void,
): void {
  for (const a of annotations) {
    const slash = a.key.indexOf('/');
    if (slash <= 0 || OWN_KEYS.includes(a.key)) continue;
    const domain = a.key.slice(0, slash).toLowerCase();
    if (domain !== OWN_DOMAIN && editDistance(domain, OWN_DOMAIN, DOMAIN_EDITS) > DOMAIN_EDITS) continue;
    const suffix = a.key.slice(slash + 1).toLowerCase();
    const meant = closest(`${OWN_DOMAIN}/${suffix}`, OWN_KEYS);
    const near = editDistance(suffix, meant.slice(OWN_DOMAIN.length + 1), SUFFIX_EDITS) <= SUFFIX_EDITS;
    block(
      a.line,
      `${a.key} is not an annotation this Action reads (` +
        (near ? `did you mean ${meant}?` : `it reads ${OWN_KEYS.join(' and ')}`) +
        ')',
    );
  }
}
