/**
 * What the CLI prints to a terminal: text from the repository (a YAML escape such as `"\e"`, a
 * file's name) reaches the report, and every control character in it is shown as its escape, not
 * obeyed (a cleared screen, a window title, a carriage return overwriting a warning). `--json`
 * stays valid and parses to the same text. The CLI runs from its source (src/cli.ts under tsx).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inertTerminalText } from '../../src/adapters/inert-terminal-text.js';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';
import { writeFiles } from '../e2e/fixture-repository.js';
import { helmRelease } from '../reliability/support.js';

/** Characters a terminal acts on (C0 but tab and line feed, DEL, C1, bidirectional controls). */
const ACTIVE = /(?![\t\n])[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('inertTerminalText', () => {
  it.each([
    ['clearing the screen', '\x1b[2J', '\\u001b[2J'],
    ['an OSC window title ended by BEL', '\x1b]0;owned\x07', '\\u001b]0;owned\\u0007'],
    ['a carriage return over a warning', 'warning: x\rok        ', 'warning: x\\u000dok        '],
    ['backspaces', 'error\b\b\b\b\bfine!', 'error\\u0008\\u0008\\u0008\\u0008\\u0008fine!'],
    ['a one-character CSI (C1) and DEL', '\u009b2J\u007f', '\\u009b2J\\u007f'],
    ['a right-to-left override', 'tag \u202e0.1.1', 'tag \\u202e0.1.1'],
    ['a NUL', 'a\u0000b', 'a\\u0000b'],
  ])('escapes %s', (_, text, shown) => {
    expect(inertTerminalText(text)).toBe(shown);
  });

  it.each([
    ['line feeds and tabs (the layout)', 'Updates (1):\n\tapps/web'],
    ['other text', 'apps/web (chart-image) docker.io/library/nginx 1.25 -> 1.26 · “ok” é 漢字 🙂'],
  ])('keeps %s', (_, text) => {
    expect(inertTerminalText(text)).toBe(text);
  });

  it('escapes exactly the characters a terminal acts on, across the whole BMP', () => {
    const differing: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      if ((inertTerminalText(c) !== c) !== ACTIVE.test(c)) differing.push(code.toString(16));
    }
    expect(differing).toEqual([]);
  });

  it('leaves JSON that parses to the same values', () => {
    const value = { message: '\x1b[2J\r\u009b\u007f\u202e\ttab\nline' };
    const json = JSON.stringify(value);
    expect(JSON.parse(inertTerminalText(json))).toEqual(value);
    expect(inertTerminalText(json)).not.toMatch(ACTIVE);
  });
});

describe('the CLI on hostile text from the repository', () => {
  /** A filter annotation holding terminal controls, written with YAML's double-quoted escapes. */
  const FILTER = String.raw`"glob:1.*\e]0;owned\a\e[2J\rHIDDEN\x9b2J\x7f\u202e"`;
  const FILE = 'apps/x\x1b[31mred\r.yaml';
  let workspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'cli-terminal-'));
    await writeFiles(workspace, {
      [FILE]: helmRelease({
        annotations: [`filter.fluxcd.io/chart-image: ${FILTER}`],
        // Nothing listens on port 9: the registry fails at once, the filter's problem stays.
        values: ['image: 127.0.0.1:9/team/app:1.0.0'],
      }),
    });
  });
  afterAll(() => rm(workspace, { recursive: true, force: true }));

  it.each([
    ['the report', ['--dir']],
    ['explain', ['explain']],
  ])(
    '%s shows the controls as escapes',
    async (_, [command]) => {
      const args =
        command === 'explain'
          ? ['explain', join(workspace, FILE), '--tags', '1.0.0,1.1.0']
          : ['--dir', workspace, '--no-cache'];
      const result = await runCliFromSource(args, { timeoutMs: 30_000 });
      expect(result.stdout + result.stderr).not.toMatch(ACTIVE);
      expect(result.stdout).toContain('\\u001b]0;owned\\u0007\\u001b[2J');
      expect(result.stdout).toContain('x\\u001b[31mred');
    },
    40_000,
  );

  it('--json parses to the text as the repository wrote it', async () => {
    const result = await runCliFromSource(['--dir', workspace, '--no-cache', '--json'], {
      timeoutMs: 30_000,
    });
    expect(result.stdout).not.toMatch(ACTIVE);
    const problems = (JSON.parse(result.stdout) as { problems: { file: string; message: string }[] })
      .problems;
    expect(problems.map((p) => p.file)).toContain(FILE);
    expect(problems.map((p) => p.message).join('\n')).toContain('\x1b]0;owned\x07\x1b[2J');
    expect(problems.map((p) => p.message).join('\n')).toContain('\u009b2J\u007f\u202e');
  }, 40_000);
});
