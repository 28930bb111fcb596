/**
 * A base file that is not UTF-8 is not edited: its bytes decoded as U+FFFD would be written back
 * so, changing more than the tag while the edit's own check passed. One that is UTF-8, its byte
 * order mark included, is edited byte for byte. Against the GitHub stand-in.
 */
import { describe, expect, it } from '@jest/globals';
import { MONGO, OWNER, branchOf, mongoUpdate, release, useWriterHarness } from './writer-fixtures.js';

const h = useWriterHarness();
const update = mongoUpdate('4.0.4');
const text = release('mongodb', '4.0.3', '0.10.0');

/** The fixture with a comment line of `bytes` first. */
const withComment = (bytes: number[]): Uint8Array =>
  Buffer.concat([Buffer.from('# caf'), Buffer.from(bytes), Buffer.from('\n'), Buffer.from(text)]);

describe('a base file in another encoding than UTF-8', () => {
  it.each<[string, Uint8Array]>([
    ['Latin-1 (é as one byte)', withComment([0xe9])],
    ['a stray continuation byte', withComment([0x80])],
    ['UTF-16 LE with its byte order mark', Buffer.from(`\ufeff${text}`, 'utf16le')],
  ])('%s: its pull request fails saying so, and nothing is written', async (_name, bytes) => {
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: bytes });
    const { results, problems } = await h.run([update]);
    expect(results.map((r) => r.action)).toEqual(['failed']);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        `Could not write the pull request for ${branchOf(update)}: ${MONGO} is not valid UTF-8 at the base commit, so it is not edited (the edit would change bytes other than the tag); save it as UTF-8 to have it updated`,
      ],
    ]);
    expect(await h.standIn.branches(OWNER, h.repo)).toEqual(['main']);
  });

  it('UTF-8 with a byte order mark and an accent: edited, only the tag changed', async () => {
    const bytes = Buffer.from(`\ufeff# café\n${text}`, 'utf8');
    await h.standIn.commitFiles(OWNER, h.repo, 'main', { [MONGO]: bytes });
    const { results, problems } = await h.run([update]);
    expect(problems).toEqual([]);
    expect(results.map((r) => r.action)).toEqual(['created']);
    // Read back as bytes decoded without loss of the mark: the edit kept it, and the accent.
    const after = (await h.standIn.readFiles(OWNER, h.repo, branchOf(update)))[MONGO];
    expect(after).toBe(`\ufeff# café\n${text.replace('tag: 4.0.3', 'tag: 4.0.4')}`);
  });
});
