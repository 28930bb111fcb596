/**
 * Forwards one HTTP request to an upstream server and streams the answer back, optionally editing
 * the answer's headers: the smallest possible "front" for tests that need one odd behaviour.
 */
import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';

/** Forwards `req` to `upstream` (an http URL) and pipes the answer into `res`. */
export function forwardRequest(
  upstream: string,
  req: IncomingMessage,
  res: ServerResponse,
  editHeaders: (headers: IncomingHttpHeaders) => IncomingHttpHeaders = (headers) => headers,
): void {
  const target = new URL(upstream);
  const forward = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, editHeaders({ ...answer.headers }));
      answer.pipe(res);
    },
  );
  req.pipe(forward);
}
