/**
 * Text Flux v1's yaml.v2 refuses and the `yaml` package reads (src/helmrelease/go-yaml-refusals.ts):
 * a line starting with a tab, control characters, `%YAML` other than 1.1, a document after `...`
 * without `---`, and `\/` or a UTF-16 surrogate escaped in double quotes. Each row
 * (test-support/helmrelease/go-yaml-refusal-cases.ts) is what yaml.v2 2.4.0 answered
 * (scripts/go-yaml; Flux saw the error as "scanning multidoc: yaml: ..." and read nothing of the
 * file), and what is asked of the reader: a HelmRelease so refused is held with an error at the
 * line, one yaml.v2 reads is read.
 */
import { describe, expect, it } from '@jest/globals';
import { scanFile } from '../../src/helmrelease/scan-file.js';
import {
  CONTROL_CHARACTER_CASES,
  DIRECTIVE_CASES,
  END_MARKER_CASES,
  ESCAPE_CASES,
  TAB_LINE_CASES,
  type Expected,
  type Observed,
  type RefusalCase,
} from '../../test-support/helmrelease/go-yaml-refusal-cases.js';
import { release } from '../../test-support/helmrelease/release-text.js';

const FILE = 'releases/app.yaml';
const NO_UPDATE = 'it gets no update until this is fixed';
const A = release(['image: repo/a:1'], [], 'a');
const B = release(['image: repo/b:1'], [], 'b');

/** A row `[name, text, observed, expected]` as `[name, observed, text, expected]`, for the test's title. */
function observedSecond([name, text, observed, expected]: RefusalCase): [string, Observed, string, Expected] {
  return [name, observed, text, expected];
}

function check(text: string, expected: Expected) {
  const scan = scanFile(FILE, text);
  if ('heldAt' in expected) {
    expect(scan.problems.map((p) => [p.severity, p.line])).toEqual([['error', expected.heldAt]]);
    expect(scan.problems[0].message).toMatch(/Flux v1 \(yaml\.v2\)/);
    expect(scan.releases.map((r) => r.name)).toEqual(expected.reads ?? []);
  } else {
    expect(scan.problems).toEqual([]);
    expect(scan.releases.map((r) => r.name)).toEqual(expected.reads);
  }
}

describe('a line starting with a tab (observed from yaml.v2 2.4.0, scripts/go-yaml)', () => {
  it.each(TAB_LINE_CASES.map(observedSecond))('%s: yaml.v2 %s', (_name, _observed, text, expected) =>
    check(text, expected),
  );
});

describe('control characters (observed from yaml.v2 2.4.0, anywhere in a file)', () => {
  it.each(CONTROL_CHARACTER_CASES.map(observedSecond))('%s: yaml.v2 %s', (_name, _observed, text, expected) =>
    check(text, expected),
  );
});

describe('%YAML and other directives (observed from yaml.v2 2.4.0)', () => {
  it.each(DIRECTIVE_CASES.map(observedSecond))('%s: yaml.v2 %s', (_name, _observed, text, expected) =>
    check(text, expected),
  );
});

describe('a document after ... without --- (observed from yaml.v2 2.4.0)', () => {
  it.each(END_MARKER_CASES.map(observedSecond))('%s: yaml.v2 %s', (_name, _observed, text, expected) =>
    check(text, expected),
  );
});

describe('escapes in double quotes (observed from yaml.v2 2.4.0)', () => {
  it.each(ESCAPE_CASES.map(observedSecond))('%s: yaml.v2 %s', (_name, _observed, text, expected) =>
    check(text, expected),
  );
});

describe('a `!` or `!!` redefined by a %TAG line before an earlier document (observed from yaml.v2 2.4.0)', () => {
  // yaml.v2 applies a %TAG line to the next document alone: a later one reads the default tags.
  const later = (tags: string, tag: string) =>
    `${tags}---\n${A}---\n${release(['image: repo/b', `tag: ${tag}`], [], 'b')}`;
  it.each<[string, string, string | undefined]>([
    // what, text, b's image as yaml.v2 read it (undefined: untagged, so never updated)
    ['!! redefined: !!float is a float', later('%TAG !! tag:example.com:\n', '!!float 1.0'), undefined],
    ['!! redefined: !!str is a string', later('%TAG !! tag:example.com:\n', '!!str 1.0'), 'repo/b:1.0'],
    [
      '! made the YAML tags: !int is a local tag, so a string',
      later('%TAG ! tag:yaml.org,2002:\n', '!int 1.0.0'),
      'repo/b:1.0.0',
    ],
  ])('%s', (_what, text, image) => {
    const b = scanFile(FILE, text).releases.find((r) => r.name === 'b');
    expect(b?.containers.map((c) => c.reference.text)).toEqual([image ?? 'repo/b']);
  });

  it('the document read again keeps its values as written: a warning quotes them so', () => {
    const text = later('%TAG !! tag:example.com:\n', '1.10').replace(
      '    tag: 1.10',
      '    tag: 1.10\n    x: !!str y',
    );
    expect(scanFile(FILE, text).problems).toEqual([
      {
        file: FILE,
        line: 22,
        message:
          'spec.values.tag is the number 1.10, not a string, so it is ignored and the image counts as untagged (it will not be updated); quote it: tag: "1.10"',
        severity: 'warning',
      },
    ]);
  });
});

describe('what the user reads', () => {
  it.each<[string, string, string, string]>([
    [
      'a tab-only line',
      release(['image: repo/a:1', '\t', 'x: 1']),
      'app',
      'line 10 holds only spaces and a tab, which Flux v1 (yaml.v2) cannot read here: remove the tab',
    ],
    [
      'a tab before a comment',
      release(['image: "repo/a:1"', '\t# c']),
      'app',
      'line 10 starts with a tab before its comment, which Flux v1 (yaml.v2) cannot read here: indent the comment with spaces, or remove the tab',
    ],
    [
      'a control character',
      release(['image: repo/a:1', 'x: a\u0007b']),
      'app',
      'line 10 holds the control character U+0007, which Flux v1 (yaml.v2) cannot read anywhere in a file, comments and quotes too: remove it, or write it as "\\u0007" inside double quotes',
    ],
    [
      '%YAML 1.2',
      `%YAML 1.2\n---\n${A}`,
      'a',
      'line 1: %YAML 1.2 asks for a YAML version Flux v1 (yaml.v2) cannot read (it reads YAML 1.1 only): remove the directive, or write %YAML 1.1',
    ],
    [
      'an unknown directive',
      `%FOO bar\n---\n${A}`,
      'a',
      'line 1: %FOO is no directive Flux v1 (yaml.v2) knows (it knows %YAML and %TAG): remove the line',
    ],
    [
      'a second %YAML',
      `%YAML 1.1\n%YAML 1.1\n---\n${A}`,
      'a',
      'line 2 is a second %YAML directive for one document, which Flux v1 (yaml.v2) cannot read: remove one',
    ],
    [
      'a document after ...',
      `${B}...\n${A}`,
      'a',
      'line 11 starts a document after the end marker "..." on line 10 without "---", which Flux v1 (yaml.v2) cannot read: add a "---" line before it, or remove the "..."',
    ],
    [
      '... before any document',
      `...\n---\n${A}`,
      'a',
      'line 1: the document end marker "..." comes before any document, which Flux v1 (yaml.v2) cannot read: remove it',
    ],
    [
      'a JSON-style surrogate pair',
      release(['image: repo/a:1', 'x: "Deployed \\ud83d\\ude80"']),
      'app',
      'line 10 holds the escape \\ud83d\\ude80, a UTF-16 surrogate pair, which Flux v1 (yaml.v2) cannot read: write it as \\U0001F680, or the character itself',
    ],
    [
      'a lone surrogate',
      release(['image: repo/a:1', 'x: "\\udc00"']),
      'app',
      'line 10 holds the escape \\udc00, a UTF-16 surrogate, which Flux v1 (yaml.v2) cannot read: write the character itself, or its code point as one \\U escape',
    ],
    [
      'a %TAG handle only an earlier document declares',
      `%TAG !e! tag:example.com,2000:\n---\n${A}---\n${release(['image: repo/b:1', 'x: !e!foo 1'], [], 'b')}`,
      'b',
      "line 22: the tag !e!foo uses the handle !e!, which only a %TAG line before an earlier document declares; Flux v1 (yaml.v2) applies a %TAG line to the next document alone: repeat that %TAG line before this document's ---, or write the tag in full (!<...>)",
    ],
    [
      'an escaped slash',
      release(['image: repo/a:1', 'x: "https:\\/\\/example.com"']),
      'app',
      'line 10 holds the escape \\/, which Flux v1 (yaml.v2) does not know: write / alone',
    ],
  ])('%s', (_name, text, name, message) => {
    expect(scanFile(FILE, text).problems.map((p) => p.message)).toEqual([
      `HelmRelease ${name} could not be read (YAML syntax error: ${message}); ${NO_UPDATE}`,
    ]);
  });
});

describe('outside a HelmRelease: a warning, as any broken document that is not one', () => {
  it('a control character in a ConfigMap that spells HelmRelease warns, and the release beside it is read', () => {
    const scan = scanFile(FILE, `kind: ConfigMap\ndata:\n  a: "\u0007 HelmRelease"\n---\n${A}`);
    expect(scan.problems.map((p) => [p.severity, p.line, p.message])).toEqual([
      [
        'warning',
        3,
        'YAML syntax error: line 3 holds the control character U+0007, which Flux v1 (yaml.v2) cannot read anywhere in a file, comments and quotes too: remove it, or write it as "\\u0007" inside double quotes, document skipped',
      ],
    ]);
    expect(scan.releases.map((r) => r.name)).toEqual(['a']);
  });

  it('a document after ... that is no HelmRelease warns', () => {
    const scan = scanFile(FILE, `${A}...\nkind: ConfigMap\n`);
    expect(scan.problems.map((p) => [p.severity, p.line])).toEqual([['warning', 11]]);
    expect(scan.releases.map((r) => r.name)).toEqual(['a']);
  });

  it('a document that never spells HelmRelease is not parsed, so what yaml.v2 refuses in it is not reported', () => {
    const scan = scanFile(FILE, `kind: ConfigMap\ndata:\n  a: "\u0007"\n  b: |\n\t\n---\n${A}`);
    expect(scan.problems).toEqual([]);
    expect(scan.releases.map((r) => r.name)).toEqual(['a']);
  });

  it('only the document holding the refusal is held: a tab line in one release leaves the next one read', () => {
    const scan = scanFile(FILE, `${release(['image: repo/a:1', '\t', 'x: 1'], [], 'a')}---\n${B}`);
    expect(scan.problems.map((p) => [p.severity, p.line])).toEqual([['error', 10]]);
    expect(scan.releases.map((r) => r.name)).toEqual(['b']);
  });
});
