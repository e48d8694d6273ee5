// Registering connectors and asking for scans: the rules the app's forms and the CLI share.
import { inTransaction } from "@/db/transaction";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { appendAudit } from "@/db/queries/audit";
import { deleteConnectorRow, findConnectorByName, getConnector, insertConnector, setScanInterval } from "@/db/queries/connectors";
import { activeScanFor, insertQueuedScan } from "@/db/queries/scans";
import type { Db } from "@/db/client";
import type { Connector, NewConnector, Scan } from "@/db/schema";
import type { Actor } from "./auth/actor";
import { env } from "./env";
import { AppError } from "./core/errors";
import { dispatchScan } from "./jobs/dispatch";
import { normalizeRepoPath } from "./engine/snapshot";
import { resolveFolderUnderRoot, resolveSubfolder } from "./engine/sources/local";

// Printable text only: names and paths are shown to other users and written to logs.
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A connector's display name, shared by every kind of registration. */
export const TeamIdSchema = z.coerce.number({ error: "Choose a team." }).int().positive("Choose a team.");

export const ConnectorNameSchema = z
  .string({ error: "Give the connector a name." })
  .trim()
  .min(1, "Give the connector a name.")
  .max(100, "Keep the name under 100 characters.")
  .refine((v) => !CONTROL_CHARS.test(v), "The name contains control characters.");

export const RegisterLocalSchema = z.object({
  name: ConnectorNameSchema,
  path: z
    .string({ error: "Give the folder path." })
    .trim()
    .min(1, "Give the folder path.")
    .max(1024, "The path is too long.")
    .refine((v) => !CONTROL_CHARS.test(v), "The path contains control characters."),
  subdirectory: z
    .string()
    .trim()
    .max(512, "The subfolder is too long.")
    .default("")
    .refine((v) => v === "" || normalizeRepoPath(v) !== null, 'The subfolder must be a relative path inside the folder (no "..").'),
  scanNow: z.boolean().default(true),
  teamId: TeamIdSchema,
});
export type RegisterLocalInput = z.input<typeof RegisterLocalSchema>;

export async function registerLocalConnector(
  input: z.output<typeof RegisterLocalSchema>,
  actor: Actor,
): Promise<{ connector: Connector; scan: Scan | null }> {
  let folder: string;
  try {
    folder = await resolveFolderUnderRoot(input.path, env().scanRoots);
  } catch (error) {
    if (error instanceof AppError) throw new AppError("invalid:path", error.message);
    throw error;
  }
  if (await findConnectorByName(input.name)) throw new AppError("invalid:name", `A connector named "${input.name}" already exists.`);

  const subdirectory = input.subdirectory === "" ? "" : normalizeRepoPath(input.subdirectory)!;
  // The final folder's real path must stay inside the folder: a subfolder that is a symlink to "/" is refused here,
  // and again before every scan (lib/sources/local.ts).
  // (A subfolder that doesn't exist yet is accepted as before: the scan says so, and checks it again then.)
  try {
    await resolveSubfolder(folder, subdirectory);
  } catch (error) {
    if (error instanceof AppError && error.code !== "invalid:subdirectory") throw new AppError("invalid:subdirectory", error.message);
    if (!(error instanceof AppError)) throw error;
  }
  return await insertRegisteredConnector(
    { name: input.name, sourceKind: "local", location: folder, subdirectory, teamId: input.teamId, createdBy: actor.id },
    { actor, scanNow: input.scanNow, details: { teamId: input.teamId, sourceKind: "local" } },
  );
}

/**
 * Stores a new connector of any kind, its audit entry and (when asked) its first scan in one transaction, then hands
 * the scan to the queue. `inside` adds what belongs in the same transaction (a GitHub token, sealed).
 */
export async function insertRegisteredConnector(
  row: NewConnector,
  o: { actor: Actor; scanNow: boolean; details: Record<string, unknown>; inside?: (created: Connector, tx: Db) => Promise<void> },
): Promise<{ connector: Connector; scan: Scan | null }> {
  const { connector, scan } = await inTransaction(getDb(), async (tx) => {
    const created = await insertConnector(row, tx);
    await o.inside?.(created, tx);
    // Ids only: the audit log outlives a deleted connector and must not keep its name or location.
    await appendAudit(
      {
        actor: o.actor.id,
        action: "connector.registered",
        targetType: "connector",
        targetId: created.id,
        correlationId: o.actor.correlationId,
        details: o.details,
      },
      tx,
    );
    const scan = o.scanNow ? await queueScanIn(tx, created.id, "initial", o.actor) : null;
    return { connector: created, scan };
  });
  if (scan) await dispatchScan(scan);
  return { connector, scan };
}

/** A zod check that `parse` accepts the value (it throws when not). */
export function accepts(parse: (value: string) => unknown) {
  return (value: string) => {
    try {
      parse(value);
      return true;
    } catch {
      return false;
    }
  };
}

/** A zod refinement reporting why `parse` refuses the value: its AppError's message, or `otherwise`. */
export function refusalOf(parse: (value: string) => unknown, otherwise: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof AppError ? error.message : otherwise });
    }
  };
}

export async function queueScanIn(
  tx: Parameters<typeof insertQueuedScan>[3],
  connectorId: number,
  trigger: Scan["trigger"],
  actor: Actor,
): Promise<Scan> {
  const scan = await insertQueuedScan(connectorId, trigger, actor.correlationId, tx);
  await appendAudit(
    {
      actor: actor.id,
      action: "scan.queued",
      targetType: "scan",
      targetId: scan.id,
      correlationId: actor.correlationId,
      details: { connectorId, trigger },
    },
    tx,
  );
  return scan;
}

/** Queues a scan unless one is already queued or running for the connector, which is returned instead. */
export async function requestScan(
  connectorId: number,
  trigger: Scan["trigger"],
  actor: Actor,
): Promise<{ scan: Scan; alreadyActive: boolean }> {
  if (!(await getConnector(connectorId))) throw new AppError("not_found:connector", "No such connector.");
  const active = await activeScanFor(connectorId);
  if (active) return { scan: active, alreadyActive: true };
  const scan = await inTransaction(getDb(), async (tx) => queueScanIn(tx, connectorId, trigger, actor));
  await dispatchScan(scan);
  return { scan, alreadyActive: false };
}

/** Deletes a connector with its scans, findings and everything else it owns; the audit log keeps only ids. */
export async function deleteConnector(connectorId: number, actor: Actor): Promise<void> {
  const connector = await getConnector(connectorId);
  if (!connector) throw new AppError("not_found:connector", "No such connector.");
  await inTransaction(getDb(), async (tx) => {
    await deleteConnectorRow(connectorId, tx);
    await appendAudit(
      {
        actor: actor.id,
        action: "connector.deleted",
        targetType: "connector",
        targetId: connectorId,
        correlationId: actor.correlationId,
        details: { teamId: connector.teamId },
      },
      tx,
    );
  });
}

export function newCorrelationId(): string {
  return randomUUID();
}

export const SCHEDULE_CHOICES: ReadonlyArray<{ minutes: number; label: string }> = [
  { minutes: 0, label: "off" },
  { minutes: 60, label: "hourly" },
  { minutes: 6 * 60, label: "every 6 hours" },
  { minutes: 24 * 60, label: "daily" },
  { minutes: 7 * 24 * 60, label: "weekly" },
];

export async function setConnectorSchedule(connectorId: number, minutes: number, actor: Actor): Promise<void> {
  if (!SCHEDULE_CHOICES.some((c) => c.minutes === minutes)) throw new AppError("invalid:schedule", "Choose one of the offered intervals.");
  await inTransaction(getDb(), async (tx) => {
    await setScanInterval(connectorId, minutes, tx);
    await appendAudit(
      {
        actor: actor.id,
        action: "connector.schedule-set",
        targetType: "connector",
        targetId: connectorId,
        correlationId: actor.correlationId,
        details: { minutes },
      },
      tx,
    );
  });
}
