/**
 * The labels, reviewers and assignees a pull request should have and those it lacks, without
 * GitHub: a run adds only what is missing, so a run that died after opening a pull request (or
 * whose answer was lost) is completed by the next one, and nobody who answered is asked again.
 */

/** The labels, reviewers and assignees the inputs ask for. */
export interface Decorations {
  labels?: readonly string[];
  reviewers?: readonly string[];
  /** Teams, as `slug` or `org/slug`. */
  teamReviewers?: readonly string[];
  assignees?: readonly string[];
}

/** What a pull request has: labels, pending review requests (users, team slugs), assignees. */
export interface PresentDecorations {
  labels: readonly string[];
  reviewers: readonly string[];
  teams: readonly string[];
  /**
   * True when GitHub would not say which teams were asked (a token without the organization's
   * `members: read` reads none): no team is then asked again, since it may well have been.
   */
  teamsUnread?: boolean;
  assignees: readonly string[];
  /**
   * Users who reviewed it (GitHub drops a review request once it is answered); undefined when not
   * read, and then the writer reads the reviews before asking anyone again.
   */
  reviewed?: readonly string[];
  /** Who opened it (the token's user), whom GitHub refuses as its reviewer; undefined when not read. */
  author?: string;
}

/** The team slug of `slug` or `org/slug` (the API wants the slug). */
export function teamSlug(team: string): string {
  return team.slice(team.indexOf('/') + 1);
}

/**
 * `wanted` without the pull request's author among the reviewers: GitHub refuses to request the
 * author's review ("Review cannot be requested from pull request author."), and one refused name
 * fails the request for all the others. A person's token opens the pull requests as that person,
 * who may well be among the reviewers the workflow lists.
 */
export function withoutAuthor(wanted: Decorations, author: string | undefined): Decorations {
  if (!author || !wanted.reviewers?.length) return wanted;
  return {
    ...wanted,
    reviewers: wanted.reviewers.filter((login) => login.toLowerCase() !== author.toLowerCase()),
  };
}

/**
 * The decorations a pull request lacks, so a run that died after opening it (or whose answer was
 * lost) is completed by the next one. Names compare case-insensitively, as GitHub's do. A user who
 * reviewed is not missing, and no team is once anyone reviewed (their requests were answered) or
 * when the teams asked could not be read; the author is never missing as a reviewer.
 */
export function missingDecorations(present: PresentDecorations, wanted: Decorations): Decorations {
  const lacking = (want: readonly string[] | undefined, have: readonly string[]): string[] => {
    const had = new Set(have.map((name) => name.toLowerCase()));
    return (want ?? []).filter((name) => !had.has(name.toLowerCase()));
  };
  const missing: Decorations = {};
  const reviewed = present.reviewed ?? [];
  const labels = lacking(wanted.labels, present.labels);
  const reviewers = lacking(withoutAuthor(wanted, present.author).reviewers, [
    ...present.reviewers,
    ...reviewed,
  ]);
  const teams =
    reviewed.length > 0 || present.teamsUnread
      ? []
      : lacking(wanted.teamReviewers?.map(teamSlug), present.teams);
  const assignees = lacking(wanted.assignees, present.assignees);
  if (labels.length) missing.labels = labels;
  if (reviewers.length) missing.reviewers = reviewers;
  if (teams.length) missing.teamReviewers = teams;
  if (assignees.length) missing.assignees = assignees;
  return missing;
}

/** True when there is nothing to add. */
export function isEmptyDecorations(decorations: Decorations): boolean {
  return (
    !decorations.labels?.length &&
    !decorations.reviewers?.length &&
    !decorations.teamReviewers?.length &&
    !decorations.assignees?.length
  );
}
