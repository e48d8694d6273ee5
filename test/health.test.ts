// The readiness check answers ok on a working database, on SQLite and on PostgreSQL alike (this file is part of the
// integration suite, which runs on both).
import { beforeEach, describe, expect, it } from "vitest";
import { useTestDb } from "./support/db";

describe("GET /api/health", () => {
  beforeEach(async () => {
    await useTestDb();
  });

  it("is ok while the database answers", async () => {
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: { state: "ok" } });
  });
});
