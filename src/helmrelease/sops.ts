/**
 * SOPS-encrypted files (https://github.com/getsops/sops) are never edited: SOPS signs a file's values
 * with a MAC, so changing even a tag left in plain text breaks it and Flux can no longer decrypt the
 * file. Such a file carries its metadata as a top-level `sops:` mapping with a `mac` (in each
 * document of a multi-document file).
 */
import { isScalar, type Document, type LineCounter } from 'yaml';
import { warning, type Problem } from '../problems.js';
import { asMap, asString, getValue, lineOf } from './yaml-nodes.js';

/**
 * Cheap test: only a file that spells `sops`, or holds an escape a double-quoted key could spell it
 * with (`"\x73ops"`, `"so\` and a line break), can carry SOPS metadata. A `sops:` line at column 0
 * is not enough: the key of another document may follow a byte order mark, be indented (the whole
 * document is), quoted (a JSON document), spaced (`sops :`), explicit (`? sops`) or in a flow map,
 * and that document is only read when this says it may be there.
 */
export function mayBeSopsEncrypted(text: string): boolean {
  return text.includes('sops') || /\\[xuU\r\n]/.test(text);
}

/**
 * True for the key `sops`. The first key of a document may start with a byte order mark (files
 * joined together carry one after each `---`), which go-yaml, and so SOPS, skip: the parser here
 * keeps it.
 */
function isSopsKey(key: unknown, index: number): boolean {
  if (!isScalar(key)) return false;
  return key.value === 'sops' || (index === 0 && key.value === '\uFEFFsops');
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
    const pair = root?.items.find((p, i) => isSopsKey(p.key, i));
    const sops = asMap(pair?.value);
    if (!pair || !sops || getValue(sops, 'mac') === undefined) continue;
    if (!docs.some((d) => isHelmReleaseKind(d, lines))) return { encrypted: true, problems: [] };
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
