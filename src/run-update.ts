/**
 * The orchestrator both shells share: select files, scan them, look up tags, plan, and (unless
 * dry-run) write pull requests. It touches only the ports it is given.
 */
import type { DetectionMode } from './helmrelease/detect-deep.js';
import { collectLookups, detailsNeeded, type Lookup } from './plan/plan-lookups.js';
import type { RepositoryData } from './plan/plan-updates.js';
import { mergeFilePlans } from './plan/file-plans.js';
import { planAsAnswered } from './plan/plan-as-answered.js';
import type { Plan } from './plan/types.js';
import type {
  ProgressLog,
  ProgressSink,
  RegistryProgress,
  PullRequestOutcome,
  PullRequestPort,
  RegistryError,
  RegistryPort,
  TagDetails,
  WorkspacePort,
} from './ports.js';
import { WorkspaceBoundError } from './ports.js';
import { error, type Problem } from './problems.js';
import { describeChosenTags } from './chosen-tag-details.js';
import { labelTimedRegistry } from './image/label-times.js';
import { describeCurrentPlatforms } from './current-platforms.js';
import { groupBy } from './group-by.js';
import { describeForReleaseAge } from './release-age-details.js';
import { inImageScope, parseImageScope } from './scan/image-scope.js';
import { prepareConstraintExpressions } from './filters/semver-constraint.js';
import { plural } from './plural.js';
import { scopeWarnings } from './scan/scope-warnings.js';
import type { KeptReleaseLimits } from './scan/kept-releases.js';
import { scanWorkspace } from './scan/scan-workspace.js';
import { nextTurn } from './event-loop-turn.js';
import { checkPatterns, selectFiles } from './scan/select-files.js';

/** What a run needs to know. */
export interface RunSettings {
  /** Include globs (empty: every YAML file). */
  paths: readonly string[];
  /** Exclude globs. */
  exclude: readonly string[];
  /** Only releases with `fluxcd.io/automated: "true"` are updated. */
  requireAutomated: boolean;
  /** How images are found (default `flux-v1`); a release's detection annotation overrides it. */
  detection?: DetectionMode;
  /** The `minimum-release-age` input (ms; 0 or absent: none); a release's annotation overrides it. */
  minimumReleaseAgeMs?: number;
  /** The `update-repushed-digests` input: a pinned tag re-pushed with another image gets its new digest. */
  updateRepushedDigests?: boolean;
  /** The `images` input: repositories (globs or references) to check; empty or absent: all. */
  images?: readonly string[];
  /** Bytes of text the scan keeps before the run stops (`MAX_KEPT_BYTES` unless given; tests lower it). */
  maxKeptBytes?: number;
  /** HelmReleases and containers the scan keeps before the run stops (kept-releases.ts; tests lower them). */
  maxKeptReleases?: KeptReleaseLimits;
  /**
   * The `registry-concurrency` input: the scan parses files as it reads them until this many tag
   * listings have started, a first wave (default 1).
   */
  registryConcurrency?: number;
  /**
   * What to check when no HelmRelease is found, in the shell's terms: the CLI names its flags and
   * the folder it scanned (default: the Action's, `actions/checkout`).
   */
  noReleaseAdvice?: string;
  /** The `registry-mirrors` input, by registry: one no image names is warned about. */
  registryMirrors?: Readonly<Record<string, string>>;
  /** The `registry-aliases` input, by registry[/namespace]: one no image falls under is warned about. */
  registryAliases?: Readonly<Record<string, string>>;
}

/** The edges a run talks to. `pullRequests` is absent for dry runs and the CLI. */
export interface RunPorts {
  workspace: WorkspacePort;
  registry: RegistryPort;
  log: ProgressLog;
  pullRequests?: PullRequestPort;
  /** Told how far the registry phase is (the Action logs a line every few seconds, the CLI a live line). */
  progress?: ProgressSink;
  /** The wall-clock time, for release ages (default: the system clock). */
  clock?: () => Date;
  /** Milliseconds from an arbitrary origin, for the phase timings. */
  now?: () => number;
}

/** Everything a run did, for the outputs, the summary, the CLI and the benchmark. */
export interface RunReport {
  plan: Plan;
  pullRequests: PullRequestOutcome[];
  /** The plan's problems followed by the pull request writer's. */
  problems: Problem[];
  counts: { files: number; scanned: number; releases: number; containers: number; repositories: number };
  /** Wall time of each phase in milliseconds. */
  timings: { scan: number; registry: number; plan: number; pullRequests: number };
  /**
   * Set when the configuration stopped the run before it scanned anything (the problems say
   * why): the shells fail whatever `fail-on-error` says.
   */
  stopped?: string;
}

/** The report of a run stopped before it scanned anything. */
function stoppedReport(problems: Problem[], stopped: string): RunReport {
  return {
    stopped,
    plan: { containers: [], updates: [], edits: [], problems: [] },
    pullRequests: [],
    problems,
    counts: { files: 0, scanned: 0, releases: 0, containers: 0, repositories: 0 },
    timings: { scan: 0, registry: 0, plan: 0, pullRequests: 0 },
  };
}

/** Which bound of the whole workspace a run met, for its `stopped` line. */
const BOUND_MET: Record<WorkspaceBoundError['bound'], string> = {
  entries: 'the workspace holds more files than a run lists',
  bytes: "the workspace's files hold more text than a run reads",
  kept: 'the files a run keeps hold more text than it keeps',
  releases: 'the files a run scans hold more HelmReleases, containers or problems than it keeps',
};

/**
 * The report of a run that met a bound of the whole workspace (`WorkspaceBoundError`), or rethrows
 * anything else. The run stops, whatever it read so far: past the bound, a kustomization that
 * locks a release may be unread, so an update planned without it could be one Flux would not make.
 */
function workspaceBoundReport(e: unknown): RunReport {
  if (!(e instanceof WorkspaceBoundError)) throw e;
  return stoppedReport(
    [error('', 0, `${e.message} Nothing was updated or written.`)],
    `${BOUND_MET[e.bound]} (see the problems); nothing was written`,
  );
}

/**
 * Files a run scans as it reads them, once its first listing has started, looking for the rest of
 * a first wave: a workspace of fewer repositories than that is otherwise read and parsed in one
 * loop to its end, which measured slower than reading every file first (scan-workspace.ts).
 */
const FIRST_WAVE_FILES = 64;

/** Runs one update pass. */
export async function runUpdate(runSettings: RunSettings, runPorts: RunPorts): Promise<RunReport> {
  // Flux v1's own images are timed by their labels wherever a build time is read (R10.2).
  const ports = { ...runPorts, registry: labelTimedRegistry(runPorts.registry) };
  // The settings validated `images`; compiled here once for the plan.
  const imageScope = parseImageScope(runSettings.images ?? []);
  const settings = { ...runSettings, imageScope, now: (ports.clock ?? (() => new Date()))() };
  const now = ports.now ?? (() => Date.now());
  const { log } = ports;
  const writing = ports.registry.writing?.bind(ports.registry);
  const turn = () => nextTurn(writing);

  let t = now();
  // The repositories the last run named are listed while the workspace is listed and read and the
  // first files parsed (issue 17: a warm run's registry waited for that, then for its first files'
  // listings to trickle in); the scan's own listings of them are those listings, and the rest are
  // abandoned once it ends. Only within the run's image scope: the scope says which registries a
  // run may ask.
  const ahead = ports.registry.listAhead?.((name) => inImageScope(imageScope, name)) ?? 0;
  /** A run that stops before its scan waits for no listing started ahead. */
  const stopAhead = () => {
    if (ahead > 0) ports.registry.stop?.('the run stopped before its scan');
  };
  if (ahead > 0) {
    // Once they are written, the semver filters' expressions are compiled while their answers
    // come (10-15 ms of CPU the first time, which the first file's scan would spend with the
    // answers waiting behind it).
    await turn();
    await turn();
    prepareConstraintExpressions();
  }
  let listing: string[];
  try {
    listing = await ports.workspace.listFiles();
  } catch (e) {
    stopAhead();
    return workspaceBoundReport(e);
  }
  // A pattern that matches nothing stops the run before anything is read: a mistyped `paths`
  // would scan less than meant and end green, a mistyped `exclude` would update what was meant
  // to be left alone.
  const patternProblems = checkPatterns(listing, settings.paths, settings.exclude);
  if (patternProblems.length > 0) {
    stopAhead();
    return stoppedReport(
      patternProblems.map((p) =>
        error('', 0, `${p.input}: "${p.pattern}" ${p.reason}. Nothing was scanned or written.`),
      ),
      'a paths or exclude pattern needs fixing (see the problems); nothing was scanned or written',
    );
  }
  /** Tag listings started during the scan, by repository. */
  const listings = new Map<string, Promise<string[]>>();
  /** Files scanned since the first listing started, while the scan looks for a first wave. */
  let scannedForWave = 0;
  let scanPhase;
  try {
    scanPhase = await log.group('Scanning files', async () => {
      const files = selectFiles(listing, settings.paths, settings.exclude);
      // What each scanned file needs looked up, in scan order (the registry phase takes them as one list).
      const lookups: Lookup[] = [];
      const scanned = await scanWorkspace(listing, files, ports.workspace, settings, {
        // Starts the listing of each repository the file names that none named before.
        onScan: (scan) => {
          if (listings.size > 0) scannedForWave += 1;
          const found = collectLookups([scan], settings);
          lookups.push(...found);
          for (const lookup of found) {
            const name = lookup.occurrence.reference.repository;
            if (!listings.has(name)) {
              const pending = ports.registry.listTags(name);
              // Awaited in the registry phase; until then a failure is no unhandled rejection.
              pending.catch(() => undefined);
              listings.set(name, pending);
            }
          }
        },
        // Until a first wave of listings has started (or FIRST_WAVE_FILES files were scanned for
        // it): the first request learns the registry's scheme and the others wait for its answer
        // (registry-session.ts), so they are ready when it comes rather than once every other file
        // is read (issue 17: 30-40 ms, 0.7 round trip, off a cold run over 9,624 files of a
        // registry 50 ms away that answered before the reads ended).
        scanAtOnce: () =>
          ahead === 0 &&
          listings.size < (settings.registryConcurrency ?? 1) &&
          scannedForWave < FIRST_WAVE_FILES,
        // Each repository's listing starts as soon as its first image is scanned, so the registry
        // phase runs under the scan (issue 17); the reads (every few files) and the parse (after each
        // file) take a turn of the event loop so that the requests go out and their answers are read
        // meanwhile.
        afterScan: turn,
      });
      const { scans, texts, releases } = scanned;
      log.info(
        `Scanned ${plural(files.length, 'file')}: ${plural(releases, 'HelmRelease')} in ${plural(scans.length, 'file')}`,
      );
      return { scans, texts, readProblems: scanned.problems, files, releases, lookups };
    });
  } catch (e) {
    // The registry may have started listings under the scan: each has its rejection handled, none
    // is awaited, and none is left to run on (nor to keep the process alive) past the stop.
    ports.registry.stop?.('the run stopped before the registry phase');
    return workspaceBoundReport(e);
  }
  const { scans, texts, readProblems, files, releases, lookups } = scanPhase;
  const scanTime = now() - t;

  t = now();
  const lookupsByRepository = groupBy(lookups, (lookup) => lookup.occurrence.reference.repository);
  const abandoned = ports.registry.settleAhead?.(lookupsByRepository.keys()) ?? 0;
  if (abandoned > 0) {
    log.info(
      `Abandoned ${plural(abandoned, 'tag listing')} started ahead, of repositories the last run listed and this run checks no image of`,
    );
  }
  const repositoryNames = [...lookupsByRepository.keys()].sort();
  const data = new Map<string, RepositoryData>();
  const filesPlanned = planAsAnswered(
    scans,
    texts,
    (name) => lookupsByRepository.has(name),
    data,
    settings,
    settings.now,
    turn,
  );
  await log.group('Querying registries', async () => {
    log.info(`Querying ${plural(repositoryNames.length, 'repository', 'repositories')}`);
    const progress: RegistryProgress = {
      repositoriesDone: 0,
      repositoriesTotal: repositoryNames.length,
      tagsDescribed: 0,
      tagsToDescribe: 0,
    };
    const tell = () => ports.progress?.update(progress);
    tell();
    // Each repository goes from its tag list straight to the details its filters need, with no
    // barrier between the phases: a long listing chain never holds the other repositories back.
    await Promise.all(
      repositoryNames.map(async (name) => {
        let described = 0;
        let toDescribe = 0;
        try {
          const tags = await (listings.get(name) ?? ports.registry.listTags(name));
          const needed = detailsNeeded(lookupsByRepository.get(name)!, tags);
          toDescribe = needed.length;
          progress.tagsToDescribe += toDescribe;
          tell();
          const details: Map<string, TagDetails | RegistryError> = needed.length
            ? await ports.registry.describeTags(name, needed, () => {
                described += 1;
                progress.tagsDescribed += 1;
                tell();
              })
            : new Map();
          await describeForReleaseAge(
            ports.registry,
            name,
            lookupsByRepository.get(name)!,
            tags,
            details,
            settings.now,
          );
          data.set(name, { ok: true, tags, details });
        } catch (e) {
          data.set(name, { ok: false, reason: (e as Error).message });
        } finally {
          // Tags left out (a cap, a failure) count as done, so the totals meet at the end.
          progress.tagsDescribed += Math.max(0, toDescribe - described);
          progress.repositoriesDone += 1;
          tell();
          filesPlanned.answered(name);
        }
      }),
    );
    ports.progress?.finish();
    log.info(queriedLine(repositoryNames.length, data.values()));
  });
  const registryTime = now() - t;

  t = now();
  const plan = mergeFilePlans(await filesPlanned.plans());
  const planTime = now() - t;

  t = now();
  let pullRequests: PullRequestOutcome[] = [];
  const scope = scopeWarnings({
    paths: settings.paths,
    files,
    releases,
    scans,
    imageScope,
    ...(settings.noReleaseAdvice ? { noReleaseAdvice: settings.noReleaseAdvice } : {}),
    registryKeys: {
      mirrors: Object.keys(settings.registryMirrors ?? {}),
      aliases: Object.keys(settings.registryAliases ?? {}),
    },
  });
  const problems = [...scope.leading, ...readProblems, ...plan.problems, ...scope.trailing];
  // Called with no update too: an open pull request whose tags the base already has (a bump made
  // by hand) is closed, not left holding a max-pull-requests slot (`obsolete-pulls.ts`).
  if (ports.pullRequests) {
    if (plan.updates.length > 0) {
      await describeChosenTags(plan.updates, ports.registry);
      await describeCurrentPlatforms(plan.updates, ports.registry);
    }
    const listed = new Map(
      [...data].flatMap(([name, answer]) => (answer.ok ? [[name, new Set(answer.tags)] as const] : [])),
    );
    const written = await log.group('Writing pull requests', () =>
      ports.pullRequests!.write(plan.updates, (repository) => listed.get(repository)),
    );
    pullRequests = written.results;
    problems.push(...written.problems);
  }
  const pullRequestTime = now() - t;

  return {
    plan,
    pullRequests,
    problems,
    counts: {
      files: files.length,
      scanned: scans.length,
      releases,
      containers: plan.containers.length,
      repositories: repositoryNames.length,
    },
    timings: { scan: scanTime, registry: registryTime, plan: planTime, pullRequests: pullRequestTime },
  };
}

/**
 * The registry phase's last line: `Queried 2 repositories (1 failed: 1 had tags that could not be
 * read)`. A repository whose listing was read but whose tags' details were not counts as failed
 * too: counting only listings said "0 failed" beside an image that could not be checked because
 * none of its tags could be read. The problems say which image it left unchecked, if any.
 */
function queriedLine(total: number, data: Iterable<RepositoryData>): string {
  let unlisted = 0;
  let unreadTags = 0;
  for (const repository of data) {
    if (!repository.ok) unlisted += 1;
    else if ([...repository.details.values()].some((d) => d instanceof Error)) unreadTags += 1;
  }
  const queried = `Queried ${plural(total, 'repository', 'repositories')}`;
  if (unreadTags === 0) return `${queried} (${unlisted} failed)`;
  const which = [
    unlisted ? `${unlisted} could not be listed` : '',
    `${unreadTags} had tags that could not be read`,
  ];
  return `${queried} (${unlisted + unreadTags} failed: ${which.filter(Boolean).join(', ')})`;
}
