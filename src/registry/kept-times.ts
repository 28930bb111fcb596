/**
 * How the digest cache's file ages what it keeps (digest-cache.ts, remembered-schemes.ts,
 * remembered-listings.ts): the times read from it, when something unchanged is written again, and
 * which entries a bound keeps. Pure.
 */

/** Something unchanged is written again once it was confirmed this long ago. */
const KEEP_ALIVE_MS = 24 * 3_600_000;

/**
 * Whether a fresh confirmation of something unchanged is worth writing: once a day, so what is
 * in use is never forgotten, but not on every run (each write is an Actions cache entry).
 */
export function dueForKeepAlive(lastConfirmed: number, now: number): boolean {
  return now - lastConfirmed >= KEEP_ALIVE_MS;
}

/**
 * A time read from the file in ms, unless unreadable or older than `maxAgeMs`. Only the form the
 * file is written in (`Date#toISOString`) is read: `Date.parse` alone took "1" for 2001 and
 * "12/7/2026" for a date, so a damaged time passed for a recent confirmation.
 */
export function readTime(value: unknown, now: number, maxAgeMs: number): number | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString() !== value) return undefined;
  return now - time > maxAgeMs ? undefined : time;
}

/** The `limit` items with the latest `time`, newest first (sorts `items`). */
export function newestFirst<T>(items: T[], limit: number, time: (item: T) => number): T[] {
  return items.sort((a, b) => time(b) - time(a)).slice(0, Math.max(0, limit));
}
