import {
  escapeMarkdown,
  fileLink,
  markerOf,
  parseMarker,
  releasesLink,
  renderBody,
  renderCommitMessage,
  renderMarker,
  renderTitle,
  COMMIT_TRAILER,
  type BodyContext,
} from '../../src/plan/pull-request-text.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const context: BodyContext = {
  serverUrl: 'https://github.com',
  owner: 'acme',
  repo: 'fleet',
  base: 'main',
  branch: 'helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d',
};

describe('renderTitle', () => {
  it.each([
    ['default', [makeUpdate()], undefined, 'Update bitnami/mongodb to 4.0.4 in data/mongodb (chart-image)'],
    [
      'downgrade',
      [makeUpdate({ to: '4.0.2', downgrade: true })],
      undefined,
      'Downgrade bitnami/mongodb to 4.0.2 in data/mongodb (chart-image)',
    ],
    [
      'downgrade with a template without {action}',
      [makeUpdate({ downgrade: true })],
      'chore(deps): {repository} {from} -> {to}',
      'chore(deps): bitnami/mongodb 4.0.3 -> 4.0.4 (downgrade)',
    ],
    [
      'registry kept as written',
      [makeUpdate({ image: 'ghcr.io/acme/app:1.0', repository: 'ghcr.io/acme/app', from: '1.0', to: '1.1' })],
      undefined,
      'Update ghcr.io/acme/app to 1.1 in data/mongodb (chart-image)',
    ],
    [
      'group of containers',
      [makeUpdate(), makeUpdate({ container: 'sidecar' })],
      undefined,
      'Update bitnami/mongodb to 4.0.4 in data/mongodb (chart-image, sidecar)',
    ],
    [
      'every placeholder',
      [makeUpdate()],
      '{action}|{repository}|{image}|{from}|{to}|{release}|{container}|{file}|{unknown}',
      'Update|bitnami/mongodb|bitnami/mongodb:4.0.4|4.0.3|4.0.4|data/mongodb|chart-image|releases/mongodb.yaml|{unknown}',
    ],
  ])('%s', (_name, updates, template, expected) => {
    expect(renderTitle(updates, template)).toBe(expected);
  });

  it('keeps titles within GitHub’s limit', () => {
    expect(renderTitle([makeUpdate({ container: 'x'.repeat(400) })]).length).toBeLessThanOrEqual(256);
  });
});

describe('renderCommitMessage', () => {
  it('lists each update and ends with the trailer', () => {
    expect(renderCommitMessage([makeUpdate(), makeUpdate({ container: 'sidecar' })])).toBe(
      [
        'Update bitnami/mongodb to 4.0.4 in data/mongodb (chart-image, sidecar)',
        '',
        '- data/mongodb (chart-image) in releases/mongodb.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.4',
        '- data/mongodb (sidecar) in releases/mongodb.yaml: bitnami/mongodb:4.0.3 -> bitnami/mongodb:4.0.4',
        '',
        COMMIT_TRAILER,
        '',
      ].join('\n'),
    );
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['plain-1.2.3', 'plain-1.2.3'],
    ['a|b', 'a\\|b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    ['@octocat #12', '&#64;octocat &#35;12'],
    ['**bold** [link](x)', '\\*\\*bold\\*\\* \\[link\\]\\(x\\)'],
    ['line\nbreak\r\nagain', 'line break again'],
    ['&amp;', '&amp;amp;'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });
});

describe('links', () => {
  it('links a file at a line on the base branch, percent-encoding the path', () => {
    expect(
      fileLink({ ...context, serverUrl: 'https://ghe.example.com/' }, 'dir with space/a#b.yaml', 7),
    ).toBe('https://ghe.example.com/acme/fleet/blob/main/dir%20with%20space/a%23b.yaml#L7');
  });

  it.each([
    ['https://github.com/bitnami/containers', 'https://github.com/bitnami/containers/releases'],
    ['https://github.com/bitnami/containers.git', 'https://github.com/bitnami/containers/releases'],
    [
      'https://github.com/bitnami/containers/tree/main/bitnami/mongodb',
      'https://github.com/bitnami/containers/releases',
    ],
    ['https://gitlab.com/group/project', 'https://gitlab.com/group/project/-/releases'],
    ['https://example.com/project', undefined],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
  ])('releases of %j', (source, expected) => {
    expect(releasesLink(source)).toBe(expected);
  });
});

describe('marker', () => {
  it('round-trips through the body', () => {
    const updates = [makeUpdate(), makeUpdate({ container: 'side-->car<script>' })];
    const body = renderBody(updates, context);
    expect(parseMarker(body)).toEqual(markerOf(context.branch, updates));
    expect(renderMarker(markerOf(context.branch, updates))).not.toMatch(/<script>|-->.*-->/s);
  });

  it.each([
    ['no body', null],
    ['no marker', 'Some text'],
    ['broken JSON', '<!-- helmrelease-image-updater: {"version": -->'],
    ['wrong shape', '<!-- helmrelease-image-updater: {"version":1,"branch":"b","updates":[{"file":1}]} -->'],
  ])('ignores %s', (_name, body) => {
    expect(parseMarker(body)).toBeUndefined();
  });
});

describe('renderBody', () => {
  it('renders a table for reviewers', () => {
    const updates = [
      makeUpdate({ source: 'https://github.com/bitnami/containers', created: '2026-11-01T10:00:00Z' }),
      makeUpdate({
        container: 'evil|<b>x</b>',
        filter: 'glob:master-*',
        chosenBy: 'newest build matching master-*',
        to: '@admin',
        downgrade: true,
        source: 'javascript:alert(1)',
      }),
    ];
    expect(renderBody(updates, context)).toMatchSnapshot();
  });

  it('stays within GitHub’s body limit for huge groups, keeping every update in the marker', () => {
    const updates = Array.from({ length: 300 }, (_, i) => makeUpdate({ container: `container-${i}` }));
    const body = renderBody(updates, context);
    expect(body.length).toBeLessThan(65536);
    expect(parseMarker(body)?.updates).toHaveLength(300);
    expect(body).toMatch(/…and \d+ more \(see the commit message\)\./);
  });
});
