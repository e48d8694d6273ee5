// A throwaway PostgreSQL for the Postgres end-to-end run (e2e/postgres.config.ts starts it beside the app): a cluster
// on a free port with an empty database, its port printed once ready, stopped and deleted on SIGTERM or SIGINT.
import { startPostgresCluster } from "./postgres";

async function main(): Promise<void> {
  const cluster = await startPostgresCluster();
  await cluster.createDatabase("launch_review");
  process.stdout.write(`test postgres listening on 127.0.0.1:${cluster.port}\n`);
  const stop = () => void cluster.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  setInterval(() => {}, 1 << 30); // stays up until stopped
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
