/**
 * How the bench's table, summary and startup line print numbers: thousands separated by commas,
 * and ratios with two decimals. Apart from table.ts because the startup line (baselines.ts) prints
 * with them too.
 */

export const fmt = (n: number, digits = 0): string => n.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
export const ratio = (a: number, b: number): string =>
  b === 0 ? (a === 0 ? '1.00' : 'inf') : (a / b).toFixed(2);
