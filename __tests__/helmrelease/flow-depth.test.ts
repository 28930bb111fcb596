import { flowDepthOverflow, MAX_FLOW_DEPTH } from '../../src/helmrelease/flow-depth.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';

const open = (n: number, opener = '[') => opener.repeat(n);

describe('flowDepthOverflow: where a flow collection opens level 10,001, as yaml.v2 refuses it', () => {
  it.each<[string, string, number | undefined]>([
    ['10,000 levels, closed', `a: ${open(10_000)}${']'.repeat(10_000)}\n`, undefined],
    ['10,000 levels, left open', `a: ${open(10_000)}\n`, undefined],
    ['10,001 levels: the 10,001st [', `a: ${open(10_001)}\n`, 3 + 10_000],
    ['10,001 levels of maps', `a: ${open(10_001, '{')}\n`, 3 + 10_000],
    ['mixed [ and {', `a: ${open(5_001, '[{')}\n`, 3 + 10_000],
    ['4 MiB of [ stops at the first one too many', open(4 << 20), 10_000],
    // Closed collections give their levels back.
    ['20,001 closed [x] on their own lines', `a:\n${'- [x]\n'.repeat(20_001)}`, undefined],
    // The same characters in a scalar or a comment open nothing (the lexer tells them apart).
    ['in a double-quoted scalar', `a: "${open(20_000)}"\n`, undefined],
    ['in a single-quoted scalar', `a: '${open(20_000)}'\n`, undefined],
    ['in a plain scalar', `a: x${open(20_000)}\n`, undefined],
    ['in a comment', `a: 1 # ${open(20_000)}\n`, undefined],
    ['in a block scalar', `a: |\n  ${open(20_000)}\n`, undefined],
  ])('%s', (_name, text, expected) => {
    expect(flowDepthOverflow(text)).toBe(expected);
  });

  it('looks only inside the range it is given', () => {
    const text = `a: ${open(MAX_FLOW_DEPTH + 1)}\n---\nb: 1\n`;
    const second = text.indexOf('---');
    expect(flowDepthOverflow(text, second)).toBeUndefined();
    expect(flowDepthOverflow(text, 0, second)).toBe(3 + MAX_FLOW_DEPTH);
  });
});

describe('parseFile refuses a text nested deeper than yaml.v2 reads, without parsing it', () => {
  it('one document with the error at the bracket, its range the whole text', () => {
    const text = `kind: Kustomization\nresources: ${open(2_000_000)}\n`;
    const { docs, lines } = parseFile(text);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.range).toEqual([0, text.length, text.length]);
    expect(docs[0]!.errors.map((e) => [lines.linePos(e.pos[0]).line, e.message])).toEqual([
      [
        2,
        'flow collections ([ or {) open more than 10,000 levels deep here, which Flux v1 (yaml.v2) refuses ("exceeded max depth of 10000") at line 2, column 10012',
      ],
    ]);
  });
});
