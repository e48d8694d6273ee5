import "server-only";
// Alert deliveries: one row per webhook call, so repeats can be suppressed and admins can see what was sent.
import { desc, eq } from "drizzle-orm";
import { getDb } from "../client";
import { alertDeliveries, type AlertDelivery } from "../schema";

/** Claims a delivery before sending; false when this webhook already got an alert with the same dedupe key. */
export async function claimDelivery(values: {
  webhookId: string;
  event: string;
  connectorId: number | null;
  dedupeKey: string | null;
}): Promise<number | null> {
  const row = (await getDb().insert(alertDeliveries).values(values).onConflictDoNothing().returning({ id: alertDeliveries.id }))[0];
  return row?.id ?? null;
}

export async function recordDeliveryResult(id: number, result: { status: number | null; error: string | null }): Promise<void> {
  await getDb().update(alertDeliveries).set(result).where(eq(alertDeliveries.id, id));
}

export async function recentDeliveries(limit = 50): Promise<AlertDelivery[]> {
  return await getDb().select().from(alertDeliveries).orderBy(desc(alertDeliveries.id)).limit(limit);
}
