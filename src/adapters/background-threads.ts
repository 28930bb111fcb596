/**
 * V8's background threads made to give way to the main thread (issue 17). A run's requests are
 * sent and their answers read on the main thread, while V8's four workers compile the functions
 * a run makes hot and help its collector. On a runner of two cores, early in a run, those
 * workers held the cores the main thread waited for: a warm run's main thread spent about 100 ms
 * ready to run and not running, and the answers it had to read, and the requests it had to send
 * after them, waited with it (docs/performance.md, round 29). At a lower priority (a higher nice value) the
 * workers still use every core the main thread leaves idle; they only wait where the two want
 * the same one.
 *
 * Linux keeps a nice value per thread, and `setpriority` takes a thread's id for its process id
 * there. Node 24 (the Action's runtime) names V8's workers `V8Worker`; a Node that leaves its
 * threads unnamed (22), or a system without /proc (macOS, Windows), is left as it is. A worker
 * is lowered by {@link NICE_STEP} from where it is, so a run started under `nice` keeps its
 * workers below its main thread too, and none is ever raised (that needs a privilege, and would
 * undo what whoever started the run chose). Nothing here throws: a thread that cannot be lowered
 * costs only the time it would have given.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How far V8's workers are lowered below where they were started: 10 steps, where a thread has
 * about a tenth of a core's time against one at the main thread's.
 */
export const NICE_STEP = 10;

/** The lowest priority there is (the highest nice value). */
const LOWEST = 19;

/** The name Node gives each of V8's worker threads (Linux's `comm`, up to 15 bytes). */
const V8_WORKER_NAME = 'V8Worker';

/** A thread of this process, as /proc lists it. */
export interface ListedThread {
  id: number;
  name: string;
}

/** The threads to lower among `threads`: V8's workers, by name. */
export function v8WorkerThreads(threads: readonly ListedThread[]): number[] {
  return threads.filter((thread) => thread.name === V8_WORKER_NAME).map((thread) => thread.id);
}

/** Where the threads are read, and how one's priority is set: the process's own, by default. */
export interface ThreadAccess {
  /** This process's threads (/proc/self/task). */
  list(): ListedThread[];
  getNice(id: number): number;
  setNice(id: number, nice: number): void;
}

const PROC_TASKS = '/proc/self/task';

const processThreads: ThreadAccess = {
  list: () =>
    readdirSync(PROC_TASKS).map((id) => ({
      id: Number(id),
      // A thread that ended since the listing has no name to read: it is not lowered.
      name: readName(id),
    })),
  getNice: (id) => getPriority(id),
  setNice: (id, nice) => setPriority(id, nice),
};

function readName(id: string): string {
  try {
    return readFileSync(`${PROC_TASKS}/${id}/comm`, 'utf8').trimEnd();
  } catch {
    return '';
  }
}

/**
 * Lowers V8's worker threads by {@link NICE_STEP} and returns how many were lowered. Call it as
 * the process starts: V8's pool is made with the process and keeps its threads.
 */
export function lowerV8Workers(access: ThreadAccess = processThreads): number {
  let threads: ListedThread[];
  try {
    threads = access.list();
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const id of v8WorkerThreads(threads)) {
    try {
      const nice = access.getNice(id);
      if (nice >= LOWEST) continue;
      access.setNice(id, Math.min(LOWEST, nice + NICE_STEP));
      lowered += 1;
    } catch {
      // Ended meanwhile, or a system that refuses: the others are still lowered.
    }
  }
  return lowered;
}
