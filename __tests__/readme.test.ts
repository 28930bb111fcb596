import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
};

/** The first-column names of the README table under a `## <heading>`. */
function tableNames(heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
}

describe('README reference', () => {
  it('lists exactly the inputs of action.yml, in order', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(action.inputs));
  });

  it('lists exactly the outputs of action.yml, in order', () => {
    expect(tableNames('Outputs')).toEqual(Object.keys(action.outputs));
  });

  it('shows the two contributor commands', () => {
    expect(readme).toContain('npm ci\nnpm test');
  });

  it('gives the workflow example least-privilege permissions', () => {
    const workflow = readme.split('```yaml\n')[1].split('```')[0];
    const permissions = (parse(workflow) as { permissions: Record<string, string> }).permissions;
    expect(permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });
});
