/**
 * The CLI run without `--dir` from a subfolder of a Git checkout. A run reads its whole workspace
 * for what holds a release back (a kustomization, a Kustomize patch, a `.flux.yaml`), so from a
 * subfolder it would miss the holds of the files above it, and propose (with `--write`, make) the
 * update a run from the checkout's root holds back. The CLI stops instead, and says how to run it:
 * from the root (with `--paths` for the subfolder), or with `--dir .` for the folder alone, a choice
 * the user then makes. `explain` finds the root itself (cli-explain.ts).
 */
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/** True when `folder` holds `.git` (a folder, or a worktree's or submodule's file). */
function holdsGit(folder: string): Promise<boolean> {
  return stat(join(folder, '.git')).then(
    () => true,
    () => false,
  );
}

/** `folder` or the nearest folder above it holding `.git`: the checkout it is in, if any. */
export async function checkoutOf(folder: string): Promise<string | undefined> {
  for (let dir = folder; ; dir = dirname(dir)) {
    if (await holdsGit(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The nearest folder above `dir` holding `.git`, when `dir` itself holds none. */
export async function checkoutAbove(dir: string): Promise<string | undefined> {
  const root = await checkoutOf(dir);
  return root === dir ? undefined : root;
}

/** Why a run from `dir`, below the checkout at `root`, is refused, and how to run it. */
export function subfolderRefusal(dir: string, root: string): string {
  const below = relative(root, dir).split(sep).join('/');
  return (
    `the current folder is inside the Git checkout ${root}, whose other files can hold its HelmReleases ` +
    'back (a kustomization, a Kustomize patch, a .flux.yaml), and a run from here would not read them: ' +
    `run from ${root} (--paths '${below}/**' checks only this folder), or give --dir . to scan this ` +
    'folder alone'
  );
}
