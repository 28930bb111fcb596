/**
 * An open pull request of ours whose tag its registry no longer lists (deleted since): the plan no
 * longer names it (the newest tag the filter allows is the one the base has), so without a word it
 * would stay open as if valid, and merging it would deploy an image that cannot be pulled. It is
 * warned of, not closed (a tag pushed again makes it good; closing would refuse the tag).
 */
import { describe, expect, it } from '@jest/globals';
import type { ListedTags } from '../../src/ports.js';
import { MONGO, OWNER, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

const MONGODB = 'docker.io/bitnami/mongodb';

describe('an open pull request whose tag the run’s registry listing lacks', () => {
  it.each<{
    name: string;
    /** What the registry listed this run, by repository. */
    listed: Record<string, string[]>;
    /** Whether the run's plan still names the pull request's update. */
    named?: boolean;
    warnings: string[];
  }>([
    {
      name: 'its tag was deleted: a warning at its file says so and how to fix it',
      listed: { [MONGODB]: ['4.0.3'] },
      warnings: [
        `${MONGO}: #1 proposes ${MONGODB}:4.0.4, which the registry no longer lists (deleted since?): merged, it would deploy an image that cannot be pulled. Close #1, or push it again`,
      ],
    },
    {
      name: 'its tag is still listed: nothing is said',
      listed: { [MONGODB]: ['4.0.3', '4.0.4'] },
      warnings: [],
    },
    {
      name: 'its repository was not listed this run (out of scope, failed): nothing is said',
      listed: {},
      warnings: [],
    },
    {
      name: 'the plan still names it: nothing is said',
      listed: { [MONGODB]: ['4.0.3'] },
      named: true,
      warnings: [],
    },
  ])('$name', async ({ listed, named, warnings }) => {
    await h.run([mongoUpdate('4.0.4')]);
    h.standIn.clearLog();
    const listedTags: ListedTags = (repository) =>
      listed[repository] ? new Set(listed[repository]) : undefined;
    const again = await h.run(named ? [mongoUpdate('4.0.4')] : [], { listedTags });
    expect(again.problems.map((p) => `${p.file}: ${p.message}`)).toEqual(warnings);
    expect(again.problems.every((p) => p.severity === 'warning')).toBe(true);
    // Left open, unchanged: nothing written.
    expect(again.results.map((r) => [r.action, r.number])).toEqual([['unchanged', 1]]);
    expect(h.standIn.writeRequests()).toEqual([]);
    expect(h.standIn.pulls(OWNER, h.repo).map((p) => p.state)).toEqual(['open']);
  });
});
