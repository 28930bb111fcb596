/**
 * Which token realms a registry's credentials may go to. A registry names its token service in its
 * own 401 (`Bearer realm="https://auth.docker.io/token"`), and that service is often on another
 * host: Docker Hub's registry is `registry-1.docker.io` and its tokens come from `auth.docker.io`;
 * GitLab's registry `registry.example.com` takes its tokens from `gitlab.example.com/jwt/auth`. But
 * a challenge is text the registry sent, so credentials go to a realm only on a host they belong
 * to: the registry's own host (on any port: a token service beside the registry; over plain HTTP
 * only when the registry is read so too), a host of the registry's own domain over HTTPS, or a
 * known token service of a well-known registry. A realm
 * anywhere else is asked for a token without them (public images still work), and a refusal then
 * says why. Pure, once {@link loadPublicSuffixes} has loaded the list.
 *
 * Who owns a domain is the Public Suffix List's answer (`tldts`), private section included: the
 * hosts of `fly.dev`, `a.run.app` or `vercel.app` belong to different tenants, as those of `co.uk`
 * do. A hand-kept list of such domains missed most of them.
 */
import type * as Tldts from 'tldts';

/** Token services on another domain that a well-known registry's credentials belong to. */
const KNOWN_TOKEN_SERVICES: Readonly<Record<string, string>> = {
  // NVIDIA NGC: the registry's 401 names its token service on nvidia.com.
  'nvcr.io': 'authn.nvidia.com',
  // Docker Hub, known without the list: a warm run adopts its remembered scheme before any 401.
  'registry-1.docker.io': 'auth.docker.io',
};

/**
 * The Public Suffix List's reader, loaded when a realm on another host than its registry's is first
 * met: its list is about 200 KB, which the bundle would otherwise evaluate at every start (issue 17).
 */
let suffixes: typeof Tldts | undefined;

/** Loads the Public Suffix List, once; {@link credentialsBelongTo} needs it for a realm on another host. */
export async function loadPublicSuffixes(): Promise<void> {
  // Eager: in the bundle itself (no chunk file beside it), evaluated only when this first runs.
  suffixes ??= await import(/* webpackMode: "eager" */ 'tldts');
}

/** True when deciding whether credentials go to `realm` needs {@link loadPublicSuffixes} first. */
export function needsPublicSuffixes(realm: string, registryOrigin: string): boolean {
  return (
    suffixes === undefined &&
    new URL(realm).hostname.toLowerCase() !== new URL(registryOrigin).hostname.toLowerCase()
  );
}

/**
 * Domains whose hosts belong to different owners (tenants of a cloud registry or hosting
 * service) that the Public Suffix List does not list as such (`azurecr.io`, `amazonaws.com`'s
 * registries): sharing one of these as parent says nothing about who runs a host.
 */
const SHARED_DOMAINS = [
  'amazonaws.com',
  'azurecr.io',
  'pkg.dev',
  'gcr.io',
  'ocir.io',
  'jfrog.io',
  // Wildcard DNS services: any name under them is anyone's address.
  'nip.io',
  'sslip.io',
];

/** True for an IPv4 or IPv6 literal (as `URL.hostname` gives it: IPv6 in brackets). */
function isIpLiteral(hostname: string): boolean {
  return hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * True when `domain`, the parent of the registry's host `from`, may be shared by owners: a single
 * label (`com`), at or above the registry's public suffix (`fly.dev` for `reg.fly.dev`, `co.uk`),
 * or a shared domain. Without the list loaded, every domain may be.
 */
function mayBeShared(domain: string, from: string): boolean {
  if (!domain.includes('.') || suffixes === undefined) return true;
  const owned = suffixes.getDomain(from, { allowPrivateDomains: true });
  if (owned === null || !(domain === owned || domain.endsWith(`.${owned}`))) return true;
  return SHARED_DOMAINS.some((shared) => domain === shared || domain.endsWith(`.${shared}`));
}

/**
 * Whether the credentials of the registry at `registryOrigin` (its own origin, or its mirror's)
 * may be sent to the token realm `realm` it named in its own challenge. A realm on another host
 * gets them only once {@link loadPublicSuffixes} has run (see {@link needsPublicSuffixes}).
 */
export function credentialsBelongTo(realm: string, registryOrigin: string): boolean {
  const target = new URL(realm);
  const source = new URL(registryOrigin);
  // Never from HTTPS to plain HTTP, not even on the registry's own host (another port of it, or
  // the same one): they would cross the wire in clear, as a redirect to http:// would have them,
  // which drops them (redirects.ts).
  if (target.protocol !== 'https:' && source.protocol === 'https:') return false;
  const to = target.hostname.toLowerCase();
  const from = source.hostname.toLowerCase();
  if (to === from) return true;
  // Another host: over HTTPS only, and never an address (no domain says who owns it).
  if (target.protocol !== 'https:' || isIpLiteral(to) || isIpLiteral(from)) return false;
  if (KNOWN_TOKEN_SERVICES[from] === to) return true;
  // The registry's parent domain: `registry-1.docker.io` → `docker.io`, which `auth.docker.io` is in.
  const parent = from.slice(from.indexOf('.') + 1);
  if (!from.includes('.') || mayBeShared(parent, from)) return false;
  return to === parent || to.endsWith(`.${parent}`);
}
