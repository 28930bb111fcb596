// The Action's entry point: everything happens in main.ts, once the preflight (imported first, so
// that it runs before GitHub's toolkit loads) has let the step go on.
import './action-preflight.js';
import * as core from '@actions/core';
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

await run();
