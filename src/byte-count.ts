/** A count for a message, its thousands grouped: `1,000,000`. */
export function groupedCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** A byte count for a message: `536,870,912 bytes (512 MiB)`, its MiB or GiB said when whole. */
export function byteCount(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
  ] as const) {
    const whole = bytes / size;
    if (Number.isInteger(whole) && whole > 0) return `${groupedCount(bytes)} bytes (${whole} ${unit})`;
  }
  return `${groupedCount(bytes)} bytes`;
}
