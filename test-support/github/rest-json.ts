/**
 * The JSON the stand-in answers with: repositories, refs, commits, trees, releases, labels and pull
 * requests shaped as GitHub's REST API shapes them, with URLs at the stand-in's address. Only the
 * fields the OpenAPI description requires or the code under test reads are filled in.
 */
import type { CommitObject } from './git-store.js';
import {
  ACTIONS_BOT,
  type Label,
  type PullState,
  type ReleaseState,
  type RepoState,
} from './stand-in-state.js';

/**
 * The JSON shapes, with API URLs under `baseUrl()` and web URLs under `serverUrl()` (known once the
 * stand-in listens; the same but for a GitHub Enterprise Server's `/api/v3`).
 */
export class RestJson {
  constructor(
    private readonly baseUrl: () => string,
    private readonly serverUrl: () => string = baseUrl,
  ) {}

  apiUrl(repo: RepoState, path: string): string {
    return `${this.baseUrl()}/repos/${repo.owner}/${repo.name}${path}`;
  }

  htmlUrl(repo: RepoState, path = ''): string {
    return `${this.serverUrl()}/${repo.owner}/${repo.name}${path}`;
  }

  repoJson(repo: RepoState): Record<string, unknown> {
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: false,
      owner: { login: repo.owner, id: 1, type: 'Organization' },
      html_url: this.htmlUrl(repo),
      url: this.apiUrl(repo, ''),
      default_branch: repo.defaultBranch,
      visibility: 'public',
      archived: repo.archived,
    };
  }

  refJson(repo: RepoState, ref: string, sha: string): Record<string, unknown> {
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64')}`,
      url: this.apiUrl(repo, `/git/${ref}`),
      object: { type: 'commit', sha, url: this.apiUrl(repo, `/git/commits/${sha}`) },
    };
  }

  commitJson(repo: RepoState, commit: CommitObject): Record<string, unknown> {
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha}`,
      url: this.apiUrl(repo, `/git/commits/${commit.sha}`),
      html_url: this.htmlUrl(repo, `/commit/${commit.sha}`),
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ''),
      tree: { sha: commit.tree, url: this.apiUrl(repo, `/git/trees/${commit.tree}`) },
      parents: commit.parents.map((sha) => ({
        sha,
        url: this.apiUrl(repo, `/git/commits/${sha}`),
        html_url: this.htmlUrl(repo, `/commit/${sha}`),
      })),
      verification: { verified: true, reason: 'valid', signature: null, payload: null, verified_at: null },
    };
  }

  releaseJson(repo: RepoState, release: ReleaseState): Record<string, unknown> {
    return {
      id: release.id,
      node_id: `RE_${release.id}`,
      url: this.apiUrl(repo, `/releases/${release.id}`),
      html_url: this.htmlUrl(repo, `/releases/tag/${encodeURIComponent(release.tag)}`),
      assets_url: this.apiUrl(repo, `/releases/${release.id}/assets`),
      upload_url: `${this.baseUrl()}/uploads/repos/${repo.owner}/${repo.name}/releases/${release.id}/assets{?name,label}`,
      tarball_url: this.apiUrl(repo, `/tarball/${release.tag}`),
      zipball_url: this.apiUrl(repo, `/zipball/${release.tag}`),
      tag_name: release.tag,
      target_commitish: repo.defaultBranch,
      name: release.name,
      body: release.body,
      draft: release.draft,
      prerelease: release.prerelease,
      created_at: release.createdAt,
      published_at: release.draft ? null : release.createdAt,
      author: { login: 'maintainer', id: 7, type: 'User' },
      assets: [],
    };
  }

  labelJson(repo: RepoState, label: Label): Record<string, unknown> {
    return {
      id: label.id,
      node_id: `LA_${label.id}`,
      url: this.apiUrl(repo, `/labels/${encodeURIComponent(label.name)}`),
      name: label.name,
      color: label.color,
      description: label.description,
      default: false,
    };
  }

  async pullJson(repo: RepoState, pull: PullState): Promise<Record<string, unknown>> {
    const headSha =
      pull.state === 'open'
        ? ((await repo.store.resolveRef(`refs/heads/${pull.head}`)) ?? pull.closedHeadSha)
        : pull.closedHeadSha;
    const baseSha = await repo.store.resolveRef(`refs/heads/${pull.base}`);
    const user = (login: string): Record<string, unknown> => ({ login, id: login.length, type: 'User' });
    return {
      id: repo.id * 1000 + pull.number,
      node_id: `PR_${repo.id}_${pull.number}`,
      number: pull.number,
      url: this.apiUrl(repo, `/pulls/${pull.number}`),
      html_url: this.htmlUrl(repo, `/pull/${pull.number}`),
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      user: authorJson(pull.author ?? ACTIONS_BOT),
      labels: pull.labels.map((name) => this.labelJson(repo, repo.labels.get(name.toLowerCase())!)),
      assignees: pull.assignees.map(user),
      requested_reviewers: pull.requestedReviewers.map(user),
      requested_teams: pull.requestedTeams.map((slug) => ({ slug, name: slug, id: slug.length })),
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.state === 'closed' ? pull.updatedAt : null,
      merged_at: pull.merged ? pull.updatedAt : null,
      merged: pull.merged,
      draft: false,
      head: {
        label: `${repo.owner}:${pull.head}`,
        ref: pull.head,
        sha: headSha ?? null,
        repo: this.repoJson(repo),
      },
      base: {
        label: `${repo.owner}:${pull.base}`,
        ref: pull.base,
        sha: baseSha ?? null,
        repo: this.repoJson(repo),
      },
    };
  }

  async treeJson(repo: RepoState, sha: string, recursive: boolean): Promise<Record<string, unknown>> {
    const entries = await repo.store.listTree(sha, recursive);
    return {
      sha,
      url: this.apiUrl(repo, `/git/trees/${sha}`),
      truncated: false,
      tree: entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size !== undefined ? { size: e.size } : {}),
        url: this.apiUrl(repo, `/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`),
      })),
    };
  }
}

/** Base64 with a newline every 60 characters, as GitHub sends file contents. */
export function wrapBase64(content: Buffer): string {
  const text = content.toString('base64');
  return `${text.replace(/(.{60})/g, '$1\n')}\n`;
}

/** A pull request's author as REST gives it (GitHub Apps' users are of type Bot). */
function authorJson(login: string): Record<string, unknown> {
  return login === ACTIONS_BOT
    ? { login, id: 41898282, type: 'Bot' }
    : { login, id: login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}
