/**
 * The README's *Run it locally (CLI)* section names every flag `--help` lists (run from the source,
 * `src/cli.ts` under tsx), so a flag added to the CLI cannot be missing from the README.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliFromSource } from '../../test-support/e2e/run-cli.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const cliSection = readme.split('\n## Run it locally (CLI)\n')[1]?.split('\n## ')[0] ?? '';

describe("the README's CLI section", () => {
  it('names every flag of --help', async () => {
    const help = await runCliFromSource(['--help']);
    expect(help.exitCode).toBe(0);
    // Each flag opens its line of the options list: `  --name ...`.
    const flags = [...new Set([...help.stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!))];
    expect(flags.length).toBeGreaterThan(20);
    const named = (flag: string) => new RegExp(`${flag}(?![a-z-])`).test(cliSection);
    expect(flags.filter((flag) => !named(flag))).toEqual([]);
  });
});
