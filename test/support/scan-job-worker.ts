// A `launch-review worker` stand-in for tests of the scan jobs (test/scan-jobs.test.ts): takes scan jobs from the
// database in PG_URL, says which it started on stdout, and never finishes one, so the test can kill it mid-scan.
import { ScanJobs } from "@/lib/jobs/scan-jobs";
import { testScanJobOptions } from "./scan-job-options";

async function main(): Promise<void> {
  const url = process.env.PG_URL;
  if (!url) throw new Error("PG_URL is required");
  const jobs = await ScanJobs.start(url, testScanJobOptions);
  await jobs.work(1, async ({ scanId, retry }) => {
    process.stdout.write(`started ${scanId} ${retry}\n`);
    await new Promise(() => {});
  });
  process.stdout.write("ready\n");
}

void main();
