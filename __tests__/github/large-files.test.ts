/**
 * A HelmRelease file over 1 MB on the base, read as GitHub serves it: the contents API sends no
 * content over 1 MB (`encoding: none`), so its blob is read, up to the 4 MiB the workspace scan
 * reads too; a larger one (the blob API serves up to 100 MB, a third more as base64 JSON) is a
 * precise failure for its pull request, not a read of however much is there.
 */
import { describe, expect, it } from '@jest/globals';
import { MONGO, OWNER, branchOf, mongoUpdate, release, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const update = mongoUpdate('4.0.4');

/** The fixture release, then comment lines up to about `bytes`. */
function padded(bytes: number): string {
  const text = release('mongodb', '4.0.3', '0.10.0');
  const line = `# ${'x'.repeat(98)}\n`;
  return text + line.repeat(Math.ceil((bytes - text.length) / line.length));
}

describe('a large HelmRelease file on the base', () => {
  it('over 1 MB (no content from the contents API): read from its blob, only the tag changed', async () => {
    const text = padded(1.5 * 1024 * 1024);
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: text });
    const { results, problems } = await h.run([update]);
    expect(problems).toEqual([]);
    expect(results.map((r) => r.action)).toEqual(['created']);
    const diff = await h.standIn.diff(OWNER, h.repo, 'main', branchOf(update));
    expect(diff[MONGO]!.after).toBe(text.replace('tag: 4.0.3', 'tag: 4.0.4'));
  });

  it('over 4 MiB: its pull request fails saying so, without reading it; nothing is left behind', async () => {
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: padded(5 * 1024 * 1024) });
    h.standIn.clearLog();
    const { results, problems } = await h.run([update]);
    expect(results.map((r) => r.action)).toEqual(['failed']);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        expect.stringMatching(
          new RegExp(
            `^Could not write the pull request for ${branchOf(update)}: ${MONGO} is 5,2\\d{2},\\d{3} bytes at the base commit, more than the 4,194,304 bytes \\(4 MiB\\) read; it is not edited$`,
          ),
        ),
      ],
    ]);
    expect(h.standIn.requests.filter((r) => r.operationId === 'git/get-blob')).toEqual([]);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(['main']);
  });
});
