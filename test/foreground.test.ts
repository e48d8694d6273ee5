import http from "node:http";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import { toolDescriptionsCheck } from "@/checks/tool-descriptions";
import { Facts } from "@/lib/engine/facts/container";
import { runScan } from "@/lib/engine/scan";
import { ForegroundGauge, Pacer, trackRequests, type Foreground } from "@/lib/jobs/foreground";
import { checkContext, snapshotOf, tsServer } from "./support/rules";

/** A foreground whose waits are recorded instead of slept, on a clock the test moves. */
function fakeForeground(inFlight: number) {
  const clock = { now: 0 };
  const waits: number[] = [];
  const foreground: Foreground & { inFlight: number } = {
    inFlight,
    waitQuiet(ms) {
      waits.push(ms);
      clock.now += ms;
    },
  };
  return { foreground, clock, waits };
}

describe("pacing a scan while pages are being answered", () => {
  it("never waits while no request is in flight", () => {
    const { foreground, clock, waits } = fakeForeground(0);
    const pacer = new Pacer(foreground, { now: () => clock.now });
    for (let i = 0; i < 100; i++) {
      clock.now += 1;
      pacer.pace();
    }
    expect(waits).toEqual([]);
    expect(pacer.pausedMs).toBe(0);
  });

  it("waits a bounded moment while a request is in flight, and never for more than half of the scan's time", () => {
    const { foreground, clock, waits } = fakeForeground(1);
    const pacer = new Pacer(foreground, { maxPauseMs: 25, now: () => clock.now });
    for (let i = 0; i < 200; i++) {
      clock.now += 2; // two milliseconds of scanning between yield points
      pacer.pace();
    }
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBe(25);
    const paused = waits.reduce((a, b) => a + b, 0);
    const worked = 200 * 2;
    // At most one pause beyond the even split: the scan keeps at least about half of its time.
    expect(paused).toBeLessThanOrEqual(worked + 25);
    expect(paused).toBeGreaterThan(worked / 2);
    expect(pacer.pausedMs).toBe(paused);
  });
});

describe("the foreground gauge", () => {
  it("wakes a waiting scan thread as soon as the last request ends", async () => {
    const gauge = new ForegroundGauge();
    gauge.begin();
    // The worker waits up to 5 s for quiet and reports how long it waited.
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const count = new Int32Array(workerData);
       parentPort.postMessage("waiting");
       const t0 = performance.now();
       while (Atomics.load(count, 0) > 0) Atomics.wait(count, 0, Atomics.load(count, 0), 5000);
       parentPort.postMessage(performance.now() - t0);`,
      { eval: true, workerData: gauge.buffer },
    );
    const messages: unknown[] = [];
    const waited = new Promise<number>((resolve) =>
      worker.on("message", (m) => {
        messages.push(m);
        if (typeof m === "number") resolve(m);
      }),
    );
    while (messages.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    gauge.end();
    expect(await waited).toBeLessThan(2_000);
    expect(gauge.inFlight).toBe(0);
    await worker.terminate();
  });

  it("returns from waitQuiet after at most the given time while a request stays in flight", () => {
    const gauge = new ForegroundGauge();
    gauge.begin();
    const t0 = performance.now();
    gauge.waitQuiet(30);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(25);
    expect(took).toBeLessThan(1_000);
  });
});

describe("counting the web thread's requests", () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  it("counts a request from its start until its response closes, answered or abandoned", async () => {
    const gauge = trackRequests();
    const seen: number[] = [];
    let release: () => void = () => {};
    server = http.createServer((req, res) => {
      seen.push(gauge.inFlight);
      if (req.url === "/hang") return; // never answered: the client gives up
      release = () => res.end("ok");
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const answered = fetch(`http://127.0.0.1:${port}/slow`).then((r) => r.text());
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(gauge.inFlight).toBeGreaterThanOrEqual(1);
    release();
    expect(await answered).toBe("ok");
    const abandoned = new AbortController();
    const hung = fetch(`http://127.0.0.1:${port}/hang`, { signal: abandoned.signal }).catch(() => "aborted");
    while (seen.length === 1) await new Promise((r) => setTimeout(r, 5));
    abandoned.abort();
    expect(await hung).toBe("aborted");
    for (let i = 0; i < 100 && gauge.inFlight !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen[0]).toBeGreaterThanOrEqual(1);
    expect(gauge.inFlight).toBe(0);
    // Installed once per process: a second call gives the gauge already counting.
    expect(trackRequests()).toBe(gauge);
  });
});

describe("the engine's yield point", () => {
  it("is called between the files it reads and parses and between its checks", async () => {
    let calls = 0;
    const report = await runScan({ kind: "local", path: "examples/demo-connector" }, { pace: () => void calls++ });
    // Each file read, each source file parsed, each tool read and each check: at least one call apiece.
    expect(calls).toBeGreaterThan(report.stats.files + CHECKS.length);
  });

  it("is called inside the long steps too: file by file while Python tools are read and calls are linked", async () => {
    const n = 6;
    const files = Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `server/tool_${i}.py`,
        `import httpx\nfrom mcp.server.fastmcp import FastMCP\nmcp = FastMCP("s")\n\n@mcp.tool()\ndef lookup_${i}(q: str) -> str:\n    """Looks up ${i}."""\n    return httpx.get(q).text\n`,
      ]),
    );
    let calls = 0;
    const facts = await new Facts(snapshotOf(files), { pace: () => void calls++ }).prepare();
    expect(facts.tools.tools).toHaveLength(n);
    // Per file: parsed; imports resolved; calls linked; its tools read (two passes). Between files only, it was n.
    expect(calls).toBeGreaterThanOrEqual(5 * n);
  });

  it("is called between tools inside a check that goes tool by tool", async () => {
    const n = 12;
    const body = Array.from({ length: n }, (_, i) => `  server.registerTool("lookup_${i}", { description: "Looks up record ${i}." }, async () => ({ content: [] }));`);
    let calls = 0;
    const snapshot = snapshotOf(tsServer(body.join("\n")));
    const ctx = await checkContext(snapshot, {}, new Facts(snapshot, { pace: () => void calls++ }));
    // Once to build the facts the check reads (their builders pace too), then counted: the check's own calls.
    await toolDescriptionsCheck.run(ctx);
    calls = 0;
    await toolDescriptionsCheck.run(ctx);
    expect(ctx.facts.tools.tools).toHaveLength(n);
    expect(calls).toBeGreaterThanOrEqual(n);
  });
});
