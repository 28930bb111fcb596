/**
 * Release notes for pull request bodies: for an image whose `org.opencontainers.image.source`
 * label names a github.com repository, the GitHub releases after the current tag up to the new
 * one, and a compare link when both tags exist there. An edge module, injected into the writer as
 * a {@link ReleaseNotesSource}.
 *
 * - Tags match with or without a `v` (`4.0.4` finds the release `v4.0.4`).
 * - Bounded: at most {@link MAX_RELEASE_PAGES} pages of 100 releases per repository and at most
 *   two compare requests per tag change; each repository's list is read once per run.
 * - Never fails a pull request: a repository that cannot be read gives notes with a `problem`.
 *
 * Only for workflows on github.com: a GHES token means nothing to github.com, so there the body
 * links the source without its releases.
 */
import { githubRepository, MAX_RELEASES, releaseNotesKey } from '../plan/release-notes-text.js';
import type { ReleaseEntry, ReleaseNotes, ReleaseNotesSource } from '../plan/release-notes-text.js';
import { compareVersions, parseTagVersion, type TagVersion } from '../filters/semver-filter.js';
import type { Update } from '../update.js';
import { call, isNotFound } from './github-call.js';
import type { GitHubClient } from './octokit.js';

/** The most pages of releases read per repository (newest first, 100 a page). */
export const MAX_RELEASE_PAGES = 3;
const PER_PAGE = 100;

/** A release as the list endpoint gives it (the fields used). */
interface ListedRelease {
  tag_name: string;
  name: string | null;
  html_url: string;
  body?: string | null;
  draft: boolean;
  prerelease: boolean;
}

/** What the release notes need. */
export interface ReleaseNotesOptions {
  /** A client for api.github.com with the workflow's token. */
  github: GitHubClient;
  /** Progress messages. */
  log?: (message: string) => void;
}

/** `v4.0.4` and `4.0.4` are the same tag for matching. */
function sameTag(a: string, b: string): boolean {
  const bare = (tag: string): string => tag.replace(/^v(?=[0-9])/, '');
  return a === b || bare(a) === bare(b);
}

/** The release source for the writer; one per run (it caches each repository's releases). */
export function createReleaseNotesSource(options: ReleaseNotesOptions): ReleaseNotesSource {
  const lists = new Map<string, Promise<ListedRelease[]>>();
  const notes = new Map<string, Promise<ReleaseNotes>>();

  const listReleases = (owner: string, repo: string): Promise<ListedRelease[]> => {
    const key = `${owner}/${repo}`.toLowerCase();
    let list = lists.get(key);
    if (!list) {
      list = readReleases(options.github, owner, repo);
      lists.set(key, list);
    }
    return list;
  };

  const notesFor = async (update: Update): Promise<ReleaseNotes | undefined> => {
    const source = update.source && githubRepository(update.source);
    if (!source) return undefined;
    const key = releaseNotesKey(update.source!, update.from, update.to);
    let pending = notes.get(key);
    if (!pending) {
      pending = readNotes(options, source, update.from, update.to, listReleases);
      notes.set(key, pending);
    }
    return pending;
  };

  return async (updates: readonly Update[]) => {
    const found = new Map<string, ReleaseNotes>();
    for (const update of updates) {
      const read = await notesFor(update);
      if (read) found.set(releaseNotesKey(update.source!, update.from, update.to), read);
    }
    return found;
  };
}

/** Every release of a repository, newest first, up to {@link MAX_RELEASE_PAGES} pages. */
async function readReleases(github: GitHubClient, owner: string, repo: string): Promise<ListedRelease[]> {
  const releases: ListedRelease[] = [];
  for (let page = 1; page <= MAX_RELEASE_PAGES; page++) {
    const data = await call(`GET /repos/${owner}/${repo}/releases`, () =>
      github.rest.repos.listReleases({ owner, repo, per_page: PER_PAGE, page }),
    );
    releases.push(...data);
    if (data.length < PER_PAGE) break;
  }
  return releases;
}

/** The notes of one tag change. */
async function readNotes(
  options: ReleaseNotesOptions,
  source: { owner: string; repo: string },
  from: string,
  to: string,
  listReleases: (owner: string, repo: string) => Promise<ListedRelease[]>,
): Promise<ReleaseNotes> {
  const repositoryUrl = `https://github.com/${source.owner}/${source.repo}`;
  let releases: ListedRelease[];
  try {
    releases = await listReleases(source.owner, source.repo);
  } catch (e) {
    const problem = isNotFound(e)
      ? 'the repository was not found (private, renamed or deleted)'
      : `GitHub answered ${e instanceof Error ? e.message : String(e)}`;
    options.log?.(`Release notes of ${source.owner}/${source.repo}: ${problem}`);
    return { repositoryUrl, releases: [], more: 0, problem };
  }
  const published = releases.filter((r) => !r.draft);
  const fromRelease = published.find((r) => sameTag(r.tag_name, from));
  const toRelease = published.find((r) => sameTag(r.tag_name, to));
  const between = releasesBetween(published, from, to, fromRelease, toRelease);
  const entries: ReleaseEntry[] = between.slice(0, MAX_RELEASES).map((r) => ({
    tag: r.tag_name,
    name: r.name ?? '',
    url: r.html_url,
    body: r.body ?? '',
  }));
  const compareUrl = await findCompare(options.github, source, from, to, fromRelease, toRelease);
  return {
    repositoryUrl,
    releases: entries,
    more: between.length - entries.length,
    ...(compareUrl ? { compareUrl } : {}),
  };
}

/**
 * The releases after `from` up to and including `to`, newest first: by version when both tags
 * are versions (pre-releases only when `to` is one), else by the list's order (newest first)
 * between the two releases.
 */
function releasesBetween(
  releases: readonly ListedRelease[],
  from: string,
  to: string,
  fromRelease: ListedRelease | undefined,
  toRelease: ListedRelease | undefined,
): ListedRelease[] {
  const low = parseTagVersion(from);
  const high = parseTagVersion(to);
  if (low && high) {
    const wantPre = high.prerelease !== '';
    const inRange: { release: ListedRelease; version: TagVersion }[] = [];
    for (const release of releases) {
      const version = parseTagVersion(release.tag_name);
      if (!version || compareVersions(version, low) <= 0 || compareVersions(version, high) > 0) continue;
      if (!wantPre && (version.prerelease !== '' || release.prerelease)) continue;
      inRange.push({ release, version });
    }
    return inRange.sort((a, b) => compareVersions(b.version, a.version)).map((r) => r.release);
  }
  if (!toRelease) return [];
  const start = releases.indexOf(toRelease);
  const end = fromRelease ? releases.indexOf(fromRelease) : -1;
  // `from` not found, or listed as newer: just the new tag's release.
  return end > start ? releases.slice(start, end) : [toRelease];
}

/**
 * `…/compare/<from>...<to>` when both tags exist in the repository, spelled as their releases
 * are (or, without a release, as the other side is: `v` or not), checked with the compare API.
 */
async function findCompare(
  github: GitHubClient,
  source: { owner: string; repo: string },
  from: string,
  to: string,
  fromRelease: ListedRelease | undefined,
  toRelease: ListedRelease | undefined,
): Promise<string | undefined> {
  const prefixed = (toRelease ?? fromRelease)?.tag_name.startsWith('v') ?? false;
  const spell = (tag: string): string => (prefixed && /^[0-9]/.test(tag) ? `v${tag}` : tag);
  const toggle = (tag: string): string => (tag.startsWith('v') ? tag.slice(1) : `v${tag}`);
  const base = fromRelease?.tag_name ?? spell(from);
  const head = toRelease?.tag_name ?? spell(to);
  const attempts: [string, string][] = [[base, head]];
  // A guessed spelling gets one more try with the other spelling.
  if (!fromRelease || !toRelease) {
    attempts.push([fromRelease ? base : toggle(base), toRelease ? head : toggle(head)]);
  }
  for (const [b, h] of attempts) {
    try {
      await call(`GET /repos/${source.owner}/${source.repo}/compare/${b}...${h}`, () =>
        github.rest.repos.compareCommitsWithBasehead({
          owner: source.owner,
          repo: source.repo,
          basehead: `${b}...${h}`,
          per_page: 1,
        }),
      );
      const path = [b, h].map(encodeURIComponent).join('...');
      return `https://github.com/${source.owner}/${source.repo}/compare/${path}`;
    } catch {
      // Not there (404), or not comparable: try the other spelling, else no link.
    }
  }
  return undefined;
}
