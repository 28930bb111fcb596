/**
 * Images Flux v1 never scanned (FLUX-V1-RULES R10.4): fluxd's `--registry-exclude-image` defaults
 * to `k8s.gcr.io/*`, so an automated release's k8s.gcr.io images were never updated. They are not
 * looked up here either, and the reason says where the images went. Pure.
 */
import { splitRepository } from '../image/reference.js';

/** The registry Flux v1 left out by default, and where its images are published since. */
const FROZEN_REGISTRY = 'k8s.gcr.io';
const SUCCESSOR_REGISTRY = 'registry.k8s.io';

/**
 * Why a normalised repository is not looked up, or undefined when it is. The host is compared
 * without regard to case (Flux's glob was case-sensitive; the host is the same registry either way,
 * and leaving it out never updates more than Flux did).
 */
export function unscannedReason(repository: string): string | undefined {
  const { registry, path } = splitRepository(repository);
  if (registry.toLowerCase() !== FROZEN_REGISTRY) return undefined;
  return (
    `${FROZEN_REGISTRY} is not checked, as Flux v1 never scanned it (fluxd's --registry-exclude-image ` +
    `default); it has been frozen since April 2023: write ${SUCCESSOR_REGISTRY}/${path}, where its ` +
    `images are published, to have this image updated`
  );
}
