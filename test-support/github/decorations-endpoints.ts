/**
 * What decorates the stand-in's pull requests: requested reviewers, labels and assignees (through
 * the pull request's issue side), and the repository's labels. Answering like GitHub where the
 * writer depends on it:
 *
 * - reviews may only be requested from collaborators and the repository's teams (422 otherwise),
 *   never from the pull request's author (422), logins compared case-insensitively; a team only
 *   with a token that may read the organization's teams (GITHUB_TOKEN may not: 422 "Validation
 *   Failed" with GitHub's words as a string in `errors`,
 *   https://github.com/actions/github-script/issues/572);
 * - adding labels creates the unknown ones on the fly; creating one that exists is 422
 *   `already_exists`; label names compare case-insensitively;
 * - assignees who cannot be assigned are dropped silently.
 */
import { HttpError, NOT_FOUND, asString, type EndpointHost } from './routing.js';
import { ACTIONS_BOT, ensureLabel } from './stand-in-state.js';

/** Registers the reviewer, label and assignee routes on the stand-in. */
export function defineDecorationRoutes(host: EndpointHost): void {
  const R = '/repos/{owner}/{repo}';

  host.route(
    'POST',
    `${R}/pulls/{pull_number}/requested_reviewers`,
    ['pull_requests', 'write'],
    async ({ repo, params, body, mayReadTeams }) => {
      const pull = host.pull(repo, Number(params.pull_number));
      const team = ((body.team_reviewers ?? []) as string[])[0];
      if (team !== undefined && !mayReadTeams) {
        const id = Buffer.from(`04:Team${team.length}`).toString('base64');
        throw new HttpError(422, 'Validation Failed', [
          `Could not resolve to a node with the global id of '${id}'.`,
        ]);
      }
      // Logins are case-insensitive; GitHub keeps the user's own spelling.
      const collaborator = (login: string): string | undefined =>
        [...repo.collaborators].find((c) => c.toLowerCase() === login.toLowerCase());
      const author = (pull.author ?? ACTIONS_BOT).toLowerCase();
      if (((body.reviewers ?? []) as string[]).some((r) => r.toLowerCase() === author)) {
        throw new HttpError(422, 'Review cannot be requested from pull request author.');
      }
      const reviewers = ((body.reviewers ?? []) as string[]).map((r) => collaborator(r) ?? r);
      const teams = (body.team_reviewers ?? []) as string[];
      if (reviewers.some((r) => !repo.collaborators.has(r)) || teams.some((t) => !repo.teams.has(t))) {
        throw new HttpError(
          422,
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
        );
      }
      pull.requestedReviewers = [...new Set([...pull.requestedReviewers, ...reviewers])];
      pull.requestedTeams = [...new Set([...pull.requestedTeams, ...teams])];
      return { status: 201, body: await host.json.pullJson(repo, pull) };
    },
  );

  // ---- issues (the pull request's issue side) and labels
  host.route(
    'POST',
    `${R}/issues/{issue_number}/labels`,
    ['pull_requests', 'write'],
    async ({ repo, params, rawBody }) => {
      const pull = host.pull(repo, Number(params.issue_number));
      const names = labelNames(rawBody);
      for (const name of names) {
        // GitHub creates unknown labels on the fly.
        ensureLabel(repo, name, () => host.nextId());
        if (!pull.labels.some((l) => l.toLowerCase() === name.toLowerCase())) pull.labels.push(name);
      }
      return {
        status: 200,
        body: pull.labels.map((l) => host.json.labelJson(repo, repo.labels.get(l.toLowerCase())!)),
      };
    },
  );
  host.route(
    'DELETE',
    `${R}/issues/{issue_number}/labels/{name}`,
    ['pull_requests', 'write'],
    async ({ repo, params }) => {
      const pull = host.pull(repo, Number(params.issue_number));
      const at = pull.labels.findIndex((l) => l.toLowerCase() === params.name.toLowerCase());
      // GitHub answers 404 "Label does not exist" for a label the issue does not have.
      if (at < 0) throw NOT_FOUND();
      pull.labels.splice(at, 1);
      return {
        status: 200,
        body: pull.labels.map((l) => host.json.labelJson(repo, repo.labels.get(l.toLowerCase())!)),
      };
    },
  );
  host.route(
    'POST',
    `${R}/issues/{issue_number}/assignees`,
    ['pull_requests', 'write'],
    async ({ repo, params, body }) => {
      const pull = host.pull(repo, Number(params.issue_number));
      // GitHub silently drops assignees who cannot be assigned.
      for (const login of (body.assignees ?? []) as string[]) {
        if (repo.collaborators.has(login) && !pull.assignees.includes(login)) pull.assignees.push(login);
      }
      const json = await host.json.pullJson(repo, pull);
      return {
        status: 201,
        body: {
          ...json,
          url: host.apiUrl(repo, `/issues/${pull.number}`),
          pull_request: { url: json.url },
        },
      };
    },
  );
  host.route('GET', `${R}/labels/{name}`, ['issues', 'read'], async ({ repo, params }) => {
    const label = repo.labels.get(params.name.toLowerCase());
    if (!label) throw NOT_FOUND();
    return { status: 200, body: host.json.labelJson(repo, label) };
  });
  host.route('POST', `${R}/labels`, ['issues', 'write'], async ({ repo, body }) => {
    const name = asString(body.name);
    if (repo.labels.has(name.toLowerCase())) {
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'Label', code: 'already_exists', field: 'name' },
      ]);
    }
    const color = typeof body.color === 'string' ? body.color.replace(/^#/, '') : 'ededed';
    if (!/^[0-9a-fA-F]{6}$/.test(color)) {
      throw new HttpError(422, 'Validation Failed', [{ resource: 'Label', code: 'invalid', field: 'color' }]);
    }
    const label = {
      id: host.nextId(),
      name,
      color,
      description: typeof body.description === 'string' ? body.description : null,
    };
    repo.labels.set(name.toLowerCase(), label);
    return { status: 201, body: host.json.labelJson(repo, label) };
  });
}

/** The label names of an "add labels" body, which may take several shapes. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown } | undefined)?.labels ?? []);
  return (list as unknown[]).map((l) =>
    typeof l === 'string' ? l : String((l as { name?: string }).name ?? ''),
  );
}
