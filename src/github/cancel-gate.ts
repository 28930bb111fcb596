/**
 * A cancelled run makes no new GitHub call and waits only briefly for the calls in flight. The
 * runner stops a cancelled step (the **Cancel** button, a newer run of a `concurrency` group with
 * `cancel-in-progress`, `timeout-minutes`) with SIGINT, then SIGTERM 7.5 s later, then kills it
 * 2.5 s after that (https://docs.github.com/en/actions/reference/workflow-cancellation-reference):
 * the run has those seconds to say what it wrote, and a call retried or queued behind GitHub's
 * write spacing could take them all.
 */
import { GitHubCancelledError } from './github-call.js';
import type { GitHubClient } from './octokit.js';
import { expand } from './rate-limit-stop.js';

/** The two moments of a cancellation the client acts on. */
export interface CancelSignals {
  /** Aborted when the run is cancelled: no call is sent from then on. */
  stop: AbortSignal;
  /** Aborted a little later: a call still unanswered is abandoned. */
  abandon: AbortSignal;
}

/** Marks a request's options once the abandon signal is among its signals. */
const WATCHED = Symbol('abandon signal added');

/**
 * An Octokit plugin: refuses every attempt after `stop` without sending it, and abandons an attempt
 * in flight at `abandon`, each with a {@link GitHubCancelledError}. Registered inside the retry and
 * throttling plugins, it sees every attempt (a retry, a write queued to be spaced out), and its
 * error, not Octokit's, is one those plugins do not retry. Outside the attempt's time limit, whose
 * caller signal it extends, so the limit's plugin sees the abandon signal from the first attempt.
 */
export function cancelGate(signals: CancelSignals) {
  return (octokit: Pick<GitHubClient, 'hook'>): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const graphql = /\/graphql$/.test(options.url);
      const endpoint = graphql ? `${options.method} /graphql` : `${options.method} ${expand(options)}`;
      if (signals.stop.aborted) throw new GitHubCancelledError(endpoint, false);
      const settings = options.request as { signal?: AbortSignal; [WATCHED]?: true };
      if (!settings[WATCHED]) {
        settings[WATCHED] = true;
        settings.signal = settings.signal
          ? AbortSignal.any([settings.signal, signals.abandon])
          : signals.abandon;
      }
      try {
        return await request(options);
      } catch (caught) {
        if (signals.abandon.aborted) throw new GitHubCancelledError(endpoint, true);
        throw caught;
      }
    });
  };
}
