// The Action's entry point: everything happens in main.ts, once the preflight (imported first, so
// that it runs before GitHub's toolkit loads) has let the step go on.
import './action-preflight.js';
import { run } from './main.js';

await run();
