// Child of bench/workers: in a process whose DATABASE_URL points at the bench's PostgreSQL (the dialect is chosen when
// modules load, hence a process of its own), registers COUNT copies of a connector folder and queues a scan of each as
// a pg-boss job, the way the app does; then exits. The workers take it from there.
import { prepareDatabase } from "@/db/client";
import { insertTeam } from "@/db/queries/teams";
import { registerLocalConnector } from "@/lib/connectors";
import { stopScanJobs } from "@/lib/jobs/dispatch";

async function main(): Promise<void> {
  const folder = process.env.BENCH_CONNECTOR!;
  const count = Number(process.env.BENCH_COUNT);
  await prepareDatabase();
  const team = await insertTeam(`bench-${Date.now()}`);
  const actor = { id: "bench", correlationId: "bench" };
  for (let i = 0; i < count; i++)
    await registerLocalConnector({ name: `bench-${team.id}-${i}`, path: folder, subdirectory: "", scanNow: true, teamId: team.id }, actor);
  await stopScanJobs();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
