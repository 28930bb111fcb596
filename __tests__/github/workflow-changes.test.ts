/**
 * A base that changed a workflow file since a pull request was written: GitHub refuses to move the
 * pull request's branch onto the new base without the `workflows` permission (GITHUB_TOKEN never
 * has it), every run. The pull request is left as it was (not retitled to a commit it lacks), and
 * the failure says why and what to do instead of GitHub's words alone.
 */
import { describe, expect, it } from '@jest/globals';
import { MONGO, OWNER, branchOf, mongoUpdate, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();

describe('a base that changed .github/workflows', () => {
  it('rebuilding an open pull request fails saying what to do; the pull request is as it was', async () => {
    await h.run([mongoUpdate('4.0.4')]);
    const branch = branchOf(mongoUpdate('4.0.4'));
    const before = await h.standIn.branchSha(OWNER, h.repo, branch);
    const [pull] = h.standIn.pulls(OWNER, h.repo);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { '.github/workflows/ci.yml': 'on: push\n' });

    const { results, problems } = await h.run([mongoUpdate('4.0.5')]);

    expect(results.map((r) => r.action)).toEqual(['failed']);
    expect(problems.map((p) => [p.severity, p.file])).toEqual([['error', MONGO]]);
    expect(problems[0]!.message).toMatch(
      /refusing to allow a GitHub App to create or update workflow `\.github\/workflows\/ci\.yml` without `workflows` permission\. The base changed a file under \.github\/workflows .*: merge or close the pull request, or delete its branch so the next run opens a new one/,
    );
    expect(await h.standIn.branchSha(OWNER, h.repo, branch)).toBe(before);
    expect(h.standIn.pulls(OWNER, h.repo)).toEqual([pull]);
  });
});
