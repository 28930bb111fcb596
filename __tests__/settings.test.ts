import { describe, expect, it } from '@jest/globals';
import { checkInputNames } from '../src/input-names.js';
import { InputError, parseList, parseSettings } from '../src/settings.js';

const read = (inputs: Record<string, string>) => (name: string) => inputs[name];

describe('parseSettings: minimum-release-age', () => {
  it.each([
    ['3d', 3 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['0', 0],
    ['90d', 90 * 86_400_000],
  ])('reads %s', (value, ms) => {
    expect(parseSettings(read({ 'minimum-release-age': value })).minimumReleaseAgeMs).toBe(ms);
  });

  it.each(['3 days', '91d', '-1d', '1w'])('refuses %s, naming the input', (value) => {
    expect(() => parseSettings(read({ 'minimum-release-age': value }))).toThrow(
      'Input "minimum-release-age": expected 0 or a duration such as 30m, 24h or 7d (at most 90d)',
    );
  });
});

describe('parseSettings: automerge', () => {
  it('reads the level and the merge method', () => {
    const settings = parseSettings(read({ automerge: 'minor', 'merge-method': 'rebase' }));
    expect([settings.automerge, settings.mergeMethod]).toEqual(['minor', 'rebase']);
  });

  it.each([
    ['automerge', 'major', 'expected none, patch, minor, all, got "major"'],
    ['merge-method', 'fast-forward', 'expected merge, squash, rebase, got "fast-forward"'],
  ])('refuses %s: %s', (input, value, message) => {
    expect(() => parseSettings(read({ [input]: value }))).toThrow(`Input "${input}": ${message}`);
  });
});

describe('parseSettings: images', () => {
  it('reads globs and image references, newline- or comma-separated', () => {
    expect(
      parseSettings(read({ images: 'docker.io/bitnami/*\nghcr.io/org/app:1.4.0, {a,b}/c' })).images,
    ).toEqual(['docker.io/bitnami/*', 'ghcr.io/org/app:1.4.0', '{a,b}/c']);
  });

  it.each([
    ['Bitnami/Nginx', 'upper-case letters'],
    ['nginx:', 'has a ":" but no tag after it'],
    ['ghcr.io//app', 'empty path element'],
  ])('refuses %s, naming the input', (value, message) => {
    expect(() => parseSettings(read({ images: value }))).toThrow(InputError);
    expect(() => parseSettings(read({ images: value }))).toThrow(`Input "images": `);
    expect(() => parseSettings(read({ images: value }))).toThrow(message);
  });
});

describe('parseSettings', () => {
  it('applies the defaults', () => {
    expect(parseSettings(read({}))).toEqual({
      paths: [],
      exclude: [],
      images: [],
      baseBranch: undefined,
      branchPrefix: 'helmrelease-image-updater/',
      requireAutomated: true,
      detection: 'flux-v1',
      dryRun: false,
      labels: [],
      reviewers: [],
      teamReviewers: [],
      assignees: [],
      maxPullRequests: 10,
      groupBy: 'container',
      rebaseWhen: 'conflicted',
      registryMirrors: {},
      registryAliases: {},
      insecureRegistries: [],
      dockerConfig: undefined,
      registryConcurrency: 8,
      tagDigestMaxAgeMs: 24 * 3_600_000,
      minimumReleaseAgeMs: 0,
      updateRepushedDigests: false,
      registryBudgetMs: 15 * 60_000,
      failOnError: true,
      titleTemplate: '{action} {repository} from {from} to {to} ({release})',
      commitMessageTemplate: '{action} {repository} from {from} to {to} ({release})',
      commitPrefix: '',
      automerge: 'none',
      mergeMethod: 'squash',
      dashboard: false,
      dashboardTitle: 'HelmRelease image updates',
    });
  });

  it('reads lists, mirrors and flags', () => {
    const settings = parseSettings(
      read({
        paths: 'clusters/**/*.yaml\napps/*.yml, other.yaml',
        labels: 'deps,images',
        'registry-mirrors': 'docker.io=https://mirror.example.com/dockerhub/\nquay.io=http://127.0.0.1:5000',
        'dry-run': 'TRUE',
        'group-by': 'image',
        'max-pull-requests': '0',
      }),
    );
    expect(settings.paths).toEqual(['clusters/**/*.yaml', 'apps/*.yml', 'other.yaml']);
    expect(settings.labels).toEqual(['deps', 'images']);
    expect(settings.registryMirrors).toEqual({
      'docker.io': 'https://mirror.example.com/dockerhub',
      'quay.io': 'http://127.0.0.1:5000',
    });
    expect([settings.dryRun, settings.groupBy, settings.maxPullRequests]).toEqual([true, 'image', 0]);
  });

  it.each([
    ['container', 'container'],
    ['image', 'image'],
    ['release', 'release'],
    [' release\n', 'release'],
    ['', 'container'],
  ])('reads group-by %j as %s', (value, expected) => {
    expect(parseSettings(read({ 'group-by': value })).groupBy).toBe(expected);
  });

  it.each([
    ['dry-run', 'yes', 'expected true or false'],
    ['require-automated', '1', 'expected true or false'],
    ['fail-on-error', 'nope', 'expected true or false'],
    ['max-pull-requests', '-1', 'expected a whole number from 0 to 1000'],
    ['max-pull-requests', '1.5', 'expected a whole number from 0 to 1000'],
    ['registry-concurrency', '0', 'expected a whole number from 1 to 64'],
    ['tag-digest-max-age', '8d', 'expected 0 or a duration such as 30m, 24h or 7d (at most 7d)'],
    ['registry-budget', '0', 'expected a duration such as 90s, 10m or 1h (at most 6h)'],
    ['registry-budget', '7h', 'expected a duration such as 90s, 10m or 1h (at most 6h)'],
    ['tag-digest-max-age', '24', 'expected 0 or a duration'],
    ['tag-digest-max-age', '1.5h', 'expected 0 or a duration'],
    ['tag-digest-max-age', '-1h', 'expected 0 or a duration'],
    ['tag-digest-max-age', '1w', 'expected 0 or a duration'],
    ['group-by', 'repository', 'expected container, image, release'],
    ['group-by', 'releases', 'expected container, image, release'],
    ['detection', 'deeper', 'expected flux-v1 or deep'],
    ['rebase-when', 'always', 'expected conflicted, behind-base or never'],
    ['branch-prefix', 'bad prefix/', 'is not usable in a git branch name'],
    ['branch-prefix', 'a..b/', 'is not usable in a git branch name'],
    ['registry-mirrors', 'docker.io', 'is not "registry=https://endpoint[/prefix]"'],
    ['registry-mirrors', 'docker.io=ftp://x', 'needs an http(s) URL'],
    ['title-template', 'Bump {imgae} to {to}', 'unknown placeholder {imgae}; did you mean {image}?'],
    [
      'title-template',
      '{action} {Repository}',
      'unknown placeholder {Repository}; did you mean {repository}?',
    ],
    ['commit-message-template', 'chore: {tag}', 'unknown placeholder {tag}; did you mean {to}?'],
    ['commit-prefix', 'chore:\nSigned-off-by: x', 'must be one line'],
    ['commit-prefix', 'x'.repeat(51), 'must be at most 50 characters'],
    ['dashboard', 'yes', 'expected true or false'],
    ['dashboard-title', 'Images\n<!-- x -->', 'must be one line'],
    ['dashboard-title', 'x'.repeat(257), 'must be at most 256 characters'],
  ])('rejects %s: %j', (input, value, message) => {
    let caught: unknown;
    try {
      parseSettings(read({ [input]: value }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).input).toBe(input);
    expect((caught as Error).message).toContain(`Input "${input}"`);
    expect((caught as Error).message).toContain(message);
  });
});

/** The message of the InputError `parseSettings` throws for these inputs (fails when none is). */
function refusal(inputs: Record<string, string>): string {
  try {
    parseSettings(read(inputs));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(inputs)} was accepted`);
}

describe('insecure-registries', () => {
  it.each([
    ['registry.local:5000', ['registry.local:5000']],
    ['10.0.0.5, Registry.Example.com', ['10.0.0.5', 'Registry.Example.com']],
    ['[fd00::1]:5000\nlocalhost', ['[fd00::1]:5000', 'localhost']],
  ])('reads %j', (value, expected) => {
    expect(parseSettings(read({ 'insecure-registries': value })).insecureRegistries).toEqual(expected);
  });

  const FORM = 'host[:port] as images name the registry (e.g. registry.local:5000 or 10.0.0.5)';
  it.each([
    [
      'http://192.0.2.2:5055',
      `"http://192.0.2.2:5055" is a URL; give ${FORM}: 192.0.2.2:5055 (plain HTTP is what this input allows)`,
    ],
    [
      'https://registry.local/v2/?token=S3cret',
      `"https://registry.local/v2/…" is a URL; give ${FORM}: registry.local (plain HTTP is what this input allows)`,
    ],
    ['192.0.2.2:5055/', `"192.0.2.2:5055/" is not ${FORM}`],
    ['registry.local:5000?token=S3cret', `"registry.local:5000…" is not ${FORM}`],
    ['registry.local:', `"registry.local:" is not ${FORM}`],
    ['-registry.local', `"-registry.local" is not ${FORM}`],
    ['http://', `"http://" is not ${FORM}`],
    [
      'http://alice:S3cret Pass@registry.local:5000',
      `an entry has a user name or password; give only ${FORM} and put credentials in the Docker config`,
    ],
  ])('refuses %j, naming the input and the form, and no password or token', (value, message) => {
    const refused = refusal({ 'insecure-registries': value });
    expect(refused).toBe(`Input "insecure-registries": ${message}`);
    expect(refused).not.toContain('S3cret');
  });
});

describe('docker-config', () => {
  it.each([
    ['', undefined],
    ['  /home/runner/.docker/config.json ', '/home/runner/.docker/config.json'],
    ['configs/{team}/config.json', 'configs/{team}/config.json'],
  ])('reads %j', (value, expected) => {
    expect(parseSettings(read({ 'docker-config': value })).dockerConfig).toBe(expected);
  });

  const SECRET = 'S3cret-of-the-config';
  it.each([
    [
      'the JSON on one line',
      `{"auths":{"r.example.com":{"auth":"${Buffer.from(`u:${SECRET}`).toString('base64')}"}}}`,
    ],
    [
      'the JSON as a secret keeps it',
      `{\n  "auths": {\n    "r.example.com": { "password": "${SECRET}" }\n  }\n}\n`,
    ],
    ['several lines', `/path/one\n${SECRET}`],
  ])('refuses %s, naming the input, without repeating it', (_name, value) => {
    const refused = refusal({ 'docker-config': value });
    expect(refused).toBe(
      'Input "docker-config": holds JSON or several lines, not the path of a Docker config file (not repeated here: it may hold credentials); give the path of the file, or pass its JSON in the DOCKER_AUTH_CONFIG environment variable',
    );
    expect(refused).not.toContain(SECRET);
    expect(refused).not.toContain('auths');
  });
});

describe('branch-prefix', () => {
  it.each([['bots/'], ['team/bots-'], ['a.b/c_d/'], ['x'], [`${'b'.repeat(99)}/`]])(
    'reads %j as written',
    (value) => {
      expect(parseSettings(read({ 'branch-prefix': value })).branchPrefix).toBe(value);
    },
  );

  const EMPTY = 'it has an empty path segment (a leading "/" or "//")';
  const STARTS =
    'a path segment starts with "." or "-" (git refuses a leading ".", and a leading "-" reads as an option)';
  const ENDS = 'a path segment ends in "." or ".lock", which git refuses';
  it.each([
    ['/', `"/" would leave the branch names without a prefix: ${EMPTY}`],
    ['//', `"//" would leave the branch names without a prefix: ${EMPTY}`],
    ['a//b/', `"a//b/" would become "a/b/": ${EMPTY}`],
    ['/bots/', `"/bots/" would become "bots/": ${EMPTY}`],
    ['.', `"." would become "_": ${STARTS}`],
    ['.hidden/', `".hidden/" would become "hidden/": ${STARTS}`],
    ['-x/', `"-x/" would become "x/": ${STARTS}`],
    ['bots/-x', `"bots/-x" would become "bots/x": ${STARTS}`],
    ['bot.', `"bot." would become "bot": ${ENDS}`],
    ['bot.lock/', `"bot.lock/" would become "bot-lock/": ${ENDS}`],
    ['a./b/', `"a./b/" would become "a/b/": ${ENDS}`],
    [`${'b'.repeat(100)}/`, 'must be at most 100 characters (git refs are bounded)'],
  ])('refuses %j, which sanitising would change, saying the rule', (value, message) => {
    expect(refusal({ 'branch-prefix': value })).toBe(`Input "branch-prefix": ${message}`);
  });
});

describe('reviewers, team-reviewers, assignees', () => {
  it.each<[string, string, string[]]>([
    ['reviewers', '@alice, bob', ['alice', 'bob']],
    ['reviewers', 'alice\nAlice\n@ALICE\nbob', ['alice', 'bob']],
    ['reviewers', 'alice_acme, dev-ops-1', ['alice_acme', 'dev-ops-1']],
    ['assignees', '@bob, Bob', ['bob']],
    ['team-reviewers', '@acme/platform, acme/Platform, platform, sre', ['acme/platform', 'sre']],
    ['team-reviewers', 'platform, @acme/platform', ['platform']],
  ])('%s %j reads as %j', (name, value, expected) => {
    const field = name === 'team-reviewers' ? 'teamReviewers' : (name as 'reviewers' | 'assignees');
    expect(parseSettings(read({ [name]: value }))[field]).toEqual(expected);
  });

  it.each([
    ['reviewers', 'alice bob', '"alice bob" is not a GitHub login'],
    ['reviewers', 'alice@example.com', '"alice@example.com" is not a GitHub login'],
    ['assignees', '@@bob', '"@@bob" is not a GitHub login'],
    ['reviewers', 'acme/platform', '"acme/platform" is not a GitHub login'],
    ['team-reviewers', 'acme/platform/x', '"acme/platform/x" is not a team (slug or org/slug)'],
  ])('refuses %s %j, saying why', (name, value, message) => {
    expect(refusal({ [name]: value })).toBe(
      `Input "${name}": ${message}; separate names with commas or new lines (a leading @ is fine)`,
    );
  });
});

describe('labels', () => {
  it.each([
    ['deps, update:{type}', ['deps', 'update:{type}']],
    ['{type}-{type}', ['{type}-{type}']],
    ['{ type }, {}', ['{ type }', '{}']],
  ])('reads %j', (value, expected) => {
    expect(parseSettings(read({ labels: value })).labels).toEqual(expected);
  });

  it.each([
    ['update:{typ},deps', '{typ}'],
    ['deps\n{Type}', '{Type}'],
    ['update-{type}-{kind}', '{kind}'],
  ])('refuses %j: a label would hold %s literally', (value, placeholder) => {
    expect(refusal({ labels: value })).toBe(
      `Input "labels": unknown placeholder ${placeholder}; did you mean {type}? The only placeholder is {type}.`,
    );
  });

  // GitHub refuses a label over 50 characters; cut to 50 it was silently another label.
  it.each([
    ['x'.repeat(50), undefined],
    ['x'.repeat(51), `"${'x'.repeat(51)}" is 51 characters long; GitHub takes labels of at most 50`],
    [`${'u'.repeat(38)}:{type}`, undefined],
    [
      `${'u'.repeat(40)}:{type}`,
      `"${'u'.repeat(40)}:{type}" can be 52 characters long; GitHub takes labels of at most 50`,
    ],
  ])('a label of %j: %s', (value, message) => {
    if (message === undefined) expect(parseSettings(read({ labels: value })).labels).toEqual([value]);
    else expect(refusal({ labels: value })).toBe(`Input "labels": ${message}`);
  });
});

describe('templates', () => {
  it('the commit message follows the title template unless it is set', () => {
    expect(parseSettings(read({ 'title-template': 'Bump {image} to {to}' }))).toMatchObject({
      titleTemplate: 'Bump {image} to {to}',
      commitMessageTemplate: 'Bump {image} to {to}',
    });
    expect(
      parseSettings(read({ 'title-template': 'Bump {image}', 'commit-message-template': 'chore: {to}' })),
    ).toMatchObject({ titleTemplate: 'Bump {image}', commitMessageTemplate: 'chore: {to}' });
  });

  it('leaves braces that are no placeholder alone', () => {
    expect(parseSettings(read({ 'title-template': '{} {action} { to }' })).titleTemplate).toBe(
      '{} {action} { to }',
    );
  });
});

describe('checkInputNames', () => {
  it.each([
    [{ 'INPUT_DRY-RUN': 'true', INPUT_PATHS: '', INPUT_TOKEN: 'x', HOME: '/' }, undefined],
    [{ INPUT_DRYRUN: 'true' }, 'Input "dryrun": this Action has no such input; did you mean "dry-run"?'],
    [{ INPUT_DRY_RUN: 'true' }, 'Input "dry_run": this Action has no such input; did you mean "dry-run"?'],
    [{ INPUT_PATH: 'apps' }, 'Input "path": this Action has no such input; did you mean "paths"?'],
    [{ INPUT_LABEL: 'x', INPUT_REVIEWER: 'y' }, 'did you mean "labels"? (also unknown: reviewer)'],
  ])('%j', (env, message) => {
    let caught: unknown;
    try {
      checkInputNames(env);
    } catch (e) {
      caught = e;
    }
    if (message === undefined) expect(caught).toBeUndefined();
    else expect((caught as Error).message).toContain(message);
  });
});

describe('tag-digest-max-age', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['30m', 1_800_000],
    [' 24h ', 86_400_000],
    ['7d', 604_800_000],
    ['0h', 0],
  ])('%j is %d ms', (value, ms) => {
    expect(parseSettings(read({ 'tag-digest-max-age': value })).tagDigestMaxAgeMs).toBe(ms);
  });
});

describe('list inputs written as a YAML flow list or a JSON array', () => {
  // The runner passes a `with:` value as text: the brackets and quotes would stay in the values.
  it.each([
    ['labels', '[deps, bot]'],
    ['paths', '[apps/**, clusters/**]'],
    ['exclude', '["apps/legacy/**","apps/old/**"]'],
    ['images', '[]'],
    ['images', '["ghcr.io/org/app"]'],
    ['reviewers', '[alice, bob]'],
    ['registry-mirrors', '[docker.io=https://m.example.com, ghcr.io=https://g.example.com]'],
    ['insecure-registries', ' [registry.local:5000, 10.0.0.5] '],
  ])('%s: %j is refused, naming the input and not repeating the value', (input, value) => {
    expect(refusal({ [input]: value })).toBe(
      `Input "${input}": the value is a YAML or JSON list ([a, b]), which inputs take as text, brackets and ` +
        'quotes included; write the values without them, one per line or separated by commas',
    );
  });

  it.each([
    ['labels', '[deps]', ['[deps]']],
    ['paths', '[ab]*/**, c/**', ['[ab]*/**', 'c/**']],
    ['labels', 'deps, bot', ['deps', 'bot']],
  ])('%s: %j is a list as written', (input, value, expected) => {
    const settings = parseSettings(read({ [input]: value })) as unknown as Record<string, unknown>;
    expect(settings[input]).toEqual(expected);
  });
});

describe('paths and images given, but with no entry', () => {
  // Their default is everything: read as not given, a list whose every line was commented out
  // (to leave production out, say) had the run check everything, production included.
  it.each([
    ['paths', '# clusters/production/**', 'every *.yaml and *.yml file'],
    ['paths', '# clusters/production/**\n#clusters/staging/**\n', 'every *.yaml and *.yml file'],
    ['paths', ',', 'every *.yaml and *.yml file'],
    ['images', '# ghcr.io/org/app', 'every image'],
    ['images', ', ,', 'every image'],
  ])('%s: %j is refused', (input, value, everything) => {
    expect(refusal({ [input]: value })).toBe(
      `Input "${input}": the value holds no entry (every line is blank or a # comment), and without one the ` +
        `run would check ${everything}; give at least one entry, or leave the input out to check ${everything}`,
    );
  });

  it.each([
    // Not given (empty or blank: the runner's value for an input left out or an empty expression).
    ['paths', '', []],
    ['paths', '  \n ', []],
    ['images', '', []],
    ['paths', '# production is checked by its own job\napps/**', ['apps/**']],
    // exclude narrows nothing when empty: a commented-out exclusion is one taken out.
    ['exclude', '# apps/legacy/**', []],
  ])('%s: %j reads as %j', (input, value, expected) => {
    const settings = parseSettings(read({ [input]: value })) as unknown as Record<string, unknown>;
    expect(settings[input]).toEqual(expected);
  });
});

describe('parseList', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['a, b\n\nc', ['a', 'b', 'c']],
    ['# comment\nx', ['x']],
    ['{apps,clusters}/**/*.{yaml,yml}, other/*.yaml', ['{apps,clusters}/**/*.{yaml,yml}', 'other/*.yaml']],
    ['a{b\nc,d', ['a{b', 'c', 'd']],
  ])('%j', (raw, expected) => {
    expect(parseList(raw)).toEqual(expected);
  });
});
