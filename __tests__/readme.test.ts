import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

  it("shows the two contributor commands in the contributors' guide", () => {
    expect(readFileSync(join(root, 'docs', 'contributing.md'), 'utf8')).toContain('npm ci\nnpm test');
  });

  it('gives the workflow example least-privilege permissions', () => {
    const workflow = readme.split('```yaml\n')[1].split('```')[0];
    const permissions = (parse(workflow) as { permissions: Record<string, string> }).permissions;
    expect(permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const plain = text.replace(/```[\s\S]*?```/g, '');
  return new Set([...plain.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

describe('README and docs/ links', () => {
  const documents = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const cases = documents.flatMap((document) => {
    const text = readFileSync(join(root, document), 'utf8');
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => [document, target] as const);
  });

  it('has links to check', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)('%s: %s leads to a file and heading that exist', (document, target) => {
    const [path, hash] = target.split('#');
    const file = path === '' ? join(root, document) : join(root, dirname(document), path);
    expect(existsSync(file)).toBe(true);
    if (hash !== undefined) expect(anchorsOf(readFileSync(file, 'utf8'))).toContain(hash);
  });
});
