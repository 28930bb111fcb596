/**
 * The branch of a pull request of ours that the run closes (superseded by a newer tag, obsolete as
 * the base has its tags) is deleted; one GitHub will not delete stays, and no later run reads the
 * branch of a closed pull request, so the run says so. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import {
  OWNER,
  MONGO,
  exporterUpdate,
  imageBranch,
  mongoUpdate,
  release,
  useWriterHarness,
} from './writer-fixtures.js';

const h = useWriterHarness();

describe('the branch of a pull request the run closes', () => {
  it.each([
    {
      name: 'superseded by a newer tag (group-by image)',
      close: () => h.run([mongoUpdate('4.0.5')], {}, 'image'),
    },
    {
      name: 'obsolete: the base has its tag',
      close: async () => {
        await h.standIn.commitFiles(OWNER, h.repo, 'main', {
          [MONGO]: release('mongodb', '4.0.4', '0.10.0'),
        });
        return h.run([exporterUpdate('0.11.0')], {}, 'image');
      },
    },
  ])('$name: when GitHub will not delete its branch, a warning naming it', async ({ close }) => {
    await h.run([mongoUpdate('4.0.4')], {}, 'image');
    h.standIn.injectFault({ operationId: 'git/delete-ref', kind: { status: 500, message: 'Server Error' } });
    const { problems } = await close();
    expect(h.standIn.pulls(OWNER, h.repo)[0]!.state).toBe('closed');
    expect(await h.standIn.branches(OWNER, h.repo)).toContain(imageBranch('4.0.4'));
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        expect.stringMatching(
          new RegExp(
            `^#1 was closed, but its branch ${imageBranch('4.0.4')} could not be deleted \\(.*500.*\\); no later run deletes it: delete it by hand\\.$`,
          ),
        ),
      ],
    ]);
  });
});
