/**
 * The files a kustomization builds: its `resources` (files, and folders through their own
 * kustomizations, transitively) and its components' resources, each with the names Kustomize
 * gives what it builds on the way (`namePrefix`, `nameSuffix`, `namespace` at every level). Paths
 * are relative to the kustomization's folder, `../` allowed, never leaving the workspace, and read
 * through the workspace's links, as Kustomize follows them. Pure and bounded: a walk that meets a
 * bound says so and then counts every file of the workspace as reached, failing safe (what it
 * builds past the bound may be anywhere: counting only the files under its folder lost a lock
 * reached through `../../apps/base` past the bound, silently). A path that names nothing is no
 * bound: Kustomize cannot build the kustomization, Flux keeps what it applied last, and that is at
 * most what its other paths reach (holding every release of the workspace for one broken overlay
 * blocked every update of the repository).
 * A kustomization reached again with the same renames adds nothing and is not walked again, so a
 * diamond (two overlays of one base, twenty levels of them) costs its size, not its paths.
 *
 *   clusters/prod/kustomization.yaml   resources: [../../apps/base], namePrefix: prod-
 *   apps/base/kustomization.yaml       resources: [app.yaml]
 *     -> apps/base/app.yaml, its releases also named prod-<name>
 */
import type { Kustomization } from './kustomization.js';
import { throughLinks, type Links } from './linked-paths.js';
import { groupedCount } from '../byte-count.js';

/** How Kustomize renames what one kustomization builds. */
export interface Rename {
  prefix: string;
  suffix: string;
  namespace?: string;
}

/** A file a kustomization builds, with the renames applied on the way, innermost first. */
export interface ReachedFile {
  file: string;
  renames: Rename[];
}

/** What a kustomization builds, and why that may be more than it builds (the walk's limits). */
export interface Reach {
  files: ReachedFile[];
  /** Set when a bound stopped the walk: every file of the workspace was counted. */
  bounded?: string;
  /** The first path (and the file naming it) that names nothing in the repository, if one does. */
  namesNothing?: { path: string; file: string };
  /**
   * The first path (and the file naming it) under a folder the workspace listing could not enter:
   * not known to be missing, and what it builds there may reach any file of the workspace (a
   * kustomization there may name `../../apps`), so every file of the workspace was counted.
   */
  unlisted?: { path: string; file: string } & UnlistedFolder;
}

/** A folder the workspace listing could not enter, and why (`permission denied`). */
export interface UnlistedFolder {
  folder: string;
  why: string;
}

/**
 * The folder the listing could not enter that `path` (workspace-relative) is, or is under, when
 * there is one: the listing knows nothing under it, so a path there is no typo.
 */
export function unlistedFolderOf(
  path: string,
  unlisted: ReadonlyMap<string, string> | undefined,
): UnlistedFolder | undefined {
  if (unlisted === undefined || unlisted.size === 0) return undefined;
  for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
    const folder = path.slice(0, end);
    const why = unlisted.get(folder);
    if (why !== undefined) return { folder, why };
  }
  return undefined;
}

/** How deep kustomizations may include kustomizations. */
export const MAX_DEPTH = 20;
/** How many resources one walk visits. */
export const MAX_VISITS = 10_000;
/** How many resources the walks of a run visit together. */
export const MAX_RUN_VISITS = 1_000_000;

/** The workspace as the walk sees it. */
export interface Workspace {
  /** Every file of the workspace. */
  files: ReadonlySet<string>;
  /** Every folder of the workspace that holds a file (at any depth). */
  folders: ReadonlySet<string>;
  /** The workspace's links (which the listing does not enter), with their targets. */
  links: Links;
  /** The folders the listing could not enter, with why. */
  unlisted?: ReadonlyMap<string, string>;
  /** The files that may be held (the scanned ones with releases) under a folder ('' for all). */
  candidatesUnder: (folder: string) => readonly string[];
  /** The kustomization of each folder that has one. */
  kustomizations: ReadonlyMap<string, Kustomization>;
  /** The resources the run's walks have visited so far (each walk adds its own). */
  visited: { count: number };
}

/** True for a path Kustomize fetches from elsewhere (a git repository, a URL). */
export function isRemote(path: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ||
    path.startsWith('git@') ||
    /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(path) ||
    path.includes('?ref=')
  );
}

/**
 * `path` relative to `folder`, normalised (`a/./b/../c` is `a/c`), or undefined when it is absolute
 * or leaves the workspace.
 */
export function resolvePath(folder: string, path: string): string | undefined {
  if (path.startsWith('/')) return undefined;
  const parts: string[] = folder === '' ? [] : folder.split('/');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** The folder's kustomization, when it has one. */
export function kustomizationOf(folder: string, workspace: Workspace): Kustomization | undefined {
  return workspace.kustomizations.get(folder);
}

/** The renames of a kustomization. */
function renameOf(k: Kustomization): Rename {
  return { prefix: k.namePrefix, suffix: k.nameSuffix, ...(k.namespace ? { namespace: k.namespace } : {}) };
}

/**
 * The files `root` builds (through its resources and components). A path that names nothing in the
 * workspace, even through its links, builds nothing and is kept in {@link Reach.namesNothing}; one
 * through a link leading out of the workspace builds nothing here. One under a folder the listing
 * could not enter is kept in {@link Reach.unlisted}, and every file of the workspace is counted.
 */
export function reachedFiles(root: Kustomization, workspace: Workspace): Reach {
  const files: ReachedFile[] = [];
  let visits = 0;
  let bounded: string | undefined;
  let namesNothing: Reach['namesNothing'];
  let unlisted: Reach['unlisted'];
  const active = new Set<string>();
  // Each kustomization with the renames it was walked with (a diamond reaches it again).
  const walked = new Set<string>();
  const visit = (k: Kustomization, chain: Rename[], depth: number): void => {
    // A kustomization that includes itself: Kustomize refuses it; the files are reached already.
    if (active.has(k.file) || bounded !== undefined) return;
    if (depth > MAX_DEPTH) {
      bounded = `kustomizations include each other more than ${MAX_DEPTH} deep`;
      return;
    }
    const walk = `${k.file}\0${JSON.stringify(chain)}`;
    if (walked.has(walk)) return;
    walked.add(walk);
    active.add(k.file);
    for (const entry of [...k.resources, ...k.components]) {
      if (++visits > MAX_VISITS) {
        bounded = `it reaches more than ${groupedCount(MAX_VISITS)} resources`;
        break;
      }
      if (++workspace.visited.count > MAX_RUN_VISITS) {
        bounded = `the run's kustomizations reach more than ${groupedCount(MAX_RUN_VISITS)} resources together`;
        break;
      }
      if (isRemote(entry.path)) continue; // Not in this workspace, so nothing here to hold.
      const resolved = resolvePath(k.folder, entry.path);
      if (resolved === undefined) continue;
      // A listed path is a real one (the listing enters no link): only the others go through links.
      const listed = workspace.files.has(resolved) || workspace.folders.has(resolved);
      const through = listed ? { path: resolved } : throughLinks(resolved, workspace.links);
      if ('outside' in through) continue; // Out of the workspace, so nothing here to hold.
      const path = 'path' in through ? through.path : '';
      if ('path' in through && workspace.files.has(path)) {
        files.push({ file: path, renames: chain });
        continue;
      }
      const inner = 'path' in through ? kustomizationOf(path, workspace) : undefined;
      if (inner) {
        visit(inner, [renameOf(inner), ...chain], depth + 1);
        continue;
      }
      if (!('path' in through) || !workspace.folders.has(path)) {
        // In a folder the listing could not enter: not missing, and not known.
        const folder =
          unlistedFolderOf(resolved, workspace.unlisted) ?? unlistedFolderOf(path, workspace.unlisted);
        if (folder !== undefined) {
          unlisted ??= { path: entry.path, file: k.file, ...folder };
          continue;
        }
        // Links past the bound, a typo, a folder the checkout lacks: Kustomize fails on it.
        namesNothing ??= { path: entry.path, file: k.file };
        continue;
      }
      // A folder without a kustomization (Kustomize fails on it) or one not read: all under it.
      for (const file of workspace.candidatesUnder(path)) files.push({ file, renames: chain });
    }
    active.delete(k.file);
  };
  visit(root, [renameOf(root)], 0);
  if (bounded !== undefined || unlisted !== undefined) {
    for (const file of workspace.candidatesUnder('')) files.push({ file, renames: [renameOf(root)] });
  }
  return {
    files,
    ...(bounded !== undefined ? { bounded } : {}),
    ...(namesNothing !== undefined ? { namesNothing } : {}),
    ...(unlisted !== undefined ? { unlisted } : {}),
  };
}

/** Every name a release of `name` has on the way through `renames` (its own first). */
export function namesOnTheWay(name: string, renames: readonly Rename[]): string[] {
  const names = [name];
  let current = name;
  for (const r of renames) {
    current = `${r.prefix}${current}${r.suffix}`;
    names.push(current);
  }
  return names;
}

/** Every namespace a release of `namespace` has on the way through `renames`. */
export function namespacesOnTheWay(namespace: string | undefined, renames: readonly Rename[]): string[] {
  const namespaces = namespace === undefined ? [] : [namespace];
  for (const r of renames) if (r.namespace !== undefined) namespaces.push(r.namespace);
  return namespaces;
}

/** Every folder that holds one of `files`, at any depth ('' for the root). */
export function foldersOf(files: readonly string[]): Set<string> {
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash !== -1; slash = file.lastIndexOf('/', slash - 1)) {
      const folder = file.slice(0, slash);
      if (folders.has(folder)) break; // Its parents are in already.
      folders.add(folder);
    }
  }
  return folders;
}

/**
 * The files under each folder, looked up by folder ('' for all) in the time of the answer: a
 * workspace with thousands of kustomizations asks once for each.
 */
export function indexByFolder(files: readonly string[]): (folder: string) => readonly string[] {
  const byFolder = new Map<string, string[]>([['', [...files]]]);
  for (const file of files) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      const folder = file.slice(0, slash);
      const list = byFolder.get(folder);
      if (list) list.push(file);
      else byFolder.set(folder, [file]);
    }
  }
  return (folder) => byFolder.get(folder) ?? [];
}
