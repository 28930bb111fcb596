/**
 * A forward proxy on 127.0.0.1 that tunnels CONNECT, as a corporate proxy in front of a self-hosted
 * runner does: it logs each tunnel it was asked for (with the `Proxy-Authorization` it carried),
 * can demand Basic credentials (a tunnel without them is answered 407), deny hosts (403), and send
 * a name to another address (`hosts`), so that a client can be pointed at a name the loopback rules
 * of proxy settings do not bypass while the server behind it listens on 127.0.0.1. It connects to
 * loopback addresses only (any other target is answered 502): tests never reach out.
 *
 *   const proxy = await startForwardProxy({ credentials: { user: 'runner', password: 's3cret' } });
 *   proxy.url;    // http://127.0.0.1:PORT, no credentials in it
 *   proxy.asked;  // [{ target: 'api.github.test:443', authorization: 'Basic …', status: 200 }]
 *
 * Plain TypeScript without jest globals.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** One CONNECT the proxy was sent. */
export interface TunnelRequest {
  /** `host:port`, as asked. */
  target: string;
  /** The `Proxy-Authorization` header, if any. */
  authorization: string | undefined;
  /**
   * The proxy's answer: 200 (the tunnel opened), 407 (credentials missing or wrong), 403 (denied) or
   * 502 (not a loopback address).
   */
  status: 200 | 403 | 407 | 502;
}

export interface ForwardProxyOptions {
  /** Basic credentials every tunnel must carry; none: every tunnel is opened. */
  credentials?: { user: string; password: string };
  /** `host:port` asked for → `host:port` connected to; others are connected to as asked. */
  hosts?: Record<string, string>;
  /** `host:port`s the proxy will not open a tunnel to (403), whatever the credentials. */
  deny?: string[];
}

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  asked: TunnelRequest[];
  /** What clients sent through the tunnels (the first MiB), to show what reached the servers. */
  sent(): string;
  stop(): Promise<void>;
}

/** `Basic base64(user:password)`, as a client sends it. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The hosts the proxy connects to. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const asked: TunnelRequest[] = [];
  const sent: Buffer[] = [];
  let sentBytes = 0;
  const keep = (chunk: Buffer): void => {
    if (sentBytes >= 1 << 20) return;
    sent.push(chunk);
    sentBytes += chunk.length;
  };
  const sockets = new Set<Socket>();
  const expected = options.credentials
    ? basicAuthorization(options.credentials.user, options.credentials.password)
    : undefined;
  // Only tunnels: a request in absolute form is not what these tests expect a client to send.
  const server: Server = createServer((_req, res) => res.writeHead(400).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    const to = options.hosts?.[target] ?? target;
    const colon = to.lastIndexOf(':');
    const host = to.slice(0, colon);
    const status =
      expected !== undefined && authorization !== expected
        ? 407
        : options.deny?.includes(target)
          ? 403
          : LOOPBACK.has(host)
            ? 200
            : 502;
    asked.push({ target, authorization, status });
    client.on('error', () => client.destroy());
    if (status !== 200) {
      const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="proxy"\r\n' : '';
      client.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${challenge}Content-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    const upstream = connect(Number(to.slice(colon + 1)), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      keep(head);
      client.on('data', keep);
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    sent: () => Buffer.concat(sent).toString('latin1'),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
