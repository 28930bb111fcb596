/**
 * Registries given up on in a run because they answer nothing: once the first repositories of a
 * registry have each failed with no HTTP answer at all (connection refused or reset, DNS, TLS,
 * attempt timeouts - after their own retries) and no request to it has had any answer, its
 * repositories that have not sent a request yet fail at once, naming the registry and the first
 * error, instead of each waiting out its own timeouts and retries. Measured with the CLI: 40
 * repositories on a host that took connections and never answered ran 476 s, 8 at a time; 500
 * would have spent the run's whole registry budget (deadlines.ts) on it.
 *
 * A registry that has answered anything in the run (a 401, 404, 429 or 5xx is an answer) is never
 * given up on so: it is up, and a failure of one of its repositories is that repository's. Keyed by
 * the registry as the run names it (`ghcr.io`, `127.0.0.1:7777`). Pure: registry-session.ts tells
 * it what each request saw.
 */

/**
 * Repositories that must each fail unanswered before their registry is given up on. More than one,
 * as a single failure may be a transient fault (a connection reset, a DNS hiccup); three distinct
 * repositories, each after its own retries, are not one fault. With 8 requests in flight per host
 * they are of the first wave (a retry goes before requests not started, http.ts), so the run waits
 * out that wave's timeouts and retries, whatever the number of repositories: the 40 above took
 * 210 s, the first given up after about 150 s, and those under way then finished.
 */
export const UNANSWERED_REPOSITORIES = 3;

/** What is known of one registry. */
interface RegistryState {
  answered: boolean;
  /** Repositories that failed unanswered, while the registry has answered nothing. */
  failed: Set<string>;
  /** The first of their errors, as the repository's problem said it. */
  firstError: string | undefined;
  /** Why its requests are not sent, once it is given up on. */
  refusal: string | undefined;
}

/** See the module comment. */
export class UnansweredRegistries {
  private readonly registries = new Map<string, RegistryState>();

  constructor(private readonly threshold: number = UNANSWERED_REPOSITORIES) {}

  /** A request to `registry` had an HTTP answer (any status): it is never given up on. */
  answered(registry: string): void {
    const state = this.stateOf(registry);
    state.answered = true;
    state.failed.clear();
    state.refusal = undefined;
  }

  /** A request of `repository` to `registry` failed, after its retries, with no HTTP answer. */
  unanswered(registry: string, repository: string, error: string): void {
    const state = this.stateOf(registry);
    if (state.answered || state.refusal !== undefined) return;
    state.failed.add(repository);
    state.firstError ??= error;
    if (state.failed.size >= this.threshold) {
      state.refusal =
        `not asked: ${registry} answered none of its first ${state.failed.size} repositories (${state.firstError}); ` +
        'check that it is up and reachable from where the run is, and its name or registry-mirrors entry';
    }
  }

  /**
   * Why a request to `registry` is not to be sent (it is given up on), in words for the problem of
   * the repository that would have sent it; undefined while it may be.
   */
  refusal(registry: string): string | undefined {
    const state = this.registries.get(registry);
    return state?.answered ? undefined : state?.refusal;
  }

  private stateOf(registry: string): RegistryState {
    let state = this.registries.get(registry);
    if (state === undefined) {
      state = { answered: false, failed: new Set(), firstError: undefined, refusal: undefined };
      this.registries.set(registry, state);
    }
    return state;
  }
}
