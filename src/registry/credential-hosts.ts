/**
 * Which token realms a registry's credentials may go to. A registry names its token service in its
 * own 401 (`Bearer realm="https://auth.docker.io/token"`), and that service is often on another
 * host: Docker Hub's registry is `registry-1.docker.io` and its tokens come from `auth.docker.io`;
 * GitLab's registry `registry.example.com` takes its tokens from `gitlab.example.com/jwt/auth`. But
 * a challenge is text the registry sent, so credentials go to a realm only on a host they belong
 * to: the registry's own host (on any port: a token service beside the registry), a host of the
 * registry's own domain over HTTPS, or a known token service of a well-known registry. A realm
 * anywhere else is asked for a token without them (public images still work), and a refusal then
 * says why. Pure.
 */

/** Token services on another domain that a well-known registry's credentials belong to. */
const KNOWN_TOKEN_SERVICES: Readonly<Record<string, string>> = {
  // NVIDIA NGC: the registry's 401 names its token service on nvidia.com.
  'nvcr.io': 'authn.nvidia.com',
};

/**
 * Domains whose hosts belong to different owners (tenants of a cloud registry or hosting
 * service): sharing one of these as parent says nothing about who runs a host.
 */
const SHARED_DOMAINS = [
  'amazonaws.com',
  'azurecr.io',
  'pkg.dev',
  'gcr.io',
  'ocir.io',
  'jfrog.io',
  'github.io',
  'gitlab.io',
  'herokuapp.com',
  'cloudfront.net',
  'appspot.com',
  'azurewebsites.net',
  'cloudflare.net',
  'trycloudflare.com',
  'ngrok.io',
  'ngrok-free.app',
  'nip.io',
  'sslip.io',
  'duckdns.org',
];

/** True for an IPv4 or IPv6 literal (as `URL.hostname` gives it: IPv6 in brackets). */
function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * True when `domain` may be a public suffix rather than one owner's domain: a single label (`com`),
 * or a short second level under a country code (`co.uk`, `com.au`, `ne.jp`), or a shared domain.
 */
function mayBePublicSuffix(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.length < 2) return true;
  if (labels.length === 2 && labels[1].length === 2 && labels[0].length <= 3) return true;
  return SHARED_DOMAINS.some((shared) => domain === shared || domain.endsWith(`.${shared}`));
}

/**
 * Whether the credentials of the registry at `registryOrigin` (its own origin, or its mirror's)
 * may be sent to the token realm `realm` it named in its own challenge.
 */
export function credentialsBelongTo(realm: string, registryOrigin: string): boolean {
  const target = new URL(realm);
  const to = target.hostname.toLowerCase();
  const from = new URL(registryOrigin).hostname.toLowerCase();
  if (to === from) return true;
  // Another host: over HTTPS only, and never an address (no domain says who owns it).
  if (target.protocol !== 'https:' || isIpLiteral(to) || isIpLiteral(from)) return false;
  if (KNOWN_TOKEN_SERVICES[from] === to) return true;
  // The registry's parent domain: `registry-1.docker.io` → `docker.io`, which `auth.docker.io` is in.
  const parent = from.slice(from.indexOf('.') + 1);
  if (!from.includes('.') || mayBePublicSuffix(parent)) return false;
  return to === parent || to.endsWith(`.${parent}`);
}
