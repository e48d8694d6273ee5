// Scans are background work: a scan thread (the bundled worker the pool loads, dist/cli/scan-worker.cjs, built by
// `npm run build:cli` before the suite) lowers its own CPU priority, and only its own, so the web process's main
// thread keeps answering pages first. Linux keeps a nice value per thread; /proc shows each thread's.
import fs from "node:fs";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { scanWorkerFile } from "@/lib/jobs/scan-pool";

/** The nice value of each thread of this process, from /proc/self/task/<tid>/stat (field 19). */
function threadNiceValues(): number[] {
  return fs.readdirSync("/proc/self/task").map((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

describe.runIf(process.platform === "linux")("a scan thread's priority", () => {
  it("is lowered to nice 10 in the scan thread, and the main thread keeps its own", async () => {
    const before = threadNiceValues().filter((n) => n === 10).length;
    const mainBefore = os.getPriority();
    const worker = new Worker(`require(${JSON.stringify(scanWorkerFile())}); require("node:worker_threads").parentPort.postMessage("loaded");`, {
      eval: true,
    });
    try {
      await new Promise((resolve, reject) => {
        worker.once("message", resolve);
        worker.once("error", reject);
      });
      expect(threadNiceValues().filter((n) => n === 10).length).toBe(before + 1);
      expect(os.getPriority()).toBe(mainBefore);
    } finally {
      await worker.terminate();
    }
  });
});
