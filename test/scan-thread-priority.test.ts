// Scans are background work: a scan thread (the bundled worker the pool loads, dist/cli/scan-worker.cjs, built by
// `npm run build:cli` before the suite) lowers its own CPU priority and that of the process's other threads (V8's
// helpers, which collect the scan's heap), and never the main thread's, which keeps answering pages first. Linux
// keeps a nice value per thread; /proc shows each thread's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { scanWorkerFile } from "@/lib/jobs/scan-pool";
import { lowerBackgroundThreads, SCAN_THREAD_NICE } from "@/lib/jobs/thread-priority";

/** The nice value of each thread of this process, by thread id, from /proc/self/task/<tid>/stat (field 19). */
function threadNiceValues(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync("/proc/self/task")) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]));
    } catch {
      // The thread ended while we looked.
    }
  }
  return out;
}

describe.runIf(process.platform === "linux")("a scan thread's priority", () => {
  it("lowers the scan thread and the process's other threads to nice 10, and the main thread keeps its own", async () => {
    const mainBefore = os.getPriority();
    const worker = new Worker(`require(${JSON.stringify(scanWorkerFile())}); require("node:worker_threads").parentPort.postMessage("loaded");`, {
      eval: true,
    });
    try {
      await new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      const nice = threadNiceValues();
      const others = [...nice].filter(([tid]) => tid !== process.pid);
      // The scan thread and V8's helper threads at the least.
      expect(others.length).toBeGreaterThanOrEqual(2);
      expect(others.filter(([, n]) => n < SCAN_THREAD_NICE)).toEqual([]);
      expect(nice.get(process.pid)).toBe(mainBefore);
      expect(os.getPriority()).toBe(mainBefore);
    } finally {
      await worker.terminate();
    }
  });

  it("never makes a nicer thread less nice", () => {
    const helper = [...threadNiceValues().keys()].find((tid) => tid !== process.pid)!;
    os.setPriority(helper, 15);
    lowerBackgroundThreads(SCAN_THREAD_NICE);
    expect(threadNiceValues().get(helper)).toBe(15);
  });
});

describe("lowerBackgroundThreads", () => {
  it("changes nothing outside Linux, where a nice value is the whole process's", () => {
    const before = os.getPriority();
    expect(lowerBackgroundThreads(SCAN_THREAD_NICE, { platform: "darwin" })).toEqual({ lowered: 0, failed: 0 });
    expect(os.getPriority()).toBe(before);
  });

  it("counts a thread that ended meanwhile as not changed, and goes on", () => {
    const tasks = fs.mkdtempSync(path.join(os.tmpdir(), "lr-tasks-"));
    try {
      // Thread ids that can't exist (above Linux's pid_max), and a name that isn't one.
      for (const name of ["4194305", "4194306", "self"]) fs.mkdirSync(path.join(tasks, name));
      expect(lowerBackgroundThreads(SCAN_THREAD_NICE, { tasks, platform: "linux" })).toEqual({ lowered: 0, failed: 2 });
    } finally {
      fs.rmSync(tasks, { recursive: true, force: true });
    }
  });

  it("answers nothing changed when the thread list can't be read", () => {
    expect(lowerBackgroundThreads(SCAN_THREAD_NICE, { tasks: "/nonexistent/task", platform: "linux" })).toEqual({ lowered: 0, failed: 0 });
  });
});
