/**
 * The Action's shell: read the inputs, build the real adapters, run the update, and publish the
 * report (outputs, job summary, annotations). Only this file decides the step's outcome.
 */
import * as core from '@actions/core';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cancelledFailure, type ActionCancel } from './action-cancel.js';
import { RUN_CANCELLED } from './cancelled-text.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceFiles } from './adapters/workspace-files.js';
import { actionsLog, annotate, logLine } from './adapters/actions-log.js';
import { periodicProgress } from './adapters/progress-sinks.js';
import { setUpRegistry } from './adapters/registry-setup.js';
import { actionLoginAdvice } from './login-advice.js';
import { applyUpdates } from './edit/apply-updates.js';
import { createGitHubClient } from './github/octokit.js';
import { createReleaseNotesSource } from './github/release-notes.js';
import {
  createPullRequestPort,
  GitHubError,
  GitHubPermissionError,
  MissingBaseBranchError,
} from './github/pull-request-writer.js';
import type { PullRequestPort } from './ports.js';
import { error, warning } from './problems.js';
import { restoreDigestCacheFile, saveDigestCacheFile } from './registry/actions-cache.js';
import { discardDigestCache } from './registry/digest-cache-file.js';
import { ghcrToken } from './registry/registry-endpoint.js';
import { planAnnotations } from './report/annotation-budget.js';
import { outageText, registryOutages } from './report/registry-outages.js';
import {
  boundedJsonArray,
  OUTPUT_MAX_CHARS,
  outputCutText,
  problemsOutput,
  pullRequestsOutput,
  updatesOutput,
} from './report/outputs.js';
import { plural } from './plural.js';
import { renderSummary } from './report/summary.js';
import { enableAutoMerge } from './github/auto-merge.js';
import { publishDashboard, readDashboard } from './github/dashboard.js';
import { notDoneAfterRateLimit, rateLimitStop } from './github/rate-limit-stop.js';
import { serverErrorAdvice } from './github/refusal-advice.js';
import { NO_TICKS, tickedFor } from './report/dashboard-ticks.js';
import { runUpdate } from './run-update.js';
import { checkInputNames } from './input-names.js';
import { ineffectiveInputs } from './ineffective-inputs.js';
import { InputError, parseSettings } from './settings.js';
import { forkOfPullRequest, forkStopMessage } from './workflow-event.js';
import { workflowLink } from './workflow-link.js';

/** Time between the registry phase's progress lines in the log. */
const PROGRESS_INTERVAL_MS = 5000;

/** The workflow's event payload (`GITHUB_EVENT_PATH`), or undefined when there is none to read. */
function readEvent(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs the Action. */
export async function run(
  env: Record<string, string | undefined> = process.env,
  cancel?: ActionCancel,
): Promise<void> {
  try {
    // Before anything else: a mistyped input (`dryrun: true`) must not let the run write.
    checkInputNames(env);
    const settings = parseSettings((name) => core.getInput(name));
    const token = core.getInput('token');
    if (token) core.setSecret(token);
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo)
      throw new Error('GITHUB_REPOSITORY is not set; run this Action in a GitHub workflow');
    // Before the registry work: a fork's pull request would otherwise fail only at its first write,
    // with advice about permissions a fork's run cannot be given. And before the token's check: such
    // a run gets no secrets, so a `token: ${{ secrets.… }}` is empty there, for the same reason.
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const fork = settings.dryRun
      ? undefined
      : forkOfPullRequest(eventName, readEvent(env.GITHUB_EVENT_PATH), `${owner}/${repo}`);
    if (fork) {
      core.setFailed(forkStopMessage(eventName, fork));
      return;
    }
    if (!token && !settings.dryRun) throw new InputError('token', 'a token is needed to write pull requests');

    const cacheLocation = {
      path: join(env.RUNNER_TEMP || tmpdir(), 'helmrelease-image-updater', 'digests.json'),
      prefix: 'helmrelease-image-updater-digests-v2',
      olderPrefixes: ['helmrelease-image-updater-digests-v1'],
      runId: `${env.GITHUB_RUN_ID ?? '0'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`,
    };
    const restored = await restoreDigestCacheFile(cacheLocation, logLine);
    // The file is this repository's only when the Actions cache just restored it. A runner empties
    // RUNNER_TEMP between jobs, but a temp folder shared with other runs (RUNNER_TEMP unset, a
    // runner that keeps it) may hold another run's file, whose trusted tag digests could belong
    // to another registry answering to the same name.
    // Something that cannot be removed there (a directory, say) means no cache for this run.
    const cacheUsable = restored !== undefined || (await discardDigestCache(cacheLocation.path, logLine));
    // The workflow token is good for ghcr.io only when it is a github.com token (not GHES).
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const githubComToken = ghcrToken(token, serverUrl);
    const registry = await setUpRegistry(settings, {
      maskSecret: core.setSecret,
      onNotice: logLine,
      ...(githubComToken ? { githubToken: githubComToken } : {}),
      loginAdvice: actionLoginAdvice(settings.dockerConfig),
      ...(cacheUsable ? { cacheFile: cacheLocation.path } : {}),
      env,
      workspace,
    });
    // A cancelled run asks the registries nothing more: what is unanswered is not checked.
    const stopRegistry = () => registry.client.stop(RUN_CANCELLED);
    if (cancel?.stop.aborted) stopRegistry();
    else cancel?.stop.addEventListener('abort', stopRegistry, { once: true });

    const github = token
      ? createGitHubClient({
          token,
          baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
          ...(env.GITHUB_GRAPHQL_URL ? { graphqlUrl: env.GITHUB_GRAPHQL_URL } : {}),
          log: core.warning,
          ...(cancel ? { cancel } : {}),
        })
      : undefined;
    // Read first: its ticked boxes change what the pull request writer does.
    const dashboard =
      settings.dashboard && github
        ? await readDashboard({ github, owner, repo }, settings.dashboardTitle)
        : undefined;
    // The run's workflow, linked by the dashboard and the pull requests: only the runner's own variables.
    const workflow = workflowLink({
      serverUrl,
      repository: `${owner}/${repo}`,
      workflowRef: env.GITHUB_WORKFLOW_REF,
      workflowName: env.GITHUB_WORKFLOW,
      runId: env.GITHUB_RUN_ID,
      runNumber: env.GITHUB_RUN_NUMBER,
    });
    const pullRequests = github
      ? createPullRequestPort({
          github,
          owner,
          repo,
          base: settings.baseBranch,
          branchPrefix: settings.branchPrefix,
          maxPullRequests: settings.maxPullRequests,
          labels: settings.labels,
          reviewers: settings.reviewers,
          teamReviewers: settings.teamReviewers,
          assignees: settings.assignees,
          dryRun: settings.dryRun,
          titleTemplate: settings.titleTemplate,
          commitMessageTemplate: settings.commitMessageTemplate,
          commitPrefix: settings.commitPrefix,
          // Release notes only on github.com: a GHES token means nothing to github.com's API.
          ...(githubComToken ? { releaseNotes: createReleaseNotesSource({ github, log: logLine }) } : {}),
          serverUrl,
          // The base branch's text is held to its own policies and the run's `require-automated`.
          applyUpdates: (file, text, updates) =>
            applyUpdates(file, text, updates, undefined, { requireAutomated: settings.requireAutomated }),
          groupBy: settings.groupBy,
          rebaseWhen: settings.rebaseWhen,
          automerge: settings.automerge,
          ...(workflow ? { writtenBy: workflow } : {}),
          ticked: tickedFor(dashboard?.ticks ?? NO_TICKS),
          ...(dashboard?.ok ? { dashboard: true } : {}),
          log: logLine,
        })
      : undefined;

    // A token that may not write, or a base branch that does not exist, stops the pull requests,
    // but the plan, the problems and the summary are still published before the step fails: they
    // say what would have been done.
    let refused: GitHubPermissionError | MissingBaseBranchError | undefined;
    /**
     * The writer failed as a whole (GitHub down after the retries, say): no pull request's state is
     * known, and a dashboard written from this run would drop every one and the boxes ticked on them.
     */
    let pullRequestsUnread = false;
    /** The steps GitHub's rate limit left undone, said once at the end. */
    const notDone: string[] = [];
    const guardedPullRequests: PullRequestPort | undefined = pullRequests && {
      async write(updates, listed) {
        try {
          const written = await pullRequests.write(updates, listed);
          if (settings.dryRun || !github || settings.automerge === 'none' || cancel?.signal) return written;
          // Once GitHub's rate limit refused a call, no more are made this run (`rate-limit-stop.ts`).
          if (rateLimitStop(github)) {
            notDone.push('auto-merge');
            return written;
          }
          const automerge = await enableAutoMerge(
            { github, owner, repo },
            written.results,
            settings.automerge,
            settings.mergeMethod,
            logLine,
          );
          return { ...written, problems: [...written.problems, ...automerge] };
        } catch (e) {
          // A configuration mistake: the step fails whatever fail-on-error says.
          if (e instanceof GitHubPermissionError || e instanceof MissingBaseBranchError) {
            refused = e;
            return { results: [], problems: [] };
          }
          // Any other failure (GitHub down after retries) is a problem like the others: the plan,
          // outputs and summary are still published and the step fails at the end.
          pullRequestsUnread = true;
          const advice = e instanceof GitHubError ? serverErrorAdvice(e.status, serverUrl) : '';
          return {
            results: [],
            problems: [
              error(
                '',
                0,
                `Pull requests were not written: ${e instanceof Error ? e.message : String(e)}${advice}`,
              ),
            ],
          };
        }
      },
    };

    const workspaceFiles = createWorkspaceFiles(workspace);
    const report = await runUpdate(settings, {
      workspace: workspaceFiles,
      registry: registry.client,
      log: actionsLog,
      // A line every few seconds, so a slow registry never looks like a hung step.
      progress: periodicProgress({ write: logLine, intervalMs: PROGRESS_INTERVAL_MS }),
      ...(guardedPullRequests ? { pullRequests: guardedPullRequests } : {}),
    });
    // Inputs another input leaves without effect first: they are about the whole run.
    report.problems.unshift(...ineffectiveInputs(settings), ...registry.problems, ...workspaceFiles.problems);
    // A dashboard issue that could not be read is a problem like the others: in the outputs and
    // the job summary too, not only an annotation.
    if (dashboard && !dashboard.ok) report.problems.push(warning('', 0, dashboard.warning));
    // Ticks a newer version's dashboard holds are dropped by this run's: a person must hear of it.
    if (dashboard?.ok && dashboard.unknownBoxes) report.problems.push(warning('', 0, dashboard.unknownBoxes));
    // A workspace without .git may still be a checkout (actions/checkout falls back to the REST
    // API without git), but one that also holds no HelmRelease is most likely a job that forgot
    // to check the repository out: that must not end green. A run its configuration stopped counted
    // no release, so there only an empty workspace says so; otherwise its own error is the one.
    let stopped = report.stopped;
    const noReleases = stopped === undefined ? report.counts.releases === 0 : isEmptyFolder(workspace);
    if (noReleases && !existsSync(join(workspace, '.git'))) {
      const why = `workspace ${workspace} is not a git checkout (no .git) and holds no HelmRelease; run actions/checkout before this step`;
      stopped = `the ${why}`;
      report.problems.unshift(error('', 0, `The ${why}.`));
    }
    const { trustedTagDigests } = registry.client;
    if (trustedTagDigests > 0) {
      logLine(
        `${trustedTagDigests} tag digests came from the digest cache without asking the registry (tag-digest-max-age)`,
      );
    }
    const limited = github && rateLimitStop(github);
    // A dry run writes no dashboard issue: nothing is left for the next run there.
    const publishes =
      github &&
      dashboard?.ok &&
      !settings.dryRun &&
      settings.images.length === 0 &&
      !stopped &&
      !refused &&
      !cancel?.signal;
    if (limited && publishes) notDone.push('the dashboard issue');
    const undone = limited && notDoneAfterRateLimit(notDone, limited);
    if (undone) report.problems.push(warning('', 0, undone));
    // File links point at the commit the workspace holds, where the lines are what was read.
    const links = { serverUrl, owner, repo, ref: env.GITHUB_SHA || settings.baseBranch || 'HEAD' };
    if (github && dashboard?.ok && !limited) {
      // A scoped run (images) checked only some images, and a stopped or refused one none: the
      // dashboard keeps what the last full run found. (After a rate limit, the problem above says so.)
      if (cancel?.signal) {
        logLine('The dashboard issue is left as it is: the run was cancelled.');
      } else if (settings.images.length > 0 || stopped || refused) {
        logLine('The dashboard issue is left as it is: this run did not check every image.');
      } else if (pullRequestsUnread) {
        // Its open, held-back and closed pull requests, and the boxes ticked on them, stay for the next run.
        logLine("The dashboard issue is left as it is: this run could not read this Action's pull requests.");
      } else {
        // The next run, which acts on the ticked boxes, linked.
        const written = await publishDashboard(
          { github, owner, repo },
          dashboard,
          {
            containers: report.plan.containers,
            pullRequests: report.pullRequests,
            problems: report.problems,
          },
          {
            title: settings.dashboardTitle,
            links: {
              ...links,
              ref: settings.baseBranch ?? 'HEAD',
              summaryUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`,
              ...(workflow ? { workflow } : {}),
            },
            dryRun: settings.dryRun,
          },
        );
        // Before the outputs and the summary, so that a failure to write it is among their problems.
        if (written.action === 'failed') report.problems.push(warning('', 0, written.warning));
        else {
          const closed = written.closed?.length
            ? `; closed its duplicates ${written.closed.map((n) => `#${n}`).join(', ')}`
            : '';
          logLine(`Dashboard issue: ${written.action}${written.url ? ` (${written.url})` : ''}${closed}`);
          if (written.warning) report.problems.push(warning('', 0, written.warning));
        }
      }
    }
    // setFailed below annotates the step's failure: room is kept for it among the errors.
    const errors = report.problems.filter((p) => p.severity === 'error');
    // The same three reasons, in the same order, as the step is failed for below.
    const fails =
      Boolean(cancel?.signal) ||
      refused !== undefined ||
      Boolean(stopped) ||
      (settings.failOnError && errors.length > 0);
    const annotations = planAnnotations(report.problems, fails ? 1 : 0);
    // A registry none of whose repositories could be read, said once before its containers' errors.
    for (const o of registryOutages(report.plan.containers)) {
      logLine(`Registry ${o.host}: ${outageText(o)}; the first error: ${o.firstReason}`);
    }
    for (const problem of annotations.annotate) annotate(problem);
    for (const problem of annotations.logOnly) {
      const where = problem.file ? `${problem.file}${problem.line > 0 ? `:${problem.line}` : ''}: ` : '';
      logLine(`${problem.severity} ${where}${problem.message}`);
    }
    // The outputs and the summary list the refusal as a problem.
    if (refused) report.problems.push(error('', 0, refused.message));
    // Each output within its bound; one cut short is a warning, in the problems output when it can be.
    const updates = boundedJsonArray(updatesOutput(report), OUTPUT_MAX_CHARS.updates);
    const pulls = boundedJsonArray(pullRequestsOutput(report), OUTPUT_MAX_CHARS['pull-requests']);
    const cuts = [
      { output: 'updates', cut: updates, entries: 'updates' },
      { output: 'pull-requests', cut: pulls, entries: 'pull requests' },
    ] as const;
    for (const { output, cut, entries } of cuts) {
      if (cut.listed === cut.total) continue;
      const cutShort = warning('', 0, outputCutText(output, cut, entries));
      report.problems.push(cutShort);
      annotate(cutShort);
    }
    const problems = boundedJsonArray(problemsOutput(report.problems), OUTPUT_MAX_CHARS.problems);
    if (problems.listed < problems.total)
      annotate(warning('', 0, outputCutText('problems', problems, 'problems')));
    core.setOutput('updates', updates.json);
    core.setOutput('pull-requests', pulls.json);
    core.setOutput('problems', problems.json);
    // Read once: the summary and the step's failure say the same of a signal that comes meanwhile.
    const cancelledBy = cancel?.signal;
    cancel?.markReported(cancelledBy !== undefined);
    await core.summary.addRaw(renderSummary(report, settings.dryRun, links, cancelledBy)).write();
    // After the report: a cancelled run ends well before a cache transfer would, and keeps the
    // cache file it read. Actions cache entries are immutable and count against the repository's
    // quota: a new one is saved only when this run learned something (never whatever else is at the path).
    if (!cancelledBy && (await registry.saveCache()) && registry.client.digestCache.changed)
      await saveDigestCacheFile(cacheLocation, logLine);
    const written = report.pullRequests.filter((pr) => ['created', 'updated'].includes(pr.action)).length;
    logLine(
      `${plural(report.plan.updates.length, 'update')}, ${plural(written, 'pull request')} written, ${plural(report.problems.length, 'problem')}`,
    );

    if (cancelledBy) {
      core.setFailed(cancelledFailure(cancelledBy));
    } else if (refused) {
      // A configuration failure fails the step whatever fail-on-error says.
      core.setFailed(refused.message);
    } else if (stopped) {
      core.setFailed(`Stopped: ${stopped}.`);
    } else if (settings.failOnError && errors.length > 0) {
      // Every kind of error fail-on-error covers is named: one release held back by a typo in its
      // filter is as much a reason as a registry that could not be read.
      const count = errors.length === 1 ? '1 problem is an error' : `${errors.length} problems are errors`;
      core.setFailed(
        `${count} (an image that could not be checked, a HelmRelease held back by a mistake in its annotations or YAML, or a pull request that could not be written); see the annotations and the job summary (fail-on-error: false leaves them there without failing the step)`,
      );
    }
  } catch (e) {
    if (e instanceof InputError || e instanceof GitHubPermissionError) core.setFailed(e.message);
    else core.setFailed(e instanceof Error ? e.message : String(e));
  }
}

/** True for a folder with no entry at all (a job that never checked anything out). */
function isEmptyFolder(path: string): boolean {
  try {
    return readdirSync(path).length === 0;
  } catch {
    return false;
  }
}
