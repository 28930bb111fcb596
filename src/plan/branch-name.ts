/**
 * Deterministic branch names, one per pull request, so every run finds its own branches again.
 *
 *   group-by container (default): <prefix><namespace>/<name>/<container>-<hash of the file path>
 *     helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d
 *   group-by image:               <prefix>image/<normalised repository>/<new tag>
 *     helmrelease-image-updater/image/docker.io/bitnami/mongodb/4.0.4
 *   group-by release:             <prefix><namespace>/<name>-<hash of the file path>
 *     helmrelease-image-updater/data/mongodb-1a2b3c4d
 *
 * The three forms cannot be read as one another: a release branch has two segments after the
 * prefix, a container branch three, an image branch at least four with `image` first. Release and
 * container branches of one release never nest (`data/mongodb-1a2b3c4d` is not a folder of
 * `data/mongodb/…`), so switching `group-by` between them creates no ref conflict. The file hash
 * keeps two releases with the same namespace/name in different files apart. A release
 * without a namespace uses `_` (Kubernetes namespaces cannot contain `_`, so it cannot collide).
 * Every segment is sanitised to satisfy `git check-ref-format` (see `git help check-ref-format`):
 * no control characters, space, `~^:?*[\`, no `..`, no `@{`, no segment starting with `.` or
 * ending with `.lock` or `.`, no empty segments.
 *
 * GitHub refuses refs longer than 255 bytes ("GH005: Sorry, refs longer than 255 bytes are not
 * allowed"), so a branch (after `refs/heads/`) has at most {@link MAX_BRANCH_BYTES}. A longer name
 * (a long release name, container, image path or tag) is cut to fit and ends in a hash of the
 * whole name: the same inputs always give the same branch, and two names cut to the same text
 * still differ. A cut name is not read back by {@link parseBranchName}; names that fit are as before.
 */
import type { Update } from './types.js';

/** How updates are grouped into pull requests (the `group-by` input). */
export type GroupBy = 'container' | 'image' | 'release';

/** The `group-by` values, in the order the documentation lists them. */
export const GROUP_BY_VALUES: readonly GroupBy[] = ['container', 'image', 'release'];

/** What a branch name says about the pull request it carries. */
export type BranchKey =
  | { kind: 'container'; namespace: string | undefined; name: string; container: string; fileHash: string }
  | { kind: 'image'; repository: string; tag: string }
  | { kind: 'release'; namespace: string | undefined; name: string; fileHash: string };

/** One pull request to write: its branch and the updates it carries. */
export interface PullRequestRequest {
  branch: string;
  updates: Update[];
}

/** GitHub's limit on a ref (255 bytes) less `refs/heads/`. */
export const MAX_BRANCH_BYTES = 255 - 'refs/heads/'.length;

/**
 * The longest branch prefix taken (bytes), so a cut name always keeps room for what tells its pull
 * requests apart.
 */
export const MAX_PREFIX_BYTES = 100;

const NO_NAMESPACE = '_';
const IMAGE_SEGMENT = 'image';
const HASH_LENGTH = 8;

/** A short stable hash (FNV-1a, 32 bits, hex) of a string; not cryptographic, only to tell paths apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}

/** A 64-bit FNV-1a hash (hex) of a string: with the name cut, what keeps long names apart. */
function longHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The UTF-8 length of a string. */
function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * `branch` when it fits GitHub's limit; otherwise its first bytes (whole characters, the prefix
 * kept) and `-<hash of the whole name>`, still a name git accepts.
 */
function boundBranchName(head: string, branch: string): string {
  if (byteLength(branch) <= MAX_BRANCH_BYTES) return branch;
  const suffix = `-${longHash(branch)}`;
  let budget = MAX_BRANCH_BYTES - byteLength(head) - suffix.length;
  let kept = '';
  for (const char of branch.slice(head.length)) {
    budget -= byteLength(char);
    if (budget < 0) break;
    kept += char;
  }
  // The cut may leave a segment ending in `/`, `.` or `-`, or `.lock` before the suffix: trimmed,
  // or followed by the suffix, which git accepts.
  kept = kept.replace(/[/.-]+$/, '');
  return `${head}${kept || '_'}${suffix}`;
}

/** Makes one path segment of a ref valid; never returns an empty segment. */
export function sanitizeRefSegment(segment: string): string {
  let out = segment
    // Control characters, space, the characters git forbids anywhere in a ref, and `/` (a segment).
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x20\x7f~^:?*[\\/]/g, '-')
    .replace(/@\{/g, '-')
    .replace(/\.{2,}/g, '.');
  // A leading `-` would read as an option to git (`check-ref-format --branch` refuses it).
  out = out.replace(/^[.-]+/, '');
  while (out.endsWith('.lock') || out.endsWith('.')) {
    out = out.endsWith('.') ? out.slice(0, -1) : `${out.slice(0, -'.lock'.length)}-lock`;
  }
  if (out === '' || out === '@') return '_';
  return out;
}

/** Sanitises a whole ref path (segments separated by `/`), dropping empty segments. */
function sanitizeRefPath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(sanitizeRefSegment)
    .join('/');
}

/** Sanitises a branch prefix, keeping a trailing `/` when it has one (`updates/` vs `updates-`). */
export function sanitizeBranchPrefix(prefix: string): string {
  const trailingSlash = prefix.endsWith('/');
  const body = sanitizeRefPath(prefix);
  if (body === '') return '';
  return trailingSlash ? `${body}/` : body;
}

/** The branch key of one update. */
export function branchKeyOf(update: Update, groupBy: GroupBy): BranchKey {
  if (groupBy === 'image') return { kind: 'image', repository: update.repository, tag: update.to };
  if (groupBy === 'release') {
    return {
      kind: 'release',
      namespace: update.namespace,
      name: update.name,
      fileHash: shortHash(update.file),
    };
  }
  return {
    kind: 'container',
    namespace: update.namespace,
    name: update.name,
    container: update.container,
    fileHash: shortHash(update.file),
  };
}

/** Formats a branch name from a prefix and a key. */
export function formatBranchName(prefix: string, key: BranchKey): string {
  const head = sanitizeBranchPrefix(prefix);
  return boundBranchName(head, `${head}${branchPath(key)}`);
}

/** The branch name after its prefix, before it is bounded. */
function branchPath(key: BranchKey): string {
  if (key.kind === 'image') {
    return `${IMAGE_SEGMENT}/${sanitizeRefPath(key.repository)}/${sanitizeRefSegment(key.tag)}`;
  }
  const namespace = key.namespace ? sanitizeRefSegment(key.namespace) : NO_NAMESPACE;
  if (key.kind === 'release') return `${namespace}/${sanitizeRefSegment(key.name)}-${key.fileHash}`;
  return `${namespace}/${sanitizeRefSegment(key.name)}/${sanitizeRefSegment(key.container)}-${key.fileHash}`;
}

/**
 * Reads a branch name back into its key, or undefined when it is not one of ours (wrong prefix or
 * shape). Sanitising is lossy, so a parsed key holds the sanitised spellings.
 */
export function parseBranchName(prefix: string, branch: string): BranchKey | undefined {
  const head = sanitizeBranchPrefix(prefix);
  if (!branch.startsWith(head)) return undefined;
  const segments = branch.slice(head.length).split('/');
  if (segments[0] === IMAGE_SEGMENT && segments.length >= 4) {
    return { kind: 'image', repository: segments.slice(1, -1).join('/'), tag: segments[segments.length - 1] };
  }
  const hashed = new RegExp(`^(.+)-([0-9a-f]{${HASH_LENGTH}})$`);
  if (segments.length === 2) {
    const [namespace, last] = segments;
    const match = hashed.exec(last);
    if (!match) return undefined;
    return {
      kind: 'release',
      namespace: namespace === NO_NAMESPACE ? undefined : namespace,
      name: match[1],
      fileHash: match[2],
    };
  }
  if (segments.length !== 3) return undefined;
  const [namespace, name, last] = segments;
  const match = hashed.exec(last);
  if (!match) return undefined;
  return {
    kind: 'container',
    namespace: namespace === NO_NAMESPACE ? undefined : namespace,
    name,
    container: match[1],
    fileHash: match[2],
  };
}

/**
 * True when two updates may rewrite the same text: same file, document and line, and the same image
 * as written or the same new tag (an alias on a detected image's tag key but another repository path:
 * the tag is shared, the images differ, and the editor writes shared text only with every reader).
 */
function sameText(a: Update, b: Update): boolean {
  return (
    a.file === b.file &&
    a.documentIndex === b.documentIndex &&
    a.line === b.line &&
    (a.image === b.image || a.to === b.to)
  );
}

/**
 * Groups updates into pull requests: one per container by default, one per repository and new tag
 * with `group-by: image`, one per HelmRelease (all its containers' bumps) with `group-by: release`. Two containers on the same text always share a pull request (whichever
 * came first names the branch), since one edit carries both. Order follows the first update of
 * each group.
 */
export function groupUpdates(
  updates: readonly Update[],
  groupBy: GroupBy,
  prefix: string,
): PullRequestRequest[] {
  const requests: PullRequestRequest[] = [];
  const byBranch = new Map<string, PullRequestRequest>();
  for (const update of updates) {
    const sharing = requests.find((request) => request.updates.some((other) => sameText(other, update)));
    if (sharing) {
      sharing.updates.push(update);
      continue;
    }
    const branch = formatBranchName(prefix, branchKeyOf(update, groupBy));
    const existing = byBranch.get(branch);
    if (existing) {
      existing.updates.push(update);
      continue;
    }
    const request = { branch, updates: [update] };
    byBranch.set(branch, request);
    requests.push(request);
  }
  return requests;
}

/**
 * The branches a request's updates have under every `group-by` but the request's own branch: a
 * changed `group-by` names other branches, and a closed pull request of one of them still refuses
 * its tags (closed pull requests are found by their branch's name).
 */
export function regroupedBranches(request: PullRequestRequest, prefix: string): string[] {
  const names = request.updates.flatMap((update) =>
    GROUP_BY_VALUES.map((groupBy) => formatBranchName(prefix, branchKeyOf(update, groupBy))),
  );
  return [...new Set(names)].filter((branch) => branch !== request.branch);
}
