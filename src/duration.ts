/**
 * Durations as the inputs and annotations write them: `0` or a whole number with one unit
 * (`90s`, `30m`, `24h`, `7d`; not `1h30m`). Pure and a leaf: settings and the HelmRelease reader
 * both parse with it, so an input and an annotation accept the same values. Messages write them
 * with mixed units ({@link formatDuration}).
 */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `raw` in milliseconds, or undefined when it is not a duration or is longer than `maxMs`. */
export function durationMs(raw: string, maxMs: number): number | undefined {
  const match = /^(?:0|(\d+)([smhd]))$/.exec(raw.trim());
  if (match === null) return undefined;
  const ms = match[1] === undefined ? 0 : Number(match[1]) * UNIT_MS[match[2]!]!;
  return ms <= maxMs ? ms : undefined;
}

/** `90s`, `5m`, `1h30m`: a duration for a message (mixed units, unlike the inputs' format). */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms} ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || ms === 0 ? `${s}s` : ''}`;
}
