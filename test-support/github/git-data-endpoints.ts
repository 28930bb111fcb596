/**
 * The stand-in's Git Data API: refs (read, list by prefix, create, move, delete), blobs, trees and
 * commits, each a real git object in the repository's `GitStore`. Answering like GitHub where the
 * writer depends on it:
 *
 * - 422 "Reference already exists" and "Update is not a fast forward" (unless `force`);
 * - 422 "Reference does not exist" on moving or deleting a missing ref, "Object does not exist"
 *   for a SHA that is not a commit;
 * - deleting a branch closes the open pull requests whose head it is;
 * - a token without the `workflows` permission may not move a branch over a change to a file under
 *   `.github/workflows` (422 "refusing to allow a GitHub App to create or update workflow …"), even
 *   a change the base made, as GitHub refuses rebased branches;
 * - a tree entry takes `sha` or `content`, never both; `sha: null` deletes the path.
 */
import type { Person, TreeEntry } from './git-store.js';
import { fullRefSha, resolveCommitish, validRef } from './ref-lookup.js';
import { changedFiles, readFilesAt } from './repository-files.js';
import { wrapBase64 } from './rest-json.js';
import { asString, HttpError, NOT_FOUND, type EndpointHost } from './routing.js';

/** Registers the Git Data routes on the stand-in. */
export function defineGitDataRoutes(host: EndpointHost): void {
  const R = '/repos/{owner}/{repo}';

  // ---- refs
  host.route('GET', `${R}/git/ref/{ref}`, ['contents', 'read'], async ({ repo, params }) => {
    const ref = `refs/${params.ref}`;
    const sha = await fullRefSha(repo, ref);
    if (!sha) throw NOT_FOUND();
    return { status: 200, body: host.json.refJson(repo, ref, sha) };
  });
  host.route('GET', `${R}/git/matching-refs/{ref}`, ['contents', 'read'], async ({ repo, params }) => {
    const prefix = `refs/${params.ref}`;
    const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const refs = (await repo.store.listRefs(dir)).filter((r) => r.ref.startsWith(prefix));
    return { status: 200, body: refs.map((r) => host.json.refJson(repo, r.ref, r.sha)) };
  });
  host.route('POST', `${R}/git/refs`, ['contents', 'write'], async ({ repo, body }) => {
    const ref = asString(body.ref);
    const sha = asString(body.sha);
    if (!/^refs\/[^/]+\/.+/.test(ref) || !(await validRef(repo, ref))) {
      throw new HttpError(422, `${ref} is not a valid ref name.`);
    }
    // GitHub's limit on every ref ("GH005: Sorry, refs longer than 255 bytes are not allowed.").
    if (Buffer.byteLength(ref) > 255) {
      throw new HttpError(422, `${ref} is not a valid ref name: refs longer than 255 bytes are not allowed.`);
    }
    if (await repo.store.resolveRef(ref)) throw new HttpError(422, 'Reference already exists');
    if ((await repo.store.objectType(sha)) !== 'commit') throw new HttpError(422, 'Object does not exist');
    await repo.store.updateRef(ref, sha);
    return { status: 201, body: host.json.refJson(repo, ref, sha) };
  });
  host.route(
    'PATCH',
    `${R}/git/refs/{ref}`,
    ['contents', 'write'],
    async ({ repo, params, body, mayWriteWorkflows }) => {
      const ref = `refs/${params.ref}`;
      const current = await fullRefSha(repo, ref);
      if (!current) throw new HttpError(422, 'Reference does not exist');
      const sha = asString(body.sha);
      if ((await repo.store.objectType(sha)) !== 'commit') throw new HttpError(422, 'Object does not exist');
      if (body.force !== true && !(await repo.store.isAncestor(current, sha))) {
        throw new HttpError(422, 'Update is not a fast forward');
      }
      if (!mayWriteWorkflows) {
        const changed = changedFiles(
          await readFilesAt(repo.store, current),
          await readFilesAt(repo.store, sha),
        );
        const workflow = Object.keys(changed).find((path) => path.startsWith('.github/workflows/'));
        if (workflow) {
          throw new HttpError(
            422,
            `refusing to allow a GitHub App to create or update workflow \`${workflow}\` without \`workflows\` permission`,
          );
        }
      }
      await repo.store.updateRef(ref, sha);
      return { status: 200, body: host.json.refJson(repo, ref, sha) };
    },
  );
  host.route('DELETE', `${R}/git/refs/{ref}`, ['contents', 'write'], async ({ repo, params }) => {
    const ref = `refs/${params.ref}`;
    const sha = await fullRefSha(repo, ref);
    if (!sha) throw new HttpError(422, 'Reference does not exist');
    await repo.store.deleteRef(ref);
    // GitHub closes the open pull requests of a deleted head branch.
    for (const pull of repo.pulls) {
      if (pull.state === 'open' && `refs/heads/${pull.head}` === ref) {
        pull.state = 'closed';
        pull.closedHeadSha = sha;
      }
    }
    return { status: 204 };
  });

  // ---- blobs, trees, commits
  host.route('POST', `${R}/git/blobs`, ['contents', 'write'], async ({ repo, body }) => {
    const encoding = body.encoding === 'base64' ? 'base64' : 'utf8';
    const sha = await repo.store.writeBlob(Buffer.from(asString(body.content), encoding));
    return { status: 201, body: { sha, url: host.apiUrl(repo, `/git/blobs/${sha}`) } };
  });
  host.route('GET', `${R}/git/blobs/{file_sha}`, ['contents', 'read'], async ({ repo, params }) => {
    if ((await repo.store.objectType(params.file_sha)) !== 'blob') throw NOT_FOUND();
    const content = await repo.store.readBlob(params.file_sha);
    return {
      status: 200,
      body: {
        sha: params.file_sha,
        node_id: `B_${params.file_sha}`,
        size: content.length,
        url: host.apiUrl(repo, `/git/blobs/${params.file_sha}`),
        content: wrapBase64(content),
        encoding: 'base64',
      },
    };
  });
  host.route('POST', `${R}/git/trees`, ['contents', 'write'], async ({ repo, body }) => {
    const store = repo.store;
    let flat = new Map<string, { mode: string; type: TreeEntry['type']; sha: string }>();
    if (body.base_tree !== undefined) {
      const base = asString(body.base_tree);
      if ((await store.objectType(base)) !== 'tree')
        throw new HttpError(422, 'base_tree is not a valid tree oid');
      flat = await store.flattenTree(base);
    }
    const entries = (body.tree ?? []) as {
      path: string;
      mode: string;
      type: string;
      sha?: string | null;
      content?: string;
    }[];
    for (const entry of entries) {
      if (entry.sha !== undefined && entry.content !== undefined) {
        throw new HttpError(422, 'Must supply either tree.sha or tree.content, not both');
      }
      if (entry.type === 'tree') throw new HttpError(422, 'The stand-in only takes blob entries');
      if (entry.content !== undefined) {
        flat.set(entry.path, {
          mode: entry.mode,
          type: 'blob',
          sha: await store.writeBlob(Buffer.from(entry.content, 'utf8')),
        });
      } else if (entry.sha === null) {
        flat.delete(entry.path);
      } else {
        const type = await store.objectType(entry.sha ?? '');
        if (type !== entry.type)
          throw new HttpError(422, 'GitRPC::BadObjectState', [{ message: 'Invalid tree info' }]);
        flat.set(entry.path, { mode: entry.mode, type: entry.type as TreeEntry['type'], sha: entry.sha! });
      }
    }
    const sha = await store.buildTree(flat);
    return { status: 201, body: await host.json.treeJson(repo, sha, false) };
  });
  host.route('GET', `${R}/git/trees/{tree_sha}`, ['contents', 'read'], async ({ repo, params, query }) => {
    let sha = params.tree_sha;
    const type = await repo.store.objectType(sha);
    if (type === 'commit') sha = (await repo.store.readCommit(sha)).tree;
    else if (type !== 'tree') {
      const commit = await resolveCommitish(repo, sha).catch(() => {
        throw NOT_FOUND();
      });
      sha = (await repo.store.readCommit(commit)).tree;
    }
    return { status: 200, body: await host.json.treeJson(repo, sha, query.recursive !== undefined) };
  });
  host.route('POST', `${R}/git/commits`, ['contents', 'write'], async ({ repo, body }) => {
    const tree = asString(body.tree);
    if ((await repo.store.objectType(tree)) !== 'tree') throw new HttpError(422, 'Tree SHA does not exist');
    const parents = (body.parents ?? []) as string[];
    for (const parent of parents) {
      if ((await repo.store.objectType(parent)) !== 'commit') {
        throw new HttpError(422, 'Parent SHA does not exist or is not a commit object');
      }
    }
    const author = (body.author as Person | undefined) ?? undefined;
    const committer = (body.committer as Person | undefined) ?? author;
    const date = host.nextDate();
    const sha = await repo.store.writeCommit(
      tree,
      parents,
      asString(body.message),
      author ? { date, ...author } : undefined,
      committer ? { date, ...committer } : undefined,
    );
    return { status: 201, body: host.json.commitJson(repo, await repo.store.readCommit(sha)) };
  });
  host.route('GET', `${R}/git/commits/{commit_sha}`, ['contents', 'read'], async ({ repo, params }) => {
    if ((await repo.store.objectType(params.commit_sha)) !== 'commit') throw NOT_FOUND();
    return { status: 200, body: host.json.commitJson(repo, await repo.store.readCommit(params.commit_sha)) };
  });
}
