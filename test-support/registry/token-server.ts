/**
 * A small Docker token server (distribution's `auth: token`, docs/spec/auth/token.md and oauth.md)
 * for tests and the benchmark. It signs RS256 JWTs with node:crypto and puts the signing
 * certificate in the `x5c` header: distribution 2.8 (`registry/auth/token/token.go`
 * `VerifySigningKey`) verifies that chain against `rootcertbundle`, then checks `iss`, `aud`
 * (a single string in 2.8), `exp`/`nbf` (±60 s leeway) and the `access` claim.
 *
 * `GET /token?service=&scope=` (anonymous or Basic) and `POST /token` (form:
 * `grant_type=password|refresh_token`) are both served. Plain module: no jest globals, so the
 * benchmark can import it under `tsx`.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clientClosesIdleSockets } from '../idle-sockets.js';

const run = promisify(execFile);

/** A signing key and the self-signed certificate distribution trusts (`rootcertbundle`). */
export interface SigningKeyPair {
  /** PEM file of the certificate, for the registry config. */
  certificatePath: string;
  /** The certificate as standard base64 DER, for the JWT `x5c` header. */
  certificateDer: string;
  privateKey: KeyObject;
  /** Removes the temporary files. */
  remove(): Promise<void>;
}

/** Creates an RSA key and a self-signed certificate with openssl (node:crypto cannot make certificates). */
export async function createSigningKeyPair(): Promise<SigningKeyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'token-key-'));
  const keyPath = join(dir, 'key.pem');
  const certificatePath = join(dir, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certificatePath,
    '-days',
    '2',
    '-subj',
    '/CN=test-token-issuer',
  ]);
  const certificatePem = await readFile(certificatePath, 'utf8');
  const certificateDer = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const privateKey = createPrivateKey(await readFile(keyPath, 'utf8'));
  return {
    certificatePath,
    certificateDer,
    privateKey,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Options of {@link startTokenServer}. */
export interface TokenServerOptions {
  /** The `service` the registry is configured with (JWT `aud`). */
  service: string;
  /** The `issuer` the registry is configured with (JWT `iss`). */
  issuer: string;
  keys: SigningKeyPair;
  /** user -> password; these users get `pull,push` on every repository they ask for. */
  users?: Record<string, string>;
  /** refresh token -> user, for `grant_type=refresh_token` (docker config `identitytoken`). */
  refreshTokens?: Record<string, string>;
  /** Whether anonymous requests get `pull` (a public registry). Default true. */
  anonymousPull?: boolean;
  /** Repositories no one is granted any action on (another team's private ones). Default none. */
  denied?: readonly string[];
  /** `expires_in` in seconds. Default 300. */
  expiresInSeconds?: number;
  /** Which response field carries the token. Default `token`. */
  tokenField?: 'token' | 'access_token' | 'both';
}

/** One request the token server answered. */
export interface TokenRequestLog {
  method: string;
  /** The user that authenticated, or undefined for anonymous. */
  user: string | undefined;
  scopes: string[];
  /** Whether the request carried an Authorization header. */
  authorization: boolean;
  grantType?: string;
}

/** A running token server. */
export interface TokenServer {
  /** The realm to configure, `http://127.0.0.1:<port>/token`. */
  realm: string;
  /** Every request answered, in order. */
  log: TokenRequestLog[];
  /** Signs a token for the given scopes directly (seeding uses it to push). */
  mintToken(scopes: string[], user?: string): string;
  stop(): Promise<void>;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Parses `repository:team/app:pull,push` (the name may hold one `:` for host:port, so split on the last). */
function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope.slice(last + 1).split(','),
  };
}

/** Starts a token server on 127.0.0.1 with an ephemeral port. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const log: TokenRequestLog[] = [];
  const expiresIn = options.expiresInSeconds ?? 300;
  const anonymousPull = options.anonymousPull ?? true;

  const mintToken = (scopes: string[], user?: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes
      .map(parseScope)
      .filter((a): a is Access => a !== undefined && a.type === 'repository')
      .map((a) => ({
        ...a,
        actions: a.actions.filter(
          (action) =>
            !options.denied?.includes(a.name) &&
            (user !== undefined ? true : anonymousPull && action === 'pull'),
        ),
      }));
    const header = { typ: 'JWT', alg: 'RS256', x5c: [options.keys.certificateDer] };
    const claims = {
      iss: options.issuer,
      sub: user ?? '',
      aud: options.service,
      exp: now + expiresIn,
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), options.keys.privateKey);
    return `${signingInput}.${base64url(signature)}`;
  };

  const basicUser = (req: IncomingMessage): string | null | undefined => {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Basic\s+(.+)$/i.exec(header);
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    return options.users?.[user] !== undefined && options.users[user] === decoded.slice(colon + 1)
      ? user
      : null;
  };

  const answer = (res: ServerResponse, scopes: string[], user: string | undefined): void => {
    const token = mintToken(scopes, user);
    const field = options.tokenField ?? 'token';
    const body: Record<string, unknown> = { expires_in: expiresIn, issued_at: new Date().toISOString() };
    if (field === 'token' || field === 'both') body.token = token;
    if (field === 'access_token' || field === 'both') body.access_token = token;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const deny = (res: ServerResponse): void => {
    res
      .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="token"' })
      .end(JSON.stringify({ details: 'incorrect username or password' }));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    if (url.pathname !== '/token') {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'GET') {
      const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
      const user = basicUser(req);
      log.push({
        method: 'GET',
        user: user ?? undefined,
        scopes,
        authorization: req.headers.authorization !== undefined,
      });
      if (user === null) return deny(res);
      return answer(res, scopes, user);
    }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        const grantType = form.get('grant_type') ?? undefined;
        let user: string | undefined;
        if (grantType === 'refresh_token') user = options.refreshTokens?.[form.get('refresh_token') ?? ''];
        else if (grantType === 'password') {
          const name = form.get('username') ?? '';
          if (options.users?.[name] !== undefined && options.users[name] === form.get('password'))
            user = name;
        }
        log.push({
          method: 'POST',
          user,
          scopes,
          authorization: req.headers.authorization !== undefined,
          grantType,
        });
        if (user === undefined) return deny(res);
        const token = mintToken(scopes, user);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: token, expires_in: expiresIn, scope: scopes.join(' ') }));
      });
      return;
    }
    res.writeHead(405).end();
  });
  clientClosesIdleSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    log,
    mintToken,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
