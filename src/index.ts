// The Action's entry point: everything happens in main.ts, once the preflight (imported first, so
// that it runs before GitHub's toolkit loads) has let the step go on, but for how a cancelled step ends.
import './action-preflight.js';
import * as core from '@actions/core';
import { cancelledAfterReport, cancelledFailure, publishLateCancel, watchCancel } from './action-cancel.js';
import { run } from './main.js';
import { unexpectedFailureText } from './unexpected-failure.js';

// run() reports its own failures; an error thrown from a callback or a promise nobody awaited
// would get Node's report, which prints every field of the error (a request's headers): it fails
// the step with the error's message, stack and causes only.
const failUnexpectedly = (thrown: unknown): void => {
  core.setFailed(unexpectedFailureText(thrown).trimEnd());
  process.exit(1);
};
process.on('uncaughtException', failUnexpectedly);
process.on('unhandledRejection', failUnexpectedly);

// A cancelled step publishes what it did (action-cancel.ts): its own report, or a short one when
// that is not ready in time; either way it ends then, not when the last socket closes.
const cancel = watchCancel();
const finished = run(process.env, cancel).then(() => true);
const inTime = await Promise.race([finished, cancel.deadline.then(() => false)]);
if (cancel.signal) {
  if (!inTime && !cancel.reported) await publishLateCancel(cancel.signal);
  else if (process.exitCode) {
    // Failed already, by main.ts (for the signal, or for its own reasons before it).
  } else if (cancel.reported === 'cancelled') {
    // Its report said so; main.ts is still on its way to failing the step.
    core.setFailed(cancelledFailure(cancel.signal));
  }
  // The signal came once its complete report was out, while the digest cache was saved.
  else core.setFailed(cancelledAfterReport(cancel.signal));
  process.exit(process.exitCode || 1);
}
cancel.dispose();
