/**
 * The stand-in's pull requests: list, create, read, update and their reviews (labels, reviewers and
 * assignees are in `decorations-endpoints.ts`). Answering like GitHub where the writer depends on it:
 *
 * - 422 "A pull request already exists for owner:branch" for a second open one of a head and base,
 *   and "No commits between base and head";
 * - the `head` filter must be `owner:branch` (GitHub silently ignores a bare branch, so the stand-in
 *   records it as a violation);
 * - listing sorts by number and paginates with `next` and `last` links;
 * - a closed pull request cannot be reopened once its head branch is deleted.
 */
import { HttpError, asString, type EndpointHost } from './routing.js';
import { nextNumber, openPull } from './stand-in-state.js';

/** Registers the pull request routes on the stand-in. */
export function definePullRoutes(host: EndpointHost): void {
  const R = '/repos/{owner}/{repo}';

  host.route('GET', `${R}/pulls`, ['pull_requests', 'read'], async ({ repo, query }) => {
    if (query.head !== undefined && !query.head.includes(':')) {
      // GitHub silently ignores a head filter without `owner:` and returns every pull request.
      host.violations.push(`pulls/list: head filter "${query.head}" must be "owner:branch"`);
    }
    const state = query.state ?? 'open';
    let pulls = repo.pulls.filter((p) => state === 'all' || p.state === state);
    if (query.head?.includes(':')) {
      const [owner, branch] = [
        query.head.slice(0, query.head.indexOf(':')),
        query.head.slice(query.head.indexOf(':') + 1),
      ];
      pulls = owner.toLowerCase() === repo.owner.toLowerCase() ? pulls.filter((p) => p.head === branch) : [];
    }
    if (query.base !== undefined) pulls = pulls.filter((p) => p.base === query.base);
    const direction =
      query.direction ?? (query.sort === undefined || query.sort === 'created' ? 'desc' : 'asc');
    pulls = [...pulls].sort((a, b) => (direction === 'desc' ? b.number - a.number : a.number - b.number));
    const perPage = Math.min(Number(query.per_page ?? 30), 100);
    const page = Number(query.page ?? 1);
    const slice = pulls.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    const last = Math.max(1, Math.ceil(pulls.length / perPage));
    if (page < last) {
      const link = (p: number): string => {
        const next = new URLSearchParams(query);
        next.set('page', String(p));
        return `${host.apiUrl(repo, '/pulls')}?${next.toString()}`;
      };
      headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    }
    return { status: 200, headers, body: await Promise.all(slice.map((p) => host.json.pullJson(repo, p))) };
  });
  host.route('POST', `${R}/pulls`, ['pull_requests', 'write'], async ({ repo, body, actor }) => {
    let head = asString(body.head);
    if (head.includes(':')) {
      const owner = head.slice(0, head.indexOf(':'));
      if (owner.toLowerCase() !== repo.owner.toLowerCase()) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'invalid' },
        ]);
      }
      head = head.slice(head.indexOf(':') + 1);
    }
    const base = asString(body.base);
    const headSha = await repo.store.resolveRef(`refs/heads/${head}`);
    const baseSha = await repo.store.resolveRef(`refs/heads/${base}`);
    if (!headSha) {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'PullRequest', field: 'head', code: 'invalid' },
      ]);
    }
    if (!baseSha) {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'PullRequest', field: 'base', code: 'invalid' },
      ]);
    }
    if (repo.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
      throw new HttpError(422, 'Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${repo.owner}:${head}.`,
        },
      ]);
    }
    if ((await repo.store.commitsBetween(baseSha, headSha)).length === 0) {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` },
      ]);
    }
    if (typeof body.title !== 'string' || body.title === '') {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'PullRequest', field: 'title', code: 'missing_field' },
      ]);
    }
    const now = host.nextDate();
    const pull = openPull(
      nextNumber(repo),
      { title: body.title, body: typeof body.body === 'string' ? body.body : null, head, base },
      now,
    );
    pull.author = actor;
    repo.pulls.push(pull);
    return { status: 201, body: await host.json.pullJson(repo, pull) };
  });
  host.route('GET', `${R}/pulls/{pull_number}`, ['pull_requests', 'read'], async ({ repo, params }) => ({
    status: 200,
    body: await host.json.pullJson(repo, host.pull(repo, Number(params.pull_number))),
  }));
  host.route(
    'GET',
    `${R}/pulls/{pull_number}/reviews`,
    ['pull_requests', 'read'],
    async ({ repo, params, query }) => {
      const pull = host.pull(repo, Number(params.pull_number));
      const perPage = Math.min(Number(query.per_page ?? 30), 100);
      const page = Number(query.page ?? 1);
      const reviews = pull.reviews.map((review, i) => ({
        id: repo.id * 100000 + pull.number * 100 + i,
        node_id: `PRR_${repo.id}_${pull.number}_${i}`,
        user: { login: review.login, id: review.login.length, type: 'User' },
        body: '',
        state: review.state,
        html_url: host.htmlUrl(repo, `/pull/${pull.number}#pullrequestreview-${i}`),
        pull_request_url: host.apiUrl(repo, `/pulls/${pull.number}`),
        author_association: 'COLLABORATOR',
        commit_id: null,
        _links: {
          html: { href: host.htmlUrl(repo, `/pull/${pull.number}#pullrequestreview-${i}`) },
          pull_request: { href: host.apiUrl(repo, `/pulls/${pull.number}`) },
        },
      }));
      return { status: 200, body: reviews.slice((page - 1) * perPage, page * perPage) };
    },
  );
  host.route(
    'PATCH',
    `${R}/pulls/{pull_number}`,
    ['pull_requests', 'write'],
    async ({ repo, params, body }) => {
      const pull = host.pull(repo, Number(params.pull_number));
      if (typeof body.title === 'string') pull.title = body.title;
      if (typeof body.body === 'string') pull.body = body.body;
      if (typeof body.base === 'string') pull.base = body.base;
      if (body.state === 'closed' && pull.state === 'open') {
        pull.closedHeadSha = await repo.store.resolveRef(`refs/heads/${pull.head}`);
        pull.state = 'closed';
      } else if (body.state === 'open' && pull.state === 'closed' && !pull.merged) {
        if (!(await repo.store.resolveRef(`refs/heads/${pull.head}`))) {
          throw new HttpError(422, 'Validation Failed', [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: 'state cannot be changed. The head branch was deleted.',
            },
          ]);
        }
        pull.state = 'open';
      }
      pull.updatedAt = host.nextDate();
      return { status: 200, body: await host.json.pullJson(repo, pull) };
    },
  );
}
