/**
 * The stand-in's issues (not the pull requests' issue side, which `decorations-endpoints.ts`
 * serves): list a repository's issues, create one, update one. Validated against GitHub's OpenAPI
 * description by the stand-in like every other route, and answering like GitHub where the dashboard
 * depends on it:
 *
 * - issues and pull requests share one number sequence, and the list holds both (a pull request
 *   with a `pull_request` field);
 * - `labels` filters by every listed label (comma-separated, case-insensitive); `state`, `sort`,
 *   `direction`, `per_page` and `page` as documented, with a `link` header for the next page;
 * - a body over 65,536 characters is refused with 422 "body is too long (maximum is 65536
 *   characters)";
 * - labels given on creation that do not exist are created (as adding labels does).
 */
import type { Handler, Need } from './routing.js';
import type { PullState, RepoState } from './stand-in-state.js';

/** An issue as the stand-in keeps it. */
export interface IssueState {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  createdAt: string;
  updatedAt: string;
}

/** GitHub's limit on an issue body. */
const MAX_BODY = 65_536;

/** What the endpoints need from the stand-in. */
export interface IssueHost {
  route(method: string, template: string, need: Need, handler: Handler): void;
  /** An error the stand-in answers with `status`, `message` and `errors`. */
  fail(status: number, message: string, errors?: unknown[]): Error;
  /** The next issue or pull request number of a repository. */
  nextNumber(repo: RepoState): number;
  nextDate(): string;
  /** Makes sure a label exists (created on the fly, as GitHub does); its JSON. */
  label(repo: RepoState, name: string): Record<string, unknown>;
  apiUrl(repo: RepoState, path: string): string;
  htmlUrl(repo: RepoState, path: string): string;
}

/** Registers the issues routes on the stand-in. */
export function defineIssueRoutes(host: IssueHost): void {
  const R = '/repos/{owner}/{repo}';

  const issueJson = (
    repo: RepoState,
    issue: IssueState | PullState,
    pull = false,
  ): Record<string, unknown> => ({
    id: repo.id * 1000 + issue.number,
    node_id: `I_${repo.id}_${issue.number}`,
    url: host.apiUrl(repo, `/issues/${issue.number}`),
    repository_url: host.apiUrl(repo, ''),
    labels_url: host.apiUrl(repo, `/issues/${issue.number}/labels{/name}`),
    comments_url: host.apiUrl(repo, `/issues/${issue.number}/comments`),
    events_url: host.apiUrl(repo, `/issues/${issue.number}/events`),
    html_url: host.htmlUrl(repo, `/${pull ? 'pull' : 'issues'}/${issue.number}`),
    number: issue.number,
    state: issue.state,
    state_reason: null,
    title: issue.title,
    body: issue.body,
    user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    labels: issue.labels.map((name) => host.label(repo, name)),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    comments: 0,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.state === 'closed' ? issue.updatedAt : null,
    author_association: 'NONE',
    ...(pull ? { pull_request: { url: host.apiUrl(repo, `/pulls/${issue.number}`) } } : {}),
  });

  const checkBody = (body: unknown): void => {
    if (typeof body === 'string' && body.length > MAX_BODY) {
      throw host.fail(422, 'Validation Failed', [
        {
          resource: 'Issue',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${MAX_BODY} characters)`,
        },
      ]);
    }
  };
  const labelsOf = (repo: RepoState, labels: unknown): string[] =>
    (Array.isArray(labels) ? labels : []).map((l: unknown) => {
      const name = typeof l === 'string' ? l : String((l as { name?: string }).name ?? '');
      return String(host.label(repo, name).name);
    });

  host.route('GET', `${R}/issues`, ['issues', 'read'], async ({ repo, query }) => {
    const state = query.state ?? 'open';
    const wanted = (query.labels ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const matches = (item: { state: string; labels: string[] }): boolean =>
      (state === 'all' || item.state === state) &&
      wanted.every((w) => item.labels.some((l) => l.toLowerCase() === w));
    const items = [
      ...repo.issues.filter(matches).map((issue) => ({ issue, pull: false })),
      ...repo.pulls.filter(matches).map((issue) => ({ issue, pull: true })),
    ];
    const by = query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const direction = query.direction ?? 'desc';
    items.sort((a, b) => {
      const order = a.issue[by].localeCompare(b.issue[by]) || a.issue.number - b.issue.number;
      return direction === 'asc' ? order : -order;
    });
    const perPage = Math.min(Number(query.per_page ?? 30), 100);
    const page = Number(query.page ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URLSearchParams(query);
      next.set('page', String(page + 1));
      headers.link = `<${host.apiUrl(repo, '/issues')}?${next.toString()}>; rel="next"`;
    }
    return {
      status: 200,
      headers,
      body: items.slice((page - 1) * perPage, page * perPage).map((i) => issueJson(repo, i.issue, i.pull)),
    };
  });

  host.route('POST', `${R}/issues`, ['issues', 'write'], async ({ repo, body }) => {
    if ((typeof body.title !== 'string' && typeof body.title !== 'number') || body.title === '') {
      throw host.fail(422, 'Validation Failed', [
        { resource: 'Issue', field: 'title', code: 'missing_field' },
      ]);
    }
    checkBody(body.body);
    const now = host.nextDate();
    const issue: IssueState = {
      number: host.nextNumber(repo),
      title: String(body.title),
      body: typeof body.body === 'string' ? body.body : null,
      state: 'open',
      labels: labelsOf(repo, body.labels),
      createdAt: now,
      updatedAt: now,
    };
    repo.issues.push(issue);
    return { status: 201, body: issueJson(repo, issue) };
  });

  host.route('PATCH', `${R}/issues/{issue_number}`, ['issues', 'write'], async ({ repo, params, body }) => {
    const issue = repo.issues.find((i) => i.number === Number(params.issue_number));
    if (!issue) throw host.fail(404, 'Not Found');
    checkBody(body.body);
    if (typeof body.title === 'string' || typeof body.title === 'number') issue.title = String(body.title);
    if (typeof body.body === 'string') issue.body = body.body;
    if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
    if (Array.isArray(body.labels)) issue.labels = labelsOf(repo, body.labels);
    issue.updatedAt = host.nextDate();
    return { status: 200, body: issueJson(repo, issue) };
  });
}
