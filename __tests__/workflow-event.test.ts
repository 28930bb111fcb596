/**
 * Which runs are for a pull request from a fork, whose token GitHub makes read-only: those stop
 * before any work (src/main.ts), with a message saying what to do instead.
 */
import { forkOfPullRequest, forkStopMessage } from '../src/workflow-event.js';

const REPOSITORY = 'acme/gitops';
const fromRepo = (fullName: string | null) => ({
  pull_request: { head: { repo: fullName === null ? null : { full_name: fullName } } },
});

describe('forkOfPullRequest', () => {
  it.each<[string, string | undefined, unknown, string | undefined]>([
    ['a pull request from a fork', 'pull_request', fromRepo('mallory/gitops'), 'mallory/gitops'],
    [
      'a review of a fork’s pull request',
      'pull_request_review',
      fromRepo('mallory/gitops'),
      'mallory/gitops',
    ],
    ['a review comment on one', 'pull_request_review_comment', fromRepo('mallory/gitops'), 'mallory/gitops'],
    ['a pull request from a deleted fork', 'pull_request', fromRepo(null), 'a deleted fork'],
    ['a pull request from a branch of this repository', 'pull_request', fromRepo('acme/gitops'), undefined],
    ['the same repository in another case', 'pull_request', fromRepo('Acme/GitOps'), undefined],
    // pull_request_target runs in the base repository with its token.
    ['pull_request_target from a fork', 'pull_request_target', fromRepo('mallory/gitops'), undefined],
    ['a schedule', 'schedule', {}, undefined],
    ['a push', 'push', { ref: 'refs/heads/main' }, undefined],
    ['workflow_dispatch', 'workflow_dispatch', {}, undefined],
    ['no event (a local run)', undefined, undefined, undefined],
    ['a pull_request event without its payload', 'pull_request', undefined, undefined],
  ])('%s', (_name, eventName, payload, expected) => {
    expect(forkOfPullRequest(eventName, payload, REPOSITORY)).toBe(expected);
  });
});

describe('forkStopMessage', () => {
  it('names the fork and the event, and says what to do instead', () => {
    expect(forkStopMessage('pull_request', 'mallory/gitops')).toBe(
      'This run is for a pull request from mallory/gitops (pull_request event): GitHub gives such runs a ' +
        'read-only token, so no pull request can be written. Run this Action on schedule, workflow_dispatch ' +
        'or push to the base branch, or with dry-run: true on pull requests.',
    );
  });
});
