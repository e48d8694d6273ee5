// `launch-review worker`: a scan worker process of the Postgres deployment. Run any number, on any machines pointed at
// the same DATABASE_URL: each takes scan jobs (pg-boss) and runs them in its own pool of worker threads, and one of
// them takes each minute's scheduler tick. SIGTERM/SIGINT stop taking jobs and let the running scans finish.
import { parseArgs } from "node:util";
import { z } from "zod";
import { prepareDatabase } from "@/db/client";
import { withoutJobQueue } from "@/lib/jobs/queue-kind";
import { startScanWorkers, stopScanWorkers } from "@/lib/jobs/scan-workers";
import { checkedFlags, UsageError } from "../usage";

const WorkerFlags = z.object({
  concurrency: z.coerce.number({ message: "--concurrency must be a number" }).int().min(1, "--concurrency must be at least 1").max(64).optional(),
});

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { concurrency: { type: "string" } } });
  const flags = checkedFlags(WorkerFlags, values);
  const refusal = withoutJobQueue("worker");
  if (refusal) throw new UsageError(refusal);
  await prepareDatabase(); // connects and applies migrations, like the web process
  await startScanWorkers({ concurrency: flags.concurrency });
  process.stderr.write("launch-review: worker started; taking scan jobs (Ctrl-C stops after the running scans).\n");
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`launch-review: ${signal}: finishing the running scans…\n`);
      stopScanWorkers(true).then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
