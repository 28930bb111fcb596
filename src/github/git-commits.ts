/**
 * Commits through the Git Data API: blobs, a tree on the base commit's tree, one commit on the
 * base, then the branch created or force-moved to it. No push credentials are needed, GitHub signs
 * the commits, and nothing is ever committed to the base branch.
 */
import type { BranchStatus } from './decide-pull-request.js';
import { call, fullName, isAlreadyExists, repoParams, type Repository } from './github-call.js';

/**
 * Commits the files on the base and points the branch at the commit: force-moves it when it
 * exists, creates it otherwise. When another run created the branch meanwhile, `inspectRaced`
 * says what it holds: someone else's commit is never overwritten, ours is taken over.
 */
export async function commitBranch(
  repository: Repository,
  commit: {
    branch: string;
    baseSha: string;
    message: string;
    files: ReadonlyMap<string, string>;
    /** The branch's current head, when it exists. */
    existingSha: string | undefined;
  },
  inspectRaced: () => Promise<BranchStatus>,
): Promise<string> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  const { branch, baseSha } = commit;
  const baseCommit = await call(`GET /repos/${name}/git/commits/${baseSha}`, () =>
    github.rest.git.getCommit({ ...params, commit_sha: baseSha }),
  );
  const tree: { path: string; mode: '100644' | '100755'; type: 'blob'; sha: string }[] = [];
  for (const [path, text] of commit.files) {
    const mode = await fileMode(repository, baseCommit.tree.sha, path);
    const blob = await call(`POST /repos/${name}/git/blobs`, () =>
      github.rest.git.createBlob({ ...params, content: text, encoding: 'utf-8' }),
    );
    tree.push({ path, mode, type: 'blob', sha: blob.sha });
  }
  const newTree = await call(`POST /repos/${name}/git/trees`, () =>
    github.rest.git.createTree({ ...params, base_tree: baseCommit.tree.sha, tree }),
  );
  const created = await call(`POST /repos/${name}/git/commits`, () =>
    github.rest.git.createCommit({
      ...params,
      message: commit.message,
      tree: newTree.sha,
      parents: [baseSha],
    }),
  );
  if (commit.existingSha !== undefined) {
    await forceRef(repository, branch, created.sha);
    return created.sha;
  }
  try {
    await call(`POST /repos/${name}/git/refs`, () =>
      github.rest.git.createRef({ ...params, ref: `refs/heads/${branch}`, sha: created.sha }),
    );
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    // Another run created the branch meanwhile. Take it over only if its head is ours too.
    const raced = await inspectRaced();
    if (raced === 'foreign') throw new Error(`branch ${branch} was created meanwhile by someone else`);
    if (raced !== 'current') await forceRef(repository, branch, created.sha);
  }
  return created.sha;
}

/**
 * The file's mode in a tree, so an edit keeps an executable bit. Walks one tree per directory
 * level instead of listing the whole tree recursively (large repositories get truncated lists).
 */
async function fileMode(repository: Repository, treeSha: string, path: string): Promise<'100644' | '100755'> {
  const { github } = repository;
  const parts = path.split('/');
  let sha = treeSha;
  for (const [i, part] of parts.entries()) {
    const tree = await call(`GET /repos/${fullName(repository)}/git/trees/${sha}`, () =>
      github.rest.git.getTree({ ...repoParams(repository), tree_sha: sha }),
    );
    const entry = tree.tree.find((e) => e.path === part);
    if (!entry?.sha) break;
    if (i === parts.length - 1) return entry.mode === '100755' ? '100755' : '100644';
    sha = entry.sha;
  }
  return '100644';
}

/** Points a branch at a commit, whatever it held. */
async function forceRef(repository: Repository, branch: string, sha: string): Promise<void> {
  await call(`PATCH /repos/${fullName(repository)}/git/refs/heads/${branch}`, () =>
    repository.github.rest.git.updateRef({
      ...repoParams(repository),
      ref: `heads/${branch}`,
      sha,
      force: true,
    }),
  );
}
