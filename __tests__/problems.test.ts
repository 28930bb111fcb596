/**
 * A problem's message is bounded: a file can quote megabytes back into one (a huge apiVersion,
 * name or annotation value), which would crowd every other problem out of the job summary.
 */
import { describe, expect, it } from '@jest/globals';
import { error, MAX_MESSAGE_LENGTH, warning } from '../src/problems.js';
import { scanFile } from '../src/helmrelease/scan-file.js';

describe('problem messages', () => {
  it.each([
    ['short', 'x'.repeat(10)],
    ['at the bound', 'x'.repeat(MAX_MESSAGE_LENGTH)],
  ])('keeps a message %s whole', (_, message) => {
    expect(warning('f.yaml', 1, message).message).toBe(message);
    expect(error('f.yaml', 1, message).message).toBe(message);
  });

  it.each([MAX_MESSAGE_LENGTH + 1, 1_000_000])(
    'keeps the start and end of a message of %i characters and says how much was left out',
    (length) => {
      const message = `START${'x'.repeat(length - 8)}END`;
      const bounded = error('f.yaml', 3, message).message;
      expect(bounded.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      expect(bounded).toMatch(/^STARTx+ … \(\d+ characters left out\) … x+END$/);
      const left = Number(/\((\d+) characters/.exec(bounded)?.[1]);
      const kept = bounded.length - / … \(\d+ characters left out\) … /.exec(bounded)![0].length;
      expect(kept + left).toBe(length);
    },
  );

  it('bounds a scanned HelmRelease whose apiVersion is a megabyte long', () => {
    const text = `apiVersion: ${'v'.repeat(1_000_000)}\nkind: HelmRelease\nmetadata:\n  name: app\n`;
    const [problem] = scanFile('f.yaml', text).problems;
    expect(problem.line).toBe(2);
    expect(problem.message.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(problem.message).toMatch(
      /^HelmRelease with apiVersion "vvvv.* characters left out.*known apiVersions: /,
    );
    expect(problem.message).toMatch(/helm\.toolkit\.fluxcd\.io\/v2$/);
  });
});
