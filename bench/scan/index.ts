// Full pipeline on the demo connector and on a generated 2,000-file connector: how long a scan takes end to end.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runScan } from "@/lib/engine/scan";
import { mb, ms, time } from "../support/measure";

function generateRepo(root: string, files: number): number {
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, "src", `module${i % 50}`);
    fs.mkdirSync(dir, { recursive: true });
    const body =
      `import { z } from "zod";\n// file ${i}\nexport const schema${i} = z.object({ id: z.string(), count: z.number() });\n`.repeat(20);
    fs.writeFileSync(path.join(dir, `file${i}.ts`), body);
    bytes += body.length;
  }
  return bytes;
}

export async function main(): Promise<void> {
  const demo = path.resolve("examples/demo-connector");
  const demoTiming = await time(10, () => runScan({ kind: "local", path: demo }));
  console.log(`demo connector: p50 ${ms(demoTiming.p50)}, p95 ${ms(demoTiming.p95)} over ${demoTiming.runs} runs`);

  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-scan-"));
  try {
    const bytes = generateRepo(root, 2000);
    const timing = await time(3, () => runScan({ kind: "local", path: root }));
    const report = await runScan({ kind: "local", path: root });
    console.log(`generated repo: ${report.stats.files} files, ${mb(bytes)}: p50 ${ms(timing.p50)}, max ${ms(timing.max)}`);
    console.log(`per file: ${(timing.p50 / report.stats.files).toFixed(3)} ms`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
