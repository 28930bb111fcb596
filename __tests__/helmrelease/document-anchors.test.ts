/**
 * The anchored nodes a document's aliases name, and which of them holds a given text: the tag an
 * update would rewrite is never edited when an alias reads it too (or reads a map holding it).
 */
import { describe, expect, it } from '@jest/globals';
import { readDocumentAnchors, reusedAround } from '../../src/helmrelease/document-anchors.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';

/** What holds the first `2.0` of `text` (a one-document YAML text): [anchor, whether it is that scalar, alias line]. */
function around(text: string): [string, boolean, number] | undefined {
  const { docs, lines } = parseFile(text);
  const anchors = readDocumentAnchors(docs[0].contents, lines);
  const start = text.indexOf('2.0');
  const found = reusedAround(anchors, start, start + 3);
  return found && [found.anchor, found.scalar, found.aliasLine];
}

describe('reusedAround', () => {
  it.each<[string, string, [string, boolean, number] | undefined]>([
    ['an anchored tag an alias reads', 'a: {tag: &t 2.0}\nb: {tag: *t}\n', ['t', true, 2]],
    ['an anchored tag no alias reads', 'a: {tag: &t 2.0}\nb: {tag: 1.0}\n', undefined],
    ['an anchored map an alias reuses', 'a: &m\n  tag: 2.0\nb: *m\n', ['m', false, 3]],
    ['an anchored map merged elsewhere', 'a: &m\n  tag: 2.0\nb:\n  <<: *m\n', ['m', false, 4]],
    ['an alias key naming the tag', 'a: {tag: &t 2.0}\nb: {*t : x}\n', ['t', true, 2]],
    ['an alias key without a space (`*t:`)', 'a: {tag: &t 2.0}\nb:\n  *t: x\n', ['t', true, 3]],
    ['the innermost of two anchors around it', 'a: &m\n  tag: &t 2.0\nb: *m\nc: *t\n', ['t', true, 4]],
    ['the first alias is the line named', 'a: {tag: &t 2.0}\nb: *t\nc: *t\n', ['t', true, 2]],
    [
      'an alias names the last anchor of its name before it, not a later one',
      'x: &t 1.0\ny: *t\na: {tag: &t 2.0}\n',
      undefined,
    ],
    ['an alias before the anchor names nothing', 'b: *t\na: {tag: &t 2.0}\n', undefined],
    ['anchors in a sibling', 'a: {tag: 2.0, other: &o 1}\nb: *o\n', undefined],
  ])('%s', (_name, text, expected) => {
    expect(around(text)).toEqual(expected);
  });

  it('without anchors read, nothing holds any text', () => {
    expect(reusedAround(undefined, 0, 10)).toBeUndefined();
  });
});
