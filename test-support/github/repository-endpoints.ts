/**
 * The stand-in's reads of a repository outside the Git Data API: the repository itself, a file's or
 * directory's contents at a ref, the comparison of two refs and the releases. Answering like GitHub
 * where the writer depends on it:
 *
 * - contents come base64-encoded with a newline every 60 characters, and a file over 1 MB with no
 *   content and `encoding: none` (https://docs.github.com/rest/repos/contents#get-repository-content);
 *   a directory lists its children;
 * - comparing two commits answers 404 "Not Found" when either side is not a tag, a branch or a
 *   commit's full SHA; its files are those between the merge base and the head, at most 300;
 * - releases are listed newest first, paginated with a `link` header for the next page.
 */
import type { TreeEntry } from './git-store.js';
import { fullRefSha, resolveCommitish } from './ref-lookup.js';
import { wrapBase64 } from './rest-json.js';
import { HttpError, NOT_FOUND, type EndpointHost } from './routing.js';

/** The largest file the contents API sends the content of (1 MB). */
const CONTENTS_MAX_BYTES = 1024 * 1024;

/** Registers the repository, contents, compare and releases routes on the stand-in. */
export function defineRepositoryRoutes(host: EndpointHost): void {
  const R = '/repos/{owner}/{repo}';

  host.route('GET', R, ['contents', 'read'], async ({ repo }) => ({
    status: 200,
    body: host.json.repoJson(repo),
  }));

  // ---- contents
  host.route('GET', `${R}/contents/{path}`, ['contents', 'read'], async ({ repo, params, query }) => {
    const commit = await resolveCommitish(repo, query.ref);
    const tree = (await repo.store.readCommit(commit)).tree;
    const path = params.path.replace(/^\/+|\/+$/g, '');
    const all = await repo.store.listTree(tree, true);
    const entry = all.find((e) => e.path === path);
    if (!entry) throw NOT_FOUND();
    const item = (e: TreeEntry): Record<string, unknown> => ({
      type: e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : 'file',
      name: e.path.split('/').pop(),
      path: e.path,
      sha: e.sha,
      size: e.size ?? 0,
      url: host.apiUrl(
        repo,
        `/contents/${e.path}?ref=${encodeURIComponent(query.ref ?? repo.defaultBranch)}`,
      ),
      html_url: host.htmlUrl(repo, `/blob/${query.ref ?? repo.defaultBranch}/${e.path}`),
      git_url: host.apiUrl(repo, `/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`),
      download_url: null,
      _links: { self: host.apiUrl(repo, `/contents/${e.path}`), git: null, html: null },
    });
    if (entry.type === 'tree') {
      const children = all.filter(
        (e) => e.path.startsWith(`${path}/`) && !e.path.slice(path.length + 1).includes('/'),
      );
      return { status: 200, body: children.map(item) };
    }
    // Over 1 MB GitHub sends no content (`encoding: none`): the blob or the raw media type has it.
    if ((entry.size ?? 0) > CONTENTS_MAX_BYTES) {
      return { status: 200, body: { ...item(entry), encoding: 'none', content: '' } };
    }
    const content = await repo.store.readBlob(entry.sha);
    return { status: 200, body: { ...item(entry), encoding: 'base64', content: wrapBase64(content) } };
  });

  // Releases, newest first, paginated like GitHub (30 a page by default, at most 100).
  host.route('GET', `${R}/releases`, ['contents', 'read'], async ({ repo, query }) => {
    const perPage = Math.min(Number(query.per_page ?? 30), 100);
    const page = Number(query.page ?? 1);
    const slice = repo.releases.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < repo.releases.length) {
      const next = new URLSearchParams(query);
      next.set('page', String(page + 1));
      headers.link = `<${host.apiUrl(repo, '/releases')}?${next.toString()}>; rel="next"`;
    }
    return { status: 200, headers, body: slice.map((r) => host.json.releaseJson(repo, r)) };
  });
  // Compare two commits (`base...head`, each a branch, a tag or a full commit SHA): 404 "Not
  // Found" when either is missing, as GitHub answers. As GitHub: the commits the head has and the
  // merge base lacks (oldest first; 250 without paging, else a page of them), and the files that
  // differ between the merge base and the head, renames detected, at most 300, only on the first
  // page (https://docs.github.com/rest/commits/commits#compare-two-commits). Line counts and
  // patches are not computed (0 and absent).
  host.route('GET', `${R}/compare/{basehead}`, ['contents', 'read'], async ({ repo, params, query }) => {
    const match = /^(.+?)\.\.\.(.+)$/.exec(params.basehead);
    if (!match) throw NOT_FOUND();
    const resolve = async (ref: string): Promise<string> => {
      for (const candidate of [`refs/tags/${ref}`, `refs/heads/${ref}`]) {
        const sha = await fullRefSha(repo, candidate);
        if (sha) return sha;
      }
      if (/^[0-9a-f]{40}$/.test(ref) && (await repo.store.objectType(ref)) === 'commit') return ref;
      throw NOT_FOUND();
    };
    const [base, head] = [await resolve(match[1]!), await resolve(match[2]!)];
    const mergeBase = await repo.store.mergeBase(base, head);
    if (!mergeBase) throw new HttpError(404, `No common ancestor between ${match[1]} and ${match[2]}.`);
    const ahead = (await repo.store.commitsBetween(mergeBase, head)).reverse();
    const behindBy = (await repo.store.commitsBetween(mergeBase, base)).length;
    const paged = query.per_page !== undefined || query.page !== undefined;
    const perPage = paged ? Math.min(Number(query.per_page ?? 30), 100) : 250;
    const page = Number(query.page ?? 1);
    const commits = ahead.slice((page - 1) * perPage, page * perPage);
    const status =
      base === head ? 'identical' : mergeBase === base ? 'ahead' : mergeBase === head ? 'behind' : 'diverged';
    const changes = page === 1 ? await repo.store.diffTrees(mergeBase, head) : [];
    const STATUS: Record<string, string> = {
      A: 'added',
      D: 'removed',
      M: 'modified',
      R: 'renamed',
      C: 'copied',
      T: 'changed',
    };
    const headers: Record<string, string> = {};
    if (paged && page * perPage < ahead.length) {
      const next = new URLSearchParams(query);
      next.set('page', String(page + 1));
      headers.link = `<${host.apiUrl(repo, `/compare/${params.basehead}`)}?${next.toString()}>; rel="next"`;
    }
    const commitItem = async (sha: string): Promise<Record<string, unknown>> => ({
      ...host.json.commitJson(repo, await repo.store.readCommit(sha)),
      commit: host.json.commitJson(repo, await repo.store.readCommit(sha)),
    });
    return {
      status: 200,
      headers,
      body: {
        url: host.apiUrl(repo, `/compare/${params.basehead}`),
        html_url: host.htmlUrl(repo, `/compare/${params.basehead}`),
        permalink_url: host.htmlUrl(repo, `/compare/${base}...${head}`),
        diff_url: host.htmlUrl(repo, `/compare/${params.basehead}.diff`),
        patch_url: host.htmlUrl(repo, `/compare/${params.basehead}.patch`),
        base_commit: await commitItem(base),
        merge_base_commit: await commitItem(mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behindBy,
        total_commits: ahead.length,
        commits: await Promise.all(commits.map(commitItem)),
        files: changes.slice(0, 300).map((change) => {
          const sha = change.status === 'D' ? change.fromSha : change.toSha;
          return {
            sha,
            filename: change.path,
            status: STATUS[change.status] ?? 'modified',
            additions: 0,
            deletions: 0,
            changes: 0,
            blob_url: host.htmlUrl(repo, `/blob/${head}/${change.path}`),
            raw_url: host.htmlUrl(repo, `/raw/${head}/${change.path}`),
            contents_url: host.apiUrl(repo, `/contents/${change.path}?ref=${head}`),
            ...(change.previous !== undefined ? { previous_filename: change.previous } : {}),
          };
        }),
      },
    };
  });
}
