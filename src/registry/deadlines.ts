/**
 * The registry phase's time bounds above the single request (http.ts has the timeout per attempt
 * and the deadline per request): a deadline per repository, from its first request on, and a
 * budget for the whole run, from the first repository on. Each repository gets one signal that
 * aborts at whichever comes first; the requests of that repository carry it, so a repository out
 * of time stops at once - what it was waiting for, what it was sending - while every other
 * repository goes on, and the run goes on to write what it found.
 */
import { setMaxListeners } from 'node:events';

/** Default of the run's registry budget when none is given (the Action passes `registry-budget`). */
const DEFAULT_REGISTRY_BUDGET_MS = 15 * 60_000;
/** Default of the deadline per repository. */
export const DEFAULT_REPOSITORY_DEADLINE_MS = 5 * 60_000;

/** `90s`, `5m`, `1h30m`: a duration for a message (mixed units, unlike the inputs' format). */
function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms} ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || ms === 0 ? `${s}s` : ''}`;
}

/** Signals per repository under one run budget; see the module comment. */
export class RegistryDeadlines {
  private budgetTimer: NodeJS.Timeout | undefined;
  /** Why every repository's signal ended (the run's budget ran out, or the run stopped), once one did. */
  private endedBy: Error | undefined;
  /**
   * Each repository's controller, which the budget aborts. Not a listener per repository on one
   * run signal: an EventTarget looks for a duplicate through all its listeners on every add, so
   * a run's repositories cost quadratic CPU (2,000 listings: 70 us a listing, more than a quarter
   * of what the listing's request costs).
   */
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    private readonly budgetMs: number = DEFAULT_REGISTRY_BUDGET_MS,
    private readonly repositoryDeadlineMs: number = DEFAULT_REPOSITORY_DEADLINE_MS,
  ) {}

  /**
   * Ends every repository's signal, and those asked for later, with `reason`: the run stopped and
   * waits for no answer (a request in flight or waiting for a slot would otherwise run on, and keep
   * the process alive, after the run has said it stopped).
   */
  stop(reason: Error): void {
    clearTimeout(this.budgetTimer);
    this.endedBy = reason;
    for (const controller of this.controllers.values()) controller.abort(reason);
  }

  /** The signal of `repository`, its clock (and the run's) started by the first call. */
  signalFor(repository: string): AbortSignal {
    if (this.budgetTimer === undefined && this.endedBy === undefined) {
      this.budgetTimer = setTimeout(() => {
        const reason = new Error(
          `the run's time for registries (registry-budget, ${formatDuration(this.budgetMs)}) ran out`,
        );
        this.endedBy = reason;
        for (const controller of this.controllers.values()) controller.abort(reason);
      }, this.budgetMs);
      // The budget only matters while requests are pending; it never keeps the process alive.
      this.budgetTimer.unref();
    }
    let controller = this.controllers.get(repository);
    if (controller === undefined) {
      const own = new AbortController();
      controller = own;
      // Every request of the repository in flight or waiting for a slot listens: not a leak.
      setMaxListeners(0, own.signal);
      if (this.endedBy !== undefined) own.abort(this.endedBy);
      else {
        const timer = setTimeout(
          () =>
            own.abort(
              new Error(
                `gave up on ${repository} after ${formatDuration(this.repositoryDeadlineMs)}, the time allowed per repository`,
              ),
            ),
          this.repositoryDeadlineMs,
        );
        timer.unref();
      }
      this.controllers.set(repository, own);
    }
    return controller.signal;
  }

  /**
   * Ends the signal of `repository` alone with `reason` (a listing started ahead that the run does
   * not need); a later {@link signalFor} starts it afresh.
   */
  abandon(repository: string, reason: Error): void {
    this.controllers.get(repository)?.abort(reason);
    this.controllers.delete(repository);
  }
}
