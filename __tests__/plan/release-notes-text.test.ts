import {
  githubRepository,
  sanitizeReleaseBody,
  MAX_RELEASE_BODY,
} from '../../src/plan/release-notes-text.js';

const source = { owner: 'acme', repo: 'app' };
const ZWSP = '&#8203;';

describe('sanitizeReleaseBody', () => {
  it.each([
    ['mentions', 'Thanks @alice and @bob-2!', `Thanks @${ZWSP}alice and @${ZWSP}bob-2!`],
    ['an e-mail address is no mention either', 'mail a@b.io', `mail a@${ZWSP}b.io`],
    [
      'a bare issue reference links the source repository, not ours',
      'Fixes #12.',
      `Fixes [#${ZWSP}12](https://redirect.github.com/acme/app/issues/12).`,
    ],
    [
      'the source repository by name',
      'acme/app#3',
      `[acme/app#${ZWSP}3](https://redirect.github.com/acme/app/issues/3)`,
    ],
    [
      'another repository is not linked',
      'see other/repo#5 and GH-7',
      `see other/repo#${ZWSP}5 and GH-${ZWSP}7`,
    ],
    [
      'no HTML',
      '<details><summary>x</summary></details>',
      '&lt;details>&lt;summary>x&lt;/summary>&lt;/details>',
    ],
    ['an entity cannot bring a mention back', '&#64;alice &lt;b&gt;', '&amp;#64;alice &amp;lt;b&amp;gt;'],
    [
      'github.com links go through the redirector (no backlinks in the source repository)',
      '[PR](https://github.com/acme/app/pull/9)',
      '[PR](https://redirect.github.com/acme/app/pull/9)',
    ],
    ['headings made small', '# Big\n## Also\n#### Kept', '#### Big\n#### Also\n#### Kept'],
    ['inline code kept as written', 'run `<b>@x #1</b>` now', 'run `<b>@x #1</b>` now'],
    ['an escaped backtick opens no code span', '\\`<b>\\`', '\\`&lt;b>\\`'],
    ['fenced code kept as written', '```\n<b>@x</b>\n```\n@y', `\`\`\`\n<b>@x</b>\n\`\`\`\n@${ZWSP}y`],
    ['an open fence is closed', '~~~~\n</details>', '~~~~\n</details>\n~~~~'],
    ['a backtick fence whose info string holds a backtick is text', '``` a`b\n<b>', '``` a`b\n&lt;b>'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeReleaseBody(input, source)).toBe(expected);
  });

  it('cuts long notes at a line end and says so', () => {
    const body = sanitizeReleaseBody(`${'line\n'.repeat(MAX_RELEASE_BODY)}`, source);
    expect(body.length).toBeLessThanOrEqual(MAX_RELEASE_BODY + 3);
    expect(body.endsWith('\n\n…')).toBe(true);
  });
});

describe('githubRepository', () => {
  it.each([
    ['https://github.com/acme/app', { owner: 'acme', repo: 'app' }],
    ['https://github.com/acme/app.git', { owner: 'acme', repo: 'app' }],
    ['https://github.com/acme/app/tree/main/images/x', { owner: 'acme', repo: 'app' }],
    ['https://user:pw@github.com/acme/app', { owner: 'acme', repo: 'app' }],
    ['https://github.example.com/acme/app', undefined],
    ['https://gitlab.com/acme/app', undefined],
    ['https://github.com/acme', undefined],
    ['https://github.com/ac%2Fme/app', undefined],
    ['git@github.com:acme/app.git', undefined],
  ])('%s', (url, expected) => {
    expect(githubRepository(url)).toEqual(expected);
  });
});
