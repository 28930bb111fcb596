/**
 * SOPS-encrypted files (https://github.com/getsops/sops) are never edited: SOPS signs a file's values
 * with a MAC, so changing even a tag left in plain text breaks it and Flux can no longer decrypt the
 * file. Such a file carries its metadata as a top-level `sops:` mapping with a `mac` (in each
 * document of a multi-document file).
 */
import { isScalar, type Document, type LineCounter } from 'yaml';
import { warning, type Problem } from '../problems.js';
import { asMap, asString, getValue, lineOf } from './yaml-nodes.js';

/** Cheap test: only a file with a `sops:` line at column 0 can carry SOPS metadata. */
export function mayBeSopsEncrypted(text: string): boolean {
  return /^sops:/m.test(text);
}

/** True when a document's `kind` is `HelmRelease`. */
function isHelmReleaseKind(doc: Document | undefined, lines: LineCounter): boolean {
  const root = asMap(doc?.contents);
  return asString(root && getValue(root, 'kind'), lines)?.value === 'HelmRelease';
}

/**
 * Whether a file's documents carry SOPS metadata, with the one warning to give about it (at the
 * first `sops:` key) when the file holds a HelmRelease.
 */
export function readSops(
  file: string,
  docs: readonly (Document | undefined)[],
  lines: LineCounter,
): { encrypted: boolean; problems: Problem[] } {
  for (const doc of docs) {
    const root = asMap(doc?.contents);
    const sops = root && asMap(getValue(root, 'sops'));
    if (!sops || getValue(sops, 'mac') === undefined) continue;
    if (!docs.some((d) => isHelmReleaseKind(d, lines))) return { encrypted: true, problems: [] };
    // Found above through getValue, so the pair is there.
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'sops')!;
    return {
      encrypted: true,
      problems: [
        warning(
          file,
          lineOf(pair.key, lines),
          'this file is encrypted with SOPS (a top-level sops: key with a mac), so its HelmReleases are ' +
            'not updated: changing a tag would break the SOPS MAC and Flux could no longer decrypt the file',
        ),
      ],
    };
  }
  return { encrypted: false, problems: [] };
}
