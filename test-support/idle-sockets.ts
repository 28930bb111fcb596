/**
 * Keep-alive for the test servers that run inside the test's own process.
 *
 * Node's HTTP server closes an idle keep-alive socket after 5 s; undici (fetch) closes its side
 * after about 4 s. When the event loop is blocked for longer (a loaded machine, a 100,000-tag list
 * being sorted), both timers expire during the block, and the client can send its next request on a
 * socket the server is closing in the same moment: `read ECONNRESET` in a client that does not retry
 * (the GitHub tests run Octokit with `retries: 0`). Real servers keep idle sockets far longer than
 * clients do, so letting the client alone close idle sockets is also the realistic setting.
 */
import type { Server } from 'node:http';

/** Disables the server's keep-alive timeout, so only the client closes idle sockets. */
export function clientClosesIdleSockets<S extends Server>(server: S): S {
  server.keepAliveTimeout = 0;
  return server;
}
