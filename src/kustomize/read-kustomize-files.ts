/**
 * Reads what {@link holdKustomizedReleases} needs through the workspace port: the kustomization
 * files (found by name in the listing, so no other file is opened or parsed), then the patch files
 * they name. A workspace without kustomizations, or a run without a release to hold, reads nothing.
 */
import type { WorkspacePort } from '../ports.js';
import type { KustomizeInput, PatchFileText } from './kustomize-holds.js';
import {
  findKustomizationFiles,
  MAX_KUSTOMIZATIONS,
  patchFilesToRead,
  readKustomizations,
  type UnreadKustomization,
} from './read-kustomizations.js';
import { groupedCount } from '../byte-count.js';

/**
 * The kustomizations and their patch files. `alreadyRead` holds the texts of kustomization files
 * the scan read anyway (those its `paths` select), which are not read again; `keep` is given each
 * text read here, which the holds keep until the plan is made (the scan counts them against its
 * bound, `scan/kept-text.ts`, and may stop the run).
 */
export async function readKustomizeFiles(
  listing: readonly string[],
  workspace: WorkspacePort,
  alreadyRead: ReadonlyMap<string, string>,
  keep: (file: string, text: string) => void,
): Promise<KustomizeInput> {
  const found = findKustomizationFiles(listing);
  // A workspace without kustomizations reads nothing and builds nothing (not even a set of its listing).
  if (found.length === 0)
    return { listing, kustomizations: new Map(), unread: new Map(), patchFiles: new Map() };
  const texts = new Map<string, string>();
  const unread = new Map<string, UnreadKustomization>();
  for (const [index, file] of found.entries()) {
    if (index >= MAX_KUSTOMIZATIONS) {
      unread.set(file, {
        why: `the run reads at most ${groupedCount(MAX_KUSTOMIZATIONS)} kustomization files`,
      });
      continue;
    }
    const known = alreadyRead.get(file);
    if (known !== undefined) {
      texts.set(file, known);
      continue;
    }
    const read = await workspace.readFile(file);
    if (read.ok) {
      keep(file, read.text);
      texts.set(file, read.text);
    } else unread.set(file, { why: read.reason });
  }
  const { kustomizations, invalid } = readKustomizations(texts);
  for (const [file, entry] of invalid) unread.set(file, entry);
  const patchFiles = new Map<string, PatchFileText>();
  for (const file of patchFilesToRead(kustomizations.values(), new Set(listing))) {
    const read = await workspace.readFile(file);
    if (read.ok) keep(file, read.text);
    patchFiles.set(file, read);
  }
  const links = workspace.links?.();
  const unlisted = workspace.unlisted?.();
  return {
    listing,
    ...(links && links.size > 0 ? { links } : {}),
    ...(unlisted && unlisted.size > 0 ? { unlisted } : {}),
    kustomizations,
    unread,
    patchFiles,
  };
}
