/**
 * Which pull requests the `automerge` input lets GitHub merge: the update types each level lets
 * through, never a downgrade. Pure, so that the auto-merge step (`github/auto-merge.ts`) and the
 * pull request body, which tells the reviewer whether GitHub will merge, read one rule.
 */
import type { Update } from './types.js';
import type { UpdateType } from './update-type.js';
import { variantChange } from './tag-suffix.js';

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

/** What each level lets through, as the body says it (with `none` the body says nothing of auto-merge). */
export const AUTOMERGE_COVERS: Record<Exclude<AutomergeLevel, 'none'>, string> = {
  patch: 'patch updates that keep their image variant',
  minor: 'patch and minor updates that keep their image variant',
  all: 'every update but a downgrade',
};

/** What auto-merge reads of an update. */
export type AutomergeFacts = Pick<Update, 'downgrade' | 'type' | 'from' | 'to'>;

/**
 * Why one update keeps its pull request from auto-merge at `level`, or undefined when it
 * qualifies: a downgrade, a type the level does not cover, or (below `all`) a move to another
 * variant of the image (`1.25.3-alpine` to `1.25.4`, a `-debian-11` base to `-debian-12`), which
 * its patch or minor version says little about (tag-suffix.ts).
 */
export function automergeRefusal(
  update: AutomergeFacts,
  level: AutomergeLevel,
): 'downgrade' | 'type' | 'variant' | undefined {
  if (update.downgrade || update.type === 'downgrade') return 'downgrade';
  if (!QUALIFYING[level].has(update.type)) return 'type';
  return level !== 'all' && variantChange(update.from, update.to) !== undefined ? 'variant' : undefined;
}

/** Whether one update qualifies at `level`. */
export function updateQualifies(update: AutomergeFacts, level: AutomergeLevel): boolean {
  return automergeRefusal(update, level) === undefined;
}

/** True when every update of a pull request qualifies for auto-merge at `level`. */
export function qualifiesForAutomerge(updates: readonly AutomergeFacts[], level: AutomergeLevel): boolean {
  return updates.length > 0 && updates.every((u) => updateQualifies(u, level));
}
