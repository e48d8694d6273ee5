// Each test gets its own in-memory database with the real migrations applied.
import { createTestDb, setDb, type Db } from "@/db/client";

export function useTestDb(): Db {
  const db = createTestDb();
  setDb(db);
  return db;
}
