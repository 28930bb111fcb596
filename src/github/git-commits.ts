/**
 * Commits through the Git Data API: a tree on the base commit's tree (the files' texts inline),
 * one commit on the base, then the branch created or force-moved to it. No push credentials are needed, GitHub signs
 * the commits, and nothing is ever committed to the base branch.
 */
import type { BranchStatus } from './branch-status.js';
import { call, fullName, isAlreadyExists, isNotFound, repoParams, type Repository } from './github-call.js';

/**
 * The base commit's tree, read once per run and shared by every pull request's commit: its id and
 * the trees down to each edited file (for the file's mode). Commits and trees are immutable, so
 * what was read stays true when the base branch moves on during the run; the branches' commits
 * are made on the commit the run started from. A failed read is not kept: the next commit asks
 * again.
 */
export class BaseTree {
  private root: Promise<string> | undefined;
  private readonly trees = new Map<string, Promise<readonly TreeEntry[]>>();

  constructor(
    private readonly repository: Repository,
    /** The base commit the run started from. */
    readonly sha: string,
  ) {}

  /** The base commit's tree id. */
  treeSha(): Promise<string> {
    this.root ??= forgetOnFailure(
      call(`GET /repos/${fullName(this.repository)}/git/commits/${this.sha}`, () =>
        this.repository.github.rest.git.getCommit({ ...repoParams(this.repository), commit_sha: this.sha }),
      ).then((commit) => commit.tree.sha),
      () => (this.root = undefined),
    );
    return this.root;
  }

  /**
   * The file's mode in the base tree, so an edit keeps an executable bit. Walks one tree per
   * directory level instead of listing the whole tree recursively (large repositories get
   * truncated lists); each tree is read once per run.
   */
  async mode(path: string): Promise<'100644' | '100755'> {
    const parts = path.split('/');
    let sha = await this.treeSha();
    for (const [i, part] of parts.entries()) {
      const entry = (await this.tree(sha)).find((e) => e.path === part);
      if (!entry?.sha) break;
      if (i === parts.length - 1) return entry.mode === '100755' ? '100755' : '100644';
      sha = entry.sha;
    }
    return '100644';
  }

  private tree(sha: string): Promise<readonly TreeEntry[]> {
    let tree = this.trees.get(sha);
    if (!tree) {
      tree = forgetOnFailure(
        call(`GET /repos/${fullName(this.repository)}/git/trees/${sha}`, () =>
          this.repository.github.rest.git.getTree({ ...repoParams(this.repository), tree_sha: sha }),
        ).then((read) => read.tree),
        () => this.trees.delete(sha),
      );
      this.trees.set(sha, tree);
    }
    return tree;
  }
}

interface TreeEntry {
  path?: string;
  mode?: string;
  sha?: string;
}

/** `promise`, calling `forget` when it rejects (so a memoised failure is asked again). */
function forgetOnFailure<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

/**
 * Commits the files on the base and points the branch at the commit: force-moves it when it
 * exists, creates it otherwise. When the branch moved since it was read, or another run created it
 * meanwhile, `inspectRaced` says what it holds: someone else's commit is never overwritten, ours is
 * taken over. The files' texts go inline in the new tree (GitHub writes their blobs), so a commit
 * is three writes: tree, commit and ref.
 *
 * @returns `foreign` when the branch moved to someone else's commit since it was read, and was
 *   left alone; `written` when it holds the planned commit.
 */
export async function commitBranch(
  repository: Repository,
  commit: {
    branch: string;
    base: BaseTree;
    message: string;
    files: ReadonlyMap<string, string>;
    /** The branch's current head, when it exists. */
    existingSha: string | undefined;
  },
  inspectRaced: () => Promise<BranchStatus>,
): Promise<'written' | 'foreign'> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  const { branch, base } = commit;
  const tree: { path: string; mode: '100644' | '100755'; type: 'blob'; content: string }[] = [];
  for (const [path, text] of commit.files) {
    tree.push({ path, mode: await base.mode(path), type: 'blob', content: text });
  }
  const baseTree = await base.treeSha();
  const newTree = await call(`POST /repos/${name}/git/trees`, () =>
    github.rest.git.createTree({ ...params, base_tree: baseTree, tree }),
  );
  const created = await call(`POST /repos/${name}/git/commits`, () =>
    github.rest.git.createCommit({
      ...params,
      message: commit.message,
      tree: newTree.sha,
      parents: [base.sha],
    }),
  );
  if (commit.existingSha !== undefined) {
    // The branch was read when the run started, maybe minutes ago (writes are spaced), and a person
    // may have pushed since. REST moves a ref with no expected old value (GraphQL's `updateRefs`
    // takes one, but older GitHub Enterprise Server lacks it), so the ref is read again right before
    // it is forced. This narrows the window to the one request between the read and the write; it
    // is not a compare-and-swap. Only a rebuild pays the read.
    const now = await readRefSha(repository, branch);
    if (now === commit.existingSha) {
      await forceRef(repository, branch, created.sha);
      return 'written';
    }
    if (now !== undefined) {
      const moved = await inspectRaced();
      if (moved === 'foreign') return 'foreign';
      if (moved !== 'current') await forceRef(repository, branch, created.sha);
      return 'written';
    }
    // Deleted meanwhile: created again.
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
  return 'written';
}

/** The commit a branch points at, or undefined when it does not exist. */
async function readRefSha(repository: Repository, branch: string): Promise<string | undefined> {
  try {
    const ref = await call(`GET /repos/${fullName(repository)}/git/ref/heads/${branch}`, () =>
      repository.github.rest.git.getRef({ ...repoParams(repository), ref: `heads/${branch}` }),
    );
    return ref.object.sha;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
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
