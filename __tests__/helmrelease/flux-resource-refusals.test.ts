/**
 * Valid YAML that Flux v1 could not read as a resource (src/helmrelease/flux-resource-refusals.ts):
 * a document after a HelmRelease that is not a map, a map or a list where its baseObject reads a
 * string, anything but a map where it reads one, and an explicit tag its value does not fit. Each
 * row (test-support/helmrelease/resource-refusal-cases.ts) is what yaml.v2 2.4.0 answered
 * (scripts/go-yaml; Flux then failed the whole file), and what firstInvalidDocument says.
 */
import { describe, expect, it } from '@jest/globals';
import { firstInvalidDocument } from '../../src/helmrelease/invalid-documents.js';
import { RESOURCE_REFUSAL_CASES } from '../../test-support/helmrelease/resource-refusal-cases.js';

describe('a document Flux v1 could not read as a resource (observed from yaml.v2 2.4.0)', () => {
  const rows = RESOURCE_REFUSAL_CASES.map(
    ([name, text, observed, line]) => [name, observed, text, line] as const,
  );
  it.each(rows)('%s: yaml.v2 %s', (_name, _observed, text, line) => {
    const invalid = firstInvalidDocument(text, () => false);
    expect(invalid && [invalid.line, invalid.validYaml]).toEqual(
      line === undefined ? undefined : [line, true],
    );
  });
});

describe('what the user reads', () => {
  it.each<[string, string, string]>([
    [
      'a list',
      '- a\n',
      'the document is a list, not a resource (a map of kind, metadata, ...), which Flux v1 reads every document as: remove it, or make it a comment',
    ],
    [
      'kind a list',
      'kind: [ConfigMap]\n',
      'kind is a list, which Flux v1 reads as a string: write a single value',
    ],
    [
      'metadata a string',
      'metadata: abc\n',
      'metadata is the value abc, which Flux v1 reads as a map: write name, namespace and annotations under it, or remove it',
    ],
    [
      'metadata.annotations a list',
      'metadata: {annotations: [a]}\n',
      'metadata.annotations is a list, which Flux v1 reads as a map: write each annotation as a key: value line under it, or remove it',
    ],
    [
      'an annotation a map',
      'metadata: {annotations: {a: {b: c}}}\n',
      'the annotation a is a map, which Flux v1 reads as a string: quote it, or write a single value',
    ],
    [
      '!!int abc',
      'x: !!int abc\n',
      'abc tagged !!int is a str, which yaml.v2 refuses: remove the tag, or give it a value of that type',
    ],
  ])('%s', (_name, doc, what) => {
    expect(firstInvalidDocument(doc, () => false)?.what).toBe(what);
  });

  it('a syntax error is no resource refusal', () => {
    expect(firstInvalidDocument('a: [b\n', () => false)?.validYaml).toBeUndefined();
  });
});
