/**
 * The dashboard's link to the run's workflow: made only of the runner's variables, only for a
 * workflow file of this repository, and the same whatever ref the run is for.
 */
import { workflowLink, type WorkflowLink, type WorkflowVariables } from '../src/workflow-link.js';

const RUNS = 'https://github.com/acme/fleet/actions/workflows/image-updates.yml';
const FILE = 'https://github.com/acme/fleet/blob/HEAD/.github/workflows/image-updates.yml';
const VARIABLES: WorkflowVariables = {
  serverUrl: 'https://github.com',
  repository: 'acme/fleet',
  workflowRef: 'acme/fleet/.github/workflows/image-updates.yml@refs/heads/main',
  workflowName: 'Image updates',
};

describe('workflowLink', () => {
  it.each<[string, Partial<WorkflowVariables>, WorkflowLink | undefined]>([
    ['a scheduled run on the default branch', {}, { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE }],
    [
      'a run for a pull request: the same link (the ref is not used)',
      { workflowRef: 'acme/fleet/.github/workflows/image-updates.yml@refs/pull/7/merge' },
      { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'a workflow without a name: its file’s',
      { workflowName: '' },
      { name: 'image-updates.yml', runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'the repository in another case',
      { workflowRef: 'Acme/Fleet/.github/workflows/image-updates.yml@refs/heads/main' },
      { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'GitHub Enterprise Server, with a trailing slash',
      { serverUrl: 'https://ghe.example.com/' },
      {
        name: 'Image updates',
        runsUrl: 'https://ghe.example.com/acme/fleet/actions/workflows/image-updates.yml',
        fileUrl: 'https://ghe.example.com/acme/fleet/blob/HEAD/.github/workflows/image-updates.yml',
      },
    ],
    [
      'a long name is capped',
      { workflowName: 'n'.repeat(150) },
      { name: `${'n'.repeat(99)}…`, runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'the run, by its id and number',
      { runId: '9876543210', runNumber: '42' },
      {
        name: 'Image updates',
        runsUrl: RUNS,
        fileUrl: FILE,
        run: { url: 'https://github.com/acme/fleet/actions/runs/9876543210', number: '42' },
      },
    ],
    [
      'a run id that is not digits: no run',
      { runId: '98/../1', runNumber: '42' },
      { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'a run without a number: no run',
      { runId: '9876543210' },
      { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE },
    ],
    [
      'a run number that is not digits: no run',
      { runId: '9876543210', runNumber: '#42' },
      { name: 'Image updates', runsUrl: RUNS, fileUrl: FILE },
    ],
    ['no workflow ref (an older GHES, or a local run)', { workflowRef: undefined }, undefined],
    [
      'another repository’s workflow',
      { workflowRef: 'mallory/fleet/.github/workflows/image-updates.yml@refs/heads/main' },
      undefined,
    ],
    [
      'a repository whose name starts like this one’s',
      { workflowRef: 'acme/fleet-2/.github/workflows/image-updates.yml@refs/heads/main' },
      undefined,
    ],
    [
      'a workflow GitHub made up',
      { workflowRef: 'acme/fleet/dynamic/pages/pages-build@refs/heads/main' },
      undefined,
    ],
    [
      'a file in a subfolder (GitHub runs none)',
      { workflowRef: 'acme/fleet/.github/workflows/a/b.yml@refs/heads/main' },
      undefined,
    ],
    [
      'a file name with characters a link would need escaped',
      { workflowRef: 'acme/fleet/.github/workflows/x).yml@refs/heads/main' },
      undefined,
    ],
    ['a server that is no http(s) URL', { serverUrl: 'javascript:alert(1)' }, undefined],
    ['a repository that is no owner/name', { repository: 'acme/fleet/x' }, undefined],
  ])('%s', (_name, overrides, expected) => {
    expect(workflowLink({ ...VARIABLES, ...overrides })).toEqual(expected);
  });
});
