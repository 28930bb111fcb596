/**
 * Where a spawned run's wall time goes, read from the front's log of its requests (issue 17): the
 * lead before its first request reaches the front, the registry phase from then to its last answer,
 * and the tail from there to the process's end. The registry phase is split further into the
 * front's own time per request (its 20 ms and its timer's lateness) and the client's turn: how long
 * a slot stays empty between an answer and the request that takes its place, which is where a
 * client busy with other work (a parse, the collector) shows. Set beside the same parts of a client
 * that does nothing but the listings, they say which part of the CLI's extra time is its start, its
 * turns or its end. Pure: every time is in the bench process's `performance.now()` clock, which
 * the front's log uses too.
 */

/** A request as the front logged it (arrived and finished in the bench's clock). */
export interface LoggedRequest {
  arrived?: number;
  finished?: number;
}

/** A run's wall time in parts; every figure in milliseconds. */
export interface WallParts {
  /** From the spawn to the first request's arrival at the front. */
  leadMs: number;
  /** From the first request's arrival to the last answer's end. */
  registryMs: number;
  /** From the last answer's end to the process's end (as the bench saw it close). */
  tailMs: number;
  /** The front's mean time per request, arrival to answer sent (the injected latency and its own lateness). */
  frontMs: number;
  /**
   * The client's mean turn: for each request that waited for a slot (every one after the first
   * `concurrency`), the time from the answer that freed its slot to its arrival.
   */
  turnMs: number;
  /**
   * The same turn by {@link TURN_WINDOW_MS} from the first request's arrival, the requests taken by
   * when they arrived; null for a window where none took a slot another had freed. A run that
   * scans while it lists shows its scan here: its early windows' turns are longer than its late
   * ones, where a client that does nothing keeps one turn throughout (round 33).
   */
  turnByWindowMs: (number | null)[];
}

/** The width of each window of {@link WallParts.turnByWindowMs}. */
export const TURN_WINDOW_MS = 200;

/**
 * The parts of a run spawned at `started` and seen ending at `ended`, from the requests the front
 * logged for it with `concurrency` in flight; undefined when no request was answered.
 */
export function wallParts(
  requests: readonly LoggedRequest[],
  started: number,
  ended: number,
  concurrency: number,
): WallParts | undefined {
  const answered = requests.filter(
    (r): r is Required<LoggedRequest> => r.arrived !== undefined && r.finished !== undefined,
  );
  if (answered.length === 0) return undefined;
  const byArrival = [...answered].sort((a, b) => a.arrived - b.arrived);
  const finishes = answered.map((r) => r.finished).sort((a, b) => a - b);
  const first = byArrival[0]!.arrived;
  const last = finishes[finishes.length - 1]!;
  // With `concurrency` slots, the request after the first `concurrency` can only take the slot the
  // first answer freed, the next one the second answer's, and so on.
  const waited = byArrival.slice(concurrency);
  const turns = waited.map((request, i) => request.arrived - finishes[i]!);
  const mean = (values: readonly number[]) =>
    values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
  const windows: number[][] = [];
  waited.forEach((request, i) => {
    const window = Math.floor((request.arrived - first) / TURN_WINDOW_MS);
    (windows[window] ??= []).push(turns[i]!);
  });
  return {
    leadMs: first - started,
    registryMs: last - first,
    tailMs: ended - last,
    frontMs: mean(answered.map((r) => r.finished - r.arrived)),
    turnMs: mean(turns),
    turnByWindowMs: Array.from(windows, (window) => (window === undefined ? null : mean(window))),
  };
}
