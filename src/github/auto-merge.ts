/**
 * Automerge (issue 19): turns on GitHub's native auto-merge (GraphQL `enablePullRequestAutoMerge`,
 * https://docs.github.com/graphql/reference/mutations#enablepullrequestautomerge) on the pull
 * requests whose every update qualifies. GitHub merges once branch protection is satisfied; this
 * Action never merges itself. Never for a downgrade, never for a pull request the writer skipped
 * (someone else's commits on its branch). When the repository does not allow auto-merge or the
 * token may not, one warning, and the pull requests stay open for review.
 */
import type { PullRequestOutcome } from '../ports.js';
import { warning, type Problem } from '../problems.js';
import { qualifiesForAutomerge, type AutomergeLevel } from '../plan/automerge-rule.js';
import type { Repository } from './github-call.js';
import { autoMergeAdvice } from './refusal-advice.js';

export { AUTOMERGE_LEVELS, qualifiesForAutomerge, type AutomergeLevel } from '../plan/automerge-rule.js';
/** The `merge-method` input. */
export const MERGE_METHODS = ['merge', 'squash', 'rebase'] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

/** Pull requests that exist after the run as this Action left them. */
const WRITTEN = new Set(['created', 'updated', 'unchanged']);

/**
 * Pull requests per GraphQL request: one query reads a batch's state and one mutation enables
 * auto-merge on those that lack it, each pull request under its own alias. Bounded so one
 * request's cost stays small under GitHub's GraphQL rate limits and timeouts.
 */
export const AUTOMERGE_BATCH = 20;

interface PullState {
  id: string;
  state: string;
  autoMergeRequest: unknown;
}

/** A GraphQL answer with errors, as Octokit's `GraphqlResponseError` carries it. */
interface PartialAnswer {
  data?: Record<string, unknown> | null;
  errors: { message?: string; path?: readonly (string | number)[] }[];
}

function isPartialAnswer(e: unknown): e is PartialAnswer {
  return typeof e === 'object' && e !== null && Array.isArray((e as { errors?: unknown }).errors);
}

/** The error's text without Octokit's preamble. */
function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(
    /^Request failed due to following response errors:\s*-?\s*/,
    '',
  );
}

/**
 * Runs a request of aliased fields (`p0`, `p1`, ...): each alias's value, or the message of the
 * error GitHub answered for it (by the error's `path`); a request that failed as a whole gives
 * every alias its message.
 */
async function perAlias<T>(
  aliases: readonly string[],
  request: () => Promise<Record<string, unknown> | null | undefined>,
  pick: (data: Record<string, unknown>, alias: string) => T | null | undefined,
): Promise<Map<string, { ok: true; value: T | null } | { ok: false; message: string }>> {
  let data: Record<string, unknown> | null | undefined;
  const failed = new Map<string, string>();
  try {
    data = await request();
  } catch (e) {
    if (!isPartialAnswer(e)) {
      const message = messageOf(e);
      return new Map(aliases.map((alias) => [alias, { ok: false, message }]));
    }
    data = e.data;
    for (const error of e.errors) {
      const message = error.message ?? 'unknown error';
      const at = error.path?.find((part) => typeof part === 'string' && aliases.includes(part));
      // An error on no alias (a malformed request, a limit) concerns them all.
      for (const alias of typeof at === 'string' ? [at] : aliases) {
        if (!failed.has(alias)) failed.set(alias, message);
      }
    }
  }
  return new Map(
    aliases.map((alias) => {
      const message = failed.get(alias);
      return [
        alias,
        message !== undefined
          ? { ok: false, message }
          : { ok: true, value: data ? (pick(data, alias) ?? null) : null },
      ];
    }),
  );
}

/** One query reading the state of a batch of pull requests, `p0: pullRequest(number: $p0)`. */
function stateQuery(count: number): string {
  const declarations = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    declarations.push(`$p${i}: Int!`);
    fields.push(`p${i}: pullRequest(number: $p${i}) { id state autoMergeRequest { enabledAt } }`);
  }
  return `query AutoMergeState(${declarations.join(', ')}) {
  repository(owner: $owner, name: $name) {
    ${fields.join('\n    ')}
  }
}`;
}

/** One mutation enabling auto-merge on a batch, `m0: enablePullRequestAutoMerge(...)` each. */
function enableMutation(count: number): string {
  const declarations = ['$mergeMethod: PullRequestMergeMethod!'];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    declarations.push(`$m${i}: ID!`);
    fields.push(
      `m${i}: enablePullRequestAutoMerge(input: { pullRequestId: $m${i}, mergeMethod: $mergeMethod }) { pullRequest { number } }`,
    );
  }
  return `mutation EnableAutoMerge(${declarations.join(', ')}) {
  ${fields.join('\n  ')}
}`;
}

/**
 * Enables auto-merge on the qualifying pull requests, {@link AUTOMERGE_BATCH} at a time: one query
 * for their state, and one mutation for those not yet enabled (an unchanged run writes nothing).
 * GitHub answers each alias on its own, so one pull request's refusal is its own warning and does
 * not hide the others' success; pull requests refused for the same reason (the repository does not
 * allow auto-merge) share one warning, and when a whole batch is refused alike, the later batches
 * are not tried.
 */
export async function enableAutoMerge(
  repository: Repository,
  outcomes: readonly PullRequestOutcome[],
  level: AutomergeLevel,
  method: MergeMethod,
  log: (message: string) => void,
): Promise<Problem[]> {
  if (level === 'none') return [];
  const { owner, repo: name } = repository;
  const candidates = outcomes.filter(
    (outcome): outcome is PullRequestOutcome & { number: number } =>
      WRITTEN.has(outcome.action) &&
      outcome.number !== undefined &&
      qualifiesForAutomerge(outcome.updates, level),
  );
  /** Refusal message to the pull requests refused with it, in order. */
  const refused = new Map<string, (PullRequestOutcome & { number: number })[]>();
  const refuse = (message: string, outcome: PullRequestOutcome & { number: number }): void => {
    refused.set(message, [...(refused.get(message) ?? []), outcome]);
  };
  let untried = 0;
  for (let start = 0; start < candidates.length; start += AUTOMERGE_BATCH) {
    const batch = candidates.slice(start, start + AUTOMERGE_BATCH);
    const variables: Record<string, unknown> = { owner, name };
    batch.forEach((outcome, i) => (variables[`p${i}`] = outcome.number));
    const states = await perAlias<PullState>(
      batch.map((_, i) => `p${i}`),
      () => repository.github.graphql<Record<string, unknown>>(stateQuery(batch.length), variables),
      (data, alias) => (data.repository as Record<string, PullState | null> | null)?.[alias],
    );
    const pending: { outcome: PullRequestOutcome & { number: number }; id: string }[] = [];
    // The refusals of this batch, and their distinct messages.
    let refusals = 0;
    const messages = new Set<string>();
    batch.forEach((outcome, i) => {
      const state = states.get(`p${i}`)!;
      if (!state.ok) {
        refuse(state.message, outcome);
        refusals++;
        messages.add(state.message);
      } else if (state.value && state.value.state === 'OPEN' && !state.value.autoMergeRequest) {
        pending.push({ outcome, id: state.value.id });
      }
    });
    if (pending.length > 0) {
      const mutation: Record<string, unknown> = { mergeMethod: method.toUpperCase() };
      pending.forEach(({ id }, i) => (mutation[`m${i}`] = id));
      const answers = await perAlias<unknown>(
        pending.map((_, i) => `m${i}`),
        () => repository.github.graphql<Record<string, unknown>>(enableMutation(pending.length), mutation),
        (data, alias) => data[alias],
      );
      pending.forEach(({ outcome }, i) => {
        const answer = answers.get(`m${i}`)!;
        if (answer.ok && answer.value) {
          log(`Auto-merge (${method}) enabled on #${outcome.number}`);
        } else {
          const message = answer.ok ? 'GitHub answered nothing for it' : answer.message;
          refuse(message, outcome);
          refusals++;
          messages.add(message);
        }
      });
    }
    // The whole batch refused alike: the repository or the token refuses them all.
    if (refusals === batch.length && messages.size === 1) {
      untried = candidates.length - start - batch.length;
      break;
    }
  }
  return [...refused].map(([message, pulls]) => {
    const numbers = pulls.map((pull) => `#${pull.number}`).join(', ');
    const first = pulls.length === 1 ? pulls[0]!.updates[0] : undefined;
    return warning(
      first?.file ?? '',
      first?.line ?? 0,
      `automerge: auto-merge could not be enabled on ${numbers} (${message}); ` +
        `${pulls.length === 1 ? 'it stays' : 'they stay'} open for review` +
        (untried > 0 ? `, and ${untried} more qualifying pull requests were not tried` : '') +
        `. ${autoMergeAdvice(message)}`,
    );
  });
}
