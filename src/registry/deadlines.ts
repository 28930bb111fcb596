/**
 * The registry phase's time bounds above the single request (http.ts has the timeout per attempt
 * and the deadline per request): a deadline per repository, and a budget for the whole run, from
 * the first repository on. Each repository gets one signal that aborts at whichever comes first;
 * the requests of that repository carry it, so a repository out of time stops at once - what it
 * was waiting for, what it was sending - while every other repository goes on, and the run goes on
 * to write what it found.
 *
 * A repository's deadline counts only the time it is served: while one of its requests holds a
 * slot or waits to retry, as the request scheduler tells ({@link ServiceWatcher}; its flows are
 * named as repositories are here, registry-session.ts). Its waits for slots that other
 * repositories hold are not its own: counted from its first request on, 80 repositories at 1 s a
 * request and one request in flight per host all gave up at 5 min, queued, none hanging. A
 * repository whose requests hang, or that pages forever, is served all the while and still gives
 * up at its deadline. A wait for a slot is bounded by the requests ahead of it (each by its own
 * deadline) and by the run's budget.
 */
import { setMaxListeners } from 'node:events';
import { formatDuration } from '../duration.js';
import type { ServiceWatcher } from './request-scheduler.js';

/** Default of the run's registry budget when none is given (the Action passes `registry-budget`). */
const DEFAULT_REGISTRY_BUDGET_MS = 15 * 60_000;
/** Default of the deadline per repository. */
export const DEFAULT_REPOSITORY_DEADLINE_MS = 5 * 60_000;

/** A repository's signal and the time it has been served. */
interface RepositoryClock {
  readonly controller: AbortController;
  /** Time served before `since`. */
  servedMs: number;
  /** When the service going on began; `undefined` while the repository is not served. */
  since: number | undefined;
  /**
   * At most one, set while served for the time left then; it may fire before that time is used
   * up (the repository was not served for a while), and sets itself again for the rest if served.
   * So a repository served and left many times costs no timer each time.
   */
  timer: NodeJS.Timeout | undefined;
}

/** Signals per repository under one run budget; see the module comment. */
export class RegistryDeadlines implements ServiceWatcher {
  private budgetTimer: NodeJS.Timeout | undefined;
  /** Why every repository's signal ended (the run's budget ran out, or the run stopped), once one did. */
  private endedBy: Error | undefined;
  /**
   * Each repository's clock, whose controller the budget aborts. Not a listener per repository on
   * one run signal: an EventTarget looks for a duplicate through all its listeners on every add, so
   * a run's repositories cost quadratic CPU (2,000 listings: 70 us a listing, more than a quarter
   * of what the listing's request costs).
   */
  private readonly clocks = new Map<string, RepositoryClock>();
  /** Flows served now, by name, whether or not a clock is theirs yet (one abandoned may come back). */
  private readonly served = new Set<string>();
  private readonly runController = new AbortController();
  /**
   * Aborts when every repository's signal ends (the run stopped, or its budget ran out), with the
   * same reason: for what serves several repositories at once (a token request they share,
   * auth.ts), which no one repository's signal may end. Meant for few listeners.
   */
  readonly runSignal: AbortSignal = this.runController.signal;

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
    this.endAll(reason);
  }

  /** The signal of `repository`; the run's clock starts with the first call. */
  signalFor(repository: string): AbortSignal {
    if (this.budgetTimer === undefined && this.endedBy === undefined) {
      this.budgetTimer = setTimeout(() => {
        this.endAll(
          new Error(
            `the run's time for registries (registry-budget, ${formatDuration(this.budgetMs)}) ran out`,
          ),
        );
      }, this.budgetMs);
      // The budget only matters while requests are pending; it never keeps the process alive.
      this.budgetTimer.unref();
    }
    let clock = this.clocks.get(repository);
    if (clock === undefined) {
      const controller = new AbortController();
      // Every request of the repository in flight or waiting for a slot listens: not a leak.
      setMaxListeners(0, controller.signal);
      if (this.endedBy !== undefined) controller.abort(this.endedBy);
      clock = { controller, servedMs: 0, since: undefined, timer: undefined };
      this.clocks.set(repository, clock);
      if (this.served.has(repository)) this.started(repository);
    }
    return clock.controller.signal;
  }

  /**
   * Ends the signal of `repository` alone with `reason` (a listing started ahead that the run does
   * not need); a later {@link signalFor} starts it afresh.
   */
  abandon(repository: string, reason: Error): void {
    const clock = this.clocks.get(repository);
    if (clock === undefined) return;
    clearTimeout(clock.timer);
    clock.controller.abort(reason);
    this.clocks.delete(repository);
  }

  /** The scheduler's word that `flow` (a repository) is served: its clock runs. */
  started(flow: string): void {
    this.served.add(flow);
    const clock = this.clocks.get(flow);
    if (clock === undefined || clock.since !== undefined || clock.controller.signal.aborted) return;
    clock.since = Date.now();
    if (clock.timer === undefined) this.setTimer(flow, clock);
  }

  /** The scheduler's word that `flow` is no longer served: its clock stops. */
  stopped(flow: string): void {
    this.served.delete(flow);
    const clock = this.clocks.get(flow);
    if (clock?.since === undefined) return;
    clock.servedMs += Date.now() - clock.since;
    clock.since = undefined;
  }

  /** Time `clock` has been served so far. */
  private servedMs(clock: RepositoryClock): number {
    return clock.servedMs + (clock.since === undefined ? 0 : Date.now() - clock.since);
  }

  /** Sets the timer of a repository served, for the time it has left. */
  private setTimer(repository: string, clock: RepositoryClock): void {
    clock.timer = setTimeout(
      () => {
        clock.timer = undefined;
        if (clock.controller.signal.aborted) return;
        if (this.servedMs(clock) >= this.repositoryDeadlineMs) {
          clock.controller.abort(
            new Error(
              `gave up on ${repository} after its requests ran for ${formatDuration(this.repositoryDeadlineMs)}, the time allowed per repository`,
            ),
          );
        } else if (clock.since !== undefined) this.setTimer(repository, clock);
      },
      this.repositoryDeadlineMs - this.servedMs(clock),
    );
    clock.timer.unref();
  }

  /** Ends every repository's signal, and those asked for later, with `reason`. */
  private endAll(reason: Error): void {
    this.endedBy = reason;
    this.runController.abort(reason);
    for (const clock of this.clocks.values()) {
      clearTimeout(clock.timer);
      clock.controller.abort(reason);
    }
  }
}
