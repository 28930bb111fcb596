/**
 * Review requests GitHub would refuse are not sent: the pull request's author (the token's user,
 * when the token is a person's) cannot review it, and one refused name fails the whole request,
 * so the others were never asked, and every re-run asked again and failed again.
 */
import { describe, expect, it } from '@jest/globals';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { OWNER, exporterUpdate, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const ALICE_TOKEN = 'ghp_alice_personal_token';

describe('reviewers', () => {
  it.each<[string, string, string[], string[]]>([
    ['the token’s user among the reviewers is left out', ALICE_TOKEN, ['alice', 'bob'], ['bob']],
    ['the token’s user in another case is left out', ALICE_TOKEN, ['ALICE', 'bob'], ['bob']],
    ['the same reviewer in two cases is asked once', WRITE_TOKEN, ['Bob', 'bob'], ['bob']],
    ['only the token’s user: nobody is asked', ALICE_TOKEN, ['alice'], []],
  ])('%s, and a re-run asks nothing', async (_name, token, reviewers, requested) => {
    h.standIn.addToken(ALICE_TOKEN, {
      contents: 'write',
      pull_requests: 'write',
      issues: 'write',
      login: 'alice',
    });
    const github = h.client(token);
    const first = await h.run([mongoUpdate('4.0.4')], { github, reviewers });
    expect(first.problems).toEqual([]);
    expect(first.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    expect(h.standIn.pulls(OWNER, h.repo)[0]!.requestedReviewers).toEqual(requested);

    h.standIn.clearLog();
    const again = await h.run([mongoUpdate('4.0.4')], { github, reviewers });
    expect(again.problems).toEqual([]);
    expect(again.results.map((r) => [r.action, r.number, r.reason])).toEqual([['unchanged', 1, undefined]]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});

describe('a reviewer GitHub refuses (not a collaborator: a typo)', () => {
  it.each<[string, string[], string[], RegExp]>([
    ['the others are still asked', ['alice', 'bobb', 'carol'], ['alice', 'carol'], /from bobb \(/],
    ['all refused: one warning names each', ['bobb', 'dave'], [], /from bobb \(.*\); dave \(/],
    // GitHub's words name nobody: the one reviewer of the input was left unnamed.
    ['the only one', ['bobb'], [], /from bobb \(.*not a collaborator of the acme\/[^ ]+ repository\.\) /],
  ])('%s, and the warning names who was not and what to do', async (_name, reviewers, requested, warning) => {
    const result = await h.run([mongoUpdate('4.0.4')], { reviewers });
    expect(result.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    expect(h.standIn.pulls(OWNER, h.repo)[0]!.requestedReviewers).toEqual(requested);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/could not request reviews from /);
    expect(result.problems[0]!.message).toMatch(warning);
    expect(result.problems[0]!.message).toMatch(
      /Check the "reviewers" input for a typo, or give them access to the repository \(Settings > Collaborators and teams\)\.$/,
    );
  });

  it('a team without access: the warning names it and what to do', async () => {
    const result = await h.run([mongoUpdate('4.0.4')], { teamReviewers: ['acme/nobody'] });
    expect(result.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    expect(result.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^Pull request #1: could not request team reviews from nobody \(.*\(422\): Reviews may only be requested from collaborators\..*\) Check the "team-reviewers" input for a typo, or give the teams access to the repository \(Settings > Collaborators and teams\)\.$/,
      ),
    ]);
  });
});

describe('a reviewer GitHub refuses, with several pull requests', () => {
  // Each pull request asked again, every run: a warning and a refused request per pull request
  // (and a read of its reviews), where one says it all.
  it.each<[string, { reviewers?: string[]; teamReviewers?: string[] }]>([
    ['a user', { reviewers: ['bobb'] }],
    ['a team', { teamReviewers: ['acme/nobody'] }],
  ])('%s is asked once a run, and one warning names it', async (_name, inputs) => {
    const updates = [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')];
    const first = await h.run(updates, inputs);
    expect(first.results.map((r) => [r.action, r.number])).toEqual([
      ['created', 1],
      ['created', 2],
    ]);
    expect(first.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Pull request #1: could not request/),
    ]);
    const asked = () => h.standIn.requests.filter((r) => r.operationId === 'pulls/request-reviewers');
    expect(asked()).toHaveLength(1);

    h.standIn.clearLog();
    const again = await h.run(updates, inputs);
    expect(again.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['unchanged', 1, undefined],
      ['unchanged', 2, undefined],
    ]);
    expect(again.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Pull request #1: could not request/),
    ]);
    expect(asked()).toHaveLength(1);
    expect(h.standIn.requests.filter((r) => r.operationId === 'pulls/list-reviews')).toHaveLength(1);
  });
});

describe('a team asked to review that the token may not read (GITHUB_TOKEN: no organization members: read)', () => {
  const ACTIONS_TOKEN = 'ghs_actions_token_without_members';
  // GitHub's GraphQL answers FORBIDDEN for each such team, beside the rest of the page: the read of
  // the open pull requests failed, and with it every write of every run after CODEOWNERS (or a
  // person) asked a team to review one pull request of ours.
  it.each<[string, string[], string, string]>([
    ['an unchanged re-run writes nothing', [], '4.0.4', 'unchanged'],
    ['a newer tag updates the pull request', [], '4.0.5', 'updated'],
    ['the team the inputs name is not asked again', ['acme/platform'], '4.0.4', 'unchanged'],
  ])('%s', async (_name, teamReviewers, tag, action) => {
    h.standIn.addToken(ACTIONS_TOKEN, { contents: 'write', pull_requests: 'write', issues: 'write' });
    const github = h.client(ACTIONS_TOKEN);
    const first = await h.run([mongoUpdate('4.0.4')], { github });
    expect(first.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    // As CODEOWNERS does when the pull request opens.
    h.standIn.pulls(OWNER, h.repo)[0]!.requestedTeams.push('platform');

    h.standIn.clearLog();
    const again = await h.run([mongoUpdate(tag)], { github, teamReviewers });
    expect(again.problems).toEqual([]);
    expect(again.results.map((r) => [r.action, r.number])).toEqual([[action, 1]]);
    if (action === 'unchanged') expect(h.standIn.writeRequests()).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => p.state)).toEqual(['open']);
  });
});

describe('team reviewers with a token that cannot see the organization’s teams (GITHUB_TOKEN)', () => {
  const ACTIONS_TOKEN = 'ghs_actions_token_without_members';
  // GitHub answers 422 "Validation Failed" with its reason as a bare string in `errors`, which was
  // dropped: the warning said "Validation Failed" and nothing of what to do.
  it.each<[string, string[], RegExp]>([
    [
      'one team',
      ['acme/platform'],
      /^Pull request #1: could not request team reviews from platform \(.*\(422\): Validation Failed: Could not resolve to a node with the global id of '[^']+'\.\) /,
    ],
    [
      'two teams',
      ['platform', 'qa'],
      /^Pull request #1: could not request team reviews from platform \(.*Could not resolve to a node with the global id of .*\); qa \(.*\) /,
    ],
  ])('%s: the warning gives GitHub’s reason and what to do', async (_name, teamReviewers, said) => {
    h.standIn.addToken(ACTIONS_TOKEN, { contents: 'write', pull_requests: 'write', issues: 'write' });
    const result = await h.run([mongoUpdate('4.0.4')], { github: h.client(ACTIONS_TOKEN), teamReviewers });
    expect(result.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
    expect(result.problems.map((p) => p.message)).toEqual([expect.stringMatching(said)]);
    expect(result.problems[0]!.message).toMatch(
      /The token cannot see the organization's teams \(GITHUB_TOKEN never can\): give the "token" input a GitHub App's token with the organization permission "Members: read", or a person's token with read:org\.$/,
    );
  });
});

describe('an assignee GitHub cannot assign (a typo, no write access)', () => {
  // GitHub drops such an assignee without a word: no warning ever said so, and every run asked again.
  it.each<[string, string[], string[], string]>([
    ['alone', ['bobb'], [], 'bobb'],
    ['beside one it can', ['bob', 'bobb', 'dave'], ['bob'], 'bobb, dave'],
  ])(
    '%s: the others are assigned, and a warning names who was not',
    async (_name, assignees, assigned, named) => {
      const result = await h.run([mongoUpdate('4.0.4')], { assignees });
      expect(result.results.map((r) => [r.action, r.number])).toEqual([['created', 1]]);
      expect(h.standIn.pulls(OWNER, h.repo)[0]!.assignees).toEqual(assigned);
      expect(result.problems.map((p) => p.message)).toEqual([
        `Pull request #1: GitHub did not assign ${named}: only users with write access to the repository can be assigned; check the "assignees" input for a typo, or give them access.`,
      ]);
    },
  );
});
