/**
 * Pull request writes: open one (or, when another run opened it meanwhile, update that one),
 * retitle one, and close the ones a newer pull request supersedes or the base branch made obsolete.
 */
import { parseMarker, replaceMarker } from '../plan/pull-request-text.js';
import type { OpenPull } from './pull-request-facts.js';
import type { PresentDecorations } from './missing-decorations.js';
import { presentDecorations } from './read-state.js';
import { call, fullName, isAlreadyExists, repoParams, type Repository } from './github-call.js';

/** A pull request as the writer reports it. */
export interface WrittenPull {
  number: number;
  url: string;
}

/** Sets a pull request's title and body. */
export async function updatePull(
  repository: Repository,
  number: number,
  title: string,
  body: string,
): Promise<void> {
  await call(`PATCH /repos/${fullName(repository)}/pulls/${number}`, () =>
    repository.github.rest.pulls.update({ ...repoParams(repository), pull_number: number, title, body }),
  );
}

/**
 * Opens the pull request; when another run opened it meanwhile, updates that one instead. One a
 * person opened from the branch (its description has no marker of ours) is left as it is
 * (`others`): its title and description are theirs, and taking it over would replace them now and
 * at every later retitle.
 */
export async function createPull(
  repository: Repository,
  pull: { branch: string; base: string; title: string; body: string },
): Promise<
  | { created: true; pull: WrittenPull; author: string | undefined }
  | { created: false; pull: WrittenPull; present: PresentDecorations }
  | { created: false; pull: WrittenPull; others: true }
> {
  const { github } = repository;
  const params = repoParams(repository);
  const { branch, base, title, body } = pull;
  try {
    const created = await call(`POST /repos/${fullName(repository)}/pulls`, () =>
      github.rest.pulls.create({ ...params, head: branch, base, title, body, maintainer_can_modify: false }),
    );
    return {
      created: true,
      pull: { number: created.number, url: created.html_url },
      author: created.user?.login,
    };
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const existing = await call(`GET /repos/${fullName(repository)}/pulls`, () =>
      github.rest.pulls.list({ ...params, state: 'open', head: `${repository.owner}:${branch}`, base }),
    );
    const found = existing[0];
    if (!found) throw e;
    // The marker says it is ours, whoever opened it (another run may use another token).
    if (!parseMarker(found.body ?? '')) {
      return { created: false, pull: { number: found.number, url: found.html_url }, others: true };
    }
    if (found.title !== title || found.body !== body) await updatePull(repository, found.number, title, body);
    return {
      created: false,
      pull: { number: found.number, url: found.html_url },
      present: presentDecorations(found),
    };
  }
}

/**
 * Closes a pull request a newer one replaces, marking it superseded (so its tags may come back);
 * `moves` are the files it edits that moved on the base (why the newer one is on another branch).
 */
export async function closeAsSuperseded(
  repository: Repository,
  pull: OpenPull,
  by: number,
  moves: readonly { from: string; to: string }[] = [],
): Promise<void> {
  const why = moves.length ? `: ${moves.map((m) => `${m.from} moved to ${m.to}`).join(', ')}` : '';
  const body = replaceMarker(`${pull.body}\n\nSuperseded by #${by}${why}.`, {
    ...pull.marker,
    supersededBy: by,
  });
  await closeWithBody(repository, pull.number, body);
}

/**
 * Closes a pull request whose tags the base branch already has, marking it obsolete (so its tags
 * may come back: nobody refused them).
 */
export async function closeAsObsolete(repository: Repository, pull: OpenPull, base: string): Promise<void> {
  const body = replaceMarker(`${pull.body}\n\nClosed: ${base} already has these tags.`, {
    ...pull.marker,
    obsolete: true,
  });
  await closeWithBody(repository, pull.number, body);
}

/** Closes a pull request, setting its body. */
async function closeWithBody(repository: Repository, number: number, body: string): Promise<void> {
  await call(`PATCH /repos/${fullName(repository)}/pulls/${number}`, () =>
    repository.github.rest.pulls.update({
      ...repoParams(repository),
      pull_number: number,
      state: 'closed',
      body,
    }),
  );
}
