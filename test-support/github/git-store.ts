/**
 * A bare git repository driven through the git CLI: the stand-in's blobs, trees, commits and refs
 * are real git objects, so tests can assert on real trees and diffs.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/** A failed git command (the stand-in turns these into 404/422 answers). */
export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/** One entry of a tree, as GitHub's API shows it. */
export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

/** A parsed commit object. */
export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

/** A person as GitHub's commit API takes it. */
export interface Person {
  name: string;
  email: string;
  date?: string;
}

const DEFAULT_PERSON: Person = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

/** A bare repository on disk. */
export class GitStore {
  // Git objects never change, so what was read once is kept (git spawns dominate the stand-in's time).
  private readonly types = new Map<string, string>();
  private readonly commits = new Map<string, CommitObject>();
  private readonly trees = new Map<string, TreeEntry[]>();

  private constructor(readonly dir: string) {}

  /** Creates an empty bare repository. */
  static async init(dir: string): Promise<GitStore> {
    await mkdir(dir, { recursive: true });
    const store = new GitStore(dir);
    await store.git(['init', '--bare', '--quiet', '--initial-branch=main']);
    return store;
  }

  /** Runs git in the repository; rejects with {@link GitCommandError} on a non-zero exit. */
  git(args: string[], input?: Buffer | string, env: Record<string, string> = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: this.dir,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GIT_DIR: this.dir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          ...env,
        },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (d: Buffer) => out.push(d));
      child.stderr!.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new GitCommandError(`git ${args.join(' ')} failed: ${stderr.trim()}`, stderr));
      });
      if (child.stdin) {
        // git may exit before reading everything; the exit code tells what happened.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
      }
    });
  }

  /** Writes a blob and returns its SHA. */
  async writeBlob(content: Buffer): Promise<string> {
    return (await this.git(['hash-object', '-w', '--stdin'], content)).toString().trim();
  }

  /** The type of an object, or undefined when it does not exist. */
  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return undefined;
    const known = this.types.get(sha);
    if (known) return known;
    try {
      const type = (await this.git(['cat-file', '-t', sha])).toString().trim();
      this.types.set(sha, type);
      return type;
    } catch {
      return undefined;
    }
  }

  /** Reads a blob's bytes. */
  async readBlob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha]);
  }

  /** Lists a tree (recursively when asked, trees included). */
  async listTree(sha: string, recursive = false): Promise<TreeEntry[]> {
    const key = `${sha}${recursive ? ' -r' : ''}`;
    const known = this.trees.get(key);
    if (known) return known;
    const args = ['ls-tree', '-z', '-l'];
    if (recursive) args.push('-r', '-t');
    const out = (await this.git([...args, sha])).toString('utf8');
    const entries = out
      .split('\0')
      .filter((line) => line !== '')
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, objectSha, size] = line.slice(0, tab).split(/\s+/);
        const entry: TreeEntry = {
          path: line.slice(tab + 1),
          mode,
          type: type as TreeEntry['type'],
          sha: objectSha,
        };
        if (type === 'blob') entry.size = Number(size);
        return entry;
      });
    this.trees.set(key, entries);
    return entries;
  }

  /** Writes one tree level from entries whose paths have no `/`. */
  async makeTree(entries: readonly TreeEntry[]): Promise<string> {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`).join('');
    return (await this.git(['mktree', '-z'], input)).toString().trim();
  }

  /**
   * Builds a tree from flat blob paths (`a/b/c.yaml`), creating the intermediate trees. An entry
   * with a null SHA deletes the path.
   */
  async buildTree(
    files: ReadonlyMap<string, { mode: string; type: TreeEntry['type']; sha: string }>,
  ): Promise<string> {
    interface Dir {
      entries: Map<string, TreeEntry>;
      dirs: Map<string, Dir>;
    }
    const root: Dir = { entries: new Map(), dirs: new Map() };
    for (const [path, entry] of files) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part);
        if (!next) {
          next = { entries: new Map(), dirs: new Map() };
          dir.dirs.set(part, next);
        }
        dir = next;
      }
      const name = parts[parts.length - 1];
      dir.entries.set(name, { path: name, ...entry });
    }
    const write = async (dir: Dir): Promise<string> => {
      const entries = [...dir.entries.values()];
      for (const [name, child] of dir.dirs) {
        entries.push({ path: name, mode: '040000', type: 'tree', sha: await write(child) });
      }
      return this.makeTree(entries);
    };
    return write(root);
  }

  /** Every blob (and submodule) of a tree, by full path. */
  async flattenTree(
    sha: string,
  ): Promise<Map<string, { mode: string; type: TreeEntry['type']; sha: string }>> {
    const map = new Map<string, { mode: string; type: TreeEntry['type']; sha: string }>();
    for (const entry of await this.listTree(sha, true)) {
      if (entry.type !== 'tree') map.set(entry.path, { mode: entry.mode, type: entry.type, sha: entry.sha });
    }
    return map;
  }

  /** Writes a commit. */
  async writeCommit(
    tree: string,
    parents: readonly string[],
    message: string,
    author: Person = DEFAULT_PERSON,
    committer: Person = author,
  ): Promise<string> {
    const args = ['commit-tree', tree];
    for (const parent of parents) args.push('-p', parent);
    const env: Record<string, string> = {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
    };
    if (author.date) env.GIT_AUTHOR_DATE = author.date;
    if (committer.date) env.GIT_COMMITTER_DATE = committer.date;
    return (await this.git(args, message, env)).toString().trim();
  }

  /** Reads a commit. */
  async readCommit(sha: string): Promise<CommitObject> {
    const known = this.commits.get(sha);
    if (known) return known;
    const text = (await this.git(['cat-file', 'commit', sha])).toString('utf8');
    const split = text.indexOf('\n\n');
    const headers = text.slice(0, split).split('\n');
    const message = text.slice(split + 2);
    const person = (line: string): CommitObject['author'] => {
      const m = /^\S+ (.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
      if (!m) return { name: '', email: '', date: new Date(0).toISOString() };
      return {
        name: m[1],
        email: m[2],
        date: new Date(Number(m[3]) * 1000).toISOString().replace('.000', ''),
      };
    };
    const commit: CommitObject = {
      sha,
      tree: headers.find((h) => h.startsWith('tree '))!.slice(5),
      parents: headers.filter((h) => h.startsWith('parent ')).map((h) => h.slice(7)),
      author: person(headers.find((h) => h.startsWith('author '))!),
      committer: person(headers.find((h) => h.startsWith('committer '))!),
      message,
    };
    this.commits.set(sha, commit);
    return commit;
  }

  /** The SHA a full ref (`refs/heads/main`) points at, or undefined. */
  async resolveRef(ref: string): Promise<string | undefined> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString().trim();
    } catch {
      return undefined;
    }
  }

  /** Every ref under a prefix (`refs/heads/`), with its SHA. */
  async listRefs(prefix: string): Promise<{ ref: string; sha: string }[]> {
    const out = (await this.git(['for-each-ref', '--format=%(refname) %(objectname)', prefix])).toString(
      'utf8',
    );
    return out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [ref, sha] = l.split(' ');
        return { ref, sha };
      });
  }

  /** Points a ref at a SHA. */
  async updateRef(ref: string, sha: string): Promise<void> {
    await this.git(['update-ref', ref, sha]);
  }

  /** Deletes a ref. */
  async deleteRef(ref: string): Promise<void> {
    await this.git(['update-ref', '-d', ref]);
  }

  /** True when `ancestor` is an ancestor of (or equal to) `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  /** Three-way merges two commits' trees (git merge-tree); undefined on conflicts. */
  async mergeTrees(base: string, head: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-tree', '--write-tree', base, head])).toString().split('\n')[0].trim();
    } catch {
      return undefined;
    }
  }

  /** The best common ancestor of two commits; undefined when they share none. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-base', a, b])).toString().trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The files that differ between two commits' trees, renames detected as GitHub detects them
   * (`git diff-tree -M`): each with its status letter, path, path before a rename, and blob ids.
   */
  async diffTrees(
    from: string,
    to: string,
  ): Promise<{ status: string; path: string; previous?: string; fromSha: string; toSha: string }[]> {
    const fields = (await this.git(['diff-tree', '-r', '-z', '-M', '--raw', from, to]))
      .toString('utf8')
      .split('\0');
    const changes = [];
    for (let i = 0; i < fields.length - 1;) {
      const [, , fromSha, toSha, status] = fields[i]!.slice(1).split(' ');
      const letter = status!.charAt(0);
      if (letter === 'R' || letter === 'C') {
        changes.push({
          status: letter,
          previous: fields[i + 1]!,
          path: fields[i + 2]!,
          fromSha: fromSha!,
          toSha: toSha!,
        });
        i += 3;
      } else {
        changes.push({ status: letter, path: fields[i + 1]!, fromSha: fromSha!, toSha: toSha! });
        i += 2;
      }
    }
    return changes;
  }

  /** Commits that `head` has and `base` does not (newest first). */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = (await this.git(['rev-list', `${base}..${head}`])).toString().trim();
    return out === '' ? [] : out.split('\n');
  }
}
