/**
 * Parsing the `WWW-Authenticate` header of a registry's `401` (RFC 7235), which auth.ts answers:
 *
 *   Basic realm="Registry Realm"                                                     (htpasswd, ECR)
 *   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/mongo:pull"
 *   Bearer realm="...",service="...",scope="*",Basic realm="...",service="..."       (two challenges)
 */

/** One parsed `WWW-Authenticate` challenge. */
export interface Challenge {
  /** Lower-case scheme: `bearer`, `basic`, ... */
  scheme: string;
  /** Lower-case parameter names. */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header value (RFC 7235): several challenges, `key=value` pairs with
 * token or quoted-string values (backslash escapes), schemes case-insensitive.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  let i = 0;
  const skip = (chars: string): void => {
    while (i < header.length && chars.includes(header[i])) i += 1;
  };
  while (i < header.length) {
    skip(' \t,');
    const start = i;
    while (i < header.length && !' \t,="'.includes(header[i])) i += 1;
    const name = header.slice(start, i);
    if (name === '') {
      i += 1; // a stray quote or "=": skip it rather than loop
      continue;
    }
    skip(' \t');
    if (header[i] !== '=') {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    i += 1;
    skip(' \t');
    let value = '';
    if (header[i] === '"') {
      i += 1;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i += 1;
        value += header[i];
        i += 1;
      }
      i += 1;
    } else {
      const valueStart = i;
      while (i < header.length && !' \t,'.includes(header[i])) i += 1;
      value = header.slice(valueStart, i);
    }
    if (current) current.params[name.toLowerCase()] = value;
  }
  return challenges;
}

/**
 * Why a token realm is no URL a token request may go to (absolute http(s), without user info), as
 * words that follow "a token realm", or undefined when it is one. Plain HTTP is further limited to
 * loopback and insecure hosts by the HTTP client. For a realm a challenge names (auth.ts) and one
 * remembered (remembered-schemes.ts).
 */
export function realmProblem(realm: string): string | undefined {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    return 'that is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `that is not http(s) (${url.protocol})`;
  if (url.username !== '' || url.password !== '') return `with a user name or password (${url.host})`;
  return undefined;
}
