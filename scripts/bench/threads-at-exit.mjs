// Loaded into the CLI's Node by the bench's `--threads` (`node --import <this> cli.js ...`): when
// the process exits, writes each of its threads' time on a core and time waiting for one
// (/proc/self/task/*/schedstat, Linux) to the file HRIU_BENCH_THREADS names, as JSON. Plain
// JavaScript, so the CLI's Node loads it without tsx; summed up by thread-times.ts.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const file = process.env.HRIU_BENCH_THREADS;
if (file) {
  process.on('exit', () => {
    const threads = [];
    try {
      for (const tid of readdirSync('/proc/self/task')) {
        const [onCpuNs, waitingNs] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8')
          .trim()
          .split(' ')
          .map(Number);
        const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
        threads.push({ name, main: Number(tid) === process.pid, onCpuNs, waitingNs });
      }
    } catch {
      // No /proc (not Linux) or no schedstat (a kernel without schedstats): nothing to report.
      return;
    }
    writeFileSync(file, JSON.stringify(threads));
  });
}
