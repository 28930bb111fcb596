/**
 * How each registry authenticated in earlier runs, kept in the digest cache's file: with it, a run
 * sends its first requests to a registry as they would go once its scheme is known (no auth, Basic,
 * or a Bearer token from its realm) instead of sending one request that collects a 401 while the
 * registry's other repositories wait for it. That first answer costs a round trip and more, per
 * registry, on every run.
 *
 * What is remembered is a hint, never a permission: it is keyed by the host whose credentials the
 * registry uses and by the origin its requests go to, and used only for that origin; a realm is
 * used only when it is an absolute http(s) URL without user info, and the registry's credentials
 * go to it only on a host they belong to, decided as for a realm a live challenge names (auth.ts,
 * credential-hosts.ts). A scheme that no longer works (a 401, a realm that gives no token) is
 * forgotten and the registry's challenge answered as on a first run. Nothing secret is kept: no
 * token, no credential, and no realm or service that holds one of the run's secrets.
 *
 * Bounded: at most {@link MAX_REMEMBERED_SCHEMES} registries (the most recently learned), realms and
 * services of bounded length, and nothing older than {@link SCHEME_MAX_AGE_MS}. Pure.
 */

import { dueForKeepAlive, newestFirst, readTime } from './kept-times.js';
import { realmProblem } from './www-authenticate.js';

/** A registry's scheme as remembered. */
export type RememberedScheme =
  { kind: 'none' } | { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };

/** At most this many registries are remembered (the most recently learned). */
export const MAX_REMEMBERED_SCHEMES = 1_000;
/** A scheme learned longer ago than this is asked again. */
export const SCHEME_MAX_AGE_MS = 7 * 24 * 3_600_000;
const MAX_REALM_LENGTH = 2_048;
const MAX_SERVICE_LENGTH = 512;

/** One entry of the file's `schemes`, keyed by `<credentials host> <origin>`. */
interface SerializedScheme {
  kind: string;
  realm?: string;
  service?: string;
  /** When it was learned, RFC 3339. */
  learned: string;
}

interface Entry {
  scheme: RememberedScheme;
  learned: number;
}

/** Schemes by credentials host and origin; see the module comment. */
export class RememberedSchemes {
  private readonly entries = new Map<string, Entry>();
  private dirty = false;

  /** Whether anything changed that the file should keep. */
  get changed(): boolean {
    return this.dirty;
  }

  /** What is remembered for the registry whose credentials are `key`, reached at `origin`. */
  get(key: string, origin: string, now: number): RememberedScheme | undefined {
    const entry = this.entries.get(keyOf(key, origin));
    return entry && now - entry.learned <= SCHEME_MAX_AGE_MS && entry.learned <= now
      ? entry.scheme
      : undefined;
  }

  /**
   * Remembers a scheme learned (or used again) now, in place of what was remembered; one that
   * cannot be kept is forgotten instead.
   */
  remember(key: string, origin: string, scheme: RememberedScheme, now: number): void {
    const usable = checkScheme(scheme);
    if (!usable) {
      this.forget(key, origin);
      return;
    }
    const id = keyOf(key, origin);
    const previous = this.entries.get(id);
    // A scheme used again is written again a day after it was learned, not on every run.
    if (previous && sameScheme(previous.scheme, usable) && !dueForKeepAlive(previous.learned, now)) return;
    this.entries.set(id, { scheme: usable, learned: now });
    this.dirty = true;
  }

  /** Forgets what is remembered for the registry (it no longer worked). */
  forget(key: string, origin: string): void {
    if (this.entries.delete(keyOf(key, origin))) this.dirty = true;
  }

  /** The file's `schemes`: the most recently learned, at most {@link MAX_REMEMBERED_SCHEMES}. */
  toJSON(): Record<string, SerializedScheme> {
    const newest = newestFirst([...this.entries], MAX_REMEMBERED_SCHEMES, ([, entry]) => entry.learned);
    return Object.fromEntries(
      newest.map(([id, { scheme, learned }]) => [
        id,
        { ...scheme, learned: new Date(learned).toISOString() },
      ]),
    );
  }

  /** Reads the file's `schemes`; anything unusable is left out, and anything past the bounds. */
  static fromJSON(value: unknown, now: number): RememberedSchemes {
    const schemes = new RememberedSchemes();
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return schemes;
    for (const [id, raw] of Object.entries(value as Record<string, unknown>)) {
      if (schemes.entries.size >= MAX_REMEMBERED_SCHEMES) break;
      if (typeof raw !== 'object' || raw === null || !/^\S+ \S+$/.test(id)) continue;
      const { kind, realm, service, learned } = raw as Record<string, unknown>;
      const time = readTime(learned, now, SCHEME_MAX_AGE_MS);
      if (time === undefined || time > now) continue;
      const scheme = checkScheme({ kind, realm, service } as RememberedScheme);
      if (scheme) schemes.entries.set(id, { scheme, learned: time });
    }
    return schemes;
  }
}

function sameScheme(a: RememberedScheme, b: RememberedScheme): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function keyOf(key: string, origin: string): string {
  return `${key} ${origin}`;
}

/** The scheme as kept, or undefined when it is not one this Action would use. */
function checkScheme(scheme: RememberedScheme): RememberedScheme | undefined {
  if (scheme.kind === 'none' || scheme.kind === 'basic') return { kind: scheme.kind };
  if (scheme.kind !== 'bearer') return undefined;
  const { realm, service } = scheme as { realm: unknown; service: unknown };
  if (typeof realm !== 'string' || realm.length > MAX_REALM_LENGTH) return undefined;
  if (service !== undefined && (typeof service !== 'string' || service.length > MAX_SERVICE_LENGTH))
    return undefined;
  if (realmProblem(realm) !== undefined) return undefined;
  return service === undefined ? { kind: 'bearer', realm } : { kind: 'bearer', realm, service };
}
