/**
 * Labels, reviewers and assignees of a pull request: all of them on a new one, what is missing on
 * an existing one (see `missingDecorations`). A failure is reported as a warning and never fails the
 * pull request: the change itself matters more than its decoration.
 */
import { otherTypeLabels, renderLabels } from '../plan/pull-request-text.js';
import type { Update } from '../plan/types.js';
import { isEmptyDecorations, teamSlug, type Decorations } from './missing-decorations.js';
import { readListPages } from './list-pages.js';
import {
  call,
  fullName,
  GitHubError,
  isAlreadyExists,
  isNotFound,
  repoParams,
  type Repository,
} from './github-call.js';

export type { Decorations } from './missing-decorations.js';

/**
 * The labels (with `{type}` rendered for `updates`), reviewers and assignees a pull request of
 * `updates` should have, from the `configured` inputs.
 */
export function wantedDecorations(configured: Decorations, updates: readonly Update[]): Decorations {
  const { labels, reviewers, teamReviewers, assignees } = configured;
  return { labels: renderLabels(labels ?? [], updates), reviewers, teamReviewers, assignees };
}

/** Color of labels the writer creates. */
const LABEL_COLOR = '0e8a16';

/**
 * What one run learns about decorating its pull requests, kept across them: the labels made sure
 * to exist, each once per run (`ready` memoises the answer per label across pull requests: labels
 * may differ between pull requests through `{type}`), and the reviewers and teams GitHub refused
 * (not a collaborator, a typo), asked once a run rather than once per pull request: a typo in
 * `reviewers` cost two requests and a warning per open pull request, every run.
 */
export class DecorationSetup {
  private readonly ready = new Map<string, Promise<boolean>>();
  private readonly refusedNames = new Set<string>();

  constructor(private readonly repository: Repository) {}

  /** `names` without those GitHub refused earlier in the run (teams when `asTeams`). */
  notRefused(names: readonly string[] | undefined, asTeams: boolean): string[] {
    return (names ?? []).filter((name) => !this.refusedNames.has(refusalKey(name, asTeams)));
  }

  /** Remembers that GitHub refused to ask `name` for a review (a team when `asTeams`). */
  refused(name: string, asTeams: boolean): void {
    this.refusedNames.add(refusalKey(name, asTeams));
  }

  /** The usable labels of `labels`; missing ones are created, failures reported to `warn`. */
  async usable(labels: readonly string[], warn: (message: string) => void): Promise<string[]> {
    const usable: string[] = [];
    for (const label of labels) {
      let ready = this.ready.get(label);
      if (!ready) {
        ready = this.ensure(label, warn);
        this.ready.set(label, ready);
      }
      if (await ready) usable.push(label);
    }
    return usable;
  }

  private async ensure(label: string, warn: (message: string) => void): Promise<boolean> {
    const { github } = this.repository;
    const params = repoParams(this.repository);
    const name = fullName(this.repository);
    try {
      try {
        await call(`GET /repos/${name}/labels/${label}`, () =>
          github.rest.issues.getLabel({ ...params, name: label }),
        );
      } catch (e) {
        if (!isNotFound(e)) {
          // Refused or failed, the look-up says nothing of whether the label exists.
          warn(
            `Label "${label}" could not be looked up, so it was not added: ${e instanceof Error ? e.message : String(e)}`,
          );
          return false;
        }
        await call(`POST /repos/${name}/labels`, () =>
          github.rest.issues.createLabel({
            ...params,
            name: label,
            color: LABEL_COLOR,
            description: 'Image updates by helmrelease-image-updater',
          }),
        ).catch((created: unknown) => {
          // Created meanwhile (another run, a person): the label is there, which is all we need.
          if (!isAlreadyExists(created)) throw created;
        });
      }
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      warn(`Label "${label}" does not exist and could not be created: ${message}`);
      return false;
    }
  }
}

/** A reviewer's or team's key among the refused: logins and slugs compare case-insensitively. */
function refusalKey(name: string, asTeams: boolean): string {
  return `${asTeams ? 'team' : 'user'}:${(asTeams ? teamSlug(name) : name).toLowerCase()}`;
}

/**
 * Adds labels, reviewers and assignees to a pull request; failures go to `warn`. On an existing
 * pull request (`existing`), users who already reviewed are not asked again (GitHub drops a review
 * request once it is answered), and neither are teams once anyone reviewed. Returns what it asked
 * for (after leaving out those).
 */
export async function decorate(
  repository: Repository,
  number: number,
  asked: Decorations,
  setup: DecorationSetup,
  warn: (message: string) => void,
  existing = false,
): Promise<Decorations> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  // Those GitHub refused for another pull request of this run were named in its warning.
  const wanted: Decorations = {
    ...asked,
    reviewers: setup.notRefused(asked.reviewers, false),
    teamReviewers: setup.notRefused(asked.teamReviewers, true),
  };
  let decorations = wanted;
  if (existing && (wanted.reviewers?.length || wanted.teamReviewers?.length)) {
    try {
      decorations = await withoutAnswered(repository, number, wanted);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      warn(`Pull request #${number}: could not read its reviews: ${message}`);
      decorations = { ...wanted, reviewers: [], teamReviewers: [] };
    }
  }
  const soft = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      warn(`Pull request #${number}: could not ${what}: ${message}`);
    }
  };
  if (decorations.labels?.length) {
    const usable = await setup.usable(decorations.labels, warn);
    if (usable.length) {
      await soft(`add labels ${usable.join(', ')}`, () =>
        call(`POST /repos/${name}/issues/${number}/labels`, () =>
          github.rest.issues.addLabels({ ...params, issue_number: number, labels: usable }),
        ),
      );
    }
  }
  // Users and teams are asked separately, so one reviewer GitHub refuses (the pull request's
  // author, a user without access) does not cancel the team's review request. A team may be
  // written `org/slug`; the API wants the slug.
  const teams = (decorations.teamReviewers ?? []).map(teamSlug);
  const ask = (reviewers: readonly string[], teamReviewers: readonly string[]) =>
    call(`POST /repos/${name}/pulls/${number}/requested_reviewers`, () =>
      github.rest.pulls.requestReviewers({
        ...params,
        pull_number: number,
        reviewers: [...reviewers],
        team_reviewers: [...teamReviewers],
      }),
    );
  for (const [what, names, asTeams] of [
    ['request reviews', decorations.reviewers ?? [], false],
    ['request team reviews', teams, true],
  ] as const) {
    if (names.length === 0) continue;
    try {
      await (asTeams ? ask([], names) : ask(names, []));
    } catch (e) {
      // GitHub refuses the whole request for one name it cannot ask (not a collaborator, a typo):
      // each is then asked alone, so the others still are, and the warning names who was not (a
      // name asked alone is named too: GitHub's words do not say who).
      const one = e instanceof GitHubError && e.status === 422;
      const refused: string[] = [];
      let unseen = teamsUnseen(e);
      let strangers = notCollaborators(e);
      const refuse = (login: string, why: unknown): void => {
        refused.push(`${login} (${why instanceof Error ? why.message : String(why)})`);
        if (why instanceof GitHubError && why.status === 422) setup.refused(login, asTeams);
      };
      if (one && names.length === 1) refuse(names[0]!, e);
      for (const login of one && names.length > 1 ? names : []) {
        try {
          await (asTeams ? ask([], [login]) : ask([login], []));
        } catch (alone) {
          unseen ||= teamsUnseen(alone);
          strangers ||= notCollaborators(alone);
          refuse(login, alone);
        }
      }
      const advice =
        asTeams && unseen
          ? ` ${TEAMS_UNSEEN_ADVICE}`
          : strangers
            ? ` ${asTeams ? TEAMS_WITHOUT_ACCESS_ADVICE : USERS_WITHOUT_ACCESS_ADVICE}`
            : '';
      if (!one)
        warn(
          `Pull request #${number}: could not ${what}: ${e instanceof Error ? e.message : String(e)}${advice}`,
        );
      else if (refused.length)
        warn(`Pull request #${number}: could not ${what} from ${refused.join('; ')}${advice}`);
    }
  }
  if (decorations.assignees?.length) {
    const assignees = [...decorations.assignees];
    await soft('assign', async () => {
      const issue = await call(`POST /repos/${name}/issues/${number}/assignees`, () =>
        github.rest.issues.addAssignees({ ...params, issue_number: number, assignees }),
      );
      // GitHub drops an assignee it cannot assign without a word (a typo, a user without write
      // access: https://docs.github.com/rest/issues/assignees#add-assignees-to-an-issue), and the
      // next run asked again, every run, in silence.
      const assigned = new Set((issue.assignees ?? []).map((user) => user.login.toLowerCase()));
      const dropped = assignees.filter((login) => !assigned.has(login.toLowerCase()));
      if (dropped.length > 0) {
        warn(
          `Pull request #${number}: GitHub did not assign ${dropped.join(', ')}: only users with write access ` +
            'to the repository can be assigned; check the "assignees" input for a typo, or give them access.',
        );
      }
    });
  }
  // What was asked and not refused: a reviewer GitHub refused was not added.
  return {
    ...decorations,
    reviewers: setup.notRefused(decorations.reviewers, false),
    teamReviewers: setup.notRefused(decorations.teamReviewers, true),
  };
}

/** What to do when GitHub cannot find the teams asked to review, for the token cannot see them. */
const TEAMS_UNSEEN_ADVICE =
  'The token cannot see the organization\'s teams (GITHUB_TOKEN never can): give the "token" input a ' +
  'GitHub App\'s token with the organization permission "Members: read", or a person\'s token with read:org.';

/** What to do when GitHub refuses to ask users who are not the repository's collaborators. */
const USERS_WITHOUT_ACCESS_ADVICE =
  'Check the "reviewers" input for a typo, or give them access to the repository (Settings > Collaborators and teams).';

/** What to do when GitHub refuses to ask teams without access to the repository. */
const TEAMS_WITHOUT_ACCESS_ADVICE =
  'Check the "team-reviewers" input for a typo, or give the teams access to the repository (Settings > Collaborators and teams).';

/**
 * True for GitHub's 422 "Reviews may only be requested from collaborators. One or more of the
 * users or teams you specified is not a collaborator of the … repository.", which names nobody.
 */
function notCollaborators(error: unknown): boolean {
  return (
    error instanceof GitHubError &&
    error.status === 422 &&
    /may only be requested from collaborators/i.test(error.details)
  );
}

/**
 * True for GitHub's answer to a team review request by a token that may not read the
 * organization's teams: 422 "Could not resolve to a node with the global id of 'T_…'"
 * (https://github.com/actions/github-script/issues/572).
 */
function teamsUnseen(error: unknown): boolean {
  return (
    error instanceof GitHubError &&
    error.status === 422 &&
    /could not resolve to a node with the global id/i.test(error.details)
  );
}

/** Drops review requests already answered: users who reviewed, and teams once anyone reviewed. */
async function withoutAnswered(
  repository: Repository,
  number: number,
  wanted: Decorations,
): Promise<Decorations> {
  const { github } = repository;
  const endpoint = `GET /repos/${fullName(repository)}/pulls/${number}/reviews`;
  const reviews = await call(endpoint, async () => ({
    data: await readListPages(
      endpoint,
      github.paginate.iterator(github.rest.pulls.listReviews, {
        ...repoParams(repository),
        pull_number: number,
        per_page: 100,
      }),
    ),
  }));
  const reviewed = new Set(reviews.map((review) => review.user?.login.toLowerCase()));
  return {
    ...wanted,
    reviewers: (wanted.reviewers ?? []).filter((login) => !reviewed.has(login.toLowerCase())),
    teamReviewers: reviews.length > 0 ? [] : wanted.teamReviewers,
  };
}

/**
 * Removes `names` from a pull request's labels (a `{type}` label of a type it no longer has); a
 * failure is a warning. Says what was removed, or undefined when nothing was.
 */
export async function removeLabels(
  repository: Repository,
  number: number,
  names: readonly string[],
  warn: (message: string) => void,
): Promise<string | undefined> {
  const removed: string[] = [];
  for (const name of names) {
    try {
      await call(`DELETE /repos/${fullName(repository)}/issues/${number}/labels/${name}`, () =>
        repository.github.rest.issues.removeLabel({ ...repoParams(repository), issue_number: number, name }),
      );
      removed.push(name);
    } catch (e) {
      // Removed meanwhile (a person, another run): gone, which is all we need.
      if (isNotFound(e)) continue;
      const message = e instanceof Error ? e.message : String(e);
      warn(`Pull request #${number}: could not remove label ${name}: ${message}`);
    }
  }
  return removed.length ? `removed label ${removed.join(', ')}` : undefined;
}

/**
 * Removes the `{type}` labels of `configured` a pull request has for a type its updates no longer
 * have (a patch bump that became a major one); says which, if any.
 */
export async function removeOtherTypeLabels(
  repository: Repository,
  pull: { number: number; decorations: { labels: readonly string[] } },
  configured: readonly string[],
  updates: readonly Update[],
  warn: (message: string) => void,
): Promise<string | undefined> {
  const stale = otherTypeLabels(pull.decorations.labels, configured, updates);
  if (stale.length === 0) return undefined;
  return removeLabels(repository, pull.number, stale, warn);
}

/**
 * Adds the decorations an existing pull request lacks; says what was added (for the result's
 * reason), or undefined when nothing was missing (and nothing was written).
 */
export async function completeDecorations(
  repository: Repository,
  number: number,
  missing: Decorations,
  setup: DecorationSetup,
  warn: (message: string) => void,
): Promise<string | undefined> {
  if (isEmptyDecorations(missing)) return undefined;
  // What was asked for, not what looked missing: a reviewer found to have reviewed is not.
  const added = await decorate(repository, number, missing, setup, warn, true);
  if (isEmptyDecorations(added)) return undefined;
  const what = [
    added.labels?.length ? 'labels' : '',
    added.reviewers?.length || added.teamReviewers?.length ? 'reviewers' : '',
    added.assignees?.length ? 'assignees' : '',
  ].filter((kind) => kind !== '');
  return `completed missing ${what.join(', ')}`;
}

/**
 * Brings an open pull request's decorations up to date: adds those it lacks and removes its
 * `{type}` labels of a type it no longer has; says what changed (for the result's reason), or ''
 * when nothing did.
 */
export async function completeOpenPull(
  repository: Repository,
  open: { number: number; decorations: { labels: readonly string[] } },
  missing: Decorations,
  setup: DecorationSetup,
  configured: readonly string[],
  updates: readonly Update[],
  warn: (message: string) => void,
): Promise<string> {
  const added = await completeDecorations(repository, open.number, missing, setup, warn);
  const removed = await removeOtherTypeLabels(repository, open, configured, updates, warn);
  return [added, removed].filter((part) => part !== undefined).join('; ');
}
