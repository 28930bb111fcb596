/**
 * Connections opened ahead of the requests that will use them.
 *
 * While the first request to a registry learns how it authenticates, the requests for its other
 * repositories wait (registry-session.ts), and once it answers they all need connections at once:
 * a TCP and, over HTTPS, a TLS handshake each, one to three round trips before the first of them
 * can be written. The same goes for a request that waits for its token, often from another host
 * (auth.docker.io). Opened while they wait, those connections are ready when the wait ends.
 *
 * They are undici's own connections: the {@link ConnectionsAhead.connector} that undici's Agent
 * opens its connections with hands out a connection opened ahead for the same origin when one is
 * ready, and opens one as undici would otherwise. Both go through undici's connector with undici's
 * defaults, so TLS is checked as for any other connection. Nothing is sent on a connection until
 * undici sends a request. One the server closed or reset before that is forgotten, not handed out;
 * bytes a server sent on one before any request are seen by undici as it takes the connection,
 * before it writes, and it then sends the request on a new connection (the tests hold it to that).
 * Connections are opened ahead only while the origin has fewer than `maxPerOrigin` open or opening
 * (undici's and these together), and undici waits for one being opened rather than open another,
 * so the host stays within its bound. Each is closed when no request took it within `idleMs`.
 * While waiting they keep no run alive.
 */
import type { Socket } from 'node:net';
import buildConnector from 'undici/lib/core/connect.js';

/** What undici asks its connector for (`client.js`, `connect`). */
type ConnectRequest = buildConnector.Options;

type ConnectCallback = buildConnector.Callback;

/** How long a connection opened ahead waits for a request: undici's own idle timeout. */
const IDLE_MS = 4_000;

/** A connection opened ahead, and how to hand it over to undici. */
interface Ready {
  socket: Socket;
  release: () => void;
}

/** One origin's connections. */
interface Origin {
  /** Opened ahead and ready to be handed out, oldest first. */
  ready: Ready[];
  /** Being opened ahead. */
  opening: number;
  /** undici's (through this connector), open or being opened, until they close. */
  inUse: number;
  /** undici's connections waiting for one being opened ahead, first come first served. */
  claims: Array<(socket: Socket | undefined) => void>;
}

/** Connections opened ahead, by origin; see the module comment. */
export class ConnectionsAhead {
  private readonly open = buildConnector({});
  private readonly origins = new Map<string, Origin>();

  constructor(
    private readonly maxPerOrigin: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** undici's connector: a connection opened ahead for the origin when one is ready, else a new one. */
  readonly connector = (request: ConnectRequest, callback: ConnectCallback): void => {
    if (request.httpSocket) {
      this.open(request, callback);
      return;
    }
    const origin = this.originOf(request);
    const open = () => this.open(request, counted(origin, callback));
    const handOver = (socket: Socket) => counted(origin, callback)(null, socket);
    if (origin.ready.length > 0) {
      // After the events the loop has already polled, so that a close the server sent just before
      // is seen here rather than by the request (as undici checks an idle connection before reuse).
      setImmediate(() => {
        const socket = take(origin);
        if (socket) handOver(socket);
        else open();
      });
    } else if (origin.opening > origin.claims.length) {
      // One is on its way: a second connection meanwhile would take the host past its bound.
      origin.claims.push((socket) => (socket ? handOver(socket) : open()));
    } else {
      open();
    }
  };

  /** Opens one connection to `url`'s origin ahead of a request for it, within the bound. */
  openAhead(url: URL): void {
    const origin = this.originOf(url);
    if (origin.inUse + origin.opening + origin.ready.length >= this.maxPerOrigin) return;
    origin.opening += 1;
    // As undici's client passes its origin: the hostname of an IPv6 address without brackets.
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.open({ hostname, host: url.host, protocol: url.protocol, port: url.port }, (error, socket) => {
      origin.opening -= 1;
      const claim = origin.claims.shift();
      // A failure is met again, and reported, by the request that then opens its own connection.
      if (claim) claim(error === null ? socket : undefined);
      else if (error === null) this.keep(origin, socket);
    });
  }

  /** The state of the origin of `url`, or of what undici asks to connect to. */
  private originOf(target: URL | ConnectRequest): Origin {
    // Spelled as `URL.origin` spells it.
    const { protocol, host, hostname, port } = target;
    const key = `${protocol}//${host ?? (port ? `${hostname}:${port}` : hostname)}`;
    let origin = this.origins.get(key);
    if (!origin) this.origins.set(key, (origin = { ready: [], opening: 0, inUse: 0, claims: [] }));
    return origin;
  }

  private keep(origin: Origin, socket: Socket): void {
    // undici refs a connection while it has requests and unrefs it while idle; until then this one
    // must not hold the process open.
    socket.unref();
    const timer = setTimeout(() => socket.destroy(), this.idleMs);
    timer.unref();
    // A connection the server closed or reset is closed here too (its 'end' ends it, and the
    // connector's own error listener takes the error): it is forgotten, not handed out.
    const forget = () => {
      clearTimeout(timer);
      const index = origin.ready.findIndex((entry) => entry.socket === socket);
      if (index >= 0) origin.ready.splice(index, 1);
    };
    socket.once('close', forget);
    origin.ready.push({
      socket,
      release: () => {
        socket.removeListener('close', forget);
        forget();
        socket.ref();
      },
    });
  }
}

/**
 * `callback`, counting among the origin's connections the one it is called for from now (it is
 * being opened, or handed over) until it closes or fails to open.
 */
function counted(origin: Origin, callback: ConnectCallback): ConnectCallback {
  origin.inUse += 1;
  return (...args) => {
    const [error, socket] = args;
    if (error === null) socket.once('close', () => (origin.inUse -= 1));
    else origin.inUse -= 1;
    callback(...args);
  };
}

/** The oldest connection of the origin's ready ones that is still open, handed over. */
function take(origin: Origin): Socket | undefined {
  while (origin.ready.length > 0) {
    const { socket, release } = origin.ready[0]!;
    release();
    // Ended or reset, its close not yet emitted.
    if (!socket.destroyed && socket.readyState === 'open') return socket;
    socket.destroy();
  }
  return undefined;
}
