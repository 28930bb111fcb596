/**
 * The stand-in must be strict (or tests against it prove nothing) and answer like GitHub where the
 * writer depends on it.
 */
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import {
  READ_ONLY_TOKEN,
  WRITE_TOKEN,
  startGitHubStandIn,
  type GitHubStandIn,
} from '../../test-support/github/stand-in.js';

let standIn: GitHubStandIn;
let github: GitHubClient;
let repoCount = 0;
let repo: { owner: string; repo: string };
let baseSha: string;

function client(token: string): GitHubClient {
  return createGitHubClient({ token, baseUrl: standIn.url, retryAfterBaseValue: 0, spaceWrites: false });
}

/** The status and message of a failed call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const { status, message } = error as { status?: unknown; message: string };
    if (typeof status === 'number') return { status, message };
    throw error;
  }
  throw new Error('the call succeeded');
}

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  github = client(WRITE_TOKEN);
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(async () => {
  repo = { owner: 'acme', repo: `fleet-${++repoCount}` };
  ({ sha: baseSha } = await standIn.createRepository(repo.owner, repo.repo, {
    'releases/app.yaml': 'image: app:1.0\n',
    'README.md': '# fleet\n',
  }));
  standIn.clearLog();
  standIn.violations.length = 0;
});

/** Commits `files` on top of the base through the Git Data API and returns the commit SHA. */
async function commitOnBase(files: Record<string, string>): Promise<string> {
  const base = await github.rest.git.getCommit({ ...repo, commit_sha: baseSha });
  const tree = await github.rest.git.createTree({
    ...repo,
    base_tree: base.data.tree.sha,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644' as const,
      type: 'blob' as const,
      content,
    })),
  });
  const commit = await github.rest.git.createCommit({
    ...repo,
    message: 'Change',
    tree: tree.data.sha,
    parents: [baseSha],
  });
  return commit.data.sha;
}

describe('git data', () => {
  it('keeps real git objects: a commit on a new branch changes exactly the given file', async () => {
    const sha = await commitOnBase({ 'releases/app.yaml': 'image: app:1.1\n' });
    await github.rest.git.createRef({ ...repo, ref: 'refs/heads/update/app', sha });
    expect(await standIn.diff(repo.owner, repo.repo, 'main', 'update/app')).toEqual({
      'releases/app.yaml': { before: 'image: app:1.0\n', after: 'image: app:1.1\n' },
    });
    const content = await github.rest.repos.getContent({
      ...repo,
      path: 'releases/app.yaml',
      ref: 'update/app',
    });
    expect(Buffer.from((content.data as { content: string }).content, 'base64').toString()).toBe(
      'image: app:1.1\n',
    );
    expect(standIn.violations).toEqual([]);
  });

  it('refuses a non-fast-forward ref update unless forced', async () => {
    const first = await commitOnBase({ 'releases/app.yaml': 'image: app:1.1\n' });
    const second = await commitOnBase({ 'releases/app.yaml': 'image: app:1.2\n' });
    await github.rest.git.createRef({ ...repo, ref: 'refs/heads/update/app', sha: first });
    expect(
      await failure(github.rest.git.updateRef({ ...repo, ref: 'heads/update/app', sha: second })),
    ).toEqual({
      status: 422,
      message: expect.stringContaining('Update is not a fast forward'),
    });
    await github.rest.git.updateRef({ ...repo, ref: 'heads/update/app', sha: second, force: true });
    expect(await standIn.branchSha(repo.owner, repo.repo, 'update/app')).toBe(second);
  });

  it('refuses to create a ref that exists', async () => {
    expect(
      await failure(github.rest.git.createRef({ ...repo, ref: 'refs/heads/main', sha: baseSha })),
    ).toEqual({
      status: 422,
      message: expect.stringContaining('Reference already exists'),
    });
  });
});

describe('pull requests', () => {
  it('answers 422 "already exists" for a second pull request from the same branch', async () => {
    const sha = await commitOnBase({ 'releases/app.yaml': 'image: app:1.1\n' });
    await github.rest.git.createRef({ ...repo, ref: 'refs/heads/update/app', sha });
    await github.rest.pulls.create({ ...repo, head: 'update/app', base: 'main', title: 'Update app' });
    expect(
      await failure(
        github.rest.pulls.create({ ...repo, head: 'update/app', base: 'main', title: 'Update app' }),
      ),
    ).toEqual({
      status: 422,
      message: expect.stringContaining(`A pull request already exists for acme:update/app`),
    });
    const listed = await github.rest.pulls.list({ ...repo, head: 'acme:update/app', state: 'all' });
    expect(listed.data.map((p) => [p.number, p.head.sha])).toEqual([[1, sha]]);
  });

  it('merges and closes through the helpers', async () => {
    const sha = await commitOnBase({ 'releases/app.yaml': 'image: app:1.1\n' });
    await github.rest.git.createRef({ ...repo, ref: 'refs/heads/update/app', sha });
    await github.rest.pulls.create({ ...repo, head: 'update/app', base: 'main', title: 'Update app' });
    await standIn.mergePullRequest(repo.owner, repo.repo, 1);
    expect((await standIn.readFiles(repo.owner, repo.repo, 'main'))['releases/app.yaml']).toBe(
      'image: app:1.1\n',
    );
    const pull = await github.rest.pulls.get({ ...repo, pull_number: 1 });
    expect([pull.data.state, pull.data.merged]).toEqual(['closed', true]);
  });
});

describe('strictness', () => {
  it.each<[string, (gh: GitHubClient) => Promise<unknown>, RegExp]>([
    [
      'a boolean sent as a string',
      (gh) =>
        gh.rest.git.updateRef({
          ...repo,
          ref: 'heads/main',
          sha: baseSha,
          force: 'yes' as unknown as boolean,
        }),
      /body\/force must be boolean/,
    ],
    [
      'a missing required field',
      (gh) => gh.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, sha: baseSha } as never),
      /must have required property 'ref'/,
    ],
    [
      'an unknown query parameter',
      (gh) => gh.request('GET /repos/{owner}/{repo}/pulls', { ...repo, branch: 'main' }),
      /query must NOT have additional properties \(branch\)/,
    ],
    [
      'an enum value GitHub does not know',
      (gh) => gh.rest.pulls.list({ ...repo, state: 'merged' as 'open' }),
      /query\/state must be equal to one of the allowed values/,
    ],
    [
      'a head filter without owner',
      (gh) => gh.rest.pulls.list({ ...repo, head: 'update/app' }),
      /must be "owner:branch"/,
    ],
    [
      'a releases page size that is not a number',
      (gh) => gh.request('GET /repos/{owner}/{repo}/releases', { ...repo, per_page: 'many' as never }),
      /query\/per_page must be integer/,
    ],
    [
      'a compare with an unknown query parameter',
      (gh) =>
        gh.request('GET /repos/{owner}/{repo}/compare/{basehead}', { ...repo, basehead: 'a...b', limit: 1 }),
      /query must NOT have additional properties \(limit\)/,
    ],
    [
      'an operation the stand-in does not serve',
      (gh) => gh.request('GET /repos/{owner}/{repo}/branches', repo),
      /no such operation/,
    ],
  ])('records %s as a violation', async (_name, call, expected) => {
    await call(github).catch(() => undefined);
    expect(standIn.violations).toEqual([expect.stringMatching(expected)]);
  });
});

describe('authentication and permissions', () => {
  it('answers 401 "Bad credentials" for an unknown token', async () => {
    expect(await failure(client('ghp_unknown').rest.repos.get(repo))).toEqual({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
  });

  it('lets a read-only token read but not write', async () => {
    const readOnly = client(READ_ONLY_TOKEN);
    await readOnly.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(await failure(readOnly.rest.git.createBlob({ ...repo, content: 'x' }))).toEqual({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
  });

  it('sends rate-limit headers', async () => {
    const response = await github.rest.repos.get(repo);
    expect(response.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(response.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
  });
});

describe('faults', () => {
  it.each([
    ['502', 'bad-gateway' as const, 502],
    ['secondary rate limit', 'secondary-rate-limit' as const, 403],
  ])('retries a %s', async (_name, kind, status) => {
    standIn.injectFault({ kind, operationId: 'repos/get', times: 2 });
    const response = await github.rest.repos.get(repo);
    expect(response.data.default_branch).toBe('main');
    expect(standIn.requests.map((r) => r.status)).toEqual([status, status, 200]);
  });
});

describe('createGitHubClient', () => {
  it('sends requests to the given baseUrl even when GITHUB_API_URL says otherwise', async () => {
    const saved = process.env.GITHUB_API_URL;
    process.env.GITHUB_API_URL = 'http://127.0.0.1:9';
    try {
      const gh = createGitHubClient({ token: WRITE_TOKEN, baseUrl: `${standIn.url}/`, spaceWrites: false });
      expect((await gh.rest.repos.get(repo)).data.full_name).toBe(`acme/${repo.repo}`);
    } finally {
      if (saved === undefined) delete process.env.GITHUB_API_URL;
      else process.env.GITHUB_API_URL = saved;
    }
  });
});
