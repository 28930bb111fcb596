/**
 * Pure parsing of manifests and image configs (REGISTRIES.md §7, FLUX-V1-RULES R10.1).
 *
 *   index / manifest list   -> pick linux/amd64, else the first entry that is not an attestation
 *                              (buildx: platform unknown/unknown, annotation
 *                              vnd.docker.reference.type: attestation-manifest)
 *   OCI / Docker schema 2   -> the config blob's `created` and config.Labels (source, revision,
 *                              and the two build-time labels of FLUX-V1-RULES R10.2)
 *   Docker schema 1         -> the first `history[].v1Compatibility` entry (a JSON string)
 */
import { formatCreated, withNanos, type CreatedTime } from '../image/created-time.js';
import { mapLabelTimes } from '../image/label-times.js';
import { isSha256Digest } from '../image/reference.js';
import { parseRegistryJson, unreadableJson } from './registry-json.js';

/** Every manifest type we understand; always sent in full (a narrower Accept makes distribution 2.8
 * convert to schema 1 with another digest, or answer 404 for OCI content). */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const IMAGE_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);
const SCHEMA1_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

/** The label that names an image's source repository. */
export const SOURCE_LABEL = 'org.opencontainers.image.source';
/** The label that names the source revision (commit) an image was built from. */
export const REVISION_LABEL = 'org.opencontainers.image.revision';
/** The OCI build-time label; Flux v1 preferred it to `created` for its own images (R10.2). */
export const CREATED_LABEL = 'org.opencontainers.image.created';
/** Label Schema's build-time label, Flux v1's second choice (R10.2). */
export const BUILD_DATE_LABEL = 'org.label-schema.build-date';
/** Longer labels are not kept (no usable URL or commit is this long; the cache stays small). */
const MAX_SOURCE_LABEL = 2048;
const MAX_REVISION_LABEL = 256;
/** Longest time label read: RFC 3339 with nine fraction digits and an offset is 35 characters. */
export const MAX_TIME_LABEL = 64;

/** One entry of an index or manifest list. */
export interface IndexEntry {
  digest: string;
  mediaType?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/**
 * The build times an image's labels give ({@link CREATED_LABEL}, {@link BUILD_DATE_LABEL}); a label
 * that is absent, empty, not a string or not RFC 3339 is left out, as Flux v1 ignored it.
 */
export interface LabelTimes {
  created?: CreatedTime;
  buildDate?: CreatedTime;
}

/** What an image's config says. */
export interface ImageConfigDetails {
  /** Undefined when absent or unparseable. */
  created: Date | undefined;
  /** Present whenever the config was read (empty when it has neither label). */
  labelTimes?: LabelTimes;
  source?: string;
  revision?: string;
  /** `os/architecture[/variant]`, when the config names a usable one. */
  platform?: string;
}

/** A manifest, by kind. */
export type ParsedManifest =
  | { kind: 'index'; entries: IndexEntry[] }
  | { kind: 'image'; configDigest: string }
  | ({ kind: 'schema1' } & ImageConfigDetails)
  | { kind: 'unknown'; reason: string };

/** Longest media type quoted in a reason (RFC 6838 allows 127 characters on each side of the `/`). */
const MAX_MEDIA_TYPE_SHOWN = 100;

/** Classifies a manifest body by its `mediaType` (else the Content-Type, else its shape). */
export function parseManifest(body: string, contentType: string | null): ParsedManifest {
  let json: Record<string, unknown>;
  try {
    json = parseRegistryJson(body) as Record<string, unknown>;
  } catch (error) {
    return { kind: 'unknown', reason: `the manifest ${unreadableJson(error)}` };
  }
  if (typeof json !== 'object' || json === null)
    return { kind: 'unknown', reason: 'the manifest is not an object' };
  const declared =
    typeof json.mediaType === 'string' ? json.mediaType : (contentType ?? '').split(';')[0].trim();
  const manifests = json.manifests;
  if (INDEX_TYPES.has(declared) || (declared === '' && Array.isArray(manifests))) {
    if (!Array.isArray(manifests)) return { kind: 'unknown', reason: 'the index has no manifests' };
    const entries = manifests.filter(
      (m): m is IndexEntry =>
        typeof m === 'object' && m !== null && typeof (m as IndexEntry).digest === 'string',
    );
    return { kind: 'index', entries };
  }
  const config = json.config as { digest?: unknown } | undefined;
  if (IMAGE_TYPES.has(declared) || (declared === '' && json.schemaVersion === 2)) {
    if (typeof config?.digest !== 'string') return { kind: 'unknown', reason: 'the manifest has no config' };
    // Never requested: it would be a path of the registry's choosing (`../../other/tags/list`), and
    // only a sha256 digest lets the answer be checked against it.
    if (!isSha256Digest(config.digest))
      return {
        kind: 'unknown',
        reason: 'the manifest names its config by something that is not a sha256 digest',
      };
    return { kind: 'image', configDigest: config.digest };
  }
  if (SCHEMA1_TYPES.has(declared) || json.schemaVersion === 1) {
    const history = json.history as Array<{ v1Compatibility?: unknown }> | undefined;
    const first = Array.isArray(history) ? history[0]?.v1Compatibility : undefined;
    if (typeof first !== 'string') return { kind: 'schema1', created: undefined };
    try {
      return { kind: 'schema1', ...readImageConfig(parseRegistryJson(first)) };
    } catch {
      return { kind: 'schema1', created: undefined };
    }
  }
  // The registry's text, up to 4 MiB of it: quoted no longer than a real media type.
  const shown =
    declared.length > MAX_MEDIA_TYPE_SHOWN ? `${declared.slice(0, MAX_MEDIA_TYPE_SHOWN)}…` : declared;
  return { kind: 'unknown', reason: `unsupported manifest type "${shown || 'none'}"` };
}

/**
 * The signed payload of a signed schema 1 manifest (libtrust's pretty signature, as distribution
 * writes it): the body's first `formatLength` bytes and the `formatTail` of the first signature's
 * protected header. Its digest is this payload's, not the body's (distribution's
 * `digest.FromBytes(sm.Canonical)`). Undefined when the body carries no such header.
 */
export function signedSchema1Payload(body: Buffer): Buffer | undefined {
  try {
    const { signatures } = parseRegistryJson(body.toString('utf8')) as { signatures?: unknown };
    const first: unknown = Array.isArray(signatures) ? signatures[0] : undefined;
    const header = (first as { protected?: unknown } | null | undefined)?.protected;
    if (typeof header !== 'string') return undefined;
    const { formatLength, formatTail } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
      formatLength?: unknown;
      formatTail?: unknown;
    };
    if (typeof formatLength !== 'number' || !Number.isSafeInteger(formatLength)) return undefined;
    if (formatLength < 0 || formatLength > body.length || typeof formatTail !== 'string') return undefined;
    return Buffer.concat([body.subarray(0, formatLength), Buffer.from(formatTail, 'base64url')]);
  } catch {
    return undefined;
  }
}

/** True for buildx attestation manifests and `unknown/unknown` platforms. */
export function isAttestation(entry: IndexEntry): boolean {
  return (
    entry.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (entry.platform?.os === 'unknown' && entry.platform?.architecture === 'unknown')
  );
}

/** The entries of an index that are images (not attestations, not nested indexes or artifacts). */
function imageEntries(entries: readonly IndexEntry[]): IndexEntry[] {
  return entries.filter(
    (e) =>
      !isAttestation(e) &&
      (e.mediaType === undefined || IMAGE_TYPES.has(e.mediaType) || SCHEMA1_TYPES.has(e.mediaType)),
  );
}

/** The entry to read: the wanted platform, else the first entry that is not an attestation. */
export function selectIndexEntry(
  entries: readonly IndexEntry[],
  platform: { os: string; architecture: string } = { os: 'linux', architecture: 'amd64' },
): IndexEntry | undefined {
  const images = imageEntries(entries);
  return (
    images.find(
      (e) => e.platform?.os === platform.os && e.platform?.architecture === platform.architecture,
    ) ?? images[0]
  );
}

/** Most platforms kept for one image; an index listing more is kept as "platforms unknown". */
export const MAX_PLATFORMS = 32;
/** One part of a platform (`linux`, `arm64`, `v7`): registry text bound for a PR body and the cache. */
const PART = '[A-Za-z0-9][A-Za-z0-9._-]{0,31}';
const PLATFORM_PART = new RegExp(`^${PART}$`);
/** A platform as kept: `os/architecture` or `os/architecture/variant` (at most 98 characters). */
const PLATFORM_NAME = new RegExp(`^${PART}/${PART}(/${PART})?$`);

/** True for a platform name as {@link indexPlatforms} and {@link configPlatform} write them. */
export function isPlatformName(value: unknown): value is string {
  return typeof value === 'string' && PLATFORM_NAME.test(value);
}

/** `linux/arm/v7` from a platform object, or undefined when a part is missing or unusable. */
function platformName(p: { os?: unknown; architecture?: unknown; variant?: unknown }): string | undefined {
  const { os, architecture, variant } = p;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  if (!PLATFORM_PART.test(os) || !PLATFORM_PART.test(architecture)) return undefined;
  if (variant === undefined || variant === '') return `${os}/${architecture}`;
  return typeof variant === 'string' && PLATFORM_PART.test(variant)
    ? `${os}/${architecture}/${variant}`
    : undefined;
}

/**
 * The platforms of an index's images, distinct, in the index's order (Windows images that differ
 * only in `os.version` count once). Undefined - unknown, never a wrong list - when an image has
 * no usable platform or there are more than {@link MAX_PLATFORMS}: a body that compares the list
 * with another must not report a platform as dropped that was only left out.
 */
function platformsOf(images: readonly IndexEntry[]): string[] | undefined {
  const names = new Set<string>();
  for (const image of images) {
    const name =
      typeof image.platform === 'object' && image.platform !== null
        ? platformName(image.platform)
        : undefined;
    if (name === undefined) return undefined;
    names.add(name);
    if (names.size > MAX_PLATFORMS) return undefined;
  }
  return names.size > 0 ? [...names] : undefined;
}

/** The platforms of the images of an index: those {@link selectIndexEntry} chooses among. */
export function indexPlatforms(entries: readonly IndexEntry[]): string[] | undefined {
  return platformsOf(imageEntries(entries));
}

/**
 * The platforms a manifest tells without reading further: an index's, a schema 1 image's (it
 * carries its config), and none (`[]`, single-platform) for an image manifest, whose platform is
 * in its config blob. Undefined when unknown.
 */
export function manifestPlatforms(manifest: ParsedManifest): string[] | undefined {
  if (manifest.kind === 'index') return indexPlatforms(manifest.entries);
  if (manifest.kind === 'schema1') return manifest.platform ? [manifest.platform] : [];
  if (manifest.kind === 'image') return [];
  return undefined;
}

/** A single image's platform from its config (`os`, `architecture`, `variant`), when usable. */
export function configPlatform(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  return platformName(config as Record<string, unknown>);
}

/** RFC 3339 with a zone, as Go writes `created` (fractions up to nanoseconds). */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses a `created` time strictly: `Date.parse` would read "1" as 2001 or roll 2024-02-30 into
 * March, where Flux's Go parser rejected them and treated the image as having no time. The
 * fraction is kept to the nanosecond (Go's `time.Time`), not cut to milliseconds.
 */
export function parseCreated(text: string): CreatedTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second] = m.map(Number);
  const time = Date.parse(text);
  if (Number.isNaN(time)) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 60
  ) {
    return undefined;
  }
  // Date.parse reads the fraction to the millisecond (truncating); Go keeps nine digits and
  // ignores any beyond them.
  const fraction = (m[7] ?? '.').slice(1, 10).padEnd(9, '0');
  const millis = Number(fraction.slice(0, 3));
  return withNanos(new Date(time - (((time % 1000) + 1000) % 1000) + millis), Number(fraction.slice(3)));
}

/** A time label's value read as {@link parseCreated} reads `created`; undefined when unusable. */
export function parseTimeLabel(value: unknown): CreatedTime | undefined {
  const time = typeof value === 'string' && value.length <= MAX_TIME_LABEL ? parseCreated(value) : undefined;
  // Go's zero time (year 1, UTC midnight) is what an unset time.Time prints: Flux's IsZero() skipped it.
  return time === undefined || formatCreated(time) === GO_ZERO_TIME ? undefined : time;
}

/** Go's zero `time.Time`, as {@link formatCreated} writes it. */
const GO_ZERO_TIME = '0001-01-01T00:00:00.000Z';

/**
 * Reads `created`, the source, revision and build-time labels and the platform from an image config
 * (or a schema 1 v1Compatibility). Labels come from `config.Labels`, where Docker and the OCI spec
 * put them (Flux v1 read schema 2 images' from `container_config`, which BuildKit leaves empty).
 */
export function readImageConfig(config: unknown): ImageConfigDetails {
  if (typeof config !== 'object' || config === null) return { created: undefined };
  const c = config as { created?: unknown; config?: { Labels?: unknown } | null };
  const created = typeof c.created === 'string' ? parseCreated(c.created) : undefined;
  const labels = c.config?.Labels;
  const raw = (name: string): unknown =>
    typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)[name] : undefined;
  const label = (name: string, max: number): string | undefined => {
    const value = raw(name);
    return typeof value === 'string' && value.length <= max ? value : undefined;
  };
  const source = label(SOURCE_LABEL, MAX_SOURCE_LABEL);
  const revision = label(REVISION_LABEL, MAX_REVISION_LABEL);
  const platform = configPlatform(config);
  return {
    created,
    labelTimes: mapLabelTimes(
      { created: raw(CREATED_LABEL), buildDate: raw(BUILD_DATE_LABEL) },
      parseTimeLabel,
    ),
    ...(source ? { source } : {}),
    ...(revision ? { revision } : {}),
    ...(platform ? { platform } : {}),
  };
}
