/**
 * The workflow a run belongs to, as the dashboard links it, so that a person who ticked a box can
 * see when the next run comes (the file's `schedule`) or start one now (**Run workflow** on its
 * runs page, for a workflow with `workflow_dispatch`). Pure: the shell passes the runner's
 * variables (see https://docs.github.com/actions/reference/workflows-and-actions/variables):
 *
 *   GITHUB_SERVER_URL    https://github.com
 *   GITHUB_REPOSITORY    acme/fleet
 *   GITHUB_WORKFLOW_REF  acme/fleet/.github/workflows/image-updates.yml@refs/heads/main
 *   GITHUB_WORKFLOW      Image updates
 *
 * Only the workflow file's name is taken from the ref, never the ref after `@` (a pull request's
 * or a tag's, which would change the dashboard from run to run), and only for a file of this
 * repository's `.github/workflows`: a reusable workflow's ref names the caller, which is the one a
 * person runs; another repository's, or a workflow GitHub made up (`dynamic/…`), gets no link.
 */
import { capText, encodePath, safeUrl } from './plan/markdown.js';

/** The workflow of a run, with its two pages. */
export interface WorkflowLink {
  /** The workflow's name (`GITHUB_WORKFLOW`, capped), or its file's name without one. */
  name: string;
  /** Its runs page, where **Run workflow** starts a run of a workflow with `workflow_dispatch`. */
  runsUrl: string;
  /** Its file on the default branch, which holds its `schedule`. */
  fileUrl: string;
  /** This run's page and number (`GITHUB_RUN_ID`, `GITHUB_RUN_NUMBER`), when the runner named them. */
  run?: { url: string; number: string };
}

/** The runner's variables the link is made of. */
export interface WorkflowVariables {
  serverUrl: string;
  /** `owner/name`. */
  repository: string;
  workflowRef?: string;
  workflowName?: string;
  /** `GITHUB_RUN_ID`. */
  runId?: string;
  /** `GITHUB_RUN_NUMBER`, the number GitHub shows beside the run. */
  runNumber?: string;
}

/** A run's id or number: digits, as GitHub makes them. */
const RUN_NUMBER = /^[1-9]\d{0,19}$/;

/** The most characters of the workflow's name shown. */
const MAX_NAME = 100;

/** `owner/name` as GitHub allows them. */
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

/** A workflow file directly in `.github/workflows` (GitHub reads no other), and the ref after `@`. */
const WORKFLOW_FILE = /^\.github\/workflows\/([A-Za-z0-9._-]{1,255}\.ya?ml)@/;

/** The workflow's link, or undefined when the variables do not name a workflow file of the repository. */
export function workflowLink(variables: WorkflowVariables): WorkflowLink | undefined {
  const { repository, workflowRef } = variables;
  const server = safeUrl(variables.serverUrl)?.replace(/\/+$/, '');
  if (!server || !REPOSITORY.test(repository) || !workflowRef) return undefined;
  const prefix = `${repository}/`;
  if (workflowRef.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) return undefined;
  const file = WORKFLOW_FILE.exec(workflowRef.slice(prefix.length))?.[1];
  if (!file) return undefined;
  const base = `${server}/${encodePath(repository)}`;
  const name = variables.workflowName?.trim();
  return {
    name: capText(name || file, MAX_NAME),
    runsUrl: `${base}/actions/workflows/${encodeURIComponent(file)}`,
    fileUrl: `${base}/blob/HEAD/.github/workflows/${encodeURIComponent(file)}`,
    ...(variables.runId &&
    RUN_NUMBER.test(variables.runId) &&
    variables.runNumber &&
    RUN_NUMBER.test(variables.runNumber)
      ? { run: { url: `${base}/actions/runs/${variables.runId}`, number: variables.runNumber } }
      : {}),
  };
}
