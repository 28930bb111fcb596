// Jest reporter: after the run, prints the slowest test files, so a file that grows slow stays
// visible in CI's log (the suite must stay well inside CI's limits on a 2-core machine).

const SHOWN = 8;

class SlowestFilesReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ path: r.testFilePath, ms: r.perfStats.end - r.perfStats.start }))
      .filter((f) => Number.isFinite(f.ms))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    if (files.length < 2) return;
    const root = process.cwd() + '/';
    const lines = files.map(
      (f) => `  ${(f.ms / 1000).toFixed(1).padStart(6)} s  ${f.path.replace(root, '')}`,
    );
    process.stderr.write(`\nSlowest test files:\n${lines.join('\n')}\n`);
  }
}

export default SlowestFilesReporter;
