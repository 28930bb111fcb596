/**
 * A pull request a person opened from one of our branches (its description has no marker of ours)
 * is theirs: the writer never replaces its title or description, nor decorates it, and says which
 * pull request it left alone. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import {
  MONGO,
  OWNER,
  actions,
  branchOf,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();
const update = mongoUpdate('4.0.4');
const branch = branchOf(update);
const PERSON = { title: 'Bump mongodb, tested on staging', body: 'My notes: staging ran it for a day.' };

/** The open pull requests' read goes through; the bulk read of the branches after it fails (REST instead). */
function failBulkRead(): void {
  h.standIn.beforeNext('graphql', async () => {
    h.standIn.injectFault({ operationId: 'graphql', kind: { status: 500, message: 'Something went wrong' } });
  });
}

/** A person opens a pull request from our branch with their own title and description. */
const personOpens = (): Promise<number> =>
  h.standIn.openPullRequest(OWNER, h.repo, { head: branch, base: 'main', ...PERSON });

interface Case {
  name: string;
  /** Stages the person's pull request; resolves to its number once the run is set up. */
  stage: () => Promise<() => number>;
}

const CASES: Case[] = [
  {
    name: 'from a branch a failed run left behind',
    async stage() {
      h.standIn.beforeNext('pulls/create', async () => {
        h.standIn.injectFault({ kind: 'bad-gateway', times: 10_000 });
      });
      await h.run([update]);
      h.standIn.clearFaults();
      const number = await personOpens();
      return () => number;
    },
  },
  {
    name: 'while the run worked (GitHub answers that a pull request already exists)',
    async stage() {
      let number = 0;
      h.standIn.beforeNext('pulls/create', async () => {
        number = await personOpens();
      });
      return () => number;
    },
  },
  {
    name: 'by rewriting the description of ours, our marker with it',
    async stage() {
      await h.run([update]);
      await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, ...PERSON });
      return () => 1;
    },
  },
];

describe("a person's pull request from our branch is left as it is", () => {
  it.each(CASES.map((c) => [c.name, c] as const))('opened %s', async (_name, c) => {
    const numberOf = await c.stage();
    h.standIn.clearLog();
    const { results, problems } = await h.run([update], { labels: ['dependencies'] });
    const number = numberOf();

    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([['skipped', number, 'foreign']]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        `Pull request #${number} from ${branch} was not opened by this Action (its description has no marker of ours), so it and its branch are left as they are, without updates: merge it as it is, or, to get updates again, close it (the next run rebuilds the branch and opens its own pull request) or rename its branch (GitHub moves #${number} with it)`,
      ],
    ]);
    const pull = h.standIn.pulls(OWNER, h.repo).find((p) => p.number === number)!;
    expect([pull.state, pull.title, pull.body, pull.labels]).toEqual(['open', PERSON.title, PERSON.body, []]);
    // Nothing written to it: no update, no label.
    const writes = h.standIn.writeRequests().map((r) => r.operationId);
    expect(writes).not.toContain('pulls/update');
    expect(writes).not.toContain('issues/add-labels');
  });
});

describe('a branch a person opened a pull request from is not moved, and gets no update', () => {
  const newer = mongoUpdate('4.0.5');

  interface MoveCase {
    name: string;
    /** Stages the person's pull request from our branch; resolves to its number. */
    stage: () => Promise<number>;
    /** The bulk read of the branches fails, so the branch is read through REST. */
    bulkReadFails?: true;
    /** The run's requests: reads only, the pull request found at no request of its own. */
    requests: string[];
  }

  /** Our branch left behind by a failed run, and a person's pull request from it. */
  async function leftBehind(): Promise<number> {
    h.standIn.beforeNext('pulls/create', async () => {
      h.standIn.injectFault({ kind: 'bad-gateway', times: 10_000 });
    });
    await h.run([update]);
    h.standIn.clearFaults();
    return personOpens();
  }
  /**
   * The bulk read of the branches after the open pull requests, the base's text, then the blob ids
   * of the head's files (GraphQL).
   */
  const BULK = ['repos/get', 'git/get-ref', 'graphql', 'graphql', 'repos/get-content', 'graphql'];

  const MOVE_CASES: MoveCase[] = [
    {
      name: 'from a branch a failed run left behind, when a newer tag comes',
      stage: leftBehind,
      requests: BULK,
    },
    {
      name: 'by rewriting the description of ours, when a newer tag comes',
      async stage() {
        await h.run([update]);
        await h.github.rest.pulls.update({ owner: OWNER, repo: h.repo, pull_number: 1, ...PERSON });
        return 1;
      },
      requests: BULK,
    },
    {
      // The list of the branch's closed pull requests holds its open ones too.
      name: 'from a branch a failed run left behind, read through REST',
      stage: leftBehind,
      bulkReadFails: true,
      requests: [
        'repos/get',
        'git/get-ref',
        'graphql',
        'graphql',
        'pulls/list',
        // The closed pull requests of its branches under the other group-by values (release, image).
        'pulls/list',
        'pulls/list',
        'repos/get-content',
        'git/get-ref',
        'git/get-commit',
        'graphql',
      ],
    },
  ];

  it.each(MOVE_CASES.map((c) => [c.name, c] as const))('opened %s', async (_name, c) => {
    const number = await c.stage();
    const head = await h.standIn.branchSha(OWNER, h.repo, branch);
    expect(head).toBeDefined();
    h.standIn.clearLog();
    if (c.bulkReadFails) failBulkRead();
    const { results, problems } = await h.run([newer], { labels: ['dependencies'] });

    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(head);
    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([['skipped', number, 'foreign']]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        `Pull request #${number} from ${branch} was not opened by this Action (its description has no marker of ours), so it and its branch are left as they are, without updates: merge it as it is, or, to get updates again, close it (the next run rebuilds the branch and opens its own pull request) or rename its branch (GitHub moves #${number} with it)`,
      ],
    ]);
    const pull = h.standIn.pulls(OWNER, h.repo).find((p) => p.number === number)!;
    expect([pull.state, pull.title, pull.body, pull.labels]).toEqual(['open', PERSON.title, PERSON.body, []]);
    expect(h.standIn.requests.map((r) => r.operationId)).toEqual(c.requests);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});

describe('a branch of ours with an open pull request into another base is not moved onto this one', () => {
  // One workflow per environment, each with its own base-branch and the same branch prefix: one
  // branch name for the same bump. Moved (or kept as it is) for the second base, the branch would
  // carry the first base's commits into the second, or the second's into the first.
  interface BaseCase {
    name: string;
    /** The bulk read of the branches fails, so the branch is read through REST. */
    bulkReadFails?: true;
    /** What production's copy of the file says, when not main's. */
    productionRelease?: string;
  }
  const BASE_CASES: BaseCase[] = [
    { name: 'the same file on both bases' },
    {
      name: 'another copy of the file on production',
      productionRelease: release('mongodb', '4.0.3', '0.9.0'),
    },
    { name: 'read through REST', bulkReadFails: true },
  ];

  it.each(BASE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await h.standIn.commitFiles(OWNER, h.repo, 'production', {
      'clusters/production/only-here.txt': 'production\n',
      ...(c.productionRelease ? { [MONGO]: c.productionRelease } : {}),
    });
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { 'apps/only-on-main.txt': 'main\n' });
    const first = await h.run([update]);
    expect(actions(first.results)).toEqual([['created', 1]]);
    const head = await h.standIn.branchSha(OWNER, h.repo, branch);
    h.standIn.clearLog();
    if (c.bulkReadFails) failBulkRead();

    const { results, problems } = await h.run([update], { base: 'production' });

    expect(results.map((r) => [r.action, r.number, r.skipped])).toEqual([['skipped', 1, 'foreign']]);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        `Pull request #1 from ${branch} goes into main, not this run's base branch, so the branch is left as it is and no pull request is opened here: one branch would carry one base's commits into the other. Give each base-branch its own branch-prefix (for example branch-prefix: helmrelease-image-updater/<base>/)`,
      ],
    ]);
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(head);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => [p.number, p.state, p.base])).toEqual([
      [1, 'open', 'main'],
    ]);
    expect(h.standIn.writeRequests()).toEqual([]);
  });
});
