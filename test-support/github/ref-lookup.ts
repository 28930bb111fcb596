/**
 * How the stand-in finds what a ref names, as GitHub's endpoints do: the contents and trees APIs
 * take a branch, tag, `heads/x` or SHA; the refs API takes only real refs, the compare API real refs
 * or full commit SHAs; a new ref's name must be one git accepts.
 */
import { HttpError } from './routing.js';
import type { RepoState } from './stand-in-state.js';

/** Resolves a ref as the contents/trees APIs take it (branch, tag, `heads/x`, SHA). */
export async function resolveCommitish(repo: RepoState, ref: string | undefined): Promise<string> {
  const name = ref ?? repo.defaultBranch;
  for (const candidate of [`refs/heads/${name}`, `refs/tags/${name}`, `refs/${name}`, name]) {
    const sha = await repo.store.resolveRef(candidate);
    if (sha) return sha;
  }
  throw new HttpError(404, `No commit found for the ref ${name}`);
}

/** The SHA a full ref name (`refs/heads/x`) points at, or undefined when there is no such ref. */
export async function fullRefSha(repo: RepoState, ref: string): Promise<string | undefined> {
  const sha = await repo.store.resolveRef(ref);
  // rev-parse also resolves SHAs and abbreviations; only real refs count here.
  if (!sha) return undefined;
  const refs = await repo.store.listRefs(ref);
  return refs.some((r) => r.ref === ref) ? sha : undefined;
}

/** Whether git accepts `ref` as a ref name (`git check-ref-format`). */
export async function validRef(repo: RepoState, ref: string): Promise<boolean> {
  try {
    await repo.store.git(['check-ref-format', ref]);
    return true;
  } catch {
    return false;
  }
}
