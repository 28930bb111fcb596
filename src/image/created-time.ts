/**
 * Image creation times at Go's precision. Flux v1 parsed `created` into a Go `time.Time`
 * (nanoseconds) and ordered images by it; a JavaScript Date holds milliseconds, so two builds in
 * the same millisecond would tie and fall to the tag order. A {@link CreatedTime} is a Date plus
 * the nanoseconds below its millisecond. Pure.
 */

/** A Date plus `nanos`, the nanoseconds below its millisecond (0 to 999,999; absent means 0). */
export type CreatedTime = Date & { readonly nanos?: number };

/** `date` with `nanos` nanoseconds below its millisecond. */
export function withNanos(date: Date, nanos: number): CreatedTime {
  if (nanos > 0) Object.defineProperty(date, 'nanos', { value: nanos, enumerable: false });
  return date;
}

/** Orders creation times at nanosecond precision: negative when `a` is earlier than `b`. */
export function compareCreated(a: CreatedTime, b: CreatedTime): number {
  const byMillis = a.getTime() - b.getTime();
  if (byMillis !== 0) return byMillis;
  return (a.nanos ?? 0) - (b.nanos ?? 0);
}

/** RFC 3339 in UTC with the whole fraction (`2024-01-02T03:04:05.123456789Z`). */
export function formatCreated(time: CreatedTime): string {
  const iso = time.toISOString();
  if (!time.nanos) return iso;
  return `${iso.slice(0, -1)}${String(time.nanos).padStart(6, '0')}Z`;
}
