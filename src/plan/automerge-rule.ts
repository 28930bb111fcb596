/**
 * Which pull requests the `automerge` input lets GitHub merge: the update types each level lets
 * through, never a downgrade. Pure, so that the auto-merge step (`github/auto-merge.ts`) and the
 * pull request body, which tells the reviewer whether GitHub will merge, read one rule.
 */
import type { Update } from './types.js';
import type { UpdateType } from './update-type.js';

/** The `automerge` input. */
export const AUTOMERGE_LEVELS = ['none', 'patch', 'minor', 'all'] as const;
export type AutomergeLevel = (typeof AUTOMERGE_LEVELS)[number];

/** The update types each level lets through (a downgrade never). */
const QUALIFYING: Record<AutomergeLevel, ReadonlySet<UpdateType>> = {
  none: new Set(),
  patch: new Set(['patch']),
  minor: new Set(['patch', 'minor']),
  all: new Set(['patch', 'minor', 'major', 'pre-release', 'build']),
};

/** What each level lets through, as the body says it. */
export const AUTOMERGE_COVERS: Record<AutomergeLevel, string> = {
  none: 'no update',
  patch: 'patch updates',
  minor: 'patch and minor updates',
  all: 'every update but a downgrade',
};

/** Whether one update qualifies at `level`. */
export function updateQualifies(update: Pick<Update, 'downgrade' | 'type'>, level: AutomergeLevel): boolean {
  return !update.downgrade && update.type !== 'downgrade' && QUALIFYING[level].has(update.type);
}

/** True when every update of a pull request qualifies for auto-merge at `level`. */
export function qualifiesForAutomerge(
  updates: readonly Pick<Update, 'downgrade' | 'type'>[],
  level: AutomergeLevel,
): boolean {
  return updates.length > 0 && updates.every((u) => updateQualifies(u, level));
}
