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

/** Connections opened ahead, by origin; see the module comment. */
export class ConnectionsAhead {
  private readonly open = buildConnector({});
  /** Connections ready to be handed out, by origin, oldest first. */
  private readonly ready = new Map<string, Ready[]>();
  /** Connections being opened, by origin. */
  private readonly opening = new Map<string, number>();
  /** Connections undici has or is opening for the origin (through this connector), until they close. */
  private readonly inUse = new Map<string, number>();
  /** undici's connections waiting for one being opened ahead, by origin, first come first served. */
  private readonly claims = new Map<string, Array<(socket: Socket | undefined) => void>>();

  constructor(
    private readonly maxPerOrigin: number,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** undici's connector: a connection opened ahead for the origin when one is ready, else a new one. */
  readonly connector = (request: ConnectRequest, callback: ConnectCallback): void => {
    const origin = originOf(request);
    const claims = this.claims.get(origin) ?? [];
    const open = () => this.open(request, this.counted(origin, callback));
    const handOver = (socket: Socket) => this.counted(origin, callback)(null, socket);
    if (request.httpSocket) {
      this.open(request, callback);
    } else if (this.ready.get(origin)?.length) {
      // After the events the loop has already polled, so that a close the server sent just before
      // is seen here rather than by the request (as undici checks an idle connection before reuse).
      setImmediate(() => {
        const socket = this.take(origin);
        if (socket) handOver(socket);
        else open();
      });
    } else if ((this.opening.get(origin) ?? 0) > claims.length) {
      // One is on its way: a second connection meanwhile would take the host past its bound.
      this.claims.set(origin, claims);
      claims.push((socket) => (socket ? handOver(socket) : open()));
    } else {
      open();
    }
  };

  /**
   * `callback`, counting among the origin's connections the one it is called for from now (it is
   * being opened, or handed over) until it closes or fails to open.
   */
  private counted(origin: string, callback: ConnectCallback): ConnectCallback {
    const add = (n: number) => this.inUse.set(origin, (this.inUse.get(origin) ?? 0) + n);
    add(1);
    return (...args) => {
      const [error, socket] = args;
      if (error === null) socket.once('close', () => add(-1));
      else add(-1);
      callback(...args);
    };
  }

  /** Opens one connection to `url`'s origin ahead of a request for it, within the bound. */
  openAhead(url: URL): void {
    const origin = url.origin;
    const opening = this.opening.get(origin) ?? 0;
    const open = (this.inUse.get(origin) ?? 0) + opening + (this.ready.get(origin)?.length ?? 0);
    if (open >= this.maxPerOrigin) return;
    this.opening.set(origin, opening + 1);
    // As undici's client passes its origin: the hostname of an IPv6 address without brackets.
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.open({ hostname, host: url.host, protocol: url.protocol, port: url.port }, (error, socket) => {
      this.opening.set(origin, (this.opening.get(origin) ?? 1) - 1);
      const claim = this.claims.get(origin)?.shift();
      // A failure is met again, and reported, by the request that then opens its own connection.
      if (claim) claim(error === null ? socket : undefined);
      else if (error === null) this.keep(origin, socket);
    });
  }

  private keep(origin: string, socket: Socket): void {
    let entries = this.ready.get(origin);
    if (!entries) this.ready.set(origin, (entries = []));
    // undici refs a connection while it has requests and unrefs it while idle; until then this one
    // must not hold the process open.
    socket.unref();
    const timer = setTimeout(() => socket.destroy(), this.idleMs);
    timer.unref();
    // A connection the server closed or reset is closed here too (its 'end' ends it, and the
    // connector's own error listener takes the error): it is forgotten, not handed out.
    const forget = () => {
      clearTimeout(timer);
      const index = entries.findIndex((entry) => entry.socket === socket);
      if (index >= 0) entries.splice(index, 1);
    };
    socket.once('close', forget);
    entries.push({
      socket,
      release: () => {
        socket.removeListener('close', forget);
        forget();
        socket.ref();
      },
    });
  }

  private take(origin: string): Socket | undefined {
    const entries = this.ready.get(origin);
    while (entries && entries.length > 0) {
      const { socket, release } = entries[0]!;
      release();
      // Ended or reset, its close not yet emitted.
      if (!socket.destroyed && socket.readyState === 'open') return socket;
      socket.destroy();
    }
    return undefined;
  }
}

/** The origin of what undici asks to connect to, spelled as `URL.origin` spells it. */
function originOf({ protocol, host, hostname, port }: ConnectRequest): string {
  return `${protocol}//${host ?? (port ? `${hostname}:${port}` : hostname)}`;
}
