/**
 * Labels, reviewers and assignees of a pull request. A failure is reported as a warning and never
 * fails the pull request: the change itself matters more than its decoration.
 */
import { call, fullName, isNotFound, repoParams, type Repository } from './github-call.js';

/** The decorations the inputs ask for. */
export interface Decorations {
  labels?: readonly string[];
  reviewers?: readonly string[];
  /** Teams, as `slug` or `org/slug`. */
  teamReviewers?: readonly string[];
  assignees?: readonly string[];
}

/** Color of labels the writer creates. */
const LABEL_COLOR = '0e8a16';

/**
 * Makes sure labels exist, each once per run: `ready` memoises the answer per label across pull
 * requests (labels may differ between pull requests through `{type}`).
 */
export class LabelSetup {
  private readonly ready = new Map<string, Promise<boolean>>();

  constructor(private readonly repository: Repository) {}

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
        if (!isNotFound(e)) throw e;
        await call(`POST /repos/${name}/labels`, () =>
          github.rest.issues.createLabel({
            ...params,
            name: label,
            color: LABEL_COLOR,
            description: 'Image updates by helmrelease-image-updater',
          }),
        );
      }
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      warn(`Label "${label}" does not exist and could not be created: ${message}`);
      return false;
    }
  }
}

/** Adds the labels, reviewers and assignees to a new pull request; failures go to `warn`. */
export async function decorate(
  repository: Repository,
  number: number,
  decorations: Decorations,
  labels: LabelSetup,
  warn: (message: string) => void,
): Promise<void> {
  const { github } = repository;
  const params = repoParams(repository);
  const name = fullName(repository);
  const soft = async (what: string, work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      warn(`Pull request #${number}: could not ${what}: ${message}`);
    }
  };
  if (decorations.labels?.length) {
    const usable = await labels.usable(decorations.labels, warn);
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
  const teams = (decorations.teamReviewers ?? []).map((team) => team.slice(team.indexOf('/') + 1));
  for (const [what, reviewers, teamReviewers] of [
    ['request reviews', [...(decorations.reviewers ?? [])], []],
    ['request team reviews', [], teams],
  ] as const) {
    if (reviewers.length === 0 && teamReviewers.length === 0) continue;
    await soft(what, () =>
      call(`POST /repos/${name}/pulls/${number}/requested_reviewers`, () =>
        github.rest.pulls.requestReviewers({
          ...params,
          pull_number: number,
          reviewers: [...reviewers],
          team_reviewers: [...teamReviewers],
        }),
      ),
    );
  }
  if (decorations.assignees?.length) {
    const assignees = [...decorations.assignees];
    await soft('assign', () =>
      call(`POST /repos/${name}/issues/${number}/assignees`, () =>
        github.rest.issues.addAssignees({ ...params, issue_number: number, assignees }),
      ),
    );
  }
}
