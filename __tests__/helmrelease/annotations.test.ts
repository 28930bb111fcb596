/**
 * Flux v1's HelmRelease annotations (FLUX-V1-RULES §2 and §4), read one function at a time: the
 * annotation list as Flux read it (yaml.v2, after writing the document back), the policies, the
 * filters, the aliases and the near misses. Each fixture is the annotations block as written in a HelmRelease; problems are
 * pinned with their whole text (users read them) and their line.
 */
import { describe, expect, it } from '@jest/globals';
import { isMap, type YAMLMap } from 'yaml';
import { findNearMisses } from '../../src/helmrelease/annotation-near-misses.js';
import {
  readAliases,
  readAnnotations,
  readFilters,
  readPolicies,
  type Annotation,
} from '../../src/helmrelease/annotations.js';
import { parseFile } from '../../src/helmrelease/go-yaml-documents.js';
import type { Problem } from '../../src/problems.js';

const FILE = 'releases/app.yaml';
/** The annotations start on this line of the fixture document. */
const FIRST = 3;

/** The annotations of `metadata.annotations` written as these lines (line FIRST onwards). */
function annotationsOf(...written: string[]): Annotation[] {
  const text = ['metadata:', '  annotations:', ...written.map((w) => `    ${w}`), ''].join('\n');
  const { docs, lines } = parseFile(text);
  const metadata = docs[0].get('metadata') as YAMLMap;
  const annotations = metadata.get('annotations');
  return readAnnotations(isMap(annotations) ? annotations : undefined, lines);
}

function warningAt(line: number, message: string): Problem {
  return { file: FILE, line, message, severity: 'warning' };
}

describe('readAnnotations: values as yaml.v2 gave them to Flux, after writing the document back', () => {
  it.each<[string, string, Partial<Annotation>]>([
    [
      'a quoted string',
      'fluxcd.io/automated: "true"',
      { value: 'true', isString: true, isNull: false, source: 'true' },
    ],
    [
      'a plain string',
      'filter.fluxcd.io/app: semver:~1.0',
      { value: 'semver:~1.0', isString: true, source: 'semver:~1.0' },
    ],
    [
      'an unquoted boolean',
      'fluxcd.io/locked: yes',
      { value: 'true', isString: false, isNull: false, source: 'yes' },
    ],
    ['an unquoted float', 'fluxcd.io/tag.app: 1.10', { value: '1.1', isString: false, source: '1.10' }],
    ['an empty value', 'fluxcd.io/ignore:', { value: '', isString: false, isNull: true, source: '' }],
    ['a ~ value', 'fluxcd.io/ignore: ~', { value: '', isString: false, isNull: true, source: '~' }],
    ['a map value', 'fluxcd.io/ignore: {a: b}', { value: '', isString: false, isNull: false, source: '' }],
    ['a list value', 'fluxcd.io/ignore: [a]', { value: '', isString: false, isNull: false, source: '' }],
  ])('%s', (_name, written, expected) => {
    expect(annotationsOf('other: x', written)[1]).toEqual(
      expect.objectContaining({ ...expected, key: written.slice(0, written.indexOf(':')), line: FIRST + 1 }),
    );
  });

  it('keeps source order, skips keys that are not strings, and gives each its line', () => {
    const read = annotationsOf('b: "1"', '5: five', '? [x]', ': list key', 'a: "2"');
    expect(read.map((a) => [a.key, a.value, a.line])).toEqual([
      ['b', '1', FIRST],
      ['5', 'five', FIRST + 1],
      ['a', '2', FIRST + 4],
    ]);
  });

  it('an explicit key without a value is null', () => {
    expect(annotationsOf('? fluxcd.io/ignore')).toEqual([
      { key: 'fluxcd.io/ignore', value: '', isString: false, isNull: true, source: '', line: FIRST },
    ]);
  });

  it('no annotations map gives no annotations', () => {
    expect(readAnnotations(undefined, parseFile('').lines)).toEqual([]);
  });
});

type Policies = {
  automated: boolean;
  locked: boolean;
  ignored: boolean;
  lockedMessage?: string;
  lockedBy?: string;
  ignoredBy?: string;
  lockedValue?: string;
  ignoredValue?: string;
};
/**
 * The policies a hold by `key` gives: the older form is named, and a value other than the string
 * "true" (`written`, as the file has it), to be said back as written.
 */
function heldBy(key: string, written?: string): Policies {
  const older = key.startsWith('flux.weave.works/');
  return key.endsWith('locked')
    ? {
        ...OFF,
        locked: true,
        ...(older ? { lockedBy: key } : {}),
        ...(written ? { lockedValue: written } : {}),
      }
    : {
        ...OFF,
        ignored: true,
        ...(older ? { ignoredBy: key } : {}),
        ...(written ? { ignoredValue: written } : {}),
      };
}
const OFF: Policies = { automated: false, locked: false, ignored: false };

describe('readPolicies (R2.2–R2.4)', () => {
  it.each<[string, string[], Policies, [number, string][]]>([
    ['no annotations: every policy off', [], OFF, []],
    ['automated "true" is on', ['fluxcd.io/automated: "true"'], { ...OFF, automated: true }, []],
    ['the old prefix works too', ['flux.weave.works/automated: "true"'], { ...OFF, automated: true }, []],
    ['locked "true" is on', ['fluxcd.io/locked: "true"'], { ...OFF, locked: true }, []],
    ['ignore "true" is on', ['fluxcd.io/ignore: "true"'], { ...OFF, ignored: true }, []],
    [
      'flux.weave.works/ignore "true" is on',
      ['flux.weave.works/ignore: "true"'],
      { ...OFF, ignored: true, ignoredBy: 'flux.weave.works/ignore' },
      [],
    ],
    ['automated "false" is off, quietly', ['fluxcd.io/automated: "false"'], OFF, []],
    ['automated "no" is off, quietly', ['fluxcd.io/automated: "no"'], OFF, []],
    ...['True', 'TRUE', 'yes', 'Y', 'on', '1', ' true ', '\\"true\\"', "'true'"].map(
      (value): [string, string[], Policies, [number, string][]] => [
        `automated "${value}" is off, with a hint`,
        [`fluxcd.io/automated: "${value}"`],
        OFF,
        [
          [
            FIRST,
            `fluxcd.io/automated is "${value.replaceAll('\\"', '"')}", not "true": Flux turns a policy on only for the exact lower-case string "true", so it is off. Write fluxcd.io/automated: "true"`,
          ],
        ],
      ],
    ),
    // Flux reads these as off (R2.2), but whoever wrote them meant the release held: fail safe.
    ...['fluxcd.io/locked', 'flux.weave.works/locked', 'fluxcd.io/ignore', 'flux.weave.works/ignore'].flatMap(
      (key) =>
        ['True', 'TRUE', 'yes', 'Y', 'on', '1', 'true ', '\\"true\\"', "'true'"].map(
          (value): [string, string[], Policies, [number, string][]] => [
            `${key} "${value}" holds the release, with a hint`,
            [`${key}: "${value}"`],
            heldBy(key, `"${value.replaceAll('\\"', '"')}"`),
            [
              [
                FIRST,
                `${key} is "${value.replaceAll('\\"', '"')}", not "true"; the release is held as ${key.endsWith('locked') ? 'locked' : 'ignored'} (Flux v1 turns a policy on only for the exact lower-case string "true", so it would read this as off). Write ${key}: "true"`,
              ],
            ],
          ],
        ),
    ),
    ['locked "false" is off, quietly', ['fluxcd.io/locked: "false"'], OFF, []],
    ['ignore "sync_only" is off, quietly (R2.3)', ['fluxcd.io/ignore: "sync_only"'], OFF, []],
    [
      'locked: 1 (a number) holds the release',
      ['fluxcd.io/locked: 1'],
      { ...OFF, locked: true, lockedValue: '1' },
      [
        [
          FIRST,
          'fluxcd.io/locked is the YAML value 1, not the string "true"; the release is held as locked (Kubernetes rejects non-string annotations). Quote it: fluxcd.io/locked: "true"',
        ],
      ],
    ],
    [
      'the winning form holds when it plainly means true',
      ['fluxcd.io/locked: "True"', 'flux.weave.works/locked: "false"'],
      { ...OFF, locked: true, lockedValue: '"True"' },
      [
        [
          FIRST,
          'fluxcd.io/locked is "True", not "true"; the release is held as locked (Flux v1 turns a policy on only for the exact lower-case string "true", so it would read this as off). Write fluxcd.io/locked: "true"',
        ],
        [
          FIRST + 1,
          'fluxcd.io/locked and flux.weave.works/locked disagree ("True" vs "false"); fluxcd.io/locked is used',
        ],
      ],
    ],
    [
      'automated: true (a YAML boolean) is off',
      ['fluxcd.io/automated: true'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is the YAML boolean true, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/automated: "true"',
        ],
      ],
    ],
    [
      'automated: 1 (a number) is off',
      ['fluxcd.io/automated: 1'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is the YAML value 1, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/automated: "true"',
        ],
      ],
    ],
    // The advice is what turns the policy on: "True" or "yes" quoted would still be off.
    [
      'automated: True (a YAML boolean) is off, and the advice writes "true"',
      ['fluxcd.io/automated: True'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is the YAML boolean True, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/automated: "true"',
        ],
      ],
    ],
    [
      'automated: yes (a YAML boolean) is off, and the advice writes "true"',
      ['fluxcd.io/automated: yes'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is the YAML boolean yes, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/automated: "true"',
        ],
      ],
    ],
    [
      'automated left empty is off',
      ['fluxcd.io/automated:'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is empty, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/automated: "true"',
        ],
      ],
    ],
    [
      'locked: true (a YAML boolean) holds the release',
      ['fluxcd.io/locked: true'],
      { ...OFF, locked: true, lockedValue: 'true' },
      [
        [
          FIRST,
          'fluxcd.io/locked is the YAML boolean true, not the string "true"; the release is held as locked (Kubernetes rejects non-string annotations). Quote it: fluxcd.io/locked: "true"',
        ],
      ],
    ],
    [
      'ignore: on (a YAML boolean) holds the release',
      ['flux.weave.works/ignore: on'],
      heldBy('flux.weave.works/ignore', 'on'),
      [
        [
          FIRST,
          'flux.weave.works/ignore is the YAML boolean on, not the string "true"; the release is held as ignored (Kubernetes rejects non-string annotations). Quote it: flux.weave.works/ignore: "true"',
        ],
      ],
    ],
    [
      'locked: false (a YAML boolean) is off',
      ['fluxcd.io/locked: false'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/locked is the YAML boolean false, not the string "true": Kubernetes rejects non-string annotations, so the policy is off. Quote it: fluxcd.io/locked: "false"',
        ],
      ],
    ],
    [
      'the two prefixes disagree: fluxcd.io wins, wherever it is written',
      ['flux.weave.works/automated: "true"', 'fluxcd.io/automated: "false"'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated and flux.weave.works/automated disagree ("false" vs "true"); fluxcd.io/automated is used',
        ],
      ],
    ],
    // Which form was meant is not known: a lock written in either holds (automated follows Flux v1).
    [
      'a lock in the older form, "false" in the newer: held, as the older says',
      ['fluxcd.io/locked: "false"', 'flux.weave.works/locked: "true"'],
      { ...OFF, locked: true, lockedBy: 'flux.weave.works/locked' },
      [
        [
          FIRST + 1,
          'fluxcd.io/locked and flux.weave.works/locked disagree ("false" vs "true"); Flux v1 would use ' +
            'fluxcd.io/locked, but the release is held as locked, as flux.weave.works/locked says: remove one of them',
        ],
      ],
    ],
    [
      'the two prefixes agree: no problem',
      ['fluxcd.io/locked: "true"', 'flux.weave.works/locked: "true"'],
      { ...OFF, locked: true },
      [],
    ],
    [
      'the lock message is kept, trimmed',
      ['fluxcd.io/locked: "true"', 'fluxcd.io/locked_msg: " waiting for QA "'],
      { ...OFF, locked: true, lockedMessage: 'waiting for QA' },
      [],
    ],
    [
      'a blank lock message gives way to the old prefix',
      ['fluxcd.io/locked: "true"', 'fluxcd.io/locked_msg: "  "', 'flux.weave.works/locked_msg: "broken"'],
      { ...OFF, locked: true, lockedMessage: 'broken' },
      [],
    ],
    ['a lock message without a lock is not kept', ['fluxcd.io/locked_msg: "waiting"'], OFF, []],
    ...['False', 'no', 'OFF', '0'].map((value): [string, string[], Policies, [number, string][]] => [
      `locked "${value}" plainly means false: off, quietly`,
      [`fluxcd.io/locked: "${value}"`],
      OFF,
      [],
    ]),
    [
      'automated "enabled" means neither: off, with a warning',
      ['fluxcd.io/automated: "enabled"'],
      OFF,
      [
        [
          FIRST,
          'fluxcd.io/automated is "enabled", neither "true" nor "false": Flux turns a policy on only for the exact lower-case string "true", so it is off. Write fluxcd.io/automated: "true" to have the release updated',
        ],
      ],
    ],
  ])('%s', (_name, written, policies, problems) => {
    const found: Problem[] = [];
    const blocked: [number, string][] = [];
    const block = (line: number, message: string) => blocked.push([line, message]);
    expect(readPolicies(annotationsOf(...written), FILE, found, block)).toEqual(policies);
    expect(found).toEqual(problems.map(([line, message]) => warningAt(line, message)));
    expect(blocked).toEqual([]);
  });

  // Flux reads these as off and would update the release; whoever wrote them meant to hold it, or
  // not, and only they can say which: the release is blocked until the value is "true" or gone.
  const unclear = (key: string, what: string) =>
    `${key} is ${what}, neither ${what.startsWith('"') ? '' : 'the string '}"true" nor "false": Flux v1 reads it as off and would update the release, ` +
    `though it was most likely meant to hold it. Write ${key}: "true" to hold the release, or remove the annotation`;
  it.each<[string, string[], [number, string][]]>([
    [
      'locked "treu" (a typo)',
      ['fluxcd.io/locked: "treu"'],
      [[FIRST, unclear('fluxcd.io/locked', '"treu"')]],
    ],
    [
      'locked "locked" (a word)',
      ['fluxcd.io/locked: "locked"'],
      [[FIRST, unclear('fluxcd.io/locked', '"locked"')]],
    ],
    ['locked "" (an empty string)', ['fluxcd.io/locked: ""'], [[FIRST, unclear('fluxcd.io/locked', '""')]]],
    ['locked left empty', ['fluxcd.io/locked:'], [[FIRST, unclear('fluxcd.io/locked', 'empty')]]],
    [
      'locked: 2 (a number)',
      ['fluxcd.io/locked: 2'],
      [[FIRST, unclear('fluxcd.io/locked', 'the YAML value 2')]],
    ],
    [
      'flux.weave.works/ignore "ture"',
      ['flux.weave.works/ignore: "ture"'],
      [[FIRST, unclear('flux.weave.works/ignore', '"ture"')]],
    ],
    ['ignore "sync_only" is Flux\'s own value (R2.3): not blocked', ['fluxcd.io/ignore: "sync_only"'], []],
    [
      'locked "sync_only" is no value of locked',
      ['fluxcd.io/locked: "sync_only"'],
      [[FIRST, unclear('fluxcd.io/locked', '"sync_only"')]],
    ],
    [
      'only the form that is used counts: fluxcd.io/locked "false" wins over an unclear old form',
      ['fluxcd.io/locked: "false"', 'flux.weave.works/locked: "treu"'],
      [],
    ],
    [
      'an unclear fluxcd.io/locked wins over the old form\'s "false"',
      ['fluxcd.io/locked: "treu"', 'flux.weave.works/locked: "false"'],
      [[FIRST, unclear('fluxcd.io/locked', '"treu"')]],
    ],
  ])('%s: the release is blocked, not updated', (_name, written, expected) => {
    const blocked: [number, string][] = [];
    const policies = readPolicies(annotationsOf(...written), FILE, [], (line, message) =>
      blocked.push([line, message]),
    );
    expect(blocked).toEqual(expected);
    expect(policies.locked || policies.ignored).toBe(false);
  });
});

describe('readFilters (R2.1, R2.5–R2.7)', () => {
  type Filters = [string, { key: string; value: string; line: number }][];
  it.each<[string, string[], Filters, [number, string][]]>([
    ['none', ['fluxcd.io/automated: "true"', 'undefinedapp: glob:*'], [], []],
    [
      'each of the three prefixes names a container',
      ['filter.fluxcd.io/a: semver:~1', 'fluxcd.io/tag.b: glob:x-*', 'flux.weave.works/tag.c: regex:^v'],
      [
        ['a', { key: 'filter.fluxcd.io/a', value: 'semver:~1', line: FIRST }],
        ['b', { key: 'fluxcd.io/tag.b', value: 'glob:x-*', line: FIRST + 1 }],
        ['c', { key: 'flux.weave.works/tag.c', value: 'regex:^v', line: FIRST + 2 }],
      ],
      [],
    ],
    [
      'a prefix with no container name is not a filter',
      ['filter.fluxcd.io/: semver:~1', 'fluxcd.io/tag.: "*"'],
      [],
      [],
    ],
    [
      'filter.fluxcd.io wins over fluxcd.io/tag., which wins over flux.weave.works/tag.',
      ['flux.weave.works/tag.app: glob:c-*', 'fluxcd.io/tag.app: glob:b-*', 'filter.fluxcd.io/app: glob:a-*'],
      [['app', { key: 'filter.fluxcd.io/app', value: 'glob:a-*', line: FIRST + 2 }]],
      [
        // In order of precedence, not of the text.
        [
          FIRST + 1,
          'fluxcd.io/tag.app ("glob:b-*") disagrees with filter.fluxcd.io/app ("glob:a-*"); filter.fluxcd.io/app is used',
        ],
        [
          FIRST,
          'flux.weave.works/tag.app ("glob:c-*") disagrees with filter.fluxcd.io/app ("glob:a-*"); filter.fluxcd.io/app is used',
        ],
      ],
    ],
    [
      'fluxcd.io/tag. wins over flux.weave.works/tag.',
      ['flux.weave.works/tag.app: glob:c-*', 'fluxcd.io/tag.app: glob:b-*'],
      [['app', { key: 'fluxcd.io/tag.app', value: 'glob:b-*', line: FIRST + 1 }]],
      [
        [
          FIRST,
          'flux.weave.works/tag.app ("glob:c-*") disagrees with fluxcd.io/tag.app ("glob:b-*"); fluxcd.io/tag.app is used',
        ],
      ],
    ],
    [
      'agreeing filters are no problem',
      ['fluxcd.io/tag.app: glob:b-*', 'filter.fluxcd.io/app: glob:b-*'],
      [['app', { key: 'filter.fluxcd.io/app', value: 'glob:b-*', line: FIRST + 1 }]],
      [],
    ],
    [
      'a filter that is not a string is used as Flux read it, with a problem',
      ['filter.fluxcd.io/app: 1.10'],
      [['app', { key: 'filter.fluxcd.io/app', value: '1.1', line: FIRST }]],
      [[FIRST, 'filter.fluxcd.io/app is not a string; quote the filter: filter.fluxcd.io/app: "1.10"']],
    ],
  ])('%s', (_name, written, filters, problems) => {
    const found: Problem[] = [];
    expect([...readFilters(annotationsOf(...written), FILE, found)]).toEqual(filters);
    expect(found).toEqual(problems.map(([line, message]) => warningAt(line, message)));
  });
});

describe('readAliases (R4.1–R4.3)', () => {
  it('groups the paths of each alias, in order of first appearance', () => {
    expect(
      readAliases(
        annotationsOf(
          'tag.fluxcd.io/sub: sub.img.tag',
          'repository.fluxcd.io/app: app.img',
          'repository.fluxcd.io/sub: sub.img.repo',
          'registry.fluxcd.io/sub: sub.img.reg',
        ),
      ),
    ).toEqual([
      {
        alias: 'sub',
        tag: { path: 'sub.img.tag', line: FIRST },
        repository: { path: 'sub.img.repo', line: FIRST + 2 },
        registry: { path: 'sub.img.reg', line: FIRST + 3 },
      },
      { alias: 'app', repository: { path: 'app.img', line: FIRST + 1 } },
    ]);
  });

  it('reads only the fluxcd.io forms: flux.weave.works never had mapping annotations (R2.8)', () => {
    expect(
      readAliases(
        annotationsOf(
          'repository.flux.weave.works/app: app.img',
          'tag.flux.weave.works/app: app.tag',
          'flux.weave.works/repository.app: app.img',
          'fluxcd.io/repository.app: app.img',
          'repository.fluxcd.io/web: web.img',
        ),
      ),
    ).toEqual([{ alias: 'web', repository: { path: 'web.img', line: FIRST + 4 } }]);
  });

  it('an empty alias name or an empty path gives nothing', () => {
    expect(
      readAliases(
        annotationsOf('repository.fluxcd.io/: app.img', 'repository.fluxcd.io/app:', 'tag.fluxcd.io/app: ""'),
      ),
    ).toEqual([]);
  });
});

describe('findNearMisses: misspelt Flux annotations, which Flux ignores', () => {
  it.each<[string, string, boolean]>([
    ['fluxcd.io/automate', 'fluxcd.io/automated', false],
    ['fluxcd.io/Automated', 'fluxcd.io/automated', false],
    ['fluxcd.io/auto-mated', 'fluxcd.io/automated', false],
    ['fluxcd.io/lock', 'fluxcd.io/locked', true],
    ['fluxcd.io/Locked', 'fluxcd.io/locked', true],
    ['fluxcd.io/ignored', 'fluxcd.io/ignore', true],
    ['flux.weave.works/ignor', 'flux.weave.works/ignore', true],
    ['fluxd.io/automated', 'fluxcd.io/automated', false],
    ['fluxcd.com/locked', 'fluxcd.io/locked', true],
    ['filter.fluxd.io/app', 'filter.fluxcd.io/app', true],
    ['Filter.Fluxcd.io/app', 'filter.fluxcd.io/app', true],
    ['fluxcd.io/tags.app', 'fluxcd.io/tag.app', true],
    ['fluxcd.io/filter.app', 'fluxcd.io/tag.app', true],
    ['fluxcd.io/Tag:app', 'fluxcd.io/tag.app', true],
    ['fluxcd.io/tag_app', 'fluxcd.io/tag.app', true],
    ['fluxcd.io/tag-app', 'fluxcd.io/tag.app', true],
    ['fluxcd.io/tag/app', 'fluxcd.io/tag.app', true],
    ['fluxd.io/tag.app', 'fluxcd.io/tag.app', true],
    ['flux.weave.work/tags.app', 'flux.weave.works/tag.app', true],
    ['filtr.flux.io/app', 'filter.fluxcd.io/app', true],
    // Swapped neighbours are one edit each: a lock mistyped so is caught, not ignored as Flux would.
    ['fluxcd.io/lcokd', 'fluxcd.io/locked', true],
    ['fluxcd.io/atuomate', 'fluxcd.io/automated', false],
    ['fluxcd.io/ignoer', 'fluxcd.io/ignore', true],
    // A policy's name begun: a lock for something, or for one container (Flux has none).
    ['fluxcd.io/lock-release', 'fluxcd.io/locked', true],
    ['flux.weave.works/locked.chart-image', 'flux.weave.works/locked', true],
    ['fluxcd.io/ignore-updates', 'fluxcd.io/ignore', true],
    ['fluxcd.io/automation', 'fluxcd.io/automated', false],
    // A policy under a domain Flux v1 does not read it from.
    ['helm.fluxcd.io/locked', 'fluxcd.io/locked', true],
    ['image.fluxcd.io/locked', 'fluxcd.io/locked', true],
    ['flux.fluxcd.io/locked', 'fluxcd.io/locked', true],
    ['helm.flux.weave.works/ignore', 'flux.weave.works/ignore', true],
    ['helm.fluxcd.io/automated', 'fluxcd.io/automated', false],
    ['fluxcd/locked', 'fluxcd.io/locked', true],
    ['flux/locked', 'fluxcd.io/locked', true],
    ['fluxcd.dev/locked', 'fluxcd.io/locked', true],
    // No slash: Kubernetes reads the whole key as a name with no domain.
    ['fluxcd.io.locked', 'fluxcd.io/locked', true],
    ['fluxcd.io_ignore', 'fluxcd.io/ignore', true],
    ['fluxcd.io.automated', 'fluxcd.io/automated', false],
    ['fluxcd.io.tag.app', 'fluxcd.io/tag.app', true],
    ['filter.fluxcd.io.app', 'filter.fluxcd.io/app', true],
    // A filter's word that is not `tag`, or more than one word: the container is what follows.
    ['fluxcd.io/semver.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['fluxcd.io/glob.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['fluxcd.io/regex.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['fluxcd.io/image.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['fluxcd.io/tag-filter.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['fluxcd.io/tags.filter', 'fluxcd.io/tag.filter', true],
    // A filter under a domain Flux v1 does not read it from.
    ['filter.flux.weave.works/chart-image', 'filter.fluxcd.io/chart-image', true],
    ['helm.fluxcd.io/tag.chart-image', 'fluxcd.io/tag.chart-image', true],
    ['helm.fluxcd.io/filter.chart-image', 'fluxcd.io/tag.chart-image', true],
  ])('%s was meant as %s (blocks: %s)', (key, meant, blocks) => {
    const [annotation] = annotationsOf(`${key}: "x"`);
    expect(findNearMisses([annotation])).toEqual([{ annotation, meant, blocks }]);
  });

  // An alias annotation Flux v1 would ignore: a misspelt registry reads the image from Docker Hub, a
  // misspelt repository or tag drops the alias; either way the release would be updated from the wrong
  // place, so each blocks.
  it.each<[string, string]>([
    ['registy.fluxcd.io/app', 'registry.fluxcd.io/app'],
    ['Registry.fluxcd.io/app', 'registry.fluxcd.io/app'],
    ['registries.fluxcd.io/app', 'registry.fluxcd.io/app'],
    ['registry.fluxcd.oi/app', 'registry.fluxcd.io/app'],
    ['registry.fluxcd.io.app', 'registry.fluxcd.io/app'],
    ['registry.flux.weave.works/app', 'registry.fluxcd.io/app'],
    ['fluxcd.io/registry.app', 'registry.fluxcd.io/app'],
    ['flux.weave.works/registry-app', 'registry.fluxcd.io/app'],
    ['repositry.fluxcd.io/app', 'repository.fluxcd.io/app'],
    ['repo.fluxcd.io/app', 'repository.fluxcd.io/app'],
    ['REPOSITORY.fluxcd.io/app', 'repository.fluxcd.io/app'],
    ['repository.fluxcd.io.app', 'repository.fluxcd.io/app'],
    ['fluxcd.io/repository.app', 'repository.fluxcd.io/app'],
    ['fluxcd.io/repo.app', 'repository.fluxcd.io/app'],
    ['tags.fluxcd.io/app', 'tag.fluxcd.io/app'],
    ['tga.fluxcd.io/app', 'tag.fluxcd.io/app'],
    ['Tag.fluxcd.io/app', 'tag.fluxcd.io/app'],
    ['tag.fluxcd.io.app', 'tag.fluxcd.io/app'],
  ])('%s was meant as the alias annotation %s: it blocks', (key, meant) => {
    const [annotation] = annotationsOf(`${key}: sub.image`);
    expect(findNearMisses([annotation])).toEqual([{ annotation, meant, blocks: true }]);
  });

  it.each([
    ['fluxcd.io/tag_all', 'fluxcd.io'],
    ['fluxcd.io/tag-all', 'fluxcd.io'],
    ['fluxcd.io/TagAll', 'fluxcd.io'],
    ['fluxcd.io/tags.all', 'fluxcd.io'],
    ['flux.weave.works/tag_all', 'flux.weave.works'],
  ])(
    "%s, fluxctl's --tag-all policy, is no filter: it blocks, saying to write one per container",
    (key, domain) => {
      const [annotation] = annotationsOf(`${key}: "semver:~1.0"`);
      expect(findNearMisses([annotation])).toEqual([
        {
          annotation,
          meant: 'filter.fluxcd.io/<container>',
          blocks: true,
          message: expect.stringContaining(
            `fluxctl's --tag-all writes ${domain}/tag.<container> for each container`,
          ),
        },
      ]);
    },
  );

  it.each([
    ['fluxcd.io/tag', '"semver:~1.0"'],
    ['fluxcd.io/tag.', '"semver:~1.0"'],
    ['fluxcd.io/filter', '"semver:~1.0"'],
    ['fluxcd.io/semver', '"~1.0"'],
    ['filter.fluxcd.io/', '"x"'],
    ['filter.fluxd.io/', '"semver:~1.0"'],
    ['fluxcd.io/', '"glob:1.*"'],
    ['filter.fluxcd.io', '"semver:~1.0"'],
  ])('%s has no container name: it blocks, saying to write one', (key, value) => {
    const [annotation] = annotationsOf(`${key}: ${value}`);
    expect(findNearMisses([annotation])).toEqual([
      {
        annotation,
        meant: 'filter.fluxcd.io/<container>',
        blocks: true,
        message: `${key} has no container name, so Flux v1 would ignore it; write filter.fluxcd.io/<container> instead`,
      },
    ]);
  });

  it.each([
    ['fluxcd.io/chart-image', '"semver:~1.0"', 'filter.fluxcd.io/chart-image'],
    ['fluxcd.io/app', 'glob:1.*', 'filter.fluxcd.io/app'],
    ['flux.weave.works/app', "'regexp:^1\\.'", 'filter.fluxcd.io/app'],
    ['helm.fluxcd.io/app', '"Semver: ~1.0"', 'filter.fluxcd.io/app'],
    ['fluxcd.io.app', '"regex:^1"', 'filter.fluxcd.io/app'],
    ['tag.fluxcd.io/app', '"semver:~1.0"', 'filter.fluxcd.io/app'],
  ])('%s: %s is a filter under a key that is no filter: it blocks', (key, value, meant) => {
    const [annotation] = annotationsOf(`${key}: ${value}`);
    expect(findNearMisses([annotation])).toEqual([
      {
        annotation,
        meant,
        blocks: true,
        message: `${key} holds a tag filter but is no filter key, so Flux v1 would ignore it; write ${meant} instead`,
      },
    ]);
  });

  it.each([
    ['fluxcd.io/chart-image', '"1.0"'],
    ['fluxcd.io/app', '"semver"'],
    ['tag.fluxcd.io/app', 'app.image.tag'],
    ['fluxcd.io/locked', '"semver:~1.0"'],
    ['fluxcd.io/tag.app', '"semver:~1.0"'],
    ['filter.fluxcd.io/app', '"regex:^1"'],
    ['fluxcd.io/locked_msg', '"glob: why it is held"'],
    ['helm.fluxcd.io/antecedent', 'apps:helmrelease/app'],
    ['image.toolkit.fluxcd.io/app', '"semver:~1.0"'],
    ['reconcile.fluxcd.io/requestedAt', '"semver:~1.0"'],
    ['example.com/app', '"semver:~1.0"'],
  ])('%s: %s is not a near miss', (key, value) => {
    expect(findNearMisses(annotationsOf(`${key}: ${value}`))).toEqual([]);
  });

  it.each([
    'fluxcd.io/automated',
    'fluxcd.io/locked',
    'fluxcd.io/ignore',
    'flux.weave.works/automated',
    'fluxcd.io/tag.app',
    'fluxcd.io/tag.all',
    'flux.weave.works/tag.app',
    'filter.fluxcd.io/app',
    'fluxcd.io/locked_msg',
    'fluxcd.io/locked_user',
    'fluxcd.io/sync-checksum',
    'fluxcd.io/sync-gc-mark',
    'fluxcd.io/antecedent',
    'flux.weave.works/locked_msg',
    'helm.fluxcd.io/antecedent',
    'helm.fluxcd.io/locked_msg',
    'repository.fluxcd.io/locked',
    'registry.fluxcd.io/app',
    'tag.fluxcd.io/app',
    'helm.toolkit.fluxcd.io/locked',
    'kustomize.toolkit.fluxcd.io/tag.app',
    'reconcile.fluxcd.io/requestedAt',
    'fluxcd.controlplane.io/reconcile',
    'fluxcd.io.sync-checksum',
    'fluxcd.io/',
    '/automated',
    'automated',
    'fluxcd.io/something-else',
    'example.com/automated',
    'kustomize.toolkit.fluxcd.io/reconcile',
    'meta.helm.sh/release-name',
    'filter.fluxcd.io',
    'filter.fluxd.io/',
    'fluxcd.io/xtag.app',
    'fitr.flux.io/app',
  ])('%s is not a near miss', (key) => {
    expect(findNearMisses(annotationsOf(`${key}: "x"`))).toEqual([]);
  });
});
