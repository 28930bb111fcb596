/**
 * The front proxy's settings for the bench's CLI runs: the latency it injects per request, the
 * tag page size it serves, and the kinds of request it counts. Apart from scripts/bench.ts because the minimum (minimum.ts), the
 * calibration (baselines.ts) and the table (table.ts) all compute with them, and bench.ts is the
 * entry point, which no module imports.
 */
import type { FrontRequestKind } from '../../test-support/registry/index.js';

/** The latency the front adds to every request, in milliseconds. */
export const LATENCY_MS = 20;
/** Tags per page of a listing through the front. */
export const PAGE_SIZE = 100;
/** Every kind of request the front counts, in the order the tables list them. */
export const KINDS: FrontRequestKind[] = [
  'tagPage',
  'headManifest',
  'getManifest',
  'getBlob',
  'ping',
  'other',
];
