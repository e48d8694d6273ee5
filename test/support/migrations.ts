// Upgrades under test: a copy of a migrations folder that stops early gives the database an older release left.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";

/**
 * Copies the migrations in `source` (db/migrations or db/migrations-pg) into `into`, its journal cut before the first
 * migration whose tag matches: a database migrated from the copy is the one that migration will upgrade.
 */
export function migrationsBefore(source: string, into: string, tag: RegExp): string {
  const journalFile = (folder: string) => path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalFile(source), "utf8")) as { entries: Array<{ tag: string }> };
  const before = journal.entries.findIndex((e) => tag.test(e.tag));
  expect(before).toBeGreaterThan(0);
  fs.cpSync(source, into, { recursive: true });
  fs.writeFileSync(journalFile(into), JSON.stringify({ ...journal, entries: journal.entries.slice(0, before) }));
  return into;
}
