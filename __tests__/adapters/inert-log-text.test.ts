/**
 * Plain log text the Actions runner cannot take for a workflow command. First the runner's own
 * reading of a line (test-support/e2e/runner-commands.ts, after actions/runner), so the cases
 * below are known to be commands; then the same texts after inertLogText, which must be none and
 * read as before.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { COMMAND_LINE_MARK, inertLogText } from '../../src/adapters/inert-log-text.js';
import { runnerCommands } from '../../test-support/e2e/runner-commands.js';

/** Text that the runner takes for a command, with the command it takes (name, properties, data). */
const COMMANDS: [string, string, [string, Record<string, string>, string][]][] = [
  ['an output', '::set-output name=updates::[]', [['set-output', { name: 'updates' }, '[]']]],
  [
    'after a line break',
    'failed\n::set-output name=updates::[]',
    [['set-output', { name: 'updates' }, '[]']],
  ],
  ['after a lone CR', 'failed\r::save-state name=s::v', [['save-state', { name: 's' }, 'v']]],
  ['after CRLF', 'a\r\n::add-mask::x', [['add-mask', {}, 'x']]],
  ['indented', ' \t  ::stop-commands::tok', [['stop-commands', {}, 'tok']]],
  ['behind .NET white space', '\u00a0\u3000\u0085\u2028::echo::on', [['echo', {}, 'on']]],
  ['in any case', '::SET-OUTPUT name=x::y', [['set-output', { name: 'x' }, 'y']]],
  [
    'an annotation on another file',
    'x\n::error file=.github/workflows/ci.yml,line=1::forged',
    [['error', { file: '.github/workflows/ci.yml', line: '1' }, 'forged']],
  ],
  ['with escaped data', '::warning::a%0Ab', [['warning', {}, 'a\nb']]],
  [
    'colons with a zero-width space between',
    ':\u200b:set-output name=x::y',
    [['set-output', { name: 'x' }, 'y']],
  ],
  ['behind a zero-width space', '\u200b::set-output name=x::y', [['set-output', { name: 'x' }, 'y']]],
  ['behind a NUL and a BOM', '\u0000\ufeff::set-output name=x::y', [['set-output', { name: 'x' }, 'y']]],
  ['legacy, anywhere in a line', 'tag 1.0 ##[set-output name=x;]y', [['set-output', { name: 'x' }, 'y']]],
  ['legacy, with a soft hyphen', '#\u00ad#[add-mask]z', [['add-mask', {}, 'z']]],
  ['legacy group', '##[group]x', [['group', {}, 'x']]],
  [
    'stopping the commands that follow, until the token',
    '::stop-commands::tok\n::add-mask::s\n::tok::\n::set-output name=a::b',
    [
      ['stop-commands', {}, 'tok'],
      ['set-output', { name: 'a' }, 'b'],
    ],
  ],
];

/** Text the runner reads as plain output. */
const PLAIN: [string, string][] = [
  ['an unknown command', '::launch-missiles::now'],
  ['colons inside a line', 'failed: 401 ::set-output name=x::y'],
  ['one colon', ':set-output name=x::y'],
  ['no closing colons', '::set-output name=x'],
  ['a legacy prefix without its bracket', '##[set-output name=x;'],
  ['colons after a visible character', '| ::set-output name=x::y'],
];

describe("the runner's reading of a line (the model the tests use)", () => {
  it.each(COMMANDS)('takes a command: %s', (_, text, expected) => {
    expect(runnerCommands(text).map((c) => [c.name, c.properties, c.data])).toEqual(expected);
  });

  it.each(PLAIN)('takes no command: %s', (_, text) => {
    expect(runnerCommands(text)).toEqual([]);
  });
});

/** `text` with the marks inertLogText adds taken out again. */
function unmarked(text: string): string {
  return text
    .split(/(\r\n|\r|\n)/)
    .map((piece) => (piece.startsWith(COMMAND_LINE_MARK) ? piece.slice(COMMAND_LINE_MARK.length) : piece))
    .join('')
    .replace(/(#[^[]{0,8}) \[/gu, '$1[');
}

describe('inertLogText', () => {
  it.each(COMMANDS)('leaves no command: %s', (_, text) => {
    const inert = inertLogText(text);
    expect(runnerCommands(inert)).toEqual([]);
    expect(unmarked(inert)).toBe(text);
  });

  it.each([
    ['an ordinary line', 'Scanned 12 files: 3 HelmReleases in 3 files'],
    ['a colon and an image', 'apps/web: created (docker.io/library/nginx:1.25)'],
    ['several lines', 'first\nsecond\r\nthird'],
    ['one colon at the start', ':not a command'],
    ['a hash and a bracket apart', 'C# [note]'],
    ['colons inside a line', 'failed: 401 ::set-output name=x::y'],
    ['colons after a visible character', '| ::set-output name=x::y'],
  ])('leaves plain text as it is: %s', (_, text) => {
    expect(inertLogText(text)).toBe(text);
  });

  it('marks a line starting with colons even when no command is registered by its name', () => {
    // A `::stop-commands::` token is any name, and the next runner may register more commands.
    expect(inertLogText('::launch-missiles::now')).toBe('| ::launch-missiles::now');
  });

  it('marks the lines that could start a command, and only them', () => {
    expect(inertLogText('Pull request failed: 422\n::set-output name=updates::[]\n##[add-mask]x')).toBe(
      'Pull request failed: 422\n| ::set-output name=updates::[]\n## [add-mask]x',
    );
  });

  it('leaves no command in any text made of the pieces commands are made of', () => {
    const piece = fc.constantFrom(
      ':',
      '::',
      '#',
      '##[',
      '[',
      ']',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u200b',
      '\u00ad',
      '\u0000',
      '\ufeff',
      '\u0301',
      'set-output name=x',
      'stop-commands',
      'add-mask',
      'tok',
      '| ',
      'a',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        expect(runnerCommands(inertLogText(text))).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });
});
