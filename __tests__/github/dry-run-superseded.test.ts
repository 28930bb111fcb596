/**
 * A dry run names the open pull requests a real run would close as superseded, in the reason of the
 * one that would replace them and in its `supersedes` numbers, and warns of those a real run would
 * leave open, with no write call.
 * Against the GitHub stand-in: each row runs the dry run, then the real run from the same state, so
 * the two are seen to agree.
 */
import { describe, expect, it } from '@jest/globals';
import type { GroupBy } from '../../src/plan/branch-name.js';
import type { Update } from '../../src/plan/types.js';
import { READ_ONLY_TOKEN } from '../../test-support/github/stand-in.js';
import {
  MONGO,
  OWNER,
  PREFIX,
  branchOf,
  exporterUpdate,
  imageBranch,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

/** Where a test moves releases/mongodb.yaml to. */
const MOVED = 'releases/db/mongodb.yaml';

/** `[action, number, reason, supersedes]` per result. */
type Row = [string, number | undefined, string | undefined, number[] | undefined];

/** Pushes a commit of someone else's to the branch starting with `prefix`. */
async function pushTo(prefix: string): Promise<void> {
  const [branch] = (await h.standIn.branches(OWNER, h.repo)).filter((b) => b.startsWith(prefix));
  await h.standIn.commitFiles(OWNER, h.repo, branch, { 'NOTES.md': 'my fix\n' });
}

/** The pull requests and branches as they are, to see a dry run changed nothing. */
async function snapshot(): Promise<unknown> {
  return {
    pulls: h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state, p.title, p.body]),
    branches: await Promise.all(
      (await h.standIn.branches(OWNER, h.repo)).map(async (b) => [
        b,
        await h.standIn.branchSha(OWNER, h.repo, b),
      ]),
    ),
  };
}

describe('a dry run says which open pull requests a real run would close as superseded', () => {
  it.each<{
    name: string;
    before: () => Promise<unknown>;
    then: { updates: Update[]; groupBy: GroupBy; maxPullRequests?: number };
    dry: Row[];
    dryWarning?: string;
    real: Row[];
    realWarning?: string;
  }>([
    {
      name: 'a newer tag with group-by image',
      before: () => h.run([mongoUpdate('4.0.4')], {}, 'image'),
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'image' },
      dry: [['would-create', undefined, 'would supersede #1', [1]]],
      real: [['created', 2, 'supersedes #1', [1]]],
    },
    {
      name: 'the slot of the one it would close counts as free under max-pull-requests',
      before: () => h.run([mongoUpdate('4.0.4')], {}, 'image'),
      then: {
        updates: [mongoUpdate('4.0.5'), exporterUpdate('0.11.0')],
        groupBy: 'image',
        maxPullRequests: 2,
      },
      dry: [
        ['would-create', undefined, 'would supersede #1', [1]],
        ['would-create', undefined, undefined, undefined],
      ],
      real: [
        ['created', 2, 'supersedes #1', [1]],
        ['created', 3, undefined, undefined],
      ],
    },
    {
      name: 'group-by changed from image to container (the request names it)',
      before: () => h.run([mongoUpdate('4.0.5')], {}, 'image'),
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'container' },
      dry: [['would-create', undefined, 'would supersede #1', [1]]],
      real: [['created', 2, 'supersedes #1', [1]]],
    },
    {
      name: 'group-by changed from container to release (one replaces two)',
      before: () => h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {}, 'container'),
      then: { updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], groupBy: 'release' },
      dry: [['would-create', undefined, 'would supersede #1, #2', [1, 2]]],
      real: [['created', 3, 'supersedes #1, #2', [1, 2]]],
    },
    {
      name: 'group-by changed from release to container (the run’s pull requests carry it)',
      before: () => h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {}, 'release'),
      then: { updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], groupBy: 'container' },
      dry: [
        ['would-create', undefined, 'would supersede #1', [1]],
        ['would-create', undefined, undefined, undefined],
      ],
      real: [
        ['created', 2, 'supersedes #1', [1]],
        ['created', 3, undefined, undefined],
      ],
    },
    {
      // The old one goes with the first pull request carrying one of its containers: here one left unchanged.
      name: 'group-by changed from release to container, one container’s pull request open already',
      before: async () => {
        await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {}, 'release');
        // The exporter's is held back (two open), so #1 stays open beside mongodb's #2.
        await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], { maxPullRequests: 2 }, 'container');
      },
      then: {
        updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')],
        groupBy: 'container',
        maxPullRequests: 3,
      },
      dry: [
        ['unchanged', 2, 'would supersede #1', [1]],
        ['would-create', undefined, undefined, undefined],
      ],
      real: [
        ['unchanged', 2, 'supersedes #1', [1]],
        ['created', 3, undefined, undefined],
      ],
    },
    {
      name: 'its file moved on the base',
      before: async () => {
        await h.run([mongoUpdate('4.0.4')]);
        await h.standIn.commitFiles(OWNER, h.repo, 'main', {
          [MONGO]: null,
          [MOVED]: release('mongodb', '4.0.3', '0.10.0'),
        });
      },
      then: { updates: [mongoUpdate('4.0.4', { file: MOVED })], groupBy: 'container' },
      dry: [['would-create', undefined, 'would supersede #1', [1]]],
      real: [['created', 2, 'supersedes #1', [1]]],
    },
    {
      name: 'an update to a newer tag, with an older pull request someone reopened',
      before: async () => {
        await h.run([mongoUpdate('4.0.4')], {}, 'image');
        const [older] = h.standIn.pulls(OWNER, h.repo);
        const head = (await h.standIn.branchSha(OWNER, h.repo, imageBranch('4.0.4')))!;
        // #2 replaces #1 (closed, its branch deleted); the person restores the branch and opens it again as #3.
        await h.run([mongoUpdate('4.0.4')], {}, 'container');
        await h.standIn.setBranch(OWNER, h.repo, imageBranch('4.0.4'), head);
        await h.standIn.openPullRequest(OWNER, h.repo, {
          head: imageBranch('4.0.4'),
          base: 'main',
          title: older.title,
          body: older.body ?? '',
        });
      },
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'container' },
      dry: [['would-update', 2, 'new commit on the current base; would supersede #3', [3]]],
      real: [['updated', 2, 'supersedes #3', [3]]],
    },
    {
      name: 'a newer tag with group-by image, someone else’s commits on the older one',
      before: async () => {
        await h.run([mongoUpdate('4.0.4')], {}, 'image');
        await pushTo(imageBranch('4.0.4'));
      },
      then: { updates: [mongoUpdate('4.0.5')], groupBy: 'image' },
      dry: [
        ['would-create', undefined, undefined, undefined],
        ['unchanged', 1, undefined, undefined],
      ],
      dryWarning: `#1 has commits not made by this Action, so it would be left open; the pull request from ${imageBranch('4.0.5')} would replace it`,
      real: [
        ['created', 2, undefined, undefined],
        ['unchanged', 1, undefined, undefined],
      ],
      realWarning: '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    },
    {
      name: 'group-by changed from release to container, someone else’s commits on the release’s',
      before: async () => {
        await h.run([mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], {}, 'release');
        await pushTo(`${PREFIX}data/mongodb-`);
      },
      then: { updates: [mongoUpdate('4.0.4'), exporterUpdate('0.11.0')], groupBy: 'container' },
      dry: [
        ['would-create', undefined, undefined, undefined],
        ['would-create', undefined, undefined, undefined],
        ['unchanged', 1, undefined, undefined],
      ],
      dryWarning: `#1 has commits not made by this Action, so it would be left open; the pull request from ${branchOf(mongoUpdate('4.0.4'))} would replace it`,
      real: [
        ['created', 2, undefined, undefined],
        ['created', 3, undefined, undefined],
        ['unchanged', 1, undefined, undefined],
      ],
      realWarning: '#1 has commits not made by this Action, so it was left open; #2 replaces it',
    },
  ])('$name', async ({ before, then, dry, dryWarning, real, realWarning }) => {
    await before();
    const was = await snapshot();
    h.standIn.clearLog();
    const limit = then.maxPullRequests ? { maxPullRequests: then.maxPullRequests } : {};

    const dryRun = await h.run(
      then.updates,
      { ...limit, dryRun: true, github: h.client(READ_ONLY_TOKEN) },
      then.groupBy,
    );
    expect(dryRun.results.map((r) => [r.action, r.number, r.reason, r.supersedes])).toEqual(dry);
    expect(dryRun.problems.map((p) => [p.severity, p.message])).toEqual(
      dryWarning ? [['warning', dryWarning]] : [],
    );
    expect(h.standIn.writeRequests()).toEqual([]);
    expect(await snapshot()).toEqual(was);

    const realRun = await h.run(then.updates, limit, then.groupBy);
    expect(realRun.results.map((r) => [r.action, r.number, r.reason, r.supersedes])).toEqual(real);
    expect(realRun.problems.map((p) => [p.severity, p.message])).toEqual(
      realWarning ? [['warning', realWarning]] : [],
    );
  });
});
