/**
 * How a commit of this Action is told from anyone else's, from what is read with a branch's head
 * (parents, message, dates) and nothing more, so an unchanged re-run pays no request for it.
 */
import { COMMIT_TRAILER } from '../plan/pull-request-text.js';

/** A commit's git dates, as GitHub reads them (ISO 8601). */
export interface CommitDates {
  /** When it was written (the author date). */
  authoredDate: string;
  /** When it was last committed (the committer date): a rewrite changes it. */
  committedDate: string;
}

/**
 * Longest gap between a commit's author and committer dates that still reads as one date: a server
 * may stamp the two a moment apart, while a person's amend of our commit comes long after it.
 */
const REWRITE_GAP_MS = 60_000;

/**
 * Our branches hold exactly one commit of ours on top of the base: it carries the trailer, and it
 * was never rewritten. We commit through the API without author or committer, and GitHub then
 * gives the commit one date for both ("by default, `committer` will use the information set in
 * `author`"; setting either ourselves would forgo GitHub's signature of the commit). Amending,
 * rebasing or cherry-picking keeps the author date and sets a new committer date, so a person's
 * `git commit --amend --no-edit`, which keeps our message, is not taken for ours. Dates a server
 * does not give are no evidence either way (the message and parents decide, as before dates were
 * read): a server that leaves them out must not make every branch of ours look foreign. A rewrite
 * within a minute of the commit, or one that also resets the author date (`--amend
 * --reset-author`), is not told; nor is anything else a person does to look like us on purpose.
 */
export function isOurCommit(
  commit: { parents: readonly unknown[]; message: string } & Partial<CommitDates>,
): boolean {
  const authored = Date.parse(commit.authoredDate ?? '');
  const committed = Date.parse(commit.committedDate ?? '');
  const rewritten =
    !Number.isNaN(authored) && !Number.isNaN(committed) && Math.abs(committed - authored) > REWRITE_GAP_MS;
  return commit.parents.length === 1 && commit.message.includes(COMMIT_TRAILER) && !rewritten;
}
