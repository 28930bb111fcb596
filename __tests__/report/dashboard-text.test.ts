/**
 * The dashboard's text without GitHub: the boxes read back, the comparison that keeps an unchanged
 * run from writing, the order of the sections, escaping and truncation.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ContainerDecision } from '../../src/plan/types.js';
import type { PullRequestOutcome } from '../../src/ports.js';
import {
  DASHBOARD_LABEL,
  DASHBOARD_MARKER,
  dashboardMarker,
  DEFAULT_DASHBOARD_TITLE,
  MAX_DASHBOARD_LENGTH,
  sameDashboardBody,
} from '../../src/report/dashboard-issue.js';
import { renderDashboard, type DashboardLinks } from '../../src/report/dashboard-text.js';
import {
  dashboardKey,
  GITHUB_ISSUE_BODY_LIMIT,
  parseDashboardTicks,
  tickedFor,
} from '../../src/report/dashboard-ticks.js';
import { makeUpdate } from '../../test-support/github/updates.js';
import {
  detailsCloseWhereOpened,
  ENDS_WITH_AFTER,
  HOSTILE_PIECES,
  renderedWithAfter,
  withoutElements,
} from '../../test-support/rendered-markdown.js';

const LINKS: DashboardLinks = {
  serverUrl: 'https://github.com',
  owner: 'acme',
  repo: 'fleet',
  ref: 'HEAD',
  summaryUrl: 'https://github.com/acme/fleet/actions/runs/100',
};
const KEY = dashboardKey('helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d', [{ to: '4.0.4' }]);

describe('parseDashboardTicks', () => {
  it.each([
    ['a ticked retry box', `- [x] <!-- helmrelease-image-updater:retry ${KEY} --> Retry`, [KEY], []],
    ['an upper-case X, CRLF', `- [X] <!-- helmrelease-image-updater:open-now ${KEY} --> Open\r\n`, [], [KEY]],
    ['an unticked box', `- [ ] <!-- helmrelease-image-updater:retry ${KEY} --> Retry`, [], []],
    ['a box in a quote is no box', `> - [x] <!-- helmrelease-image-updater:retry ${KEY} -->`, [], []],
    ['a ticked box without our tag', '- [x] Retry everything', [], []],
    ['an unknown kind', `- [x] <!-- helmrelease-image-updater:merge ${KEY} -->`, [], []],
  ])('%s', (_name, body, retry, openNow) => {
    const ticks = parseDashboardTicks(body);
    expect([[...ticks.retry], [...ticks['open-now']]]).toEqual([retry, openNow]);
  });

  it('reads no further than twice what GitHub accepts in an issue body', () => {
    const box = `- [x] <!-- helmrelease-image-updater:retry ${KEY} -->`;
    const after = (filler: number): string[] => [
      ...parseDashboardTicks(`${'x'.repeat(filler)}\n${box}`).retry,
    ];
    expect(after(2 * GITHUB_ISSUE_BODY_LIMIT - box.length - 1)).toEqual([KEY]);
    expect(after(2 * GITHUB_ISSUE_BODY_LIMIT)).toEqual([]);
  });

  it('applies a tick to the pull request it was shown for, and not to a newer tag on the same branch', () => {
    const ticked = tickedFor(parseDashboardTicks(`- [x] <!-- helmrelease-image-updater:retry ${KEY} -->`));
    const branch = 'helmrelease-image-updater/data/mongodb/chart-image-1a2b3c4d';
    expect(ticked({ branch, updates: [{ to: '4.0.4' }] })).toEqual({ retry: true, openNow: false });
    expect(ticked({ branch, updates: [{ to: '4.0.5' }] })).toEqual({ retry: false, openNow: false });
  });
});

describe('dashboardMarker', () => {
  // Existing dashboards carry these: an upgrade that changed either would open a second dashboard
  // (the README tells users to keep the label on the issue).
  it('keeps the label and the default title’s marker that dashboards already carry', () => {
    expect([DASHBOARD_LABEL, dashboardMarker(DEFAULT_DASHBOARD_TITLE)]).toEqual([
      'image-updates-dashboard',
      '<!-- helmrelease-image-updater:dashboard -->',
    ]);
  });

  it.each([
    [
      'the default title: the marker dashboards carried before titles keyed it',
      DEFAULT_DASHBOARD_TITLE,
      DASHBOARD_MARKER,
    ],
    [
      'another title, URI-encoded',
      'Staging: images',
      '<!-- helmrelease-image-updater:dashboard Staging%3A%20images -->',
    ],
    [
      'a title that would close the comment',
      'a --> b',
      '<!-- helmrelease-image-updater:dashboard a%20--%3E%20b -->',
    ],
  ])('%s', (_name, title, marker) => {
    expect(dashboardMarker(title)).toBe(marker);
  });

  it('starts the body rendered for a title', () => {
    const input = { containers: [], pullRequests: [], problems: [] };
    expect(renderDashboard(input, { links: LINKS }).split('\n')[0]).toBe(DASHBOARD_MARKER);
    expect(renderDashboard(input, { links: LINKS, title: 'Staging' }).split('\n')[0]).toBe(
      '<!-- helmrelease-image-updater:dashboard Staging -->',
    );
  });
});

describe('sameDashboardBody', () => {
  it.each([
    ['CRLF as GitHub stores an edited body', 'a\nb\n', 'a\r\nb', true],
    [
      'another run’s job summary link',
      '[the job summary](https://x/runs/1)',
      '[the job summary](https://x/runs/2)',
      true,
    ],
    ['a changed line', 'a\nb', 'a\nc', false],
    ['a ticked box', '- [ ] x', '- [x] x', false],
  ])('%s', (_name, a, b, same) => {
    expect(sameDashboardBody(a, b)).toBe(same);
  });
});

/** A container decision of `release` with `decision`. */
function container(
  release: string,
  decision: ContainerDecision['decision'],
  reason: string,
): ContainerDecision {
  return {
    file: `apps/${release}.yaml`,
    line: 7,
    documentIndex: 0,
    release: `apps/${release}`,
    container: 'chart-image',
    image: `ghcr.io/acme/${release}:1.0.0`,
    repository: `ghcr.io/acme/${release}`,
    current: '1.0.0',
    filter: 'glob:*',
    decision,
    reason,
  };
}

describe('renderDashboard', () => {
  const update = makeUpdate();
  const held: PullRequestOutcome = {
    action: 'held-back',
    branch: 'b',
    updates: [update],
    reason: 'cap reached',
  };
  const containers = [
    container('ok', 'up-to-date', 'up to date'),
    {
      ...container('mongodb', 'update', update.chosenBy),
      ...update,
      current: '4.0.3',
      decision: 'update' as const,
      update,
    },
    container('broken', 'error', 'could not check: ask @octocat about #12'),
  ];

  it('puts problems first, keeps a ticked box ticked, and breaks mentions and references', () => {
    const body = renderDashboard(
      { containers, pullRequests: [held], problems: [] },
      {
        links: LINKS,
        ticks: parseDashboardTicks(
          `- [x] <!-- helmrelease-image-updater:open-now ${dashboardKey('b', [update])} -->`,
        ),
      },
    );
    expect([...body.matchAll(/^### (.+)$|<summary><b>(.+)<\/b>/gm)].map((m) => m[1] ?? m[2])).toEqual([
      'Problems (1)',
      'Held back by max-pull-requests (1)',
      'Up to date',
    ]);
    expect(body).toContain(
      `- [x] <!-- helmrelease-image-updater:open-now ${dashboardKey('b', [update])} -->`,
    );
    expect(body).not.toMatch(/@octocat|#12/);
    expect(body).toContain(
      '[apps/broken.yaml:7](https://github.com/acme/fleet/blob/HEAD/apps/broken.yaml#L7)',
    );
  });

  it.each<[string, Partial<PullRequestOutcome>, string, string]>([
    [
      'opened',
      { action: 'created', number: 4 },
      'Pull requests open',
      '- [#4](https://github.com/acme/fleet/pull/4) open: ',
    ],
    [
      'left open',
      { action: 'unchanged', number: 4 },
      'Pull requests open',
      '- [#4](https://github.com/acme/fleet/pull/4) open: ',
    ],
    [
      // Asked for again after its merge: the base went back (a revert), which refuses it as a close does.
      'merged, and reverted since',
      {
        action: 'skipped',
        skipped: 'merged',
        number: 4,
        reason: '#4 merged this, and the base no longer has it',
      },
      'Closed without merging, or reverted (1)',
      '**Retry:** propose it again: ',
    ],
    [
      'closed without merging',
      {
        action: 'skipped',
        skipped: 'closed',
        number: 4,
        reason: '#4 proposed this and was closed without merging',
      },
      'Closed without merging, or reverted (1)',
      '**Retry:** propose it again: ',
    ],
    [
      'base already has it',
      { action: 'skipped', skipped: 'no-change', reason: 'main already has these tags' },
      'Up to date',
      '- `docker.io',
    ],
    [
      'someone else’s commit',
      {
        action: 'skipped',
        skipped: 'foreign',
        number: 4,
        reason: 'branch b has commits not made by this Action',
      },
      'Problems (1)',
      '<br>[#4](https://github.com/acme/fleet/pull/4): branch b has commits',
    ],
    ['failed', { action: 'failed', reason: 'GitHub down' }, 'Problems (1)', '- **Error** `docker.io'],
  ])('lists a pull request %s under its heading', (_name, outcome, heading, text) => {
    const pr = {
      branch: 'b',
      updates: [update],
      url: 'https://github.com/acme/fleet/pull/4',
      ...outcome,
    } as PullRequestOutcome;
    const body = renderDashboard(
      { containers: [containers[1]!], pullRequests: [pr], problems: [] },
      { links: LINKS },
    );
    const section = body.split(heading)[1]?.split(/\n### |<details>/)[0] ?? '';
    expect(section).toContain(text);
  });

  it.each<[string, DashboardLinks['workflow'], string]>([
    [
      'the workflow known: linked to its runs page and its file',
      {
        name: 'Image *updates*',
        runsUrl: 'https://github.com/acme/fleet/actions/workflows/images.yml',
        fileUrl: 'https://github.com/acme/fleet/blob/HEAD/.github/workflows/images.yml',
      },
      'Tick a box to act on it at the next run of [Image \\*updates\\*](https://github.com/acme/fleet/actions/workflows/images.yml): **Run workflow** on that page starts one now (with `workflow_dispatch`), and [its file](https://github.com/acme/fleet/blob/HEAD/.github/workflows/images.yml) holds its schedule.</sub>',
    ],
    ['no workflow known: the words alone', undefined, 'Tick a box to act on it at the next run.</sub>'],
    [
      'a URL that is not http(s): the words alone',
      { name: 'x', runsUrl: 'javascript:alert(1)', fileUrl: 'javascript:alert(1)' },
      'Tick a box to act on it at the next run.</sub>',
    ],
  ])('says where the next run is: %s', (_name, workflow, sentence) => {
    const body = renderDashboard(
      { containers, pullRequests: [], problems: [] },
      { links: { ...LINKS, ...(workflow ? { workflow } : {}) } },
    );
    expect(
      body
        .split('\n')
        .find((line) => line.startsWith('<sub>'))
        ?.split('changes. ')[1],
    ).toBe(sentence);
  });

  it.each([100, 5000])('truncates %i containers under the limit only when they do not fit', (count) => {
    const many = Array.from({ length: count }, (_, i) => container(`app-${i}`, 'up-to-date', 'up to date'));
    const body = renderDashboard({ containers: many, pullRequests: [], problems: [] }, { links: LINKS });
    expect(body.length).toBeLessThanOrEqual(MAX_DASHBOARD_LENGTH);
    const truncated = /\*\*Truncated:\*\* (\d+) more rows?/.exec(body);
    const shown = body.split('\n').filter((l) => l.startsWith('- ')).length;
    expect(shown + Number(truncated?.[1] ?? 0)).toBe(count);
    expect(Boolean(truncated)).toBe(count === 5000);
    if (truncated)
      expect(body).toContain('[the job summary](https://github.com/acme/fleet/actions/runs/100)');
    // The truncated body still closes what it opened.
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length);
  });
});

describe('what a dashboard with hostile text renders to (GitHub-flavoured Markdown, by marked)', () => {
  const piece = fc.constantFrom(...HOSTILE_PIECES, '`<img src=x>`', '- [x] ');
  const text = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));
  const decisions = fc.constantFrom<ContainerDecision['decision']>(
    'up-to-date',
    'error',
    'locked',
    'no-matching-tag',
    'update',
  );

  it('keeps every outside text out of its HTML and its details closed where they were opened', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, text, text, decisions), { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(text, text), { maxLength: 2 }),
        (fields, problems) => {
          const containers = fields.map(([release, reason, filter, file, decision]) => {
            const update = makeUpdate({ release, container: release, filter, file, chosenBy: reason });
            return {
              ...container(release, decision, reason),
              filter,
              file,
              image: `${filter}:${release}`,
              ...(decision === 'update' ? { update } : {}),
            };
          });
          const pullRequests: PullRequestOutcome[] = containers.flatMap((c) =>
            c.update
              ? [{ action: 'held-back', branch: c.release, updates: [c.update], reason: c.reason }]
              : [],
          );
          const body = renderDashboard(
            {
              containers,
              pullRequests,
              problems: problems.map(([file, message]) => ({ file, line: 3, message, severity: 'error' })),
            },
            { links: LINKS },
          );
          const html = renderedWithAfter(body);
          expect(html).toMatch(ENDS_WITH_AFTER);
          expect(withoutElements(html, 'code|pre')).not.toMatch(/<img/);
          expect(detailsCloseWhereOpened(html)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
