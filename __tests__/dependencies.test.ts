/**
 * Dependencies point one way (issue 15): the pure core's lower layers and the ports never import
 * from the planner or the orchestrator above them.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Source files of `src/` under `path` (a folder or a file). */
function sources(path: string): string[] {
  const full = join(SRC, path);
  if (full.endsWith('.ts')) return [path];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(path, name));
}

/** The `src/`-relative modules a file imports (relative imports only). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*?from '(\.[^']+)'/gm)].map((m) =>
    relative(SRC, resolve(dirname(join(SRC, file)), m[1])).replace(/\.js$/, '.ts'),
  );
}

const LOWER = [
  'byte-count.ts',
  'edit',
  'filters',
  'helmrelease',
  'image',
  'kustomize',
  'plural.ts',
  'scan',
  'supersedes-text.ts',
  'ports.ts',
  'problems.ts',
  'update.ts',
];
const UPPER = /^(plan\/|run-update\.ts|main\.ts|cli\.ts|github\/|adapters\/)/;

describe('dependency direction', () => {
  it.each(LOWER.flatMap(sources).map((f) => [f]))('%s imports nothing from the planner or above', (file) => {
    expect(importsOf(file).filter((m) => UPPER.test(m))).toEqual([]);
  });

  // The scan reads kustomizations through kustomize/: what the scan keeps is counted by a callback.
  it.each(['edit', 'filters', 'helmrelease', 'image', 'kustomize'].flatMap(sources).map((f) => [f]))(
    '%s imports nothing from the scan above it',
    (file) => {
      expect(importsOf(file).filter((m) => m.startsWith('scan/'))).toEqual([]);
    },
  );

  // Report text is pure: it renders what a run reports (plan, run-update's types), and imports
  // neither the shells that write it (GitHub, the adapters, the entry points) nor any I/O.
  it.each(sources('report').map((f) => [f]))('%s imports no shell and no I/O', (file) => {
    expect(
      importsOf(file).filter((m) => /^(github\/|adapters\/|main\.ts|cli\.ts|index\.ts)/.test(m)),
    ).toEqual([]);
    const text = readFileSync(join(SRC, file), 'utf8');
    expect(
      [
        ...text.matchAll(
          /from '((?:node:)?(?:fs|child_process|net|http|https|os)[^']*|undici|@actions\/[^']+)'/g,
        ),
      ].map((m) => m[1]),
    ).toEqual([]);
  });

  it('update.ts is a leaf', () => {
    expect(importsOf('update.ts')).toEqual([]);
  });
});
