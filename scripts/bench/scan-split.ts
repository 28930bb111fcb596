/**
 * `npm run bench -- --scan-split [--small | --issue-corpus]`: where the scan's time goes, in process
 * and without the registry. Each step runs alone in a fresh Node process (cold, like the CLI), three
 * times, and the medians of its CPU time (user + system, all threads) and wall time are kept:
 *
 *   read   list the corpus and read every file, keeping those that spell `HelmRelease` (the CLI's read)
 *   parse  read, then parse the documents of those files that may hold a HelmRelease, as the scan does
 *   scan   read, then scan each of them (`scanFile`: parse and read the releases)
 *   floor  the parse of the HelmRelease documents alone, the CLI's (yaml-documents.ts; the bench's floor)
 *
 * so parse - read is the scan's parse, and scan - parse the reading of the releases (keys,
 * duplicate keys, annotations, detection, filters). Run as `tsx scripts/bench/scan-split.ts --step=...`
 * it is one such child.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LineCounter } from 'yaml';
import { createWorkspaceFiles } from '../../src/adapters/workspace-files.js';
import { parseWantedFile } from '../../src/helmrelease/go-yaml-documents.js';
import { documentsContaining } from '../../src/helmrelease/parse-documents.js';
import { mayHoldHelmRelease, scanFile } from '../../src/helmrelease/scan-file.js';
import { parseDocuments } from '../../src/helmrelease/yaml-documents.js';
import { generateCorpus, writeCorpus, type CorpusSize } from './corpus.js';
import { fmt } from './format.js';

const STEPS = ['read', 'parse', 'scan', 'floor'] as const;
type Step = (typeof STEPS)[number];

/** One step's medians. */
export interface StepTime {
  step: Step;
  cpuMs: number;
  wallMs: number;
}

/** What the split measured. */
export interface ScanSplit {
  files: number;
  releases: number;
  steps: StepTime[];
}

/** Runs one step in this process; returns its CPU and wall time and what it found. */
async function runStep(step: Step, dir: string, documents: readonly string[]) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let found = 0;
  if (step === 'floor') {
    const options = { version: '1.1', schema: 'failsafe', uniqueKeys: false } as const;
    for (const document of documents) found += parseDocuments(document, options, new LineCounter()).length;
  } else {
    const workspace = createWorkspaceFiles(dir);
    const candidates: { file: string; text: string }[] = [];
    for (const file of await workspace.listFiles()) {
      const read = await workspace.readFile(file);
      if (read.ok && mayHoldHelmRelease(read.text)) candidates.push({ file, text: read.text });
    }
    for (const { file, text } of candidates) {
      if (step === 'read') found += 1;
      else if (step === 'parse')
        found += parseWantedFile(text, documentsContaining(text, 'HelmRelease')).docs.length;
      else found += scanFile(file, text).releases.length;
    }
  }
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started, found };
}

/** Runs a child process and resolves with its standard output. */
function child(args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const root = resolve(import.meta.dirname, '..', '..');
    const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out: Buffer[] = [];
    proc.stdout.on('data', (c: Buffer) => out.push(c));
    proc.on('error', reject);
    proc.on('close', (code) =>
      code === 0
        ? resolvePromise(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`scan-split ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** Measures each step three times in fresh processes, the steps interleaved. */
export async function benchScanSplit(size: CorpusSize, sizeName: string): Promise<ScanSplit> {
  const corpus = generateCorpus(size);
  const dir = await mkdtemp(join(tmpdir(), 'hriu-scan-split-'));
  try {
    await writeCorpus(corpus, dir);
    const script = join(import.meta.dirname, 'scan-split.ts');
    const times = new Map<Step, { cpuMs: number; wallMs: number }[]>(STEPS.map((s) => [s, []]));
    let releases = 0;
    for (let round = 0; round < 3; round += 1) {
      for (const step of STEPS) {
        const result = JSON.parse(
          await child([script, `--step=${step}`, `--dir=${dir}`, `--size=${sizeName}`]),
        ) as { cpuMs: number; wallMs: number; found: number };
        times.get(step)!.push(result);
        if (step === 'scan') releases = result.found;
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
    return {
      files: corpus.files.size,
      releases,
      steps: STEPS.map((step) => ({
        step,
        cpuMs: median(times.get(step)!.map((t) => t.cpuMs)),
        wallMs: median(times.get(step)!.map((t) => t.wallMs)),
      })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The split as a table, with the differences that attribute the scan's time. */
export function renderScanSplit(split: ScanSplit): string {
  const at = (step: Step) => split.steps.find((s) => s.step === step)!;
  const rows: [string, number, number][] = [
    [`list and read ${fmt(split.files)} files`, at('read').cpuMs, at('read').wallMs],
    ['parse (parse - read)', at('parse').cpuMs - at('read').cpuMs, at('parse').wallMs - at('read').wallMs],
    [
      'reading the releases (scan - parse)',
      at('scan').cpuMs - at('parse').cpuMs,
      at('scan').wallMs - at('parse').wallMs,
    ],
    ['the whole scan, in process', at('scan').cpuMs, at('scan').wallMs],
    ['yaml-only parse of the HelmRelease documents (floor)', at('floor').cpuMs, at('floor').wallMs],
  ];
  const scanCpu = at('scan').cpuMs;
  return [
    `Scan split (${fmt(split.releases)} HelmReleases; each step in a fresh process, medians of three):`,
    '',
    '| step | CPU | share of the scan | wall |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([label, cpu, wall]) =>
        `| ${label} | ${fmt(cpu)} ms | ${((100 * cpu) / scanCpu).toFixed(0)}% | ${fmt(wall)} ms |`,
    ),
    '',
    `scan / yaml-only parse: ${(scanCpu / at('floor').cpuMs).toFixed(2)} in CPU time`,
    '',
  ].join('\n');
}

// As a child: one step, its times as JSON on stdout.
const stepArg = process.argv.find((a) => a.startsWith('--step='))?.slice('--step='.length);
if (stepArg !== undefined) {
  const { FULL_SIZE, ISSUE_SIZE, SMALL_SIZE } = await import('./corpus.js');
  const sizeName = process.argv.find((a) => a.startsWith('--size='))?.slice('--size='.length);
  const size = sizeName === 'small' ? SMALL_SIZE : sizeName === 'issue' ? ISSUE_SIZE : FULL_SIZE;
  const dir = process.argv.find((a) => a.startsWith('--dir='))!.slice('--dir='.length);
  // The corpus is generated before the clock starts (the floor needs its documents).
  const documents = STEPS.includes(stepArg as Step) ? generateCorpus(size).helmReleaseDocuments : [];
  process.stdout.write(JSON.stringify(await runStep(stepArg as Step, dir, documents)));
}
