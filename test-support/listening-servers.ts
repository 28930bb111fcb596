/**
 * The servers of a test file, on 127.0.0.1, each with the TCP connections it accepted (for
 * node:https and node:tls too: before their handshake), all closed after each test.
 *
 *   const listen = listeningServers(); // at the file's top level: registers the afterEach
 *   const { server, url, host, accepted } = await listen(createServer(handler), 'https');
 */
import { afterEach } from '@jest/globals';
import type { AddressInfo, Server, Socket } from 'node:net';

/** A listening server. */
export interface Listening<S extends Server> {
  server: S;
  /** `<scheme>://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** Every connection accepted, in order, open or closed. */
  accepted: Socket[];
}

export function listeningServers(): <S extends Server>(server: S, scheme?: string) => Promise<Listening<S>> {
  const running: Array<{ server: Server; open: Set<Socket> }> = [];
  afterEach(async () => {
    await Promise.all(
      running.splice(0).map(({ server, open }) => {
        for (const socket of open) socket.destroy();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
  });
  return async (server, scheme = 'http') => {
    const accepted: Socket[] = [];
    const open = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      accepted.push(socket);
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    running.push({ server, open });
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { server, url: `${scheme}://${host}`, host, accepted };
  };
}
