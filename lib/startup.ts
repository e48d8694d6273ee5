// What the app does once when the server starts: migrate, recover scans a killed process left behind, create
// the first administrator, seed the demo, and start the retention job.
import path from "node:path";
import { prepareDatabase } from "@/db/client";
import { countConnectors } from "@/db/queries/connectors";
import { failInterruptedScans } from "@/db/queries/scans";
import { findTeamByName, insertTeam } from "@/db/queries/teams";
import { ensureFirstAdmin, INITIAL_ADMIN_FILE } from "./auth/users";
import { newCorrelationId, registerLocalConnector } from "./connectors";
import { env } from "./env";
import { resendQueuedScans } from "./jobs/dispatch";
import { scanQueueKind } from "./jobs/queue-kind";
import { scanPool } from "./jobs/scan-pool";
import { startScanWorkers } from "./jobs/scan-workers";
import { scanQueue } from "./jobs/scan-queue";
import { startScheduler } from "./jobs/scheduler";
import { logger } from "./logger";
import { startRetentionJob } from "./retention";

const log = logger("startup");

export const DEMO_CONNECTOR_NAME = "Demo connector";
export const DEMO_TEAM_NAME = "Demo team";

export async function startup(): Promise<void> {
  await prepareDatabase(); // opens the database and applies migrations
  if (scanQueueKind() === "pg-boss") await startJobs();
  else await startEmbeddedQueue();

  const admin = await ensureFirstAdmin();
  if (admin) {
    const where = admin.generated ? ` (also saved to ${path.join(env().dataDir, INITIAL_ADMIN_FILE)}, readable only by you)` : "";
    // Printed on purpose, once: this is how a newcomer signs in the first time.
    process.stdout.write(
      `\nLaunch Review: created the first administrator.\n  Sign in at ${env().baseUrl}/sign-in\n  email:    ${admin.email}\n  password: ${admin.generated ? admin.password : "(from LAUNCH_REVIEW_ADMIN_PASSWORD)"}${where}\n  Change the password after signing in (Account page).\n\n`,
    );
  }

  if (env().LAUNCH_REVIEW_SEED_DEMO === "1" && (await countConnectors()) === 0) await seedDemo();
  await startRetentionJob();
  // On Postgres the tick is a pg-boss schedule the workers take (lib/jobs/scan-workers.ts), once for the deployment.
  if (env().LAUNCH_REVIEW_SCHEDULER === "1" && scanQueueKind() === "embedded") startScheduler();
}

/** The embedded queue: scans run in this process's worker threads, never on the event loop that serves pages. */
async function startEmbeddedQueue(): Promise<void> {
  const pool = scanPool();
  scanQueue().useExecutor((scanId) => pool.run(scanId));
  // Only this process runs scans, so a scan still "running" at start-up was cut off by a restart.
  const interrupted = await failInterruptedScans();
  if (interrupted.length > 0) log.warn({ scans: interrupted }, "marked interrupted scans as failed");
  await resendQueuedScans();
}

/**
 * pg-boss: scans are jobs. A running scan may belong to a worker on another machine, so nothing is failed
 * here (a lost worker's job comes back by itself); queued scans are sent again in case their job was never sent.
 */
async function startJobs(): Promise<void> {
  await resendQueuedScans();
  if (env().LAUNCH_REVIEW_WORKER === "1") await startScanWorkers();
}

/** Registers and queues a scan of the bundled demo connector (allowed whatever LAUNCH_REVIEW_LOCAL_ROOT says). */
export async function seedDemo(): Promise<void> {
  const team = (await findTeamByName(DEMO_TEAM_NAME)) ?? (await insertTeam(DEMO_TEAM_NAME));
  const demo = env().demoFolder;
  try {
    const { connector } = await registerLocalConnector(
      { name: DEMO_CONNECTOR_NAME, path: demo, subdirectory: "", scanNow: true, teamId: team.id },
      { id: "system", correlationId: newCorrelationId() },
    );
    log.info({ connectorId: connector.id }, "registered and queued a scan of the bundled demo connector");
  } catch (error) {
    log.warn({ err: error }, "could not register the demo connector");
  }
}
