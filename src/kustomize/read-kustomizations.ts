/**
 * The kustomizations of a workspace as {@link holdKustomizedReleases} reads them: which files of
 * the listing are kustomizations, their texts read into kustomizations by folder (and those that
 * cannot be read but may narrow a release, with why), and the patch files they name. Pure; the
 * texts come through the workspace port (read-kustomize-files.ts).
 */
import {
  isKustomizationPath,
  KUSTOMIZATION_NAMES,
  readKustomization,
  type Kustomization,
} from './kustomization.js';
import { isRemote, resolvePath } from './kustomize-resources.js';
import { mayNarrow } from './patch-annotations.js';

/** How many kustomization files a run reads. */
export const MAX_KUSTOMIZATIONS = 20_000;
/** How many patch files a run reads. */
export const MAX_PATCH_FILES = 2_000;

/** The kustomization files of a workspace listing. */
export function findKustomizationFiles(listing: readonly string[]): string[] {
  return listing.filter(isKustomizationPath);
}

/**
 * The kustomizations read, by folder (the first of Kustomize's names when a folder has two), and
 * those that cannot be read but may narrow a release, with why: not valid YAML (`kustomize build`
 * fails on them, but their author meant what they say), or a field read through an alias.
 */
export function readKustomizations(texts: ReadonlyMap<string, string>): {
  kustomizations: Map<string, Kustomization>;
  invalid: Map<string, UnreadKustomization>;
} {
  const kustomizations = new Map<string, Kustomization>();
  const invalid = new Map<string, UnreadKustomization>();
  const order = (file: string) => KUSTOMIZATION_NAMES.findIndex((n) => file.endsWith(n));
  for (const file of [...texts.keys()].sort((a, b) => order(a) - order(b))) {
    const text = texts.get(file)!;
    const k = readKustomization(file, text);
    if (k === undefined) continue;
    if ('invalid' in k) {
      if (k.inPatch || mayNarrow(text))
        invalid.set(file, {
          why: k.invalid,
          paths: k.paths ?? listedPaths(text),
          ...(k.line ? { line: k.line } : {}),
          ...(k.fix ? { fix: k.fix } : {}),
        });
    } else if (!kustomizations.has(k.folder)) kustomizations.set(k.folder, k);
  }
  return { kustomizations, invalid };
}

/**
 * The list items of a text that could not be read, which may be the paths of its resources: block
 * items (`- ../base`) and the items of one-line flow lists (`resources: [../base, app.yaml]`).
 */
function listedPaths(text: string): string[] {
  const block = [...text.matchAll(/^[ \t]*-[ \t]+["']?([^\s"'#]+)["']?[ \t]*$/gm)].map((m) => m[1]);
  // Each match ends at the first bracket or line break after its `[`: linear in the text.
  const flow = [...text.matchAll(/\[([^[\]\n]*)\]/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((item) => item.trim().replace(/^(["'])(.*)\1$/, '$2'))
      .filter((item) => /^[^\s"'#{}:]+$/.test(item)),
  );
  return [...block, ...flow];
}

/** A kustomization file that could not be read, why, and the paths it seems to list. */
export interface UnreadKustomization {
  why: string;
  /**
   * The paths its text seems to list; undefined when none of its text was read (too large, not
   * UTF-8, over the count bound), so that what it builds may be anywhere in the workspace.
   */
  paths?: string[];
  /** The line of what made it unreadable, when that is known (else the error is at line 1). */
  line?: number;
  /** How to make it readable, when that is more than "it can be read". */
  fix?: string;
}

/** The patch files the kustomizations name that are in the workspace, at most {@link MAX_PATCH_FILES}. */
export function patchFilesToRead(
  kustomizations: Iterable<Kustomization>,
  files: ReadonlySet<string>,
): string[] {
  const paths = new Set<string>();
  for (const k of kustomizations) {
    for (const entry of k.patches) {
      if (entry.path === undefined || isRemote(entry.path)) continue;
      const path = resolvePath(k.folder, entry.path);
      if (path !== undefined && files.has(path)) paths.add(path);
    }
  }
  return [...paths].slice(0, MAX_PATCH_FILES);
}
