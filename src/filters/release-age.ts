/**
 * Minimum release age (issue 19, supply-chain safety): a tag whose image was built less than the
 * minimum age ago is not proposed yet. Pure; applied to {@link chooseTag}'s choice.
 *
 * The rule (Renovate's `minimumReleaseAge` with `internalChecksFilter: strict`): when the chosen
 * tag is too young, the next-best tag the filter would choose is tried instead, at most
 * {@link MAX_RELEASE_AGE_CANDIDATES} tags deep; the first old enough is proposed, and its reason
 * says when the younger one will be. A fallback is never a downgrade the first choice was not.
 * When none qualifies, the container is `too-new` with the time the first choice becomes eligible.
 * A tag whose image has no build time (or whose details were not read) is held, fail-safe: its age
 * cannot be known, and a release age of 0 on the release opts it out.
 */
import type { RegistryError, TagDetails } from '../ports.js';
import { chooseTag, type ChooseTagInput, type TagChoice } from './choose-tag.js';

/** How many tags, best first, are tried (and, for semver filters, described) per container. */
export const MAX_RELEASE_AGE_CANDIDATES = 5;

/** The build time of a tag, or undefined when unknown (not read, failed, none, Go's zero time). */
export function buildTime(found: TagDetails | RegistryError | undefined): Date | undefined {
  if (found === undefined || found instanceof Error || found.created === undefined) return undefined;
  const time = found.created.getTime();
  // Go's zero time and the Unix epoch (what reproducible builds write) say nothing about age.
  return Number.isNaN(time) || time <= 0 ? undefined : found.created;
}

function formatTime(time: Date): string {
  return time.toISOString().replace('.000Z', 'Z');
}

/** `3d`, `12h`, `90m`, `45s`: the largest whole unit. */
export function formatAge(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${Math.round(ms / 1000)}s`;
}

/**
 * Why the image of `tag` (its `details`) may not be proposed yet under a minimum release age of
 * `minimumMs` at `now`, or undefined when it may.
 */
export function releaseAgeHold(
  tag: string,
  details: TagDetails | RegistryError | undefined,
  minimumMs: number,
  now: Date,
): string | undefined {
  if (minimumMs <= 0) return undefined;
  const age = formatAge(minimumMs);
  const built = buildTime(details);
  if (built === undefined) {
    return `${tag} is held: its build time is unknown, so its age cannot be checked (minimum release age ${age})`;
  }
  const eligible = new Date(built.getTime() + minimumMs);
  if (eligible.getTime() <= now.getTime()) return undefined;
  return `${tag} (built ${formatTime(built)}) is younger than the minimum release age ${age} and will be proposed from ${formatTime(eligible)}`;
}

/** Chooses the tag as {@link chooseTag} does, holding back tags younger than `minimumMs` at `now`. */
export function chooseTagWithReleaseAge(input: ChooseTagInput, minimumMs: number, now: Date): TagChoice {
  const first = chooseTag(input);
  if (first.decision.kind !== 'update') return first;
  if (minimumMs <= 0) return first;
  const firstIsDowngrade = first.decision.downgrade;
  const held: string[] = [];
  let tags = input.tags;
  let choice = first;
  for (let tried = 0; tried < MAX_RELEASE_AGE_CANDIDATES; tried += 1) {
    const decision = choice.decision;
    if (decision.kind !== 'update') break;
    if (decision.downgrade && !firstIsDowngrade) break;
    const details = input.details.get(decision.tag);
    const hold = releaseAgeHold(decision.tag, details, minimumMs, now);
    if (hold === undefined) {
      if (held.length === 0) return choice;
      return {
        decision: {
          ...decision,
          chosenBy: `${decision.chosenBy}; ${held.join('; ')}`,
          heldBack: held.join('; '),
        },
        problems: [...first.problems, ...choice.problems.filter((p) => !first.problems.includes(p))],
      };
    }
    held.push(hold);
    // Without a build time no later tag is tried: its age could not be compared either.
    if (buildTime(details) === undefined) break;
    const without = decision.tag;
    tags = tags.filter((tag) => tag !== without);
    choice = chooseTag({ ...input, tags });
  }
  return {
    decision: { kind: 'too-new', reason: `not proposed yet: ${held.join('; ')}` },
    problems: first.problems,
  };
}
