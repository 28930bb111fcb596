/**
 * What to do about GitHub's refusals of a write, in words that name the setting to change: the
 * advice `github-call.ts` adds after GitHub's own words. Pure: it reads only the endpoint and
 * GitHub's messages (`details`).
 */

/** The permission a write endpoint needs, for the error message. */
function permissionFor(endpoint: string): string {
  if (/\/git\//.test(endpoint)) return 'contents: write';
  return 'pull-requests: write';
}

/** A fine-grained personal access token's name for a permission of {@link permissionFor}'s. */
const TOKEN_PERMISSION: Record<string, string> = {
  'contents: write': 'Contents',
  'pull-requests: write': 'Pull requests',
  'issues: write': 'Issues',
};

/**
 * What to do when GitHub refuses to move a branch over a change to `.github/workflows`: a rebuilt
 * pull request's new commit is on the new base, so a workflow the base changed counts as changed
 * by the move, and a token without the `workflows` permission (GITHUB_TOKEN never has it) is
 * refused every run. '' for any other refusal.
 */
export function workflowsAdvice(details: string): string {
  if (!/refusing to allow .* to create or update workflow/i.test(details)) return '';
  return (
    '. The base changed a file under .github/workflows since this pull request was written, and moving its ' +
    'branch onto the new base counts as changing it, which needs the `workflows` permission (GITHUB_TOKEN ' +
    'never has it): merge or close the pull request, or delete its branch so the next run opens a new one, or ' +
    'give the "token" input a GitHub App\'s token with `workflows: write`'
  );
}

/**
 * What to do when a branch protection rule or a ruleset refuses a write to this Action's branch:
 * GitHub answers 422 "Repository rule violations found" with the rule ("Cannot create ref due to
 * creations being restricted.", "Commits must have verified signatures."), or a protected branch's
 * "Cannot force-push to this protected branch", for every branch under the prefix, every run.
 * '' for any other refusal (and for the workflows one, {@link workflowsAdvice}'s).
 */
export function branchRulesAdvice(details: string): string {
  if (!/repository rule violations|protected branch/i.test(details)) return '';
  if (workflowsAdvice(details)) return '';
  // GitHub signs the commits a GitHub App's token (GITHUB_TOKEN included) makes through the API, and
  // only those: "no custom author information" and authenticated as the App (GitHub's "Signature
  // verification for bots"). A person's token makes unsigned commits, which such a rule refuses.
  if (/verified signatures|must be signed/i.test(details)) {
    return (
      ". A rule requiring signed commits (a branch protection rule or a ruleset) covers this Action's branches, and " +
      'GitHub signs this Action\'s commits only when a GitHub App\'s token makes them: leave the "token" input at its default ' +
      "(GITHUB_TOKEN) or give it a GitHub App's token (not a person's), or make the rule's pattern leave the branch-prefix out"
    );
  }
  return (
    '. A branch protection rule or a ruleset (Settings > Branches, Settings > Rules, or the ' +
    "organization's rulesets) covers this Action's branches: make its pattern leave the branch-prefix " +
    "out, or add the token's GitHub App or user to its bypass list"
  );
}

/**
 * What to do about GitHub's 403 on a write, by what GitHub said: the repository archived (no token
 * helps), the repository's or organization's setting that keeps GITHUB_TOKEN from opening pull
 * requests (the workflow's permissions do not), or a permission the token lacks.
 */
export function whatToDo(endpoint: string, details: string): string {
  if (/\barchived\b/i.test(details)) {
    return 'The repository is archived, so GitHub refuses every write: unarchive it, or stop running this Action on it.';
  }
  if (/not permitted to create or approve pull requests/i.test(details)) {
    return (
      'Turn on "Allow GitHub Actions to create and approve pull requests" (Settings > Actions > General > ' +
      "Workflow permissions, in the organization's settings too), or give the \"token\" input a GitHub App's or a person's token."
    );
  }
  // Creating a repository's label takes the issues permission (adding one to a pull request does not).
  const label = /^POST \/repos\/[^/]+\/[^/]+\/labels$/.test(endpoint);
  // A person's fine-grained token has no workflow `permissions:`: its own permissions are set where
  // it was made (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
  if (/not accessible by personal access token/i.test(details)) {
    const needed = TOKEN_PERMISSION[label ? 'issues: write' : permissionFor(endpoint)];
    return (
      `The personal access token given as the "token" input needs the repository permission "${needed}: Read and write" ` +
      'for this repository: edit the token (Settings > Developer settings > Personal access tokens > Fine-grained tokens), ' +
      'or give the "token" input another token.'
    );
  }
  if (label) {
    return 'The token needs "issues: write" to create a label: add it to the workflow\'s permissions, or create the label in the repository.';
  }
  return (
    `The token needs "${permissionFor(endpoint)}"; give the workflow ` +
    '`permissions: { contents: write, pull-requests: write }` and, for GITHUB_TOKEN, allow GitHub Actions to ' +
    'create pull requests (Settings > Actions > General).'
  );
}

/**
 * What to do when GitHub refuses to enable auto-merge on a pull request, by GitHub's words
 * (`enablePullRequestAutoMerge`'s error): each refusal has its own cause, and one advice for all
 * sent people to a setting that was already on.
 *
 * - "Auto merge is not allowed for this repository": the repository's setting is off.
 * - "Pull request is in clean status" (or `unstable`, `has_hooks`), "Protected branch rules not
 *   configured for this branch": GitHub could merge it now, as the base requires no check or
 *   review still pending, and it enables auto-merge only on a pull request that waits for one
 *   (https://github.com/peter-evans/enable-pull-request-automerge/issues/343). The Action never
 *   merges by itself, so it stays open until the base requires one.
 * - "… not in the correct state to enable auto-merge": closed, merged or a draft meanwhile.
 * - anything else: the token (or an unknown cause), the permissions it needs.
 */
export function autoMergeAdvice(message: string): string {
  if (/auto.?merge is not allowed/i.test(message)) {
    return 'Turn on "Allow auto-merge" in the repository settings (Settings > General > Pull requests).';
  }
  if (/is in (?:clean|unstable|has_hooks) status|protected branch rules not configured/i.test(message)) {
    return (
      'GitHub enables auto-merge only on a pull request that still waits for a required status check or review, and ' +
      'the base branch requires none that is pending: require status checks on the base branch (a branch protection ' +
      'rule or a ruleset) to have such pull requests merged once they pass, or review and merge them by hand.'
    );
  }
  if (/not in the correct state/i.test(message)) {
    return 'GitHub enables auto-merge only on an open pull request that is not a draft.';
  }
  return (
    'Turn on "Allow auto-merge" in the repository settings, and give the token `contents: write` and ' +
    '`pull-requests: write`.'
  );
}

/**
 * What to do when GitHub answered a server error (5xx) to a request and each of its retries, so that
 * no pull request was written: nothing on the user's side is wrong, and the next run writes them.
 * github.com's status page is named only for a workflow on github.com (`serverUrl`). '' for any
 * other status.
 */
export function serverErrorAdvice(status: number, serverUrl: string): string {
  if (status < 500 || status > 599) return '';
  const onGitHubCom = /^https:\/\/github\.com\/?$/i.test(serverUrl);
  return (
    '. GitHub answered a server error to the request and to each of its retries' +
    (onGitHubCom ? ' (see https://www.githubstatus.com)' : " (ask the server's administrators)") +
    ': nothing in the repository or the inputs needs to change, and the next run writes the pull requests'
  );
}
