/**
 * The two undici dispatchers `http-connections.ts` sends with, each taken from its own module.
 * undici's index loads all of undici when the bundle starts: fetch, WebSocket, EventSource, the
 * mock agents and the cache. Without it the CLI's bundle is 2.1 MB instead of 2.55 MB, and
 * `--version` took 80 ms instead of 91 ms (issue 17).
 *
 * The index also gives every dispatcher its API methods (`Object.assign(Dispatcher.prototype,
 * api)`). Of those, undici's own dispatchers call only `connect`: ProxyAgent opens its tunnels with
 * it. So it is given here too; the proxy tests of `http-connections.test.ts` fail without it.
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import connect from 'undici/lib/api/api-connect.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

if (!Object.hasOwn(Dispatcher.prototype, 'connect')) Object.assign(Dispatcher.prototype, { connect });

export { Agent, EnvHttpProxyAgent };
