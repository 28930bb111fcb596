/**
 * Optimal string alignment distance (Levenshtein with adjacent transpositions), for "did you mean"
 * hints (a filter prefix, a policy annotation, an input name, a CLI flag). Pure and a leaf; the
 * strings compared are short names, so the quadratic table is cheap.
 *
 * A swap of two neighbouring letters (`--jsno`, `fluxcd.io/lcoked`) is the commonest typo and counts
 * as one edit, not two: Levenshtein put it as far as two unrelated letters, past the bound of a short
 * name. The distance is never more than Levenshtein's, so what was near before stays near.
 * https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance#Optimal_string_alignment_distance
 */

/**
 * The fewest single-character insertions, deletions, substitutions and swaps of two adjacent
 * characters that turn `a` into `b` (no substring edited twice); any number above `limit` once the
 * lengths alone tell (so a huge string from a file costs nothing).
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  // Three rows of the table: i - 2 (for a swap), i - 1 and i.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `name` (ignoring case, `_` and `-` differences count as one edit). */
export function closest(name: string, candidates: readonly string[]): string {
  const key = name.toLowerCase();
  return candidates.reduce((best, candidate) =>
    editDistance(key, candidate.toLowerCase()) < editDistance(key, best.toLowerCase()) ? candidate : best,
  );
}

/**
 * The candidate that `name` is most likely a typo of, or undefined when none is near enough: at
 * most one edit in four characters of the candidate (two at most for short names), so `chart-imag`
 * suggests `chart-image` but `web` does not suggest `db`.
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const key = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const allowed = Math.min(3, Math.max(1, Math.floor(candidate.length / 4)));
    const distance = editDistance(key, candidate.toLowerCase(), allowed);
    if (distance <= allowed && (best === undefined || distance < best.distance))
      best = { candidate, distance };
  }
  return best?.candidate;
}
