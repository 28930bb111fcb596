/**
 * Where a registry request may go over plain HTTP: a loopback host, or a host `insecure-registries`
 * lists (as `host` or `host:port`); everything else only over HTTPS. Apart from http.ts because
 * the same answer also picks a registry's scheme (registry-session.ts) and words the advice when a
 * port answers in the other protocol (attempt-failure.ts). Pure.
 */

/** Hosts whose answer is remembered at most. */
const MAX_REMEMBERED_HOSTS = 256;

/** True for `localhost`, 127.0.0.0/8 and `::1` (with or without a port). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1'
  );
}

/**
 * The host name of `host` (`host` or `host:port`) as URLs write it, which is how requests reach it:
 * `[0:0:0:0:0:0:0:1]` is `[::1]`, `127.1` is `127.0.0.1`. The text as given when it is no host.
 */
function canonicalHostname(host: string): string {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return host;
  }
}

/** Where plain HTTP may go, each answer remembered: it is asked before every request. */
export class PlainHttpHosts {
  private readonly insecure: Set<string>;
  private readonly answers = new Map<string, boolean>();

  /** `insecureHosts`: `insecure-registries`, each `host` or `host:port`. */
  constructor(insecureHosts: readonly string[] = []) {
    this.insecure = new Set(insecureHosts.map((h) => h.toLowerCase()));
  }

  /** Whether plain HTTP may be used for this host (`host` or `host:port`). */
  allows(host: string): boolean {
    let allowed = this.answers.get(host);
    if (allowed === undefined) {
      const lower = host.toLowerCase();
      const hostname = lower.startsWith('[') ? lower.slice(0, lower.indexOf(']') + 1) : lower.split(':')[0];
      allowed =
        isLoopbackHost(hostname) ||
        isLoopbackHost(canonicalHostname(lower)) ||
        this.insecure.has(lower) ||
        this.insecure.has(hostname);
      // Redirects may name any number of hosts: the memory stays small.
      if (this.answers.size >= MAX_REMEMBERED_HOSTS) this.answers.clear();
      this.answers.set(host, allowed);
    }
    return allowed;
  }
}
