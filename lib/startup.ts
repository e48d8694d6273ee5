// What the app does once when the server starts: migrate, recover scans a killed process left behind, seed the demo.
import path from "node:path";
import { getDb } from "@/db/client";
import { countConnectors } from "@/db/queries/connectors";
import { failInterruptedScans, queuedScanIds } from "@/db/queries/scans";
import { registerLocalConnector, newCorrelationId } from "./connectors";
import { env } from "./env";
import { scanQueue } from "./jobs/scan-queue";
import { logger } from "./logger";

const log = logger("startup");

export const DEMO_CONNECTOR_NAME = "Demo connector";

export async function startup(): Promise<void> {
  getDb(); // opens the database and applies migrations
  const interrupted = failInterruptedScans();
  if (interrupted.length > 0) log.warn({ scans: interrupted }, "marked interrupted scans as failed");
  for (const id of queuedScanIds()) scanQueue().enqueue(id);

  if (env().LAUNCH_REVIEW_SEED_DEMO === "1" && countConnectors() === 0) {
    const demo = path.join(env().projectRoot, "examples", "demo-connector");
    try {
      const { connector } = await registerLocalConnector(
        { name: DEMO_CONNECTOR_NAME, path: demo, subdirectory: "", scanNow: true },
        { id: "system", correlationId: newCorrelationId() },
      );
      log.info({ connectorId: connector.id }, "registered and queued a scan of the bundled demo connector");
    } catch (error) {
      log.warn({ err: error }, "could not register the demo connector");
    }
  }
}
