/**
 * The turn of the event loop a run takes between files (issue 17), apart from run-update.ts: what
 * makes a turn long enough depends on undici's order of immediates, not on the run's steps. The
 * registry's client takes one too before it hands on an answer that freed a slot (http.ts).
 */

/**
 * A turn of the event loop, taken after each file scanned or planned: the registry's requests and
 * answers run on the same thread as the parse and the plan, and an answer that comes in while a
 * file is parsed waits for it to end (issue 17). A file of the issue corpus takes about half a
 * millisecond. A turn after every millisecond of work instead (by `Date.now()`, so after 0 to 2
 * ms) made that corpus's run 4% slower (1.21 s against 1.16 s, Node 24, the registry from
 * memory). A turn costs a few microseconds.
 *
 * It is two immediates, not one. undici writes a request on a kept-alive connection only after an
 * immediate of its own, queued as the answer before it is read (the idle-socket check of
 * GHSA-35p6-xmwp-9g52), and immediates run in the order they were queued: a single one, queued
 * by the file before, came first and the next file's parse held every such write back. With the
 * second queued from the first, those writes go before it (the issue corpus's requests were
 * written 0.3 ms after they were made, not 0.6 ms; its runs took 40 ms less). It then goes on
 * while `writing` (the registry's `RegistryPort.writing`, ports.ts) says requests wait to be
 * written, for at most {@link MAX_WRITE_TURNS} more immediates.
 */
export function nextTurn(writing?: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    let left = MAX_WRITE_TURNS;
    const last = (): void => {
      if (writing?.() && left > 0) {
        left -= 1;
        setImmediate(last);
      } else resolve();
    };
    setImmediate(() => setImmediate(last));
  });
}

/**
 * Immediates a turn goes on for while the registry has requests not yet written. Two are not
 * always enough: an answer read between them queues its next request's write after the second,
 * and the parse that follows held it back (issue 17: about 9 ms off the issue corpus's registry
 * phase, warm and cold, alternated; docs/performance.md round 21). A bound, because a request
 * waiting for a connection to open or to be free stays unwritten for a round trip, which a turn
 * does not wait for.
 */
const MAX_WRITE_TURNS = 4;
