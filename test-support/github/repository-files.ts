/**
 * The git work behind the stand-in's helpers that change or read files (`commitFiles`,
 * `mergePullRequest`, `readFiles`, `diff` in `stand-in.ts`): committing a set of files onto a
 * branch, merging a pull request's head into its base, reading every file at a ref, and which files
 * differ between two such readings.
 */
import type { GitStore, Person } from './git-store.js';

/**
 * Commits `files` onto `branch` (`null` deletes a file), starting the branch from `defaultBranch`
 * when it is missing; the new commit's SHA. `nextDate` dates the commit, but an author's own `date`
 * is kept; the committer is the author unless given (an amend keeps the author, name and date).
 */
export async function commitFilesOnto(
  store: GitStore,
  defaultBranch: string,
  branch: string,
  files: Record<string, string | Uint8Array | null>,
  options: { message?: string; author?: Person; committer?: Person },
  nextDate: () => string,
): Promise<string> {
  const parent =
    (await store.resolveRef(`refs/heads/${branch}`)) ??
    (await store.resolveRef(`refs/heads/${defaultBranch}`));
  const flat = parent ? await store.flattenTree((await store.readCommit(parent)).tree) : new Map();
  for (const [path, content] of Object.entries(files)) {
    if (content === null) flat.delete(path);
    else
      flat.set(path, {
        mode: '100644',
        type: 'blob',
        sha: await store.writeBlob(
          typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content),
        ),
      });
  }
  const tree = await store.buildTree(flat);
  const date = nextDate();
  const author = { date, ...(options.author ?? { name: 'Someone Else', email: 'someone@example.com' }) };
  const committer = options.committer ? { date, ...options.committer } : author;
  const sha = await store.writeCommit(
    tree,
    parent ? [parent] : [],
    options.message ?? 'Change files',
    author,
    committer,
  );
  await store.updateRef(`refs/heads/${branch}`, sha);
  return sha;
}

/**
 * Merges pull request `number`'s `head` branch into its `base` branch with a merge commit, as the
 * merge button does: the merge commit's SHA and the head's. `nextDate` dates the commit.
 */
export async function mergePullRequestBranches(
  store: GitStore,
  base: string,
  head: string,
  number: number,
  nextDate: () => string,
): Promise<{ sha: string; headSha: string }> {
  const baseSha = await store.resolveRef(`refs/heads/${base}`);
  const headSha = await store.resolveRef(`refs/heads/${head}`);
  if (!baseSha || !headSha) throw new Error('base or head branch is missing');
  const tree = await store.mergeTrees(baseSha, headSha);
  if (!tree) throw new Error(`pull request #${number} has conflicts`);
  const sha = await store.writeCommit(tree, [baseSha, headSha], `Merge pull request #${number}`, {
    name: 'Owner',
    email: 'owner@example.com',
    date: nextDate(),
  });
  await store.updateRef(`refs/heads/${base}`, sha);
  return { sha, headSha };
}

/** Every file at a ref (branch name or SHA), as text. */
export async function readFilesAt(store: GitStore, ref: string): Promise<Record<string, string>> {
  const sha = (await store.resolveRef(`refs/heads/${ref}`)) ?? ref;
  const files: Record<string, string> = {};
  for (const [path, entry] of await store.flattenTree((await store.readCommit(sha)).tree)) {
    files[path] = (await store.readBlob(entry.sha)).toString('utf8');
  }
  return files;
}

/** The files that differ between two readings: path to `{ before, after }` (undefined when absent). */
export function changedFiles(
  before: Record<string, string>,
  after: Record<string, string>,
): Record<string, { before: string | undefined; after: string | undefined }> {
  const changes: Record<string, { before: string | undefined; after: string | undefined }> = {};
  for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[path] !== after[path]) changes[path] = { before: before[path], after: after[path] };
  }
  return changes;
}
