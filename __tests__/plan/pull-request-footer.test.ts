/**
 * The footer's account of how the Action keeps a pull request (what updates it, when its branch is
 * rebuilt, whether GitHub merges it) and of the run that wrote it, as a reviewer reads them.
 */
import { footerLines, type FooterContext, type KeepingPolicy } from '../../src/plan/pull-request-footer.js';
import type { Update } from '../../src/plan/types.js';
import { makeUpdate } from '../../test-support/github/updates.js';

const context: FooterContext = { base: 'main', branch: 'updates/data/mongodb/chart-image-1a2b3c4d' };
const MARKER = '<!-- marker -->';

/** The footer's "Kept current" paragraph, or undefined when it has none. */
function keeping(updates: Update[], policy: KeepingPolicy): string | undefined {
  return footerLines(updates, { ...context, keeping: policy }, MARKER).find((l) =>
    l.startsWith('**Kept current:**'),
  );
}

const KEPT = '**Kept current:** a newer tag the filter allows updates this pull request.';
const LEFT_ALONE = 'Once anyone else pushes a commit to the branch, the Action leaves it alone.';
const CONFLICTED =
  "Its branch is rebuilt on `main` only when `main`'s copy of its file changes (`rebase-when: conflicted`).";

describe('the footer: how the Action keeps the pull request', () => {
  it.each<[string, Update[], KeepingPolicy, string]>([
    [
      'rebuilt only when its file changes on the base (the default)',
      [makeUpdate()],
      { rebaseWhen: 'conflicted', automerge: 'none' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE}`,
    ],
    [
      'several files: one of them, and one of the filters',
      [makeUpdate(), makeUpdate({ file: 'b.yaml' })],
      { rebaseWhen: 'conflicted', automerge: 'none' },
      `**Kept current:** a newer tag that one of its filters allows updates this pull request. Its branch is rebuilt on \`main\` only when \`main\`'s copy of one of its files changes (\`rebase-when: conflicted\`). ${LEFT_ALONE}`,
    ],
    [
      'rebuilt whenever the base moves on',
      [makeUpdate()],
      { rebaseWhen: 'behind-base', automerge: 'none' },
      `${KEPT} Its branch is rebuilt on \`main\` whenever \`main\` moves on (\`rebase-when: behind-base\`). ${LEFT_ALONE}`,
    ],
    [
      'rebuilt only for a newer tag',
      [makeUpdate()],
      { rebaseWhen: 'never', automerge: 'none' },
      `${KEPT} Its branch is rebuilt only for a newer tag, not when \`main\` moves on (\`rebase-when: never\`). ${LEFT_ALONE}`,
    ],
    [
      'group-by: image, where a newer tag is a pull request of its own',
      [makeUpdate()],
      { rebaseWhen: 'conflicted', automerge: 'none', groupBy: 'image' },
      `**Kept current:** a newer tag the filter allows opens a new pull request that replaces this one (\`group-by: image\`). ${CONFLICTED} ${LEFT_ALONE}`,
    ],
    [
      'group-by: release keeps one pull request',
      [makeUpdate()],
      { rebaseWhen: 'conflicted', automerge: 'none', groupBy: 'release' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE}`,
    ],
    [
      'a patch update under automerge: patch is merged by GitHub',
      [makeUpdate()],
      { rebaseWhen: 'conflicted', automerge: 'patch' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** the Action asks GitHub to merge it once branch protection is satisfied (\`automerge: patch\`).`,
    ],
    [
      'a minor update under automerge: patch is not, and the reviewer is told why',
      [makeUpdate({ to: '4.1.0', type: 'minor' })],
      { rebaseWhen: 'conflicted', automerge: 'patch' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: patch\` covers patch updates that keep their image variant, and it holds a minor update.`,
    ],
    // Its version says little of a move to another variant of the image (alpine to Debian, a
    // Debian 11 base to 12): left for review below automerge: all.
    [
      'a patch update to another variant under automerge: patch is not, and the reviewer is told why',
      [makeUpdate({ from: '1.25.3-alpine', to: '1.25.4' })],
      { rebaseWhen: 'conflicted', automerge: 'patch' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: patch\` covers patch updates that keep their image variant, and it holds a patch update to another variant of its image.`,
    ],
    [
      'nor a minor update to another base under automerge: minor',
      [makeUpdate({ from: '7.2.4-debian-11-r1', to: '7.3.0-debian-12-r0', type: 'minor' })],
      { rebaseWhen: 'conflicted', automerge: 'minor' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: minor\` covers patch and minor updates that keep their image variant, and it holds a minor update to another variant of its image.`,
    ],
    [
      'a new package revision of the same variant is merged',
      [makeUpdate({ from: '7.2.4-debian-12-r1', to: '7.2.5-debian-12-r0' })],
      { rebaseWhen: 'conflicted', automerge: 'patch' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** the Action asks GitHub to merge it once branch protection is satisfied (\`automerge: patch\`).`,
    ],
    [
      'automerge: all takes another variant too',
      [makeUpdate({ from: '1.25.3-alpine', to: '1.25.4' })],
      { rebaseWhen: 'conflicted', automerge: 'all' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** the Action asks GitHub to merge it once branch protection is satisfied (\`automerge: all\`).`,
    ],
    [
      'a downgrade is never merged by GitHub, even under automerge: all',
      [makeUpdate({ to: '4.0.2', downgrade: true })],
      { rebaseWhen: 'conflicted', automerge: 'all' },
      `${KEPT} ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: all\` covers every update but a downgrade, and it holds a downgrade.`,
    ],
    [
      'a group with a major update under automerge: minor names what holds it back, once',
      [
        makeUpdate(),
        makeUpdate({ container: 'a', to: '5.0.0', type: 'major' }),
        makeUpdate({ container: 'b', to: '6.0.0', type: 'major' }),
      ],
      { rebaseWhen: 'conflicted', automerge: 'minor' },
      `**Kept current:** a newer tag that one of its filters allows updates this pull request. ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: minor\` covers patch and minor updates that keep their image variant, and it holds a major update.`,
    ],
    [
      'a group held back for two reasons names both',
      [
        makeUpdate({ from: '1.25.3-alpine', to: '1.25.4' }),
        makeUpdate({ container: 'a', to: '5.0.0', type: 'major' }),
      ],
      { rebaseWhen: 'conflicted', automerge: 'minor' },
      `**Kept current:** a newer tag that one of its filters allows updates this pull request. ${CONFLICTED} ${LEFT_ALONE} **Auto-merge:** not for this pull request: \`automerge: minor\` covers patch and minor updates that keep their image variant, and it holds a patch update to another variant of its image and a major update.`,
    ],
  ])('%s', (_name, updates, policy, expected) => {
    expect(keeping(updates, policy)).toBe(expected);
  });

  it('says nothing of how it is kept when the writer gave no policy', () => {
    expect(footerLines([makeUpdate()], context, MARKER).some((l) => l.includes('Kept current'))).toBe(false);
  });

  it('a base branch name cannot break out of its code span', () => {
    const line = footerLines(
      [makeUpdate()],
      { ...context, base: 'a`b', keeping: { rebaseWhen: 'behind-base', automerge: 'none' } },
      MARKER,
    )[2]!;
    expect(line).toContain('rebuilt on ``a`b`` whenever ``a`b`` moves on');
  });
});

describe('the footer: what closing does', () => {
  it('a re-pushed tag beside a new one (group-by image) gets no skip line: skipping would move it off its tag', () => {
    const updates = [
      makeUpdate({ release: 'data/a', name: 'a', file: 'a.yaml' }),
      makeUpdate({
        release: 'data/b',
        name: 'b',
        file: 'b.yaml',
        from: '4.0.4',
        fromDigest: `sha256:${'a'.repeat(64)}`,
      }),
    ];
    const keeping: KeepingPolicy = { rebaseWhen: 'never', automerge: 'none', groupBy: 'image' };
    expect(footerLines(updates, { ...context, keeping }, MARKER)).toEqual([
      '---',
      '',
      '**Kept current:** a newer tag that one of its filters allows opens a new pull request that replaces this one (`group-by: image`). Its branch is rebuilt only for a newer tag, not when `main` moves on (`rebase-when: never`). Once anyone else pushes a commit to the branch, the Action leaves it alone.',
      // A paragraph of its own: Markdown would join the next line to it.
      '',
      'Closing this pull request without merging keeps the Action from proposing each of these tags again for its container; a newer tag of any of them is still proposed, without the others.',
      '',
      '- `chart-image` of `data/a`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
      '',
      'Opened by helmrelease-image-updater from branch `updates/data/mongodb/chart-image-1a2b3c4d`.',
      '',
      MARKER,
      '',
    ]);
  });

  it('one release in two clusters (group-by image): each skip line names its file', () => {
    const updates = [
      makeUpdate({ file: 'clusters/staging/mongodb.yaml' }),
      makeUpdate({
        file: 'clusters/production/mongodb.yaml',
        from: '5.0.0',
        downgrade: true,
        type: 'downgrade',
      }),
    ];
    const lines = footerLines(updates, context, MARKER);
    expect(lines.filter((l) => l.startsWith('- '))).toEqual([
      '- `chart-image` of `data/mongodb` in `clusters/staging/mongodb.yaml`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
      '- `chart-image` of `data/mongodb` in `clusters/production/mongodb.yaml`: The filter takes no tag as high as the current `5.0.0`, so skipping `4.0.4` would only bring the next lower one: to stay on `5.0.0`, set `filter.fluxcd.io/chart-image: "semver:~4.0 || 5.0.0"`, or set `fluxcd.io/locked: "true"` on the HelmRelease.',
    ]);
  });

  it('one release in two clusters, one re-pushed: the skip line names the file it is for', () => {
    const updates = [
      makeUpdate({ file: 'clusters/staging/mongodb.yaml' }),
      makeUpdate({
        file: 'clusters/production/mongodb.yaml',
        from: '4.0.4',
        fromDigest: `sha256:${'a'.repeat(64)}`,
      }),
    ];
    expect(footerLines(updates, context, MARKER).filter((l) => l.startsWith('- '))).toEqual([
      '- `chart-image` of `data/mongodb` in `clusters/staging/mongodb.yaml`: To skip `4.0.4` for good, set `filter.fluxcd.io/chart-image: "semver:~4.0, !=4.0.4"`.',
    ]);
  });
});

describe('the footer: the run that wrote the text', () => {
  const workflow = {
    name: 'Image updates',
    runsUrl: 'https://github.com/acme/fleet/actions/workflows/u.yml',
  };
  /** The footer's lines from "Opened by" to the marker. */
  const tail = (writtenBy?: FooterContext['writtenBy']): string[] => {
    const lines = footerLines([makeUpdate()], { ...context, ...(writtenBy ? { writtenBy } : {}) }, MARKER);
    return lines.slice(
      lines.findIndex((l) => l.startsWith('Opened by')),
      lines.indexOf(MARKER),
    );
  };
  const OPENED =
    'Opened by helmrelease-image-updater from branch `updates/data/mongodb/chart-image-1a2b3c4d`.';

  it.each<[string, FooterContext['writtenBy'], string[]]>([
    ['no workflow (the CLI, an older GHES): the branch only', undefined, [OPENED, '']],
    [
      'the run and its workflow, linked; no "#" before the number (GitHub would link issue 42)',
      { ...workflow, run: { url: 'https://github.com/acme/fleet/actions/runs/9876543210', number: '42' } },
      [
        OPENED,
        '',
        'Last written by [run 42](https://github.com/acme/fleet/actions/runs/9876543210) of the [Image updates](https://github.com/acme/fleet/actions/workflows/u.yml) workflow.',
        '',
      ],
    ],
    [
      'the workflow alone',
      workflow,
      [
        OPENED,
        '',
        'Last written by the [Image updates](https://github.com/acme/fleet/actions/workflows/u.yml) workflow.',
        '',
      ],
    ],
    [
      'a workflow name that is Markdown is shown as text',
      { ...workflow, name: '[x](https://evil.example) @team' },
      [
        OPENED,
        '',
        'Last written by the [\\[x\\]\\(https://evil.example\\) @&#8203;team](https://github.com/acme/fleet/actions/workflows/u.yml) workflow.',
        '',
      ],
    ],
    // The run number is the runner's GITHUB_RUN_NUMBER: anything else is no run to link.
    ...['42a', 'a42', ''].map((number): [string, FooterContext['writtenBy'], string[]] => [
      `a run number that is not all digits (${JSON.stringify(number)}) links the workflow alone`,
      { ...workflow, run: { url: 'https://github.com/acme/fleet/actions/runs/9876543210', number } },
      [
        OPENED,
        '',
        'Last written by the [Image updates](https://github.com/acme/fleet/actions/workflows/u.yml) workflow.',
        '',
      ],
    ]),
    [
      'a link that is not http(s) is not linked',
      { ...workflow, runsUrl: 'javascript:alert(1)', run: { url: 'javascript:alert(2)', number: '42' } },
      [OPENED, '', 'Last written by the Image updates workflow.', ''],
    ],
  ])('%s', (_name, writtenBy, expected) => {
    expect(tail(writtenBy)).toEqual(expected);
  });
});
