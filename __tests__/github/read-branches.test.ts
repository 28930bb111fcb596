/**
 * The requested branches read in bulk (`src/github/read-branches.ts`): what the bulk read cannot
 * answer goes through REST, and the decisions are the same either way.
 */
import { describe, expect, it } from '@jest/globals';
import { CLOSED_PER_BRANCH, siblingRefs } from '../../src/github/read-branches.js';
import {
  MONGO,
  OWNER,
  PREFIX,
  actions,
  branchOf,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

const operations = (): (string | undefined)[] => h.standIn.requests.map((r) => r.operationId);

describe('branches read in bulk', () => {
  it('finds a closed pull request of the branch without a REST read', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4')]);
    expect(results.map((r) => [r.action, r.number, r.reason])).toEqual([
      ['skipped', 1, expect.stringContaining('closed without merging')],
    ]);
    expect(operations()).toEqual(['repos/get', 'git/get-ref', 'graphql', 'graphql']);
  });

  it('finds in the same read a closed pull request of the container’s branch of a file that moved', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    await h.standIn.closePullRequest(OWNER, h.repo, 1);
    const moved = 'releases/db/mongodb.yaml';
    await h.standIn.commitFiles(OWNER, h.repo, 'main', {
      [MONGO]: null,
      [moved]: release('mongodb', '4.0.3', '0.10.0'),
    });
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4', { file: moved })]);
    expect(actions(results)).toEqual([['skipped', 1]]);
    // The old file's read (not found) tells that its release moved.
    expect(operations()).toEqual(['repos/get', 'git/get-ref', 'graphql', 'graphql', 'repos/get-content']);
  });

  it.each<[string, string, ReturnType<typeof siblingRefs>]>([
    [
      'group-by container',
      `${PREFIX}data/mongodb/chart-image-1a2b3c4d`,
      { refPrefix: `refs/heads/${PREFIX}data/mongodb/`, query: 'chart-image-' },
    ],
    [
      'group-by release',
      `${PREFIX}data/mongodb-1a2b3c4d`,
      { refPrefix: `refs/heads/${PREFIX}data/`, query: 'mongodb-' },
    ],
    [
      'no namespace',
      `${PREFIX}_/mongodb/chart-image-1a2b3c4d`,
      { refPrefix: `refs/heads/${PREFIX}_/mongodb/`, query: 'chart-image-' },
    ],
    [
      'group-by image (its branch names no file)',
      `${PREFIX}image/docker.io/bitnami/mongodb/4.0.4`,
      undefined,
    ],
    ['not ours', 'feature/x', undefined],
  ])('where the branches of the same container in other files are: %s', (_name, branch, expected) => {
    expect(siblingRefs(PREFIX, branch)).toEqual(expected);
  });

  it(`reads through REST the closed pull requests of a branch with more than ${CLOSED_PER_BRANCH}`, async () => {
    const branch = branchOf(mongoUpdate('4.0.4'));
    for (let i = 0; i < CLOSED_PER_BRANCH + 1; i++) {
      const number = await h.standIn.openPullRequest(OWNER, h.repo, {
        head: branch,
        base: 'main',
        title: 'x',
      });
      await h.standIn.closePullRequest(OWNER, h.repo, number);
    }
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4')]);
    expect(actions(results)).toEqual([['created', CLOSED_PER_BRANCH + 2]]);
    expect(operations().filter((op) => op === 'pulls/list')).toHaveLength(1);
  });

  it('reads through REST when the bulk read fails, and decides the same', async () => {
    // The open pull requests' read goes through; the bulk read of the branches after it fails.
    h.standIn.beforeNext('graphql', async () => {
      h.standIn.injectFault({
        operationId: 'graphql',
        kind: { status: 500, message: 'Something went wrong' },
      });
    });
    const log: string[] = [];
    const { results } = await h.run([mongoUpdate('4.0.4')], { log: (m) => log.push(m) });
    expect(actions(results)).toEqual([['created', 1]]);
    expect(log[0]).toMatch(/^Could not read 1 branches in one request, reading them one by one: .*500/);
    // The branch's pull requests, then those of its branches under the other group-by values
    // (release, image), which a closed one there would refuse the tag from.
    expect(operations().slice(0, 8)).toEqual([
      'repos/get',
      'git/get-ref',
      'graphql',
      'graphql',
      'pulls/list',
      'pulls/list',
      'pulls/list',
      'repos/get-content',
    ]);
  });

  it('opens the pull request for a branch left behind by a killed run from its bulk-read head', async () => {
    // The run "dies" at its pulls.create: that request and everything after it fail, so the branch
    // it created cannot be deleted either.
    h.standIn.beforeNext('pulls/create', async () => {
      h.standIn.injectFault({ kind: { status: 500, message: 'killed' }, times: 10_000 });
    });
    const first = await h.run([mongoUpdate('4.0.4')]);
    h.standIn.clearFaults();
    expect(actions(first.results)).toEqual([['failed', undefined]]);
    const head = await h.standIn.branchSha(OWNER, h.repo, branchOf(mongoUpdate('4.0.4')));
    h.standIn.clearLog();
    const { results } = await h.run([mongoUpdate('4.0.4')]);
    expect(actions(results)).toEqual([['created', 1]]);
    expect(await h.standIn.branchSha(OWNER, h.repo, branchOf(mongoUpdate('4.0.4')))).toBe(head);
    // Its head came with the bulk read: no REST read of the branch's ref, and no new commit.
    expect(operations().filter((op) => op === 'git/get-ref')).toHaveLength(1);
    expect(h.standIn.writeRequests().map((r) => r.operationId)).toEqual(['pulls/create']);
  });
});
