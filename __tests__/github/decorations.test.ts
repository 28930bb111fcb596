/**
 * Labels, reviewers and assignees converge: whatever a run missed (the answer to `pulls.create`
 * lost, the run killed while decorating), a later run adds what is missing, and nothing when
 * nothing is.
 */
import { describe, expect, it } from '@jest/globals';
import { WRITE_TOKEN } from '../../test-support/github/stand-in.js';
import { OWNER, actions, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const DECORATIONS = {
  labels: ['dependencies', 'images'],
  reviewers: ['alice'],
  teamReviewers: ['acme/platform'],
  assignees: ['bob'],
};
const DECORATED = {
  labels: ['dependencies', 'images'],
  requestedReviewers: ['alice'],
  requestedTeams: ['platform'],
  assignees: ['bob'],
};

describe('decorations converge', () => {
  it('completes a pull request whose creation answer was lost, then writes nothing', async () => {
    h.standIn.injectFault({ operationId: 'pulls/create', kind: 'lost-response' });
    const first = await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    expect(first.results.map((r) => r.action)).toEqual(['failed']);
    expect(h.standIn.pulls(OWNER, h.repo)[0]).toMatchObject({
      labels: [],
      requestedReviewers: [],
      assignees: [],
    });

    const second = await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    expect(second.results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['unchanged', 1, 'completed missing labels, reviewers, assignees'],
    ]);
    expect(second.problems).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo)[0]).toMatchObject(DECORATED);

    h.standIn.clearLog();
    const third = await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    expect(third.results.map((r) => [r.action, r.reason])).toEqual([['unchanged', undefined]]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });

  it('decorates in the same run when a retry of the lost creation finds the pull request', async () => {
    h.standIn.injectFault({ operationId: 'pulls/create', kind: 'lost-response' });
    const { results, problems } = await h.run([mongoUpdate('4.0.4')], {
      ...DECORATIONS,
      github: h.client(WRITE_TOKEN, true),
    });
    expect(problems).toEqual([]);
    expect(actions(results)).toEqual([['updated', 1]]);
    expect(h.standIn.pulls(OWNER, h.repo)).toEqual([expect.objectContaining(DECORATED)]);
  });

  it('adds only what a run killed while decorating left out', async () => {
    h.standIn.injectFault({ operationId: 'issues/add-assignees', kind: 'bad-gateway' });
    const first = await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    expect(first.problems.map((p) => p.message)).toEqual([expect.stringContaining('could not assign')]);

    h.standIn.clearLog();
    await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(['issues/add-assignees']);
    expect(h.standIn.pulls(OWNER, h.repo)[0]).toMatchObject(DECORATED);
  });

  it('does not ask a reviewer again who already reviewed, nor the team', async () => {
    await h.run([mongoUpdate('4.0.4')], DECORATIONS);
    h.standIn.submitReview(OWNER, h.repo, 1, 'alice');
    const pull = h.standIn.pulls(OWNER, h.repo)[0];
    expect(pull.requestedReviewers).toEqual([]);

    h.standIn.clearLog();
    const again = await h.run([mongoUpdate('4.0.4')], {
      ...DECORATIONS,
      teamReviewers: ['acme/platform', 'reviewers'],
    });
    expect(again.problems).toEqual([]);
    expect(h.standIn.writeRequests()).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].requestedReviewers).toEqual([]);
    // Who reviewed is read with the open pull requests: no read of its reviews, no claim of a
    // completion that wrote nothing.
    expect(again.results.map((r) => [r.action, r.reason])).toEqual([['unchanged', undefined]]);
    expect(h.standIn.requests.map((r) => r.operationId)).not.toContain('pulls/list-reviews');
  });

  it('adds decorations that were configured after the pull request was opened', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const newer = await h.run([mongoUpdate('4.0.5')], { labels: ['dependencies'] });
    expect(actions(newer.results)).toEqual([['updated', 1]]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].labels).toEqual(['dependencies']);
  });
});

describe('labels', () => {
  it('keeps one {type} label: a pull request whose newer tag is a major loses its patch label', async () => {
    const labels = { labels: ['update:{type}', 'dependencies'] };
    await h.run([mongoUpdate('4.0.4')], labels);
    expect(h.standIn.pulls(OWNER, h.repo)[0].labels).toEqual(['update:patch', 'dependencies']);
    // A label of a person's own stays, whatever it says.
    await h.github.rest.issues.addLabels({
      owner: OWNER,
      repo: h.repo,
      issue_number: 1,
      labels: ['needs-qa'],
    });

    const major = await h.run([mongoUpdate('5.0.0', { type: 'major' })], labels);
    expect(actions(major.results)).toEqual([['updated', 1]]);
    expect(major.problems).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].labels).toEqual(['dependencies', 'needs-qa', 'update:major']);

    h.standIn.clearLog();
    const again = await h.run([mongoUpdate('5.0.0', { type: 'major' })], labels);
    expect(again.results.map((r) => [r.action, r.reason])).toEqual([['unchanged', undefined]]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });

  it('removes a {type} label of another type from a pull request left unchanged (a run died before)', async () => {
    const labels = { labels: ['update-{type}'] };
    await h.run([mongoUpdate('4.0.4')], labels);
    await h.github.rest.issues.addLabels({
      owner: OWNER,
      repo: h.repo,
      issue_number: 1,
      labels: ['Update-Minor'],
    });
    const again = await h.run([mongoUpdate('4.0.4')], labels);
    expect(again.results.map((r) => [r.action, r.reason])).toEqual([
      ['unchanged', 'removed label Update-Minor'],
    ]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].labels).toEqual(['update-patch']);
  });

  // The label may well exist: a refused or failed look-up says so, not that it is missing.
  it('says a label that could not be looked up could not be looked up', async () => {
    h.standIn.createLabel(OWNER, h.repo, 'dependencies');
    h.standIn.injectFault({
      operationId: 'issues/get-label',
      kind: { status: 403, message: 'Resource not accessible by integration' },
    });
    const { results, problems } = await h.run([mongoUpdate('4.0.4')], { labels: ['dependencies'] });
    expect(actions(results)).toEqual([['created', 1]]);
    expect(problems.map((p) => p.message)).toEqual([
      `Label "dependencies" could not be looked up, so it was not added: GET /repos/${OWNER}/${h.repo}/labels/dependencies failed (403): Resource not accessible by integration`,
    ]);
    expect(h.standIn.requests.map((r) => r.operationId)).not.toContain('issues/create-label');
  });

  it('takes a label created meanwhile (422 already_exists) as there, not as unusable', async () => {
    h.standIn.beforeNext('issues/create-label', async () => {
      h.standIn.createLabel(OWNER, h.repo, 'dependencies');
    });
    const { results, problems } = await h.run([mongoUpdate('4.0.4')], { labels: ['dependencies'] });
    expect(problems).toEqual([]);
    expect(actions(results)).toEqual([['created', 1]]);
    expect(
      h.standIn.requests.filter((r) => r.operationId === 'issues/create-label').map((r) => r.status),
    ).toEqual([422]);
    expect(h.standIn.pulls(OWNER, h.repo)[0].labels).toEqual(['dependencies']);
  });
});
