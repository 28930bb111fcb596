/**
 * The bound on the values one file's parse makes (node-count.ts): counted before the `yaml`
 * package parses a text, by the lexer's tokens once the cheap count of indicators could pass it,
 * so a 4 MiB file of two million one-letter values is refused, not parsed into gigabytes.
 */
import { describe, expect, it } from '@jest/globals';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import { MAX_PARSED_VALUES, valuesOverflow } from '../../src/helmrelease/node-count.js';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import { helmRelease } from '../reliability/support.js';

/** `[a,a,…]`: the list and `n - 1` items, `n` values in all. */
const flowList = (n: number) => `[${'a,'.repeat(n - 2)}a]`;
const whole = (text: string) => [{ start: 0, end: text.length }];

describe('valuesOverflow: where a text passes the values one parse makes', () => {
  const atBound = `k: ${flowList(MAX_PARSED_VALUES - 1)}\n`;
  it.each<[string, string, number | undefined]>([
    ['exactly the bound (the key, the list and its items)', atBound, undefined],
    [
      'one value over it: the item that passes it',
      `k: ${flowList(MAX_PARSED_VALUES)}\n`,
      3 + 2 * (MAX_PARSED_VALUES - 1) - 1,
    ],
    ['aliases count', `k: [${'*a,'.repeat(MAX_PARSED_VALUES)}]\n`, 4 + 3 * (MAX_PARSED_VALUES - 2)],
    // The same characters in a scalar or a comment are no values (the lexer tells them apart).
    ['in a double-quoted scalar', `k: "${'a,'.repeat(MAX_PARSED_VALUES)}"\n`, undefined],
    ['in a block scalar', `k: |\n  ${'a,'.repeat(MAX_PARSED_VALUES)}\n`, undefined],
    ['in a comment', `k: 1 # ${'a,'.repeat(MAX_PARSED_VALUES)}\n`, undefined],
  ])('%s', (_name, text, expected) => {
    expect(valuesOverflow(text, whole(text))).toEqual([expected]);
  });

  it('counts the stretches together, in order, and refuses each one after the one that passed', () => {
    const half = `k: ${flowList(MAX_PARSED_VALUES / 2)}\n`;
    const text = `${half}---\n${half}---\n${half}`;
    const stretches = [0, 1, 2].map((i) => ({
      start: i * (half.length + 4),
      end: i * (half.length + 4) + half.length,
    }));
    const [first, second, third] = valuesOverflow(text, stretches);
    expect(first).toBeUndefined();
    // Each stretch is MAX / 2 + 1 values (the key, the list, MAX / 2 - 1 items): the second passes the bound
    // at its next-to-last item (`a,a]\n` from its end).
    expect(second).toBe(stretches[1]!.end - 5);
    expect(third).toBe(stretches[2]!.start);
  });
});

describe('a file with more values than one parse makes', () => {
  const crowded = helmRelease({
    name: 'crowded',
    values: ['image: nginx:1.0', `list: ${flowList(MAX_PARSED_VALUES)}`],
  });
  const small = helmRelease({ name: 'small', values: ['image: redis:1.0'] });

  // The refused document is read as no release: the error at its line says which, and why.
  const refused = (name: string) =>
    `HelmRelease ${name} could not be read (the file holds more than 500,000 YAML values ` +
    "(scalars, aliases and collections) by here, the most one file's parse makes (each takes about 1.5 KB of " +
    'memory while it is read); split the values into files of their own or write them as one block scalar); ' +
    'it gets no update until this is fixed';
  it.each<[string, string, string[], [number, string][]]>([
    ['a HelmRelease of its own: held, with the error at its line', crowded, [], [[15, refused('crowded')]]],
    [
      'a HelmRelease after another one in the file: the first read as ever, the second held',
      `${small}---\n${crowded}`,
      ['small'],
      [[30, refused('crowded')]],
    ],
  ])('%s', (_name, text, read, problems) => {
    const scan = scanFile('apps/crowded.yaml', text);
    expect(scan.releases.map((r) => r.name)).toEqual(read);
    expect(scan.problems.map((p) => [p.line, p.message])).toEqual(problems);
  });

  it('parseFile refuses it as one document, unparsed', () => {
    const { docs } = parseFile(crowded);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.range).toEqual([0, crowded.length, crowded.length]);
    expect(docs[0]!.contents).toBeNull();
  });
});
