// Mutation testing of the pure core (npm run mutate). Not part of .ci/run: a full run takes long on
// 2 cores. Run it before a change to the core lands; `-- --mutate 'src/filters/**/*.ts'` narrows it.
// Incremental: only mutants in changed code or covered by changed tests are run again.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { configFile: 'jest.config.js', enableFindRelatedTests: true },
  // The suites that exercise the pure core; the registry, GitHub and e2e suites start servers and
  // add minutes per mutant without covering more of it.
  mutate: ['src/helmrelease/**/*.ts', 'src/filters/**/*.ts', 'src/plan/**/*.ts', 'src/edit/**/*.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 2,
  timeoutMS: 5000,
  tempDirName: '.stryker-tmp',
};
