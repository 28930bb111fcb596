/**
 * The Action's plain log lines as the runner receives them on stdout: outside text can neither
 * start a workflow command nor hide itself with control characters.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { logLine } from '../../src/adapters/actions-log.js';
import { runnerCommands } from '../../test-support/e2e/runner-commands.js';

describe('logLine', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    [
      'an ordinary line',
      'Scanned 3 files: 3 HelmReleases in 3 files',
      'Scanned 3 files: 3 HelmReleases in 3 files',
    ],
    [
      'a GitHub message with an output on its second line',
      'apps/web: failed (Validation Failed\n::set-output name=updates::[])',
      'apps/web: failed (Validation Failed\n| ::set-output name=updates::[])',
    ],
    [
      'a file name whose bare CR would start a line',
      'skipped (apps/x\r::stop-commands::t.yaml does not exist)',
      'skipped (apps/x\\u000d::stop-commands::t.yaml does not exist)',
    ],
    ['text hidden in black on black', 'ok \x1b[30;40msecret-looking', 'ok \\u001b[30;40msecret-looking'],
    ['a legacy command', 'tag ##[set-output name=x;]y', 'tag ## [set-output name=x;]y'],
  ])('%s', (_, message, line) => {
    logLine(message);
    expect(printed.join('')).toBe(`${line}\n`);
    expect(runnerCommands(printed.join(''))).toEqual([]);
  });
});
