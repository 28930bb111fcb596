/**
 * How GitHub's toolkit (`@actions/github`, through `@actions/http-client`) will take the proxy
 * variable that applies to the API URL, told before it loads: it reads the variable once, while its
 * module loads, and either uses it, ignores it without a word (`proxy.corp:3128` reads as a URL of
 * scheme `proxy.corp:` and no host), or throws out of the bundle's start with a stack trace that
 * holds the variable's value, password included (`proxy corp:3128`, or a `socks5://` URL, which
 * undici refuses). Pure: the caller says whether the API host bypasses the proxy.
 */
import { PROXY_URL_FORM } from '../network-errors.js';

/** What becomes of the proxy variable that applies to the API URL. */
export type GitHubProxyVariable =
  /** None is set, or the API host bypasses the proxy (a loopback address, NO_PROXY). */
  | { kind: 'none' }
  /** An http(s) URL with a host: the toolkit sends GitHub's requests through it. */
  | { kind: 'used'; name: string }
  /** The toolkit finds no proxy host in it and reaches GitHub directly. */
  | { kind: 'ignored'; name: string }
  /** The toolkit would throw while loading. */
  | { kind: 'fatal'; name: string };

/** `new URL(value)`, or undefined where it throws. */
function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * The toolkit's reading of the variable for `apiUrl` (http-client's `getProxyUrl`, then
 * `getAgentDispatcher`): the lower-case name first unless empty; the value as a URL, else with
 * `http://` before it unless it starts with a scheme of its own; a proxy only where that URL has a
 * host, and then undici's ProxyAgent, which takes http and https proxies only.
 */
export function githubProxyVariable(
  apiUrl: URL,
  env: Readonly<Record<string, string | undefined>>,
  bypassed: boolean,
): GitHubProxyVariable {
  const [lower, upper] =
    apiUrl.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = env[lower] ? lower : upper;
  const value = env[name];
  if (!value || bypassed) return { kind: 'none' };
  let url = parse(value);
  if (url === undefined) {
    if (value.startsWith('http://') || value.startsWith('https://')) return { kind: 'ignored', name };
    url = parse(`http://${value}`);
    if (url === undefined) return { kind: 'fatal', name };
  }
  if (!url.hostname) return { kind: 'ignored', name };
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? { kind: 'used', name }
    : { kind: 'fatal', name };
}

/** The sentence for a variable the toolkit cannot take, or undefined. */
export function githubProxyMessage(variable: GitHubProxyVariable): string | undefined {
  if (variable.kind === 'fatal')
    return `${variable.name} is not a proxy URL GitHub can be reached through: ${PROXY_URL_FORM}.`;
  if (variable.kind === 'ignored')
    return `${variable.name} is set but names no proxy host, so GitHub is reached without a proxy: ${PROXY_URL_FORM}.`;
  return undefined;
}
