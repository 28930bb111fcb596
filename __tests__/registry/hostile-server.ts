/**
 * A small programmable HTTP server on 127.0.0.1 for hostile-registry tests: every request is
 * logged (method, path, Authorization, body) and answered by a handler the test swaps at will.
 *
 *   const evil = await startHostileServer((req, res) => { res.writeHead(401, {...}); res.end(); });
 *   ... evil.url, evil.host, evil.log ...
 *   await evil.stop();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server saw it. */
export interface HostileRequest {
  method: string;
  /** Path with query. */
  url: string;
  authorization: string | undefined;
  /** Every header and the body, for searching a secret anywhere in the request. */
  raw: string;
  body: string;
}

/** Answers a request; `body` is the request body, already read. */
export type HostileHandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A running server. */
export interface HostileServer {
  /** `http://<hostname>:<port>` */
  url: string;
  /** `<hostname>:<port>` */
  host: string;
  log: HostileRequest[];
  handler: HostileHandler;
  /** Bytes of response bodies the server managed to write (to see a client stop reading). */
  bytesWritten: number;
  stop(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1. `hostname` is how clients name it (`127.0.0.1` or `localhost`:
 * two servers differ in origin by port anyway).
 */
export async function startHostileServer(
  handler: HostileHandler,
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const server: HostileServer = {
    url: '',
    host: '',
    log: [],
    handler,
    bytesWritten: 0,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      server.log.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        raw: `${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`,
        body,
      });
      const write = res.write.bind(res);
      res.write = ((chunk: unknown, ...rest: never[]) => {
        if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) server.bytesWritten += chunk.length;
        return write(chunk as Buffer, ...rest);
      }) as typeof res.write;
      try {
        server.handler(req, res, body);
      } catch (error) {
        res.destroy(error as Error);
      }
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  server.host = `${hostname}:${port}`;
  server.url = `http://${server.host}`;
  return server;
}

/** Sends JSON. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** A `Basic` header value. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
