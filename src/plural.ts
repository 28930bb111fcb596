/**
 * A count and its noun, for every message and report that counts (the run's log, the CLI, the job
 * summary, the scan's warnings): a leaf of its own, so the core does not import a renderer for it.
 */

/** `1 container`, `2 containers`; `plural(2, 'repository', 'repositories')`. */
export function plural(count: number, singular: string, many = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : many}`;
}
