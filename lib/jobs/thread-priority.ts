// Scans are background work, and so is the work V8 does for them on its own threads. A scan thread's heap is
// collected, and its code compiled, mostly on V8's helper threads, which the whole process shares: measured during
// `npm run bench app`, they used 40–95 % of a core while a 2,000-file connector scanned, at the web thread's
// priority, and the web thread waited for a core (up to 88 ms of one page's answer, /proc/thread-self/schedstat).
// Linux keeps a nice value per thread (setpriority on a thread id changes that thread only), so a scan thread lowers
// itself and every other thread of the process but the main one, which answers pages. Elsewhere a nice value
// belongs to the whole process, and nothing is changed.
import fs from "node:fs";
import os from "node:os";

export const SCAN_THREAD_NICE = 10;

export interface LoweredThreads {
  /** Threads whose nice value was raised to the target. */
  lowered: number;
  /** Threads that could not be changed (gone meanwhile, or not permitted). */
  failed: number;
}

/**
 * Raises the nice value of the calling thread and of every other thread of this process except the main one to
 * `nice`, never lowering one that is already nicer. Linux only; elsewhere a no-op.
 */
export function lowerBackgroundThreads(
  nice: number = SCAN_THREAD_NICE,
  { tasks = "/proc/self/task", mainThread = process.pid, platform = process.platform } = {},
): LoweredThreads {
  const out: LoweredThreads = { lowered: 0, failed: 0 };
  if (platform !== "linux") return out;
  let ids: number[];
  try {
    ids = fs.readdirSync(tasks).map(Number).filter(Number.isSafeInteger);
  } catch {
    return out;
  }
  for (const id of ids) {
    if (id === mainThread) continue;
    try {
      if (os.getPriority(id) >= nice) continue;
      os.setPriority(id, nice);
      out.lowered += 1;
    } catch {
      // The thread ended meanwhile, or the change isn't permitted: it keeps its priority.
      out.failed += 1;
    }
  }
  return out;
}
