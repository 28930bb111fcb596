/**
 * The lines that hold a release back (`blocked`): the first sets its reason, the others are kept
 * beside it (`alsoHeldAt`), each once, so that explain can name every one. A release held already
 * (its own unusable annotation, a Kustomize patch document) keeps its reason: a hold found later
 * is added beside it. Pure.
 */
import type { ReleasePolicies } from './types.js';

/** A line that holds a release: its file and line. */
export type HoldPlace = { file: string; line: number };

/** True when `a` and `b` are the same line of the same file. */
export function samePlace(a: HoldPlace, b: HoldPlace | undefined): boolean {
  return b !== undefined && a.file === b.file && a.line === b.line;
}

/**
 * `policies` held at `places` (at least one) for `reason`: when not held yet, the first place's
 * reason and place become `blocked` and `blockedAt`; every place not named yet goes to `alsoHeldAt`.
 */
export function withHolds(
  policies: ReleasePolicies,
  reason: string,
  places: readonly HoldPlace[],
): ReleasePolicies {
  const next: ReleasePolicies =
    policies.blocked === undefined ? { ...policies, blocked: reason, blockedAt: places[0] } : { ...policies };
  const named: HoldPlace[] = [...(next.alsoHeldAt ?? [])];
  for (const place of places)
    if (!samePlace(place, next.blockedAt) && !named.some((k) => samePlace(place, k))) named.push(place);
  if (named.length > 0) next.alsoHeldAt = named;
  return next;
}
