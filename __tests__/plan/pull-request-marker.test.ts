import {
  MARKER_PREFIX,
  markerOf,
  mustRewriteText,
  parseMarker,
  renderBoundedMarker,
  renderMarker,
  replaceMarker,
  stampBody,
  textStamp,
  type MarkerUpdate,
  type PullRequestMarker,
} from '../../src/plan/pull-request-marker.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const BRANCH = 'helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d';

/** A marker update with short readable values. */
function entry(container: string): MarkerUpdate {
  return { file: 'f.yaml', release: 'ns/app', container, repository: 'docker.io/a/b', from: '1', to: '2' };
}

function marker(updates: MarkerUpdate[], extra: Partial<PullRequestMarker> = {}): PullRequestMarker {
  return { version: 1, branch: 'b', updates, ...extra };
}

describe('markerOf', () => {
  it('records the branch and, per update, only what identifies it', () => {
    const updates = [
      makeUpdate({ created: '2026-11-01T10:00:00Z', source: 'https://github.com/a/b', notTaken: [] }),
      makeUpdate({ container: 'sidecar', file: 'other.yaml', release: 'web/app', to: '4.0.5' }),
    ];
    expect(markerOf(BRANCH, updates)).toEqual({
      version: 1,
      branch: BRANCH,
      updates: [
        {
          file: 'releases/mongodb.yaml',
          release: 'data/mongodb',
          container: 'chart-image',
          repository: 'docker.io/bitnami/mongodb',
          from: '4.0.3',
          to: '4.0.4',
        },
        {
          file: 'other.yaml',
          release: 'web/app',
          container: 'sidecar',
          repository: 'docker.io/bitnami/mongodb',
          from: '4.0.3',
          to: '4.0.5',
        },
      ],
    });
  });
});

describe('renderMarker', () => {
  it('is an HTML comment holding the JSON', () => {
    expect(renderMarker(marker([entry('c')]))).toBe(
      '<!-- helmrelease-image-updater: {"version":1,"branch":"b","updates":[{"file":"f.yaml","release":"ns/app","container":"c","repository":"docker.io/a/b","from":"1","to":"2"}]} -->',
    );
  });

  it('escapes <, > and & so no value can end the comment or open a tag', () => {
    const rendered = renderMarker(marker([entry('--><script>&')]));
    expect(rendered).toContain('"container":"--\\u003e\\u003cscript\\u003e\\u0026"');
    expect(rendered.indexOf('-->')).toBe(rendered.length - 3);
    expect(parseMarker(rendered)?.updates[0]?.container).toBe('--><script>&');
  });
});

describe('renderBoundedMarker', () => {
  const three = marker([entry('a'), entry('b'), entry('c')]);
  const lengthOf = (updates: MarkerUpdate[], branch = 'b'): number =>
    renderMarker(marker(updates, { branch })).length;

  it('is the whole marker when it fits exactly', () => {
    const full = renderMarker(three);
    expect(renderBoundedMarker(three, full.length)).toBe(full);
  });

  it.each([
    [
      'one character short of all three: the first two',
      lengthOf([entry('a'), entry('b'), entry('c')]) - 1,
      ['a', 'b'],
    ],
    ['exactly two: the first two', lengthOf([entry('a'), entry('b')]), ['a', 'b']],
    ['one short of two: the first one', lengthOf([entry('a'), entry('b')]) - 1, ['a']],
    ['exactly one: the first one', lengthOf([entry('a')]), ['a']],
    ['one short of one: none', lengthOf([entry('a')]) - 1, []],
  ])('%s', (_name, max, containers) => {
    const bounded = renderBoundedMarker(three, max);
    expect(bounded.length).toBeLessThanOrEqual(Math.max(max, lengthOf([])));
    expect(parseMarker(bounded)).toEqual(marker(containers.map(entry)));
  });

  it('stops at the first update that does not fit (keeps a prefix of the list)', () => {
    const long = entry('x'.repeat(500));
    const bounded = renderBoundedMarker(
      marker([entry('a'), long, entry('b')]),
      lengthOf([entry('a'), entry('b')]),
    );
    expect(parseMarker(bounded)?.updates).toEqual([entry('a')]);
  });

  it('keeps the first 1000 characters of an absurd branch when the marker does not fit', () => {
    const branch = `${'b'.repeat(1000)}tail`;
    const bounded = renderBoundedMarker(marker([entry('a')], { branch }), 100);
    expect(parseMarker(bounded)).toEqual(marker([], { branch: 'b'.repeat(1000) }));
  });

  it('keeps a long branch whole when the marker fits', () => {
    const branch = 'b'.repeat(1500);
    expect(parseMarker(renderBoundedMarker(marker([entry('a')], { branch }), 5000))?.branch).toBe(branch);
  });

  it('keeps a long branch whole when the marker fits exactly', () => {
    const long = marker([entry('a')], { branch: 'b'.repeat(1500) });
    expect(renderBoundedMarker(long, renderMarker(long).length)).toBe(renderMarker(long));
  });

  it('keeps supersededBy', () => {
    const superseded = marker([entry('a'), entry('b')], { supersededBy: 7 });
    expect(parseMarker(renderBoundedMarker(superseded, lengthOf([entry('a')]) + 20))).toEqual(
      marker([entry('a')], { supersededBy: 7 }),
    );
  });
});

describe('replaceMarker', () => {
  const old = renderMarker(marker([entry('old')]));
  const next = marker([entry('new')]);

  it.each([
    ['appends a marker to a body without one', 'Body text', `Body text\n\n${renderMarker(next)}\n`],
    ['replaces the marker in place', `Before\n${old}\nAfter`, `Before\n${renderMarker(next)}\nAfter`],
    [
      'appends to a body with another comment but no marker',
      `${'x'.repeat(40)} <!-- note -->`,
      `${'x'.repeat(40)} <!-- note -->\n\n${renderMarker(next)}\n`,
    ],
    ['replaces a marker at the very start', `${old}\nAfter`, `${renderMarker(next)}\nAfter`],
    [
      'ignores a comment end before the marker',
      `x --> y\n${old}\nAfter`,
      `x --> y\n${renderMarker(next)}\nAfter`,
    ],
    [
      'appends when the marker is never closed',
      `Before ${MARKER_PREFIX} {"version":1`,
      `Before ${MARKER_PREFIX} {"version":1\n\n${renderMarker(next)}\n`,
    ],
  ])('%s', (_name, body, expected) => {
    expect(replaceMarker(body, next)).toBe(expected);
  });
});

describe('parseMarker', () => {
  const wrap = (json: string): string => `Text\n${MARKER_PREFIX} ${json} -->\nMore`;
  const valid = {
    version: 1,
    branch: 'b',
    updates: [entry('a')],
  };
  const json = (value: unknown): string => JSON.stringify(value);

  it.each<[string, string, PullRequestMarker]>([
    ['a marker within a body', wrap(json(valid)), marker([entry('a')])],
    ['a marker at the start of a body', `${MARKER_PREFIX}${json(valid)}-->`, marker([entry('a')])],
    [
      'a marker after another comment',
      `<!-- other --> ${MARKER_PREFIX}${json(valid)}-->`,
      marker([entry('a')]),
    ],
    ['a marker without updates', wrap(json({ ...valid, updates: [] })), marker([])],
    [
      'a superseded marker',
      wrap(json({ ...valid, supersededBy: 12 })),
      marker([entry('a')], { supersededBy: 12 }),
    ],
    [
      'an obsolete marker',
      wrap(json({ ...valid, obsolete: true })),
      marker([entry('a')], { obsolete: true }),
    ],
  ])('reads %s', (_name, body, expected) => {
    expect(parseMarker(body)).toEqual(expected);
  });

  const withUpdate = (update: unknown): string => wrap(json({ ...valid, updates: [entry('a'), update] }));
  const without = (key: keyof MarkerUpdate): string => {
    const update: Partial<MarkerUpdate> = entry('x');
    delete update[key];
    return withUpdate(update);
  };

  it.each<[string, string | null | undefined]>([
    ['no body', null],
    ['an undefined body', undefined],
    ['an empty body', ''],
    ['a body without a marker', 'Some text --> <!-- other -->'],
    ['a marker that is never closed', `${MARKER_PREFIX} ${json(valid)}`],
    ['a marker that is never closed, followed by a line break', `${MARKER_PREFIX} ${json(valid)}\n`],
    ['a marker’s JSON without the marker', `${' '.repeat(MARKER_PREFIX.length - 1)}${json(valid)} -->`],
    ['broken JSON', wrap('{"version": 1')],
    ['JSON null', wrap('null')],
    ['a JSON string', wrap('"text"')],
    ['a JSON array', wrap('[1]')],
    ['another version', wrap(json({ ...valid, version: 2 }))],
    ['a version as a string', wrap(json({ ...valid, version: '1' }))],
    ['no version', wrap(json({ branch: 'b', updates: [] }))],
    ['a branch that is no string', wrap(json({ ...valid, branch: 1 }))],
    ['updates that are no list', wrap(json({ ...valid, updates: { 0: entry('a') } }))],
    ['supersededBy that is no number', wrap(json({ ...valid, supersededBy: '12' }))],
    ['obsolete that is not true', wrap(json({ ...valid, obsolete: 'yes' }))],
    ['an update that is null', withUpdate(null)],
    ['an update that is a string', withUpdate('file')],
    ['an update with a field that is no string', withUpdate({ ...entry('x'), to: 2 })],
    ['an update without file', without('file')],
    ['an update without release', without('release')],
    ['an update without container', without('container')],
    ['an update without repository', without('repository')],
    ['an update without from', without('from')],
    ['an update without to', without('to')],
  ])('ignores %s', (_name, body) => {
    expect(parseMarker(body)).toBeUndefined();
  });
});

describe("mustRewriteText: a person's edit of the title or body is kept until the tags change", () => {
  /** A body with `text` and the marker of the update to `to`. */
  const body = (text: string, to = '2') => `${text}\n\n${renderMarker(marker([{ ...entry('app'), to }]))}\n`;
  /** What GitHub holds after this Action wrote `title` and `text`. */
  const written = (title: string, text: string) => {
    const stamped = stampBody(title, body(text));
    return { title, body: stamped, marker: parseMarker(stamped)! };
  };
  const ours = written('Update a to 2', 'notes');
  const retitled = { ...ours, title: 'DB: needs migration!' };
  /** The text with the line naming the run that wrote it. */
  const byRun = (text: string, run: number) =>
    `${text}\n\nLast written by [run ${run}](https://github.com/acme/fleet/actions/runs/${run}00) of the [Image updates](https://github.com/acme/fleet/actions/workflows/u.yml) workflow.`;
  const ours41 = written('Update a to 2', byRun('notes', 41));
  it.each<
    [string, { title: string; body: string; marker: PullRequestMarker }, [string, string, string], boolean]
  >([
    // what GitHub holds, the planned title, text and tag, whether it is rewritten
    ['as written, planned the same', ours, ['Update a to 2', 'notes', '2'], false],
    [
      'as written, our text changed (a line number, a "Not taken" line)',
      ours,
      ['Update a to 2', 'new notes', '2'],
      true,
    ],
    ['as written, the plan changed (a newer tag)', ours, ['Update a to 3', 'notes', '3'], true],
    ['retitled by a person, planned the same', retitled, ['Update a to 2', 'notes', '2'], false],
    [
      'a note added to the body by a person, planned the same',
      { ...ours, body: `Blocked on OPS-12.\n${ours.body}` },
      ['Update a to 2', 'notes', '2'],
      false,
    ],
    [
      'retitled by a person, our text changed but not the tag',
      retitled,
      ['Update a to 2', 'new notes', '2'],
      false,
    ],
    ['retitled by a person, the plan changed (a newer tag)', retitled, ['Update a to 3', 'notes', '3'], true],
    [
      'written by run 41, planned the same by run 42',
      ours41,
      ['Update a to 2', byRun('notes', 42), '2'],
      false,
    ],
    [
      'written by run 41, our text changed in run 42',
      ours41,
      ['Update a to 2', byRun('new notes', 42), '2'],
      true,
    ],
    ['written by run 41, a newer tag in run 42', ours41, ['Update a to 3', byRun('notes', 42), '3'], true],
    [
      'written before the run line existed, planned the same with it',
      ours,
      ['Update a to 2', byRun('notes', 42), '2'],
      true,
    ],
    [
      'written before stamps existed, differs from the plan',
      { title: 'Update a to 2', body: body('old notes'), marker: marker([entry('app')]) },
      ['Update a to 2', 'notes', '2'],
      true,
    ],
  ])('%s', (_what, open, [title, text, to], rewrite) => {
    expect(mustRewriteText(open, { title, body: stampBody(title, body(text, to)) })).toBe(rewrite);
  });

  it('the stamp covers the title and the body, not the marker', () => {
    expect(textStamp('t', body('x'))).toBe(textStamp('t', stampBody('t', body('x'))));
    expect(textStamp('t', body('x'))).not.toBe(textStamp('u', body('x')));
    expect(textStamp('t', body('x'))).not.toBe(textStamp('t', body('y')));
  });

  it('the stamp leaves out the line naming the run that wrote the text', () => {
    expect(textStamp('t', body(byRun('x', 41)))).toBe(textStamp('t', body(byRun('x', 42))));
    expect(textStamp('t', body(byRun('x', 41)))).not.toBe(textStamp('t', body(byRun('y', 41))));
  });

  it('a marker with a stamp that is not a string is not ours', () => {
    expect(
      parseMarker(`${MARKER_PREFIX} {"version":1,"branch":"b","updates":[],"written":5} -->`),
    ).toBeUndefined();
  });
});
