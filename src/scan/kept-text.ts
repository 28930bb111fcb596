/**
 * The text a run keeps in memory once read: the files that may hold a HelmRelease (their texts are
 * kept for the edits, their scans for the plan), the kustomizations and the patch files they name.
 * The reads themselves have their own, larger bound (the workspace port's); a YAML file that names
 * no HelmRelease is dropped as soon as it is read, so only this text grows the heap with the
 * workspace.
 */
import { byteCount } from '../byte-count.js';
import { WorkspaceBoundError } from '../ports.js';

/**
 * Bytes of kept text before the run stops: 150,000 HelmRelease files of 3.5 KiB (fifteen times the
 * benchmark's 10,000 files, all HelmReleases). HelmRelease text took 1.7 times its size in heap once
 * scanned (20,000 releases, 70 MB of text: 121 MB kept), so at most about 0.9 GB: under V8's default
 * heap on a runner of 7 GB (a quarter of its memory); 1 GiB would not be.
 */
export const MAX_KEPT_BYTES = 512 * 1024 * 1024;

/** Counts the text kept, and stops the run past its bound. */
export class KeptText {
  #bytes = 0;

  constructor(readonly maxBytes = MAX_KEPT_BYTES) {}

  /** Counts `text`, kept from `file`; throws a {@link WorkspaceBoundError} past the bound. */
  keep(file: string, text: string): void {
    this.#bytes += Buffer.byteLength(text, 'utf8');
    if (this.#bytes <= this.maxBytes) return;
    throw new WorkspaceBoundError(
      `The files that may hold a HelmRelease, the kustomizations and their patch files hold more ` +
        `than ${byteCount(this.maxBytes)} of text together, the most a run keeps (${file} passed it). ` +
        'Narrow paths or add exclude patterns to leave out files a HelmRelease is only mentioned in; ' +
        'kustomizations and the patch files they name are read wherever they are.',
      'kept',
    );
  }
}
