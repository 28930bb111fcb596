import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Update } from '../src/update.js';
import { updatesOutput } from '../src/report/outputs.js';
import { scanFile } from '../src/helmrelease/scan-file.js';
import { isCandidate } from '../src/filters/candidate-tags.js';
import { parseFilter } from '../src/filters/parse-filter.js';
import { DETECTION_MODES } from '../src/helmrelease/detect-deep.js';
import { AUTOMERGE_LEVELS, MERGE_METHODS } from '../src/github/auto-merge.js';
import { GROUP_BY_VALUES } from '../src/plan/branch-name.js';
import { TEMPLATE_PLACEHOLDERS } from '../src/plan/pull-request-text.js';
import { parseSettings } from '../src/settings.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
};

/** The first-column names of the README table under a `## <heading>`. */
function tableNames(heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
}

describe('README reference', () => {
  it('lists exactly the inputs of action.yml, in order', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(action.inputs));
  });

  // An input whose action.yml default is empty is described in words ("the default branch").
  it.each(Object.entries(action.inputs).filter(([, input]) => (input.default ?? '') !== ''))(
    '%s: the Inputs table gives the default action.yml declares',
    (name, input) => {
      const section = readme.split('\n## Inputs\n')[1]?.split('\n## ')[0] ?? '';
      const row = section.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row?.split(' | ')[1]).toBe(`\`${input.default}\``);
    },
  );

  it('lists exactly the outputs of action.yml, in order', () => {
    expect(tableNames('Outputs')).toEqual(Object.keys(action.outputs));
  });

  it('names every field of an `updates` entry, in the README and in action.yml', () => {
    const fields = [
      ...Object.keys(
        updatesOutput({
          plan: { updates: [{} as Update], containers: [], edits: [], problems: [] },
          pullRequests: [],
        })[0]!,
      ),
      'pullRequest',
    ];
    const row = readme.split('\n').find((line) => line.startsWith('| `updates` |')) ?? '';
    expect(fields.filter((field) => !row.includes(`\`${field}\``))).toEqual([]);
    const described = action.outputs.updates.description;
    expect(fields.filter((field) => field !== 'pullRequest' && !described.includes(field))).toEqual([]);
  });

  // Each step that uses this Action, with what follows it (the step's lines are indented deeper).
  const steps = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((block) =>
    [...block[1]!.matchAll(/^( *)- uses: [\w-]+\/helmrelease-image-updater@\S+\n((?:\1 {2,}.*\n)*)/gm)].map(
      (m) => parse(m[2]!.replace(new RegExp(`^${m[1]}  `, 'gm'), '')) as { with?: Record<string, unknown> },
    ),
  );

  it('shows workflow steps using this Action', () => {
    expect(steps.length).toBeGreaterThan(4);
  });

  it.each(steps.map((step, i) => [i + 1, step] as const))(
    'workflow step %d gives only inputs action.yml declares',
    (_n, step) => {
      expect(Object.keys(step.with ?? {}).filter((key) => !(key in action.inputs))).toEqual([]);
    },
  );

  // What a step gives is what the Action reads: an expression (`${{ … }}`) evaluates to text such
  // as an image reference on a dispatch, or to nothing on a schedule, and either must be taken.
  it.each(
    steps.flatMap((step, i) =>
      ['ghcr.io/org/app:1.4.0', ''].map((evaluated) => [i + 1, evaluated, step] as const),
    ),
  )('workflow step %d gives values the inputs take (expressions as %j)', (_n, evaluated, step) => {
    const given = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\{[^}]*\}\}/g, evaluated),
      ]),
    );
    expect(() => parseSettings((name) => given[name])).not.toThrow();
  });

  // A HelmRelease example with both its annotations and its values, completed where it leaves out
  // what every HelmRelease has, reads as the README says: containers found, no error.
  const releases = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((block) => block[1]!)
    .filter((text) => /^metadata:$/m.test(text) && /^spec:$/m.test(text))
    .map((text) =>
      /^kind: HelmRelease$/m.test(text)
        ? text
        : `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n${text.replace(/^metadata:\n/m, 'metadata:\n  name: example\n')}`,
    );

  it.each(releases.map((text, i) => [i + 1, text] as const))(
    'HelmRelease example %d: its containers are found, with no error',
    (_n, text) => {
      const scan = scanFile('example.yaml', text);
      expect(scan.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(scan.releases).toHaveLength(1);
      expect(scan.releases[0]!.containers.length).toBeGreaterThan(0);
    },
  );

  // Each container of those examples with a filter and a version as its tag: the filter takes the
  // version after it (its last number one up), so a release written like the example is updated.
  const nextVersion = (tag: string) =>
    tag.replace(/(\d+)(\D*)$/, (_m, n: string, rest: string) => `${Number(n) + 1}${rest}`);
  const filteredContainers = releases.flatMap((text, i) =>
    scanFile('example.yaml', text)
      .releases.flatMap((release) => release.containers)
      .filter((container) => container.filter !== undefined && /\d/.test(container.reference.tag ?? ''))
      .map((container) => {
        const tag = container.reference.tag!;
        return [i + 1, container.container, container.filter!.value, tag, nextVersion(tag)] as const;
      }),
  );

  it('shows HelmRelease examples with filtered containers', () => {
    expect(filteredContainers.length).toBeGreaterThan(2);
  });

  it.each(filteredContainers)(
    'HelmRelease example %d: %s, filtered by %s, may move from %s to %s',
    (_n, _container, filter, _tag, next) => {
      expect(isCandidate(parseFilter(filter), next)).toBe(true);
    },
  );

  it("shows the two contributor commands in the contributors' guide", () => {
    expect(readFileSync(join(root, 'docs', 'contributing.md'), 'utf8')).toContain('npm ci\nnpm test');
  });

  // Each whole workflow shown (a block with `jobs:`): a job that runs this Action with the workflow's
  // token has what it writes with. A job's `permissions` replace the workflow's, as on GitHub.
  const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((block) => block[1]!)
    .filter((text) => /^jobs:$/m.test(text))
    .map(
      (text) =>
        parse(text) as {
          permissions?: Record<string, string>;
          jobs: Record<
            string,
            {
              permissions?: Record<string, string>;
              steps: { uses?: string; with?: Record<string, unknown> }[];
            }
          >;
        },
    );
  const jobsRunningTheAction = workflows.flatMap((workflow, w) =>
    Object.entries(workflow.jobs).flatMap(([name, job]) =>
      job.steps
        .filter((step) => /\/helmrelease-image-updater@/.test(step.uses ?? '') && !step.with?.token)
        .map(
          (step) =>
            [`workflow ${w + 1}, job ${name}`, job.permissions ?? workflow.permissions ?? {}, step] as const,
        ),
    ),
  );

  it('shows whole workflows running this Action', () => {
    expect(jobsRunningTheAction.length).toBeGreaterThanOrEqual(3);
  });

  it.each(jobsRunningTheAction)(
    '%s grants what the step writes with (issues: write for the dashboard)',
    (_name, permissions, step) => {
      const needed: Record<string, string> = { contents: 'write', 'pull-requests': 'write' };
      if (String(step.with?.dashboard) === 'true') needed.issues = 'write';
      expect(Object.fromEntries(Object.keys(needed).map((scope) => [scope, permissions[scope]]))).toEqual(
        needed,
      );
    },
  );

  // Every placeholder a title template may use is named where the input is described, and no other.
  it.each([
    ['the README', readme.split('\n').find((line) => line.startsWith('| `title-template` |')) ?? ''],
    ['action.yml', action.inputs['title-template']!.description],
  ])('%s names the placeholders of title-template', (_where, text) => {
    const named = [...text.matchAll(/\{([a-z]+)\}/g)].map((m) => m[1]!);
    expect([...new Set(named)].sort()).toEqual([...TEMPLATE_PLACEHOLDERS].sort());
  });

  // The values of each input that takes one of a few words, in both places users read them.
  it.each([
    ['group-by', GROUP_BY_VALUES],
    ['detection', DETECTION_MODES],
    ['automerge', AUTOMERGE_LEVELS],
    ['merge-method', MERGE_METHODS],
  ] as const)('%s: the README row and action.yml name every value it takes', (name, values) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`)) ?? '';
    const description = action.inputs[name]!.description;
    expect(values.filter((value) => !row.includes(`\`${value}\``))).toEqual([]);
    expect(values.filter((value) => !description.includes(`\`${value}\``))).toEqual([]);
  });

  // The limits the docs give an input are the ones the settings hold to: the bounds are taken, one
  // past them is refused.
  const rowOf = (name: string) => readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`)) ?? '';
  const takes = (name: string, value: string) => {
    try {
      parseSettings((input) => (input === name ? value : undefined));
      return true;
    } catch {
      return false;
    }
  };

  it.each(['max-pull-requests', 'registry-concurrency'])(
    '%s: the range the docs give is the one taken',
    (name) => {
      const ranges = [rowOf(name), action.inputs[name]!.description].map((text) =>
        /\((\d+) to (\d+)\)/.exec(text)?.slice(1).map(Number),
      );
      expect(ranges[1]).toEqual(ranges[0]);
      const [low, high] = ranges[0]!;
      expect([low! - 1, low, high, high! + 1].map((n) => takes(name, String(n)))).toEqual([
        false,
        true,
        true,
        false,
      ]);
    },
  );

  it.each(['tag-digest-max-age', 'minimum-release-age', 'registry-budget'])(
    '%s: the longest time the docs give is the one taken',
    (name) => {
      const longest = [rowOf(name), action.inputs[name]!.description].map((text) =>
        /at most `(\d+)([smhd])`/.exec(text)?.slice(1),
      );
      expect(longest[1]).toEqual(longest[0]);
      const [amount, unit] = longest[0]!;
      expect([takes(name, `${amount}${unit}`), takes(name, `${Number(amount) + 1}${unit}`)]).toEqual([
        true,
        false,
      ]);
    },
  );

  it('gives the workflow example least-privilege permissions', () => {
    const workflow = readme.split('```yaml\n')[1].split('```')[0];
    const permissions = (parse(workflow) as { permissions: Record<string, string> }).permissions;
    expect(permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const plain = text.replace(/```[\s\S]*?```/g, '');
  return new Set([...plain.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

describe('README and docs/ links', () => {
  const documents = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const cases = documents.flatMap((document) => {
    const text = readFileSync(join(root, document), 'utf8');
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => [document, target] as const);
  });

  it('has links to check', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases)('%s: %s leads to a file and heading that exist', (document, target) => {
    const [path, hash] = target.split('#');
    const file = path === '' ? join(root, document) : join(root, dirname(document), path);
    expect(existsSync(file)).toBe(true);
    if (hash !== undefined) expect(anchorsOf(readFileSync(file, 'utf8'))).toContain(hash);
  });
});
