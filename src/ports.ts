/**
 * The edges the pure core talks to. The core receives implementations of these interfaces and
 * never does I/O itself; tests pass in-memory or real-server-backed implementations.
 */
import type { Update } from './update.js';
import type { Problem } from './problems.js';

/** What the registry knows about one tag (only fetched where a glob or regex filter needs it). */
export interface TagDetails {
  /** The manifest digest the tag points at. */
  digest: string;
  /**
   * The image's build time: its config's `created`, or undefined when the image has none. For the
   * repositories Flux v1 read build-time labels of, the label's time instead (`label-times.ts`).
   */
  created: Date | undefined;
  /**
   * The times of the `org.opencontainers.image.created` and `org.label-schema.build-date` labels,
   * each absent when the image lacks it or it is not RFC 3339; absent as a whole when not read.
   */
  labelTimes?: { created?: Date; buildDate?: Date };
  /** The `org.opencontainers.image.source` label, when the image has one. */
  source?: string;
  /** The `org.opencontainers.image.revision` label, when the image has one. */
  revision?: string;
  /** What the image runs on, when known; see {@link ImagePlatforms}. */
  platforms?: ImagePlatforms;
}

/**
 * The platforms an image runs on (`os/architecture[/variant]`): an index's images (attestations
 * left out), or a single image's platform from its config. Empty for a single image whose config
 * was not read (known to be single-platform, not which platform). At most 32 entries of at most
 * 98 characters, letters, digits, `.`, `_`, `-` and `/` only.
 */
export type ImagePlatforms = readonly string[];

/** Why a repository or a tag could not be read. */
export class RegistryError extends Error {
  constructor(
    message: string,
    /** The registry host the error came from. */
    readonly host: string,
    /** The HTTP status, when there was a response. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

/** Reads tags and their creation times from container registries. */
export interface RegistryPort {
  /**
   * Every tag of a normalised repository (`docker.io/library/mongo`), following pagination.
   * Rejects with a {@link RegistryError} when the repository cannot be listed.
   */
  listTags(repository: string): Promise<string[]>;
  /**
   * Details of some tags of a repository. Each tag maps to its details, or to the error that kept
   * them from being read; one broken tag never fails the others.
   */
  describeTags(
    repository: string,
    tags: readonly string[],
    /** Called once for each tag as its details (or its error) are known, for progress. */
    onDescribed?: (tag: string) => void,
  ): Promise<Map<string, TagDetails | RegistryError>>;
  /**
   * The platforms of some tags' images, in one manifest request per tag (none when the digest
   * cache knows the tag's image; two for a remembered tag that moved): for a pull request body that compares the new image's
   * platforms with the current one's. A tag that cannot be read maps to its error. Absent (in
   * memory-backed ports): the bodies compare platforms only where details were read anyway.
   */
  describePlatforms?(
    repository: string,
    tags: readonly string[],
  ): Promise<Map<string, ImagePlatforms | RegistryError>>;
  /**
   * Abandons every request in flight or waiting, and any asked for later, each rejecting with
   * `reason`: the run stopped and needs no answer. Absent (in memory-backed ports): nothing waits.
   */
  stop?(reason: string): void;
  /**
   * Starts listing the repositories the last run listed (the digest cache's, a few of each
   * registry) that `inScope` accepts, before the scan names them; returns how many it started.
   * Absent (in memory-backed ports): none.
   */
  listAhead?(inScope: (repository: string) => boolean): number;
  /**
   * Told the repositories the scan named (`needed`): abandons the listings started ahead that none
   * of them reads, in flight or waiting, and returns how many; the next run's {@link listAhead}
   * starts with these.
   */
  settleAhead?(needed: Iterable<string>): number;
  /**
   * Whether requests sent are not written yet: the next request of a slot an answer freed is
   * written at a later turn of the event loop, and the run lets it go before a parse (issue 17).
   * Absent (in memory-backed ports): never.
   */
  writing?(): boolean;
}

/** How far the registry phase is. */
export interface RegistryProgress {
  repositoriesDone: number;
  repositoriesTotal: number;
  /** Tags whose details (digest, build time) are known so far. */
  tagsDescribed: number;
  /** Tags whose details the filters need, in the repositories listed so far. */
  tagsToDescribe: number;
}

/** Receives the registry phase's progress; the shells turn it into log lines or a live line. */
export interface ProgressSink {
  /** The state changed (called often: keep it cheap). */
  update(progress: Readonly<RegistryProgress>): void;
  /** The registry phase is over. */
  finish(): void;
}

/** A log for progress messages; the Action groups them, the CLI prints them to stderr. */
export interface ProgressLog {
  info(message: string): void;
  /** Runs `work` inside a named, collapsible group of log lines. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>;
}

/**
 * The workspace is larger than a run reads: more entries than the listing walks, more bytes than
 * its reads take together, or more text than the scan keeps. A run meeting one stops with this
 * message and writes nothing: past the bound, a kustomization that locks a release could go unread.
 */
export class WorkspaceBoundError extends Error {
  constructor(
    message: string,
    /**
     * Which bound was met: the entries listed, the bytes read from files since the listing, the
     * text the scan keeps of them (`scan/kept-text.ts`), or the HelmReleases and containers it
     * keeps (`scan/kept-releases.ts`).
     */
    readonly bound: 'entries' | 'bytes' | 'kept' | 'releases',
  ) {
    super(message);
    this.name = 'WorkspaceBoundError';
  }
}

/** The files of the checked-out repository. */
export interface WorkspacePort {
  /**
   * Every regular file, workspace-relative with `/` separators (no `.git`, `node_modules`, or links
   * leaving the workspace). Rejects with a {@link WorkspaceBoundError} when the workspace holds more
   * entries than the port lists.
   */
  listFiles(): Promise<string[]>;
  /**
   * A file's text, or a sentence saying why it was not read (too large, not UTF-8, binary, ...).
   * Rejects with a {@link WorkspaceBoundError} when the reads since the listing pass the port's
   * total: one file refused is a problem for that file, the total met is one for the run.
   */
  readFile(path: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }>;
  /**
   * The links the last {@link listFiles} met, by their own workspace path (which it does not list):
   * a link to a folder or file of the listing maps to its target's path ('' for the root), one
   * leading out of it (outside the workspace, into `.git` or `node_modules`) to null; dangling
   * links are left out. Kustomize follows links, so its paths are read through them. Absent in
   * ports without links.
   */
  links?(): ReadonlyMap<string, string | null>;
  /**
   * The folders the last {@link listFiles} could not enter, by workspace path, each with why
   * (`permission denied`): nothing under them is listed, so a path there is not known to be
   * missing. Absent in ports that enter every folder.
   */
  unlisted?(): ReadonlyMap<string, string>;
}

/** What happened to one pull request. */
export interface PullRequestOutcome {
  /**
   * `created`, `updated`, `unchanged`, `skipped`, `held-back`, `would-create`, `would-update`,
   * `failed`; or `closed` / `would-close` for an open pull request the base branch made obsolete
   * (its `updates` are empty: the plan has none of them).
   */
  action: string;
  branch: string;
  number?: number;
  url?: string;
  /** The updates this pull request carries. */
  updates: Update[];
  /**
   * Why, when the action is not a plain success, as shown; with what it supersedes said last
   * (`added labels deps; supersedes #3, #4`), rendered from {@link supersedes}.
   */
  reason?: string;
  /**
   * The open pull requests this one replaced, closed in its favour (in a dry run, those a real run
   * would close), when there are any: the numbers its reason names as `supersedes #3, #4`.
   */
  supersedes?: number[];
  /**
   * When it supersedes some: its reason without them (absent when it has none of its own), from
   * which {@link reason} is rendered again as more are added; never read out of the reason's text.
   */
  ownReason?: string;
  /** Why a `skipped` request was skipped (the dashboard sorts by it). */
  skipped?: 'closed' | 'merged' | 'no-change' | 'foreign' | 'unappliable';
}

/**
 * The tags a normalised repository's registry listed in this run (every one: a listing that was cut
 * short fails instead), or undefined when the run did not list it (out of scope, or it failed).
 */
export type ListedTags = (repository: string) => ReadonlySet<string> | undefined;

/** Turns the plan's updates into pull requests. */
export interface PullRequestPort {
  /** `listed`: the run's tag lists, to tell an open pull request whose tag is gone from its registry. */
  write(
    updates: readonly Update[],
    listed?: ListedTags,
  ): Promise<{
    results: PullRequestOutcome[];
    problems: Problem[];
  }>;
}
