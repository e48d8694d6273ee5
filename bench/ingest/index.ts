// GitHub ingestion of a generated 5,000-file, 50 MB repository through the fake GitHub (a separate process, so its
// memory is not counted here): wall time, peak memory and GitHub API requests per ingest.
import { spawn } from "node:child_process";
import path from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { DEFAULT_LIMITS } from "@/lib/engine/snapshot";
import { readGitHubRepository } from "@/lib/engine/sources/github";
import { DEFAULT_ARCHIVE_LIMITS } from "@/lib/engine/sources/types";
import { mb, ms } from "../support/measure";

// A full collection between runs, so one run's snapshot is not counted in the next one's peak.
v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const FILES = 5_000;
const BYTES = 50 * 1024 * 1024;

async function startFakeGitHub(): Promise<{ apiUrl: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("test", "support", "fake-github-server.ts")], {
    env: { ...process.env, FAKE_GITHUB_BENCH_FILES: String(FILES), FAKE_GITHUB_BENCH_BYTES: String(BYTES) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const apiUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on("exit", (code) => reject(new Error(`fake GitHub exited with ${code}`)));
  });
  return { apiUrl, stop: () => child.kill("SIGTERM") };
}

/**
 * Samples memory every few milliseconds: the JS heap, and the Buffers outside it that hold file contents. The RSS
 * peak comes from the OS (maxRSS covers the whole process life).
 */
function memorySampler() {
  let heap = 0;
  let buffers = 0;
  const sample = () => {
    heap = Math.max(heap, v8.getHeapStatistics().used_heap_size);
    buffers = Math.max(buffers, process.memoryUsage().arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { heap, buffers };
    },
  };
}

interface Run {
  wall: number;
  heap: number;
  buffers: number;
  requests: number;
  files: number;
  bytes: number;
}

/** One ingest, in its own function so its snapshot is garbage once it returns (an async frame keeps its locals). */
async function ingestOnce(apiUrl: string): Promise<Run> {
  // Let stream clean-up from the previous run settle, then collect, so each run starts from the same memory.
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
  const memory = memorySampler();
  const t0 = performance.now();
  const result = await readGitHubRepository(
    { kind: "github", repository: "bench/generated", apiUrl },
    { limits: DEFAULT_LIMITS, archiveLimits: DEFAULT_ARCHIVE_LIMITS, signal: new AbortController().signal },
  );
  const wall = performance.now() - t0;
  return { wall, ...memory.stop(), requests: result.githubRequests, files: result.snapshot.fileCount, bytes: result.snapshot.totalBytes };
}

export async function main(): Promise<void> {
  const fake = await startFakeGitHub();
  try {
    const baselineRss = process.memoryUsage().rss;
    const runs: Run[] = [];
    for (let i = 0; i < 3; i++) runs.push(await ingestOnce(fake.apiUrl));
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const walls = runs.map((r) => r.wall).sort((a, b) => a - b);
    const first = runs[0]!;
    console.log(`generated repository: ${first.files.toLocaleString("en-US")} files, ${mb(first.bytes)} of text`);
    console.log(`ingest wall time: p50 ${ms(walls[1]!)}, min ${ms(walls[0]!)}, max ${ms(walls[2]!)} over ${runs.length} runs`);
    console.log(
      `peak RSS: ${mb(peakRss)} (before the first ingest: ${mb(baselineRss)}); peak JS heap used: ${mb(Math.max(...runs.map((r) => r.heap)))}; ` +
        `peak Buffer memory (file contents): ${mb(Math.max(...runs.map((r) => r.buffers)))}`,
    );
    console.log(`GitHub API requests per ingest: ${runs.map((r) => r.requests).join(", ")}`);
  } finally {
    fake.stop();
  }
}
