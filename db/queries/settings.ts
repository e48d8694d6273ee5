import "server-only";
// Run-time settings: one JSON value per key, validated by the caller's schema on every read.
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { getDb } from "../client";
import { appSettings } from "../schema";

/** The stored value parsed with `schema`; the default when absent or no longer valid. */
export async function getSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
  const row = (await getDb().select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, key)))[0];
  if (!row) return fallback;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : fallback;
}

export async function setSetting(key: string, value: unknown, updatedBy: string): Promise<void> {
  await getDb()
    .insert(appSettings)
    .values({ key, value, updatedBy, updatedAt: new Date() })
    .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedBy, updatedAt: new Date() } });
}
